package dev.breakglass.circuitbreaker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of a {@link CircuitBreaker}: when it opens, how long it stays open,
 * how it tests recovery, and which outcomes count as failures.
 *
 * <pre>{@code
 * CircuitBreakerConfig config = CircuitBreakerConfig.builder()
 *     .countWindow(100)                                  // the last 100 calls
 *     .minimumNumberOfCalls(20)                          // judge only after 20 calls
 *     .failureRateThreshold(50)                          // open at 50 % failures ...
 *     .slowCallDurationThreshold(Duration.ofSeconds(2))  // ... or when calls over 2 s
 *     .slowCallRateThreshold(80)                         //     make up 80 %
 *     .waitDurationInOpenState(Duration.ofSeconds(30))
 *     .permittedNumberOfCallsInHalfOpenState(5)
 *     .ignoreExceptions(IllegalArgumentException.class)  // caller bugs are not outages
 *     .build();
 *
 * // the classic breaker: 5 failures in a row, then stay open for 300 s
 * CircuitBreakerConfig classic = CircuitBreakerConfig.consecutiveFailures(5, Duration.ofSeconds(300));
 * }</pre>
 *
 * <p><b>Defaults</b> (those of Resilience4j, except where noted): a count window of 100 calls;
 * minimum number of calls 100 (lowered to the window size when only the window is set);
 * failure-rate threshold 50 %; slow-call detection off (Resilience4j: on, 60 s); wait in OPEN
 * 60 s; 10 permitted calls in HALF_OPEN; max wait in HALF_OPEN 60 s while trial calls are
 * outstanding (Resilience4j: unlimited); no automatic transition to HALF_OPEN; every exception
 * recorded as a failure; rejections without stack traces (Resilience4j: with).
 *
 * <p><b>Classification.</b> An exception thrown by a call is, in this order:
 * <ol>
 *   <li><em>ignored</em> if it is a {@link CancellationException}, whatever the settings
 *       below say: the call was cancelled, which says that the caller stopped waiting, not
 *       that the dependency failed (a timeout that should count must fail the call with
 *       another exception, as {@link java.util.concurrent.CompletableFuture#orTimeout} does
 *       with a {@link java.util.concurrent.TimeoutException});
 *   <li><em>ignored</em> (neither success nor failure) if it is an instance of one of
 *       {@link Builder#ignoreExceptions ignoreExceptions} or matches
 *       {@link Builder#ignoreException ignoreException};
 *   <li>a <em>failure</em> if no record types or predicate are configured, or it is an
 *       instance of one of {@link Builder#recordExceptions recordExceptions}, or it matches
 *       {@link Builder#recordException recordException};
 *   <li>otherwise a <em>success</em>.
 * </ol>
 * A returned value is a failure if it matches {@link Builder#recordResult recordResult}, and a
 * success otherwise. {@link Error}s are classified like any other throwable (and therefore
 * recorded by default); they are never handed to a fallback.
 *
 * <p>Immutable and thread-safe. Configs have value semantics: two configs built from the same
 * settings (and the same predicate instances) are equal, which lets a
 * {@link CircuitBreakerRegistry} tell whether a breaker was asked for with its own config.
 */
public final class CircuitBreakerConfig {

  /*
   * Design. The settings and their builder, and nothing else: what a thrown exception counts
   * as is Classifier's, the range of each setting and the conflicts build() reports are
   * ConfigChecks'. What remains is public API (an accessor per setting, a builder method per
   * setting), most of it javadoc; the Builder stays nested, as every builder in breakglass is
   * (CircuitBreakerConfig.Builder, as in Resilience4j), which keeps this file above the
   * project's usual size.
   */

  /** How a breaker decides that the protected call is failing. */
  public enum WindowType {
    /** The failure and slow-call rates over the last N calls. */
    COUNT_BASED,
    /** The failure and slow-call rates over the calls of the last N seconds (or any length). */
    TIME_BASED,
    /** A run of N failures with no success in between; no rates. */
    CONSECUTIVE_FAILURES
  }

  private final WindowType windowType;
  private final int windowSize;
  private final Duration windowLength;
  private final int windowBuckets;
  private final int consecutiveFailureThreshold;
  private final double failureRateThreshold;
  private final double slowCallRateThreshold;
  private final @Nullable Duration slowCallDurationThreshold;
  private final int minimumNumberOfCalls;
  private final IntervalFunction waitInterval;
  private final int permittedNumberOfCallsInHalfOpenState;
  private final Duration maxWaitDurationInHalfOpenState;
  private final boolean automaticTransitionToHalfOpen;
  private final boolean writableStackTrace;
  private final List<Class<? extends Throwable>> recordExceptions;
  private final List<Class<? extends Throwable>> ignoreExceptions;
  private final @Nullable Predicate<? super Throwable> recordExceptionPredicate;
  private final @Nullable Predicate<? super Throwable> ignoreExceptionPredicate;
  private final @Nullable Predicate<Object> recordResultPredicate;

  // derived, for the breaker
  private final Classifier classifier;
  private final long slowCallNanos;
  private final long bucketNanos;
  private final long maxWaitInHalfOpenNanos;

  // what the builder was told, so that toBuilder() round-trips
  private final int requestedMinimumNumberOfCalls;
  private final boolean minimumNumberOfCallsSet;
  private final boolean failureRateThresholdSet;

  private CircuitBreakerConfig(Builder b, int minimumNumberOfCalls) {
    this.windowType = b.windowType;
    this.windowSize = b.windowType == WindowType.COUNT_BASED ? b.windowSize : 0;
    this.windowLength = b.windowType == WindowType.TIME_BASED ? b.windowLength : Duration.ZERO;
    this.windowBuckets = b.windowType == WindowType.TIME_BASED ? b.windowBuckets : 0;
    this.consecutiveFailureThreshold =
        b.windowType == WindowType.CONSECUTIVE_FAILURES ? b.consecutiveFailureThreshold : 0;
    this.failureRateThreshold = b.failureRateThreshold;
    this.slowCallRateThreshold = b.slowCallRateThreshold;
    this.slowCallDurationThreshold = b.slowCallDurationThreshold;
    this.minimumNumberOfCalls = minimumNumberOfCalls;
    this.waitInterval = b.waitInterval;
    this.permittedNumberOfCallsInHalfOpenState = b.permittedNumberOfCallsInHalfOpenState;
    this.maxWaitDurationInHalfOpenState = b.maxWaitDurationInHalfOpenState;
    this.automaticTransitionToHalfOpen = b.automaticTransitionToHalfOpen;
    this.writableStackTrace = b.writableStackTrace;
    this.recordExceptions = List.copyOf(b.recordExceptions);
    this.ignoreExceptions = List.copyOf(b.ignoreExceptions);
    this.recordExceptionPredicate = b.recordExceptionPredicate;
    this.ignoreExceptionPredicate = b.ignoreExceptionPredicate;
    this.recordResultPredicate = b.recordResultPredicate;
    this.classifier = new Classifier(recordExceptions, ignoreExceptions,
        recordExceptionPredicate, ignoreExceptionPredicate);
    this.slowCallNanos =
        slowCallDurationThreshold == null ? Long.MAX_VALUE : slowCallDurationThreshold.toNanos();
    this.bucketNanos =
        windowType == WindowType.TIME_BASED ? windowLength.toNanos() / windowBuckets : 0L;
    this.maxWaitInHalfOpenNanos = maxWaitDurationInHalfOpenState.toNanos();
    this.requestedMinimumNumberOfCalls = b.minimumNumberOfCalls;
    this.minimumNumberOfCallsSet = b.minimumNumberOfCallsSet;
    this.failureRateThresholdSet = b.failureRateThresholdSet;
  }

  /**
   * Returns the default config (see the class description).
   *
   * @return a config with every setting at its default
   */
  public static CircuitBreakerConfig ofDefaults() {
    return builder().build();
  }

  /**
   * Returns the classic breaker: open after {@code failures} failures in a row, stay open for
   * {@code openFor}, then let one trial call through: it closes the breaker if it succeeds
   * and opens it again if it fails.
   *
   * <pre>{@code
   * CircuitBreaker breaker =
   *     CircuitBreaker.of("payments", CircuitBreakerConfig.consecutiveFailures(5, Duration.ofSeconds(300)));
   * }</pre>
   *
   * @param failures how many failures in a row open the breaker, in {@code [1, 1000000]}
   * @param openFor how long to stay open, positive
   * @return the config
   * @throws NullPointerException if {@code openFor} is null
   * @throws IllegalArgumentException if a value is out of range, naming it
   */
  public static CircuitBreakerConfig consecutiveFailures(int failures, Duration openFor) {
    return builder()
        .consecutiveFailures(failures)
        .waitDurationInOpenState(openFor)
        .permittedNumberOfCallsInHalfOpenState(1)
        .build();
  }

  /**
   * Returns a builder with every setting at its default.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder initialised with this config's settings, to derive a variant.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Returns how the breaker decides that the call is failing.
   *
   * @return the window type
   */
  public WindowType windowType() {
    return windowType;
  }

  /**
   * Returns the number of calls in a count window.
   *
   * @return the size of the window for {@link WindowType#COUNT_BASED}, otherwise {@code 0}
   */
  public int windowSize() {
    return windowSize;
  }

  /**
   * Returns the length of a time window.
   *
   * @return the length for {@link WindowType#TIME_BASED}, otherwise {@link Duration#ZERO}
   */
  public Duration windowLength() {
    return windowLength;
  }

  /**
   * Returns the number of buckets a time window is divided into; the window slides one
   * bucket at a time.
   *
   * @return the bucket count for {@link WindowType#TIME_BASED}, otherwise {@code 0}
   */
  public int windowBuckets() {
    return windowBuckets;
  }

  /**
   * Returns how many failures in a row open the breaker.
   *
   * @return the threshold for {@link WindowType#CONSECUTIVE_FAILURES}, otherwise {@code 0}
   */
  public int consecutiveFailureThreshold() {
    return consecutiveFailureThreshold;
  }

  /**
   * Returns the failure rate, in percent, at or above which the breaker opens.
   *
   * @return the threshold, in {@code (0, 100]}
   */
  public double failureRateThreshold() {
    return failureRateThreshold;
  }

  /**
   * Returns the slow-call rate, in percent, at or above which the breaker opens; only used
   * when slow-call detection is on.
   *
   * @return the threshold, in {@code (0, 100]}
   */
  public double slowCallRateThreshold() {
    return slowCallRateThreshold;
  }

  /**
   * Returns the duration at or above which a call counts as slow.
   *
   * @return the threshold, or null if slow-call detection is off
   */
  public @Nullable Duration slowCallDurationThreshold() {
    return slowCallDurationThreshold;
  }

  /**
   * Tells whether calls are timed to detect slow ones.
   *
   * @return {@code true} if {@link #slowCallDurationThreshold()} is set
   */
  public boolean slowCallDetection() {
    return slowCallDurationThreshold != null;
  }

  /**
   * Returns how many calls a window must hold before its rates are judged.
   *
   * @return the minimum, at least {@code 1}; {@code 1} for consecutive-failure mode
   */
  public int minimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  /**
   * Returns the function that gives the wait in OPEN for each attempt.
   *
   * @return the interval function
   */
  public IntervalFunction waitIntervalFunctionInOpenState() {
    return waitInterval;
  }

  /**
   * Returns how many trial calls a HALF_OPEN period lets through.
   *
   * @return the number of permitted calls, at least {@code 1}
   */
  public int permittedNumberOfCallsInHalfOpenState() {
    return permittedNumberOfCallsInHalfOpenState;
  }

  /**
   * Returns how long a HALF_OPEN period may wait for outstanding trial calls before the
   * breaker gives up on them and opens again.
   *
   * @return the maximum wait; {@link Duration#ZERO} means no limit
   */
  public Duration maxWaitDurationInHalfOpenState() {
    return maxWaitDurationInHalfOpenState;
  }

  /**
   * Tells whether the breaker moves from OPEN to HALF_OPEN on a timer, without waiting for a
   * call.
   *
   * @return {@code true} if the transition is automatic
   */
  public boolean automaticTransitionToHalfOpen() {
    return automaticTransitionToHalfOpen;
  }

  /**
   * Tells whether each rejection creates a {@link CallNotPermittedException} with a stack
   * trace.
   *
   * @return {@code true} if stack traces are written; {@code false} (the default) if one
   *     shared, stackless instance per state is used
   */
  public boolean writableStackTrace() {
    return writableStackTrace;
  }

  /**
   * Returns the exception types recorded as failures.
   *
   * @return an immutable list; empty means "every exception not ignored"
   *     (unless {@link #recordExceptionPredicate()} is set)
   */
  public List<Class<? extends Throwable>> recordExceptions() {
    return recordExceptions;
  }

  /**
   * Returns the exception types that are neither failures nor successes.
   *
   * @return an immutable list
   */
  public List<Class<? extends Throwable>> ignoreExceptions() {
    return ignoreExceptions;
  }

  /**
   * Returns the predicate that marks exceptions as failures.
   *
   * @return the predicate, or null if none is set
   */
  public @Nullable Predicate<? super Throwable> recordExceptionPredicate() {
    return recordExceptionPredicate;
  }

  /**
   * Returns the predicate that marks exceptions as ignored.
   *
   * @return the predicate, or null if none is set
   */
  public @Nullable Predicate<? super Throwable> ignoreExceptionPredicate() {
    return ignoreExceptionPredicate;
  }

  /**
   * Returns the predicate that marks returned values as failures.
   *
   * @return the predicate, or null if none is set
   */
  public @Nullable Predicate<Object> recordResultPredicate() {
    return recordResultPredicate;
  }

  /** Classifies what calls throw by this config's exception settings. */
  Classifier classifier() {
    return classifier;
  }

  long slowCallNanos() {
    return slowCallNanos;
  }

  long bucketNanos() {
    return bucketNanos;
  }

  long maxWaitInHalfOpenNanos() {
    return maxWaitInHalfOpenNanos;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof CircuitBreakerConfig c
        && windowType == c.windowType
        && windowSize == c.windowSize
        && windowLength.equals(c.windowLength)
        && windowBuckets == c.windowBuckets
        && consecutiveFailureThreshold == c.consecutiveFailureThreshold
        && Double.compare(failureRateThreshold, c.failureRateThreshold) == 0
        && Double.compare(slowCallRateThreshold, c.slowCallRateThreshold) == 0
        && Objects.equals(slowCallDurationThreshold, c.slowCallDurationThreshold)
        && minimumNumberOfCalls == c.minimumNumberOfCalls
        && waitInterval.equals(c.waitInterval)
        && permittedNumberOfCallsInHalfOpenState == c.permittedNumberOfCallsInHalfOpenState
        && maxWaitDurationInHalfOpenState.equals(c.maxWaitDurationInHalfOpenState)
        && automaticTransitionToHalfOpen == c.automaticTransitionToHalfOpen
        && writableStackTrace == c.writableStackTrace
        && recordExceptions.equals(c.recordExceptions)
        && ignoreExceptions.equals(c.ignoreExceptions)
        && Objects.equals(recordExceptionPredicate, c.recordExceptionPredicate)
        && Objects.equals(ignoreExceptionPredicate, c.ignoreExceptionPredicate)
        && Objects.equals(recordResultPredicate, c.recordResultPredicate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(windowType, windowSize, windowLength, windowBuckets,
        consecutiveFailureThreshold, failureRateThreshold, slowCallRateThreshold,
        slowCallDurationThreshold, minimumNumberOfCalls, waitInterval,
        permittedNumberOfCallsInHalfOpenState, maxWaitDurationInHalfOpenState,
        automaticTransitionToHalfOpen, writableStackTrace, recordExceptions, ignoreExceptions);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("CircuitBreakerConfig[");
    switch (windowType) {
      case COUNT_BASED -> sb.append("countWindow=").append(windowSize)
          .append(", minimumNumberOfCalls=").append(minimumNumberOfCalls)
          .append(", failureRateThreshold=").append(failureRateThreshold);
      case TIME_BASED -> sb.append("timeWindow=").append(windowLength).append('/')
          .append(windowBuckets)
          .append(", minimumNumberOfCalls=").append(minimumNumberOfCalls)
          .append(", failureRateThreshold=").append(failureRateThreshold);
      case CONSECUTIVE_FAILURES ->
          sb.append("consecutiveFailures=").append(consecutiveFailureThreshold);
    }
    if (slowCallDurationThreshold != null) {
      sb.append(", slowCallDurationThreshold=").append(slowCallDurationThreshold)
          .append(", slowCallRateThreshold=").append(slowCallRateThreshold);
    }
    return sb.append(", waitInOpenState=").append(waitInterval)
        .append(", permittedNumberOfCallsInHalfOpenState=")
        .append(permittedNumberOfCallsInHalfOpenState)
        .append(", maxWaitDurationInHalfOpenState=").append(maxWaitDurationInHalfOpenState)
        .append(", automaticTransitionToHalfOpen=").append(automaticTransitionToHalfOpen)
        .append(", writableStackTrace=").append(writableStackTrace)
        .append(", recordExceptions=").append(recordExceptions)
        .append(", ignoreExceptions=").append(ignoreExceptions)
        .append(']').toString();
  }

  /**
   * Builds a {@link CircuitBreakerConfig}. Each setter validates its argument at once and
   * names the bad value; conflicts between settings are reported by {@link #build()}.
   *
   * <p>Not thread-safe; reusable: {@link #build()} copies the settings into a new immutable
   * config each time.
   */
  public static final class Builder {
    private WindowType windowType = WindowType.COUNT_BASED;
    private int windowSize = 100;
    private Duration windowLength = Duration.ZERO;
    private int windowBuckets;
    private int consecutiveFailureThreshold;
    private double failureRateThreshold = 50.0;
    private boolean failureRateThresholdSet;
    private double slowCallRateThreshold = 100.0;
    private boolean slowCallRateThresholdSet;
    private @Nullable Duration slowCallDurationThreshold;
    private int minimumNumberOfCalls = 100;
    private boolean minimumNumberOfCallsSet;
    private IntervalFunction waitInterval = IntervalFunction.fixed(Duration.ofSeconds(60));
    private int permittedNumberOfCallsInHalfOpenState = 10;
    private Duration maxWaitDurationInHalfOpenState = Duration.ofSeconds(60);
    private boolean automaticTransitionToHalfOpen;
    private boolean writableStackTrace;
    private final List<Class<? extends Throwable>> recordExceptions = new ArrayList<>();
    private final List<Class<? extends Throwable>> ignoreExceptions = new ArrayList<>();
    private @Nullable Predicate<? super Throwable> recordExceptionPredicate;
    private @Nullable Predicate<? super Throwable> ignoreExceptionPredicate;
    private @Nullable Predicate<Object> recordResultPredicate;

    private Builder() {}

    private Builder(CircuitBreakerConfig c) {
      this.windowType = c.windowType;
      this.windowSize = c.windowType == WindowType.COUNT_BASED ? c.windowSize : 100;
      this.windowLength = c.windowLength;
      this.windowBuckets = c.windowBuckets;
      this.consecutiveFailureThreshold = c.consecutiveFailureThreshold;
      this.failureRateThreshold = c.failureRateThreshold;
      this.failureRateThresholdSet = c.failureRateThresholdSet;
      this.slowCallRateThreshold = c.slowCallRateThreshold;
      this.slowCallRateThresholdSet = c.slowCallDurationThreshold != null;
      this.slowCallDurationThreshold = c.slowCallDurationThreshold;
      this.minimumNumberOfCalls = c.requestedMinimumNumberOfCalls;
      this.minimumNumberOfCallsSet = c.minimumNumberOfCallsSet;
      this.waitInterval = c.waitInterval;
      this.permittedNumberOfCallsInHalfOpenState = c.permittedNumberOfCallsInHalfOpenState;
      this.maxWaitDurationInHalfOpenState = c.maxWaitDurationInHalfOpenState;
      this.automaticTransitionToHalfOpen = c.automaticTransitionToHalfOpen;
      this.writableStackTrace = c.writableStackTrace;
      this.recordExceptions.addAll(c.recordExceptions);
      this.ignoreExceptions.addAll(c.ignoreExceptions);
      this.recordExceptionPredicate = c.recordExceptionPredicate;
      this.ignoreExceptionPredicate = c.ignoreExceptionPredicate;
      this.recordResultPredicate = c.recordResultPredicate;
    }

    /**
     * Judges the failure and slow-call rates over the last {@code size} calls (a count-based
     * sliding window). This is the default, with 100 calls.
     *
     * <p>With one thread the window is exactly the last {@code size} outcomes; see
     * {@link CircuitBreaker} for what it means when many threads share the breaker.
     *
     * @param size the number of calls, in {@code [1, 1048576]}
     * @return this builder
     * @throws IllegalArgumentException if {@code size} is out of range
     */
    public Builder countWindow(int size) {
      this.windowSize = ConfigChecks.inRange(size, 1, ConfigChecks.MAX_COUNT_WINDOW,
          "countWindow size");
      this.windowType = WindowType.COUNT_BASED;
      return this;
    }

    /**
     * Judges the rates over the calls of the last {@code length}, in 10 buckets: the window
     * slides by a tenth of its length at a time.
     *
     * @param length the length of the window, at least 10 ns
     * @return this builder
     * @throws NullPointerException if {@code length} is null
     * @throws IllegalArgumentException if {@code length} is out of range
     */
    public Builder timeWindow(Duration length) {
      return timeWindow(length, 10);
    }

    /**
     * Judges the rates over the calls of the last {@code length}, divided into
     * {@code buckets} buckets. Outcomes are added to the bucket of the moment they are
     * recorded, and a whole bucket leaves the window at once: a window of 10 s in 10 buckets
     * holds between 9 and 10 seconds of calls. Each bucket lasts
     * {@code length / buckets}, rounded down to the nanosecond.
     *
     * <p>Buckets are counted from the moment the window starts: when the breaker is created,
     * and again each time it closes (every CLOSED period starts an empty window), on the
     * breaker's {@link dev.breakglass.core.Ticker}. {@code timeWindow(Duration.ofSeconds(N),
     * N)} has the buckets of Resilience4j's time window of N seconds (N buckets of one
     * second) but not its bucket boundaries, which fall on whole seconds of its clock: the
     * two windows drop an outcome at different moments (up to a bucket apart), so the same
     * calls near a threshold can open one breaker and not the other.
     *
     * @param length the length of the window, positive
     * @param buckets how many buckets, in {@code [1, 1000]} and at most
     *     {@code length} in nanoseconds
     * @return this builder
     * @throws NullPointerException if {@code length} is null
     * @throws IllegalArgumentException if a value is out of range, naming it
     */
    public Builder timeWindow(Duration length, int buckets) {
      ConfigChecks.timeWindow(length, buckets);
      this.windowType = WindowType.TIME_BASED;
      this.windowLength = length;
      this.windowBuckets = buckets;
      return this;
    }

    /**
     * Opens the breaker after {@code failures} failures in a row, with no success in between:
     * the classic breaker. There are no rates in this mode; a HALF_OPEN period closes the
     * breaker when all its permitted trial calls succeed and opens it again at the first
     * failure.
     *
     * @param failures how many failures in a row, in {@code [1, 1000000]}
     * @return this builder
     * @throws IllegalArgumentException if {@code failures} is out of range
     */
    public Builder consecutiveFailures(int failures) {
      this.consecutiveFailureThreshold = ConfigChecks.inRange(failures, 1,
          ConfigChecks.MAX_CONSECUTIVE_FAILURES, "consecutiveFailures");
      this.windowType = WindowType.CONSECUTIVE_FAILURES;
      return this;
    }

    /**
     * Sets the failure rate, in percent, at or above which the breaker opens (and at or above
     * which the trial calls of a HALF_OPEN period count as failed). Default 50.
     *
     * @param percent the threshold, in {@code (0, 100]}
     * @return this builder
     * @throws IllegalArgumentException if {@code percent} is out of range or NaN
     */
    public Builder failureRateThreshold(double percent) {
      this.failureRateThreshold = ConfigChecks.percent(percent, "failureRateThreshold");
      this.failureRateThresholdSet = true;
      return this;
    }

    /**
     * Sets the slow-call rate, in percent, at or above which the breaker opens. Default 100.
     * Needs {@link #slowCallDurationThreshold(Duration)}.
     *
     * @param percent the threshold, in {@code (0, 100]}
     * @return this builder
     * @throws IllegalArgumentException if {@code percent} is out of range or NaN
     */
    public Builder slowCallRateThreshold(double percent) {
      this.slowCallRateThreshold = ConfigChecks.percent(percent, "slowCallRateThreshold");
      this.slowCallRateThresholdSet = true;
      return this;
    }

    /**
     * Turns slow-call detection on: a call that takes {@code threshold} or longer counts as
     * slow, whether it succeeded or failed. Off by default, so that the success path of a
     * count window reads no clock.
     *
     * @param threshold the duration at or above which a call is slow, positive
     * @return this builder
     * @throws NullPointerException if {@code threshold} is null
     * @throws IllegalArgumentException if {@code threshold} is not positive or too long
     */
    public Builder slowCallDurationThreshold(Duration threshold) {
      ConfigChecks.positiveNanos(threshold, "slowCallDurationThreshold");
      this.slowCallDurationThreshold = threshold;
      return this;
    }

    /**
     * Sets how many calls the window must hold before its rates are judged. Default 100, or
     * the count window's size if that is smaller and this was not set. Set explicitly, it
     * must not exceed the size of a count window ({@link #build()} says so; Resilience4j
     * accepts it and judges a full window instead).
     *
     * @param calls the minimum, at least {@code 1} (and at most the size of a count window)
     * @return this builder
     * @throws IllegalArgumentException if {@code calls < 1}
     */
    public Builder minimumNumberOfCalls(int calls) {
      this.minimumNumberOfCalls = ConfigChecks.atLeast(calls, 1, "minimumNumberOfCalls");
      this.minimumNumberOfCallsSet = true;
      return this;
    }

    /**
     * Sets a fixed wait in OPEN before trial calls are let through. Default 60 s.
     *
     * @param wait the wait, positive
     * @return this builder
     * @throws NullPointerException if {@code wait} is null
     * @throws IllegalArgumentException if {@code wait} is not positive or too long
     */
    public Builder waitDurationInOpenState(Duration wait) {
      ConfigChecks.positiveNanos(wait, "waitDurationInOpenState");
      this.waitInterval = IntervalFunction.fixed(wait);
      return this;
    }

    /**
     * Sets the wait in OPEN as a function of how many times in a row the breaker has
     * opened, for exponential back-off. If the function throws or returns an invalid wait,
     * the breaker still opens, with the last valid wait it returned (60 s if none), and
     * reports the problem to its listener error handler (see {@link IntervalFunction}).
     *
     * @param function the interval function, e.g. {@link IntervalFunction#exponentialWithJitter}
     * @return this builder
     * @throws NullPointerException if {@code function} is null
     */
    public Builder waitIntervalFunctionInOpenState(IntervalFunction function) {
      this.waitInterval = Objects.requireNonNull(function, "function");
      return this;
    }

    /**
     * Sets how many trial calls a HALF_OPEN period lets through; the period ends when all of
     * them have completed. Default 10.
     *
     * @param calls the number of trial calls, in {@code [1, 1000000]}
     * @return this builder
     * @throws IllegalArgumentException if {@code calls} is out of range
     */
    public Builder permittedNumberOfCallsInHalfOpenState(int calls) {
      this.permittedNumberOfCallsInHalfOpenState = ConfigChecks.inRange(calls, 1,
          ConfigChecks.MAX_PERMITTED_IN_HALF_OPEN, "permittedNumberOfCallsInHalfOpenState");
      return this;
    }

    /**
     * Sets how long a HALF_OPEN period waits for outstanding trial calls: once a trial call
     * that was let through has still not reported its outcome this long after the last trial
     * call was let through, the breaker opens again, so that hung calls cannot keep it
     * half-open for ever. The wait runs from the trial calls, not from the start of the
     * period: a HALF_OPEN period with no call outstanding simply waits for more calls.
     * Default 60 s.
     *
     * @param wait the maximum wait; {@link Duration#ZERO} means no limit
     * @return this builder
     * @throws NullPointerException if {@code wait} is null
     * @throws IllegalArgumentException if {@code wait} is negative or too long
     */
    public Builder maxWaitDurationInHalfOpenState(Duration wait) {
      this.maxWaitDurationInHalfOpenState =
          ConfigChecks.notNegative(wait, "maxWaitDurationInHalfOpenState");
      return this;
    }

    /**
     * Makes the breaker move from OPEN to HALF_OPEN when its wait is over, on a timer, even
     * if no call arrives (and likewise give up on hung trial calls on time). Off by default:
     * then the transition happens when the next call (or a read of the state) finds the wait
     * over.
     *
     * <p>With the automatic transition on, rejecting a call while OPEN reads no clock. The
     * timer is a one-shot task per OPEN period on the breaker's scheduler
     * ({@link CircuitBreaker.Builder#scheduler}), never a thread per breaker. So the wait
     * ends when that task runs: later than due if the scheduler is saturated, and, if the
     * scheduler drops the task without running it or rejecting it (a {@code shutdownNow()},
     * a cancelled task), only when something reads {@link CircuitBreaker#state()},
     * {@link CircuitBreaker#health()} or {@link CircuitBreaker#metrics()}, which always
     * check the clock. (A scheduler that rejects the task makes the breaker check the clock
     * on calls instead.)
     *
     * @param enabled whether to transition on a timer
     * @return this builder
     */
    public Builder automaticTransitionToHalfOpen(boolean enabled) {
      this.automaticTransitionToHalfOpen = enabled;
      return this;
    }

    /**
     * Makes every rejection create a {@link CallNotPermittedException} with a stack trace,
     * instead of handing out one shared, stackless instance. Off by default.
     *
     * @param enabled whether rejections carry stack traces
     * @return this builder
     */
    public Builder writableStackTrace(boolean enabled) {
      this.writableStackTrace = enabled;
      return this;
    }

    /**
     * Records only exceptions of these types (and their subtypes) as failures; others, unless
     * ignored, count as successes. Adds to any types given before.
     *
     * @param types the exception types
     * @return this builder
     * @throws NullPointerException if {@code types} or an element is null
     */
    @SafeVarargs
    public final Builder recordExceptions(Class<? extends Throwable>... types) {
      ConfigChecks.addTypes(recordExceptions, "recordExceptions", types);
      return this;
    }

    /**
     * Ignores exceptions of these types (and their subtypes): they count as neither success
     * nor failure, and a trial call that ends in one gives its permit back. Adds to any
     * types given before. A {@link CancellationException} is always ignored.
     *
     * @param types the exception types
     * @return this builder
     * @throws NullPointerException if {@code types} or an element is null
     */
    @SafeVarargs
    public final Builder ignoreExceptions(Class<? extends Throwable>... types) {
      ConfigChecks.addTypes(ignoreExceptions, "ignoreExceptions", types);
      return this;
    }

    /**
     * Records exceptions that match the predicate as failures (in addition to
     * {@link #recordExceptions}).
     *
     * @param predicate the predicate; it must be thread-safe and fast, and should not throw:
     *     an exception it throws reaches the caller (or the fallback) with the call's own
     *     attached as suppressed, and the call is recorded as a failure
     * @return this builder
     * @throws NullPointerException if {@code predicate} is null
     */
    public Builder recordException(Predicate<? super Throwable> predicate) {
      this.recordExceptionPredicate = Objects.requireNonNull(predicate, "predicate");
      return this;
    }

    /**
     * Ignores exceptions that match the predicate (in addition to {@link #ignoreExceptions}).
     *
     * @param predicate the predicate; it must be thread-safe and fast, and should not throw:
     *     an exception it throws reaches the caller (or the fallback) with the call's own
     *     attached as suppressed, and the call is recorded as a failure
     * @return this builder
     * @throws NullPointerException if {@code predicate} is null
     */
    public Builder ignoreException(Predicate<? super Throwable> predicate) {
      this.ignoreExceptionPredicate = Objects.requireNonNull(predicate, "predicate");
      return this;
    }

    /**
     * Records returned values that match the predicate as failures, e.g. an HTTP response
     * with status 503. The value is still returned to the caller.
     *
     * @param predicate the predicate, called with every value a wrapped supplier, callable or
     *     stage returns and with the value given to {@link CircuitBreaker#onResult} (never for
     *     runnables, which return nothing); it must be thread-safe and fast, and should not
     *     throw: an exception it throws reaches the caller (or the fallback) in place of the
     *     value, and the call is recorded as a failure
     * @return this builder
     * @throws NullPointerException if {@code predicate} is null
     */
    public Builder recordResult(Predicate<Object> predicate) {
      this.recordResultPredicate = Objects.requireNonNull(predicate, "predicate");
      return this;
    }

    /**
     * Creates the config.
     *
     * @return a new immutable config
     * @throws IllegalStateException if settings conflict, naming them: slow-call rate without
     *     slow-call duration; rate settings or slow-call detection in consecutive-failure
     *     mode; a minimum number of calls larger than the count window; an exception type
     *     both recorded and ignored
     */
    public CircuitBreakerConfig build() {
      int minimum = switch (windowType) {
        case COUNT_BASED -> ConfigChecks.countWindowMinimum(
            windowSize, minimumNumberOfCalls, minimumNumberOfCallsSet);
        case TIME_BASED -> minimumNumberOfCalls;
        case CONSECUTIVE_FAILURES -> {
          ConfigChecks.noRateSettings(slowCallDurationThreshold != null,
              failureRateThresholdSet, minimumNumberOfCallsSet);
          yield 1;
        }
      };
      ConfigChecks.slowCallRateNeedsDetection(
          slowCallRateThresholdSet, slowCallRateThreshold, slowCallDurationThreshold != null);
      ConfigChecks.disjoint(recordExceptions, ignoreExceptions);
      return new CircuitBreakerConfig(this, minimum);
    }
  }
}
