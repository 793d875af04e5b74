package dev.breakglass.circuitbreaker;

import dev.breakglass.circuitbreaker.CircuitBreakerConfig.WindowType;
import dev.breakglass.circuitbreaker.OutcomeWindow.Counts;
import dev.breakglass.core.EventListener;
import dev.breakglass.core.Health;
import dev.breakglass.core.HealthChange;
import dev.breakglass.core.HealthSource;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ListenerErrorHandler;
import dev.breakglass.core.Listeners;
import dev.breakglass.core.Subscription;
import dev.breakglass.core.Ticker;
import dev.breakglass.core.internal.DurationFormat;
import dev.breakglass.core.internal.ListenerFailures;
import dev.breakglass.core.internal.SerialDelivery;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A circuit breaker: it lets calls to a dependency through while the dependency works, stops
 * them (failing fast, or answering from a fallback) once it fails too often, and lets a few
 * trial calls through after a wait to find out whether it has recovered.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.of("payments");        // Resilience4j's defaults
 * Receipt receipt = breaker.get(() -> payments.charge(order),
 *     error -> Receipt.deferred(order));                          // fallback, also when OPEN
 *
 * // the classic breaker: 5 failures in a row, then stay open for 300 s
 * CircuitBreaker classic =
 *     CircuitBreaker.of("ledger", CircuitBreakerConfig.consecutiveFailures(5, Duration.ofSeconds(300)));
 * }</pre>
 *
 * <h2>States and transitions</h2>
 *
 * <table class="striped">
 *   <caption>When a breaker changes state</caption>
 *   <thead><tr><th>from</th><th>to</th><th>when</th></tr></thead>
 *   <tbody>
 *   <tr><td>CLOSED</td><td>OPEN</td><td>after an outcome is recorded, the window holds at
 *       least the minimum number of calls and the failure rate or the slow-call rate is at
 *       or above its threshold; in consecutive-failure mode, the run of failures reaches the
 *       threshold</td></tr>
 *   <tr><td>OPEN</td><td>HALF_OPEN</td><td>the wait (fixed or from the
 *       {@link IntervalFunction}) is over: noticed by the next call, by {@link #state()}, or
 *       on a timer if {@link CircuitBreakerConfig#automaticTransitionToHalfOpen()}</td></tr>
 *   <tr><td>HALF_OPEN</td><td>CLOSED</td><td>all permitted trial calls have completed and
 *       their failure and slow-call rates are below the thresholds (consecutive-failure
 *       mode: all succeeded)</td></tr>
 *   <tr><td>HALF_OPEN</td><td>OPEN</td><td>all permitted trial calls have completed and a
 *       rate is at or above its threshold (consecutive-failure mode: at the first failed
 *       trial); or a trial call is still outstanding the max wait in HALF_OPEN after the
 *       last trial call was let through. The wait in OPEN then uses the next attempt
 *       number.</td></tr>
 *   <tr><td>any</td><td>any</td><td>a manual transition: {@link #transitionToOpen()},
 *       {@link #transitionToClosed()}, {@link #transitionToHalfOpen()},
 *       {@link #transitionToDisabled()}, {@link #transitionToForcedOpen()},
 *       {@link #transitionToMetricsOnly()}, {@link #reset()}</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>DISABLED (every call permitted, nothing recorded), FORCED_OPEN (every call rejected) and
 * METRICS_ONLY (every call permitted and recorded, threshold events published, never opens)
 * are left only by a manual transition. Every transition to CLOSED starts an empty window.
 * A call's outcome counts where the call was let through and where it completes: a trial
 * call of a HALF_OPEN period counts only towards that period's decision (if it completes
 * after the period has ended, it is not recorded at all); any other call is recorded in the
 * window if it completes in CLOSED or METRICS_ONLY, and not recorded if it completes in
 * OPEN, HALF_OPEN, FORCED_OPEN or DISABLED. (The permit-less low-level methods cannot tell
 * which period let a call through; see {@link #tryAcquirePermission()}.)
 *
 * <p>The user code the breaker calls on the recording path must not be able to switch it
 * off. If a {@linkplain CircuitBreakerConfig.Builder#recordResult result} or exception
 * classification predicate throws, the call is recorded as a failure and the predicate's
 * exception (with the call's own attached as suppressed) goes to the caller or the fallback
 * in place of the call's result or exception. If the {@link IntervalFunction} throws or
 * returns an invalid wait, the breaker opens anyway, waits as long as the function last
 * told it to (60 s if it never returned a valid wait), and reports the problem to the
 * {@linkplain Builder#listenerErrorHandler listener error handler}.
 *
 * <p>As a {@link HealthSource}, CLOSED, METRICS_ONLY and DISABLED are {@link Health#UP} (a
 * disabled or metrics-only breaker lets every call through, so it does not report the
 * dependency as failing), HALF_OPEN is {@link Health#DEGRADED}, OPEN and FORCED_OPEN are
 * {@link Health#DOWN}.
 *
 * <h2>Windows when threads share a breaker</h2>
 *
 * <p>With one thread, a count window holds exactly the last N outcomes and a time window
 * exactly the outcomes of its buckets, and thresholds are judged after every outcome. To keep
 * shared memory off the per-call path, outcomes are first collected per thread: a count
 * window batches them (up to 28, in a stripe of the window each thread hashes to once
 * threads have collided) and hands a batch to its ring when the batch is full or when
 * thresholds are judged, which happens after every failure or slow call and takes every
 * batch; a time window keeps buckets per stripe. So with threads recording at the same time
 * a count window holds the last N outcomes in hand-over order (batches enter as blocks), and
 * a judgement can miss a batch another thread is handing over at that very instant. No
 * outcome is lost or counted twice, and threads sharing one breaker do not slow each other
 * down.
 *
 * <h2>Events, health and the journal</h2>
 *
 * <p>Listeners registered with {@link #onEvent}, {@link #onStateTransition} and
 * {@link #onHealthChange} are called synchronously; events are built only if someone listens.
 * State transitions are published one at a time, in the order they happened and exactly once,
 * by the thread that made the transition, or, if another thread is publishing at that moment,
 * by that thread right after its own. If an {@link IncidentJournal} is given, every transition
 * is recorded in it (source: the breaker's name, kind {@code "transition"}, detail such as
 * {@code "CLOSED -> OPEN: failure rate 62.5% >= 50.0% over 8 calls"}), stamped with the moment
 * of the transition, not of its publication.
 *
 * <h2>Cost</h2>
 *
 * <p>Asking for permission in CLOSED is one volatile read. Recording an outcome is one
 * uncontended CAS on memory the calling thread does not share with other recording threads,
 * plus a clock read when the config needs time (a time window; slow-call detection: two).
 * Nothing is allocated on the success path or on the rejection path (rejections reuse one
 * stackless exception per state), and no thread ever waits for another.
 *
 * <p>Thread-safe: any number of threads may share a breaker.
 */
public final class CircuitBreaker implements HealthSource {

  /*
   * Design.
   *
   * Layout. This class is the breaker's public face and its state machine; what is not the
   * state machine lives beside it: Period (one period of one state, with its own counters),
   * Admission (what a permission request outside CLOSED comes to), Permits (the layout of a
   * low-level permit), Thresholds (the verdict on a window's or a HALF_OPEN period's counts),
   * Classifier (what a thrown exception counts as), BreakerEvents (events, the journal and
   * health changes), AsyncCall (the stage getAsync returns), the windows (OutcomeWindow and
   * its implementations) and ConfigChecks (the builder's rules). What stays here must stay
   * together: every transition is one compare-and-exchange on the `current` field, guarded by
   * checks that read the same field (admitSlow, record, judge, recordTrial, the timers,
   * settle, manual), and the rules of attribution (which period an outcome counts in) are
   * only sound when read beside the transitions that end periods. The rest of the file is
   * public API, whose javadoc is most of its length: 14 wrapping methods (get, call, run, the
   * checked and asynchronous forms, each with and without a fallback: written out one by one,
   * because adapting one functional interface to another would allocate on the hot path),
   * the low-level API, state, metrics, manual transitions and the builder.
   *
   * State: one field holding the current Period, read with getAcquire and replaced with
   * compareAndExchange. A transition builds the next period (its window, its permits, its
   * deadline) and installs it only if the period it was derived from is still current, so
   * every transition happens at most once and everything a period owns is created fresh for
   * it: windows are never reset under writers' feet.
   *
   * Hot path (CLOSED): permission is `period.state == CLOSED` after one acquire read. The
   * outcome goes to the period's OutcomeWindow (CountWindow, TimeWindow: striped, see
   * StripedWindow; ConsecutiveWindow). The window says whether a judgement is needed; if so
   * the breaker snapshots it and asks Thresholds for a verdict.
   *
   * Attribution: every execution method keeps the period that granted its permission and
   * hands it to the two recording helpers (onReturned, onThrown); the low-level permit
   * carries the same information as a number (below). record() counts a trial only in the
   * HALF_OPEN period that granted it, while that period is current, and any other call only
   * in a CLOSED or METRICS_ONLY window, so a HALF_OPEN decision rests on its own trials and
   * outstandingTrials() stays exact. The helpers also make user callbacks on the recording
   * path (classification and result predicates) unable to lose an outcome: a callback that
   * throws is recorded as a failure and its exception handed back to the caller.
   *
   * Low-level permits are single-use and bound to their breaker, checked as cheaply as each
   * kind allows (the bit layout is in Permits):
   * - Every permit carries the breaker's tag (a counter, 20 bits: breakers created up to a
   *   million apart never share one), so another breaker refuses it before it can count.
   * - A trial permit (issued in HALF_OPEN) also carries its period's generation (low 21 bits)
   *   and a lease in that period (TrialLeases). Its first use ends the lease; a second use
   *   while the period lasts finds the lease ended and is refused, so one call cannot decide
   *   a period that permits several, and a double release cannot let more trials through
   *   than permitted. Once the period has ended, a trial permit's outcome is not counted
   *   anyway (the late-outcome rule above), so using it again is harmless and not checked:
   *   the period, and its leases, are gone. (A permit whose generation matches the current
   *   period's low bits only by wrapping around, 2^21 transitions after it was issued, would
   *   be taken for one of its trials and most likely refused as used.)
   * - Any other permit (CLOSED, METRICS_ONLY, DISABLED) is the breaker's base permit:
   *   handing it out writes nothing, taking it back is one comparison, so the CLOSED path
   *   costs what it did without permits. It is not tracked one by one. It may be reported
   *   long after its period ended (a call that hung while the breaker opened, half-opened
   *   and closed again counts in the window that is current when it completes, as a wrapped
   *   call does), so a record of it could not live in its period; a per-breaker record of
   *   every permit in flight would cost a shared write on every permitted call and memory
   *   per call in flight, which the hot path does not pay. Reporting a CLOSED permit twice
   *   therefore records two outcomes; the documentation says so.
   *
   * Rejection (OPEN): one acquire read; a clock read only if no timer will end the wait
   * (the period's callersCheckDeadline flag); a LongAdder increment for the metrics; a
   * shared, immutable, stackless exception per state.
   *
   * Publication: each period links to the period it replaced (`previous`, set before the
   * CAS). After a successful CAS the winner calls publication.deliver(), core.internal's
   * SerialDelivery (the cascade manager delivers its notices the same way): under a try-flag
   * (never waited on), the deliverer walks back from the current period to the last published
   * one and publishes the transitions in between, oldest first (Transitions, the backlog),
   * then re-checks after releasing the flag so that a transition installed while it was
   * publishing is not stranded. Hence transitions reach listeners and the journal exactly
   * once, in order, one at a time, and no caller ever waits for another caller's listeners.
   * The backlog is not a queue: the chain of periods is the record of what is pending, so
   * publishing needs nothing beyond the periods themselves. None of this is on the hot path:
   * only a transition calls deliver().
   *
   * Timers: with automatic transitions, entering OPEN schedules one task (on the given
   * ScheduledExecutorService, or the JDK's shared CompletableFuture delayer) that ends the
   * wait; it re-schedules itself if the ticker says the wait is not over (a ManualTicker in
   * tests), and does nothing if the period is no longer current.
   *
   * References: Resilience4j's CircuitBreakerStateMachine (states, names, defaults);
   * Failsafe's CircuitBreaker (consecutive thresholds); java.util.concurrent.atomic.Striped64
   * and Caffeine's striped buffers (striping).
   */

  /**
   * The states of a breaker.
   *
   * <p>CLOSED, OPEN and HALF_OPEN are the automatic cycle; DISABLED, FORCED_OPEN and
   * METRICS_ONLY are entered and left only by manual transitions.
   */
  public enum State {
    /** Calls are permitted and recorded; the breaker opens when a threshold is reached. */
    CLOSED(Health.UP),
    /** Calls are rejected until the wait is over. */
    OPEN(Health.DOWN),
    /** A fixed number of trial calls is permitted; their outcome closes or re-opens. */
    HALF_OPEN(Health.DEGRADED),
    /** Calls are permitted and not recorded; the breaker never opens. */
    DISABLED(Health.UP),
    /** Calls are rejected until a manual transition. */
    FORCED_OPEN(Health.DOWN),
    /** Calls are permitted and recorded, threshold events are published, it never opens. */
    METRICS_ONLY(Health.UP);

    private final Health health;

    State(Health health) {
      this.health = health;
    }

    /**
     * Returns the health this state reports through {@link HealthSource}.
     *
     * @return UP for CLOSED, DISABLED and METRICS_ONLY; DEGRADED for HALF_OPEN; DOWN for
     *     OPEN and FORCED_OPEN
     */
    public Health health() {
      return health;
    }
  }

  private static final VarHandle CURRENT;
  private static final VarHandle LAST_GOOD_WAIT;
  /** The wait in OPEN when an IntervalFunction never returned a valid one: the default. */
  private static final long DEFAULT_WAIT_NANOS = Duration.ofSeconds(60).toNanos();

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CURRENT = lookup.findVarHandle(CircuitBreaker.class, "current", Period.class);
      LAST_GOOD_WAIT = lookup.findVarHandle(CircuitBreaker.class, "lastGoodWait", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final CircuitBreakerConfig config;
  private final Ticker ticker;
  private final @Nullable ScheduledExecutorService scheduler;
  private final BreakerEvents events;
  /**
   * The listeners of every event, also held by {@code events}: the hot path asks them directly
   * whether anyone listens, one dependent load nearer than through {@code events}.
   */
  private final Listeners<CircuitBreakerEvent> eventListeners;
  private final ListenerErrorHandler listenerErrorHandler;
  private final LongAdder notPermitted = new LongAdder();
  private final Classifier classifier;
  private final Thresholds thresholds;

  // the config, unpacked for the hot path
  /** Slow-call detection is on: a wrapped call reads the clock when it starts and ends. */
  private final boolean timesCalls;
  /** An outcome needs the time it is recorded at (a time window, or timed calls). */
  private final boolean stampsOutcomes;
  /** The window is a time window: reading it needs the time. */
  private final boolean timeBased;
  private final long slowCallNanos;
  private final @Nullable Predicate<Object> resultPredicate;
  /** Each rejection creates an exception with a stack trace instead of a shared one. */
  private final boolean stackTraces;
  /** The config counts consecutive failures instead of rates. */
  private final boolean consecutiveMode;
  /** Timers end the waits of OPEN and HALF_OPEN (automatic transition to HALF_OPEN). */
  private final boolean usesTimers;
  private final CallNotPermittedException openRejection;
  private final CallNotPermittedException forcedOpenRejection;
  private final CallNotPermittedException halfOpenRejection;
  /** Every permit this breaker issues outside HALF_OPEN (see {@link Permits}). */
  private final long permitBase;
  /** Publishes the installed transitions, in order, outside any lock (see the design notes). */
  private final SerialDelivery publication;

  // accessed through CURRENT; the constructor sets it (CURRENT.setRelease), which NullAway
  // cannot see
  @SuppressWarnings({"unused", "NullAway.Init"})
  private Period current;
  /** The last valid wait the IntervalFunction returned; the fallback if it fails. */
  @SuppressWarnings("unused") // accessed through LAST_GOOD_WAIT
  private long lastGoodWait = DEFAULT_WAIT_NANOS;

  private CircuitBreaker(Builder builder) {
    this.name = builder.name;
    this.config = builder.config;
    this.ticker = builder.ticker;
    this.scheduler = builder.scheduler;
    this.listenerErrorHandler = Slf4jLogging.guarded(builder.listenerErrorHandler);
    this.events = new BreakerEvents(name, ticker, builder.journal, listenerErrorHandler);
    this.eventListeners = events.all();
    this.classifier = config.classifier();
    this.thresholds = new Thresholds(config);
    this.timesCalls = config.slowCallDetection();
    this.timeBased = config.windowType() == WindowType.TIME_BASED;
    this.stampsOutcomes = timesCalls || timeBased;
    this.slowCallNanos = config.slowCallNanos();
    this.resultPredicate = config.recordResultPredicate();
    this.stackTraces = config.writableStackTrace();
    this.consecutiveMode = config.windowType() == WindowType.CONSECUTIVE_FAILURES;
    this.usesTimers = config.automaticTransitionToHalfOpen();
    this.openRejection = CallNotPermittedException.shared(name, State.OPEN);
    this.forcedOpenRejection = CallNotPermittedException.shared(name, State.FORCED_OPEN);
    this.halfOpenRejection = CallNotPermittedException.shared(name, State.HALF_OPEN);
    this.permitBase = Permits.newBase();
    long now = ticker.read();
    Period initial = Period.closed(OutcomeWindow.create(config, now), Reason.CREATED, now);
    initial.generation = 1;
    this.publication = new SerialDelivery(new Transitions(initial));
    CURRENT.setRelease(this, initial);
  }

  /**
   * Creates a breaker with the default config (see {@link CircuitBreakerConfig}).
   *
   * @param name the breaker's name, used in events, exceptions, health and the journal
   * @return a new CLOSED breaker
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static CircuitBreaker of(String name) {
    return builder(name).build();
  }

  /**
   * Creates a breaker with the given config, the system ticker and no journal.
   *
   * @param name the breaker's name
   * @param config its config
   * @return a new CLOSED breaker
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static CircuitBreaker of(String name, CircuitBreakerConfig config) {
    return builder(name).config(config).build();
  }

  /**
   * Returns a builder for a breaker with a ticker, journal, scheduler or listener error
   * handler of its own.
   *
   * @param name the breaker's name
   * @return a new builder with the default config
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  // ---------------------------------------------------------------------------------------
  // Wrapped execution

  /**
   * Calls the supplier if the breaker permits it, and records the outcome.
   *
   * @param supplier the call to protect
   * @param <T> the type of the result
   * @return what the supplier returned
   * @throws CallNotPermittedException if the breaker rejected the call
   * @throws NullPointerException if {@code supplier} is null
   * @throws RuntimeException whatever the supplier threw (also any {@link Error})
   */
  public <T> T get(Supplier<? extends T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    Period granted = admitOrThrow();
    long start = startTime();
    T result;
    try {
      result = supplier.get();
    } catch (Throwable error) {
      throw sneakyThrow(onThrown(granted, start, error));
    }
    return returned(granted, start, result);
  }

  /**
   * Calls the supplier if the breaker permits it and records the outcome; answers from the
   * fallback if the call is rejected or throws an exception.
   *
   * @param supplier the call to protect
   * @param fallback called with the {@link CallNotPermittedException} or the exception the
   *     supplier threw (any throwable except an {@link Error}, which is rethrown), on the
   *     calling thread
   * @param <T> the type of the result
   * @return what the supplier or the fallback returned
   * @throws NullPointerException if an argument is null
   * @throws Error if the supplier threw one
   * @throws RuntimeException whatever the fallback threw
   */
  public <T> T get(
      Supplier<? extends T> supplier, Function<? super Throwable, ? extends T> fallback) {
    Objects.requireNonNull(supplier, "supplier");
    Objects.requireNonNull(fallback, "fallback");
    Period granted = current();
    if (granted.state != State.CLOSED) {
      Admission admission = admitSlow(granted);
      if (admission instanceof CallNotPermittedException rejected) {
        return fallback.apply(rejected);
      }
      granted = (Period) admission;
    }
    long start = startTime();
    T result;
    try {
      result = supplier.get();
    } catch (Throwable error) {
      return fallback.apply(rethrowError(onThrown(granted, start, error)));
    }
    return returned(granted, start, result, fallback);
  }

  /**
   * Calls the callable if the breaker permits it, and records the outcome.
   *
   * @param callable the call to protect
   * @param <T> the type of the result
   * @return what the callable returned
   * @throws CallNotPermittedException if the breaker rejected the call
   * @throws NullPointerException if {@code callable} is null
   * @throws Exception whatever the callable threw (also any {@link Error})
   */
  public <T> T call(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    Period granted = admitOrThrow();
    long start = startTime();
    T result;
    try {
      result = callable.call();
    } catch (Throwable error) {
      throw sneakyThrow(onThrown(granted, start, error));
    }
    return returned(granted, start, result);
  }

  /**
   * Calls the callable if the breaker permits it and records the outcome; answers from the
   * fallback if the call is rejected or throws an exception.
   *
   * @param callable the call to protect
   * @param fallback called with the {@link CallNotPermittedException} or the exception the
   *     callable threw (never an {@link Error}, which is rethrown)
   * @param <T> the type of the result
   * @return what the callable or the fallback returned
   * @throws NullPointerException if an argument is null
   * @throws Error if the callable threw one
   * @throws RuntimeException whatever the fallback threw
   */
  public <T> T call(
      Callable<? extends T> callable, Function<? super Throwable, ? extends T> fallback) {
    Objects.requireNonNull(callable, "callable");
    Objects.requireNonNull(fallback, "fallback");
    Period granted = current();
    if (granted.state != State.CLOSED) {
      Admission admission = admitSlow(granted);
      if (admission instanceof CallNotPermittedException rejected) {
        return fallback.apply(rejected);
      }
      granted = (Period) admission;
    }
    long start = startTime();
    T result;
    try {
      result = callable.call();
    } catch (Throwable error) {
      return fallback.apply(rethrowError(onThrown(granted, start, error)));
    }
    return returned(granted, start, result, fallback);
  }

  /**
   * Runs the action if the breaker permits it, and records the outcome. The
   * {@linkplain CircuitBreakerConfig.Builder#recordResult result predicate} is not consulted.
   *
   * @param runnable the action to protect
   * @throws CallNotPermittedException if the breaker rejected the call
   * @throws NullPointerException if {@code runnable} is null
   * @throws RuntimeException whatever the action threw (also any {@link Error})
   */
  public void run(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable");
    Period granted = admitOrThrow();
    long start = startTime();
    try {
      runnable.run();
    } catch (Throwable error) {
      throw sneakyThrow(onThrown(granted, start, error));
    }
    onReturned(granted, start, null, false); // no result to test: never fails
  }

  /**
   * Runs the action if the breaker permits it and records the outcome; hands the failure to
   * the fallback if the call is rejected or throws an exception.
   *
   * @param runnable the action to protect
   * @param fallback called with the {@link CallNotPermittedException} or the exception the
   *     action threw (never an {@link Error}, which is rethrown)
   * @throws NullPointerException if an argument is null
   * @throws Error if the action threw one
   * @throws RuntimeException whatever the fallback threw
   */
  public void run(Runnable runnable, Consumer<? super Throwable> fallback) {
    Objects.requireNonNull(runnable, "runnable");
    Objects.requireNonNull(fallback, "fallback");
    Period granted = current();
    if (granted.state != State.CLOSED) {
      Admission admission = admitSlow(granted);
      if (admission instanceof CallNotPermittedException rejected) {
        fallback.accept(rejected);
        return;
      }
      granted = (Period) admission;
    }
    long start = startTime();
    try {
      runnable.run();
    } catch (Throwable error) {
      fallback.accept(rethrowError(onThrown(granted, start, error)));
      return;
    }
    onReturned(granted, start, null, false); // no result to test: never fails
  }

  /**
   * Calls a supplier that throws a checked exception if the breaker permits it, and records
   * the outcome. The compiler infers {@code X} from the lambda:
   *
   * <pre>{@code
   * String body = breaker.getChecked(() -> Files.readString(path));   // throws IOException
   * }</pre>
   *
   * @param supplier the call to protect
   * @param <T> the type of the result
   * @param <X> the checked exception the supplier throws
   * @return what the supplier returned
   * @throws X if the supplier threw it
   * @throws CallNotPermittedException if the breaker rejected the call
   * @throws NullPointerException if {@code supplier} is null
   */
  public <T, X extends Throwable> T getChecked(CheckedSupplier<? extends T, X> supplier) throws X {
    Objects.requireNonNull(supplier, "supplier");
    Period granted = admitOrThrow();
    long start = startTime();
    T result;
    try {
      result = supplier.get();
    } catch (Throwable error) {
      throw sneakyThrow(onThrown(granted, start, error));
    }
    return returned(granted, start, result);
  }

  /**
   * Calls a supplier that throws a checked exception if the breaker permits it and records
   * the outcome; answers from the fallback if the call is rejected or throws.
   *
   * @param supplier the call to protect
   * @param fallback called with the {@link CallNotPermittedException} or what the supplier
   *     threw (never an {@link Error}, which is rethrown)
   * @param <T> the type of the result
   * @return what the supplier or the fallback returned
   * @throws NullPointerException if an argument is null
   * @throws Error if the supplier threw one
   * @throws RuntimeException whatever the fallback threw
   */
  public <T> T getChecked(
      CheckedSupplier<? extends T, ?> supplier, Function<? super Throwable, ? extends T> fallback) {
    Objects.requireNonNull(supplier, "supplier");
    Objects.requireNonNull(fallback, "fallback");
    Period granted = current();
    if (granted.state != State.CLOSED) {
      Admission admission = admitSlow(granted);
      if (admission instanceof CallNotPermittedException rejected) {
        return fallback.apply(rejected);
      }
      granted = (Period) admission;
    }
    long start = startTime();
    T result;
    try {
      result = supplier.get();
    } catch (Throwable error) {
      return fallback.apply(rethrowError(onThrown(granted, start, error)));
    }
    return returned(granted, start, result, fallback);
  }

  /**
   * Runs an action that throws a checked exception if the breaker permits it, and records
   * the outcome.
   *
   * @param runnable the action to protect
   * @param <X> the checked exception the action throws
   * @throws X if the action threw it
   * @throws CallNotPermittedException if the breaker rejected the call
   * @throws NullPointerException if {@code runnable} is null
   */
  public <X extends Throwable> void runChecked(CheckedRunnable<X> runnable) throws X {
    Objects.requireNonNull(runnable, "runnable");
    Period granted = admitOrThrow();
    long start = startTime();
    try {
      runnable.run();
    } catch (Throwable error) {
      throw sneakyThrow(onThrown(granted, start, error));
    }
    onReturned(granted, start, null, false); // no result to test: never fails
  }

  /**
   * Runs an action that throws a checked exception if the breaker permits it and records the
   * outcome; hands the failure to the fallback if the call is rejected or throws.
   *
   * @param runnable the action to protect
   * @param fallback called with the {@link CallNotPermittedException} or what the action
   *     threw (never an {@link Error}, which is rethrown)
   * @throws NullPointerException if an argument is null
   * @throws Error if the action threw one
   * @throws RuntimeException whatever the fallback threw
   */
  public void runChecked(CheckedRunnable<?> runnable, Consumer<? super Throwable> fallback) {
    Objects.requireNonNull(runnable, "runnable");
    Objects.requireNonNull(fallback, "fallback");
    Period granted = current();
    if (granted.state != State.CLOSED) {
      Admission admission = admitSlow(granted);
      if (admission instanceof CallNotPermittedException rejected) {
        fallback.accept(rejected);
        return;
      }
      granted = (Period) admission;
    }
    long start = startTime();
    try {
      runnable.run();
    } catch (Throwable error) {
      fallback.accept(rethrowError(onThrown(granted, start, error)));
      return;
    }
    onReturned(granted, start, null, false); // no result to test: never fails
  }

  /**
   * Starts an asynchronous call if the breaker permits it, and records its outcome when the
   * stage completes. A rejection does not throw: it returns a stage failed with
   * {@link CallNotPermittedException}. An exception thrown by the supplier itself is
   * recorded and returned as a failed stage, like one the stage completes with.
   *
   * <p>The returned stage completes after the outcome is recorded, with the same value or
   * exception as the supplied stage. The call is timed from this method's call to the
   * stage's completion.
   *
   * <p><b>Cancellation.</b> Cancelling the returned stage ({@code toCompletableFuture()
   * .cancel(mayInterrupt)}) cancels the supplied stage too, if it is a {@link Future} (a
   * {@link CompletableFuture} is; whether that stops the work is up to it: a stage derived
   * with {@code thenApply} and the like does not cancel the one it came from). A call whose
   * stage ends cancelled ({@link CancellationException}, also wrapped in a
   * {@link CompletionException}), however that came about, has no outcome: nothing is
   * recorded, an {@link CircuitBreakerEvent.IgnoredError} is published, and a HALF_OPEN trial
   * permit is given back at once. A supplied stage that is not a {@code Future} cannot be
   * cancelled from outside: it keeps running, holds its permit (a trial permit until the max
   * wait in HALF_OPEN gives up on it) and its outcome is recorded when it completes; so does
   * a {@code Future} whose {@code cancel} throws {@link UnsupportedOperationException} (the
   * stage of {@link CompletableFuture#minimalCompletionStage()}).
   *
   * @param supplier starts the call and returns its stage
   * @param <T> the type of the result
   * @return a stage completing like the supplied one
   * @throws NullPointerException if {@code supplier} is null
   */
  public <T> CompletionStage<T> getAsync(
      Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    Period granted = current();
    if (granted.state != State.CLOSED) {
      Admission admission = admitSlow(granted);
      if (admission instanceof CallNotPermittedException rejected) {
        return CompletableFuture.failedFuture(rejected);
      }
      granted = (Period) admission;
    }
    return AsyncCall.start(this, granted, startTime(), supplier, null);
  }

  /**
   * Starts an asynchronous call if the breaker permits it and records its outcome; answers
   * from the fallback if the call is rejected or its stage fails. Cancellation works as for
   * {@link #getAsync(Supplier)}; once the returned stage is cancelled, the fallback is not
   * called.
   *
   * @param supplier starts the call and returns its stage
   * @param fallback called with the {@link CallNotPermittedException} or the exception the
   *     stage failed with ({@link CompletionException} unwrapped; never an {@link Error},
   *     which fails the returned stage), on the thread that completes the stage, or on the
   *     calling thread for a rejection
   * @param <T> the type of the result
   * @return a stage completing with the call's value or the fallback's
   * @throws NullPointerException if an argument is null
   */
  public <T> CompletionStage<T> getAsync(
      Supplier<? extends CompletionStage<? extends T>> supplier,
      Function<? super Throwable, ? extends T> fallback) {
    Objects.requireNonNull(supplier, "supplier");
    Objects.requireNonNull(fallback, "fallback");
    Period granted = current();
    if (granted.state != State.CLOSED) {
      Admission admission = admitSlow(granted);
      if (admission instanceof CallNotPermittedException rejected) {
        return AsyncCall.fallenBack(fallback, rejected);
      }
      granted = (Period) admission;
    }
    return AsyncCall.start(this, granted, startTime(), supplier, fallback);
  }

  // ---------------------------------------------------------------------------------------
  // Low-level API (the layout of a permit is in Permits)

  /**
   * What {@link #tryAcquirePermit()} returns when the call is rejected: {@code 0}, never a
   * valid permit.
   */
  public static final long NO_PERMIT = 0L;

  /**
   * Asks for permission to make a call, for callers that cannot wrap the call in a lambda.
   * A permitted call must be followed by exactly one of {@link #onSuccess(long)},
   * {@link #onError(long, Throwable)}, {@link #onResult(long, Object)} or
   * {@link #releasePermission()}.
   *
   * <pre>{@code
   * if (breaker.tryAcquirePermission()) {
   *   long start = System.nanoTime();
   *   try {
   *     Response response = client.send(request);
   *     breaker.onResult(System.nanoTime() - start, response);
   *   } catch (Throwable e) {
   *     breaker.onError(System.nanoTime() - start, e);
   *     throw e;
   *   }
   * } else {
   *   // rejected: fail fast or fall back
   * }
   * }</pre>
   *
   * <p>These permit-less methods record an outcome in the state the breaker is in when it is
   * reported, because they cannot tell which period let the call through: in HALF_OPEN, a
   * call let through while the breaker was still CLOSED that completes now is counted as a
   * trial call (as long as fewer outcomes than trial calls have been reported), and releasing
   * its permission makes a trial permit available again. Calls that can outlive a state
   * change (anything with a timeout) should use {@link #tryAcquirePermit()} and the
   * methods that take its permit, which count an outcome only in the period that let the
   * call through, like the wrapping methods do.
   *
   * @return {@code true} if the call may proceed; {@code false} if it is rejected (the
   *     rejection is counted and published)
   */
  public boolean tryAcquirePermission() {
    Period period = current();
    return period.state == State.CLOSED || admitSlow(period) instanceof Period;
  }

  /**
   * Like {@link #tryAcquirePermission()}, but throws instead of returning {@code false}.
   *
   * @throws CallNotPermittedException if the call is rejected
   */
  public void acquirePermission() {
    admitOrThrow();
  }

  /**
   * Asks for permission to make a call and returns a permit that ties the call's outcome to
   * the period that let it through: pass it to {@link #onSuccess(long, long)},
   * {@link #onError(long, long, Throwable)}, {@link #onResult(long, long, Object)} or
   * {@link #releasePermit(long)}, exactly one of them once. A trial call of a HALF_OPEN period
   * then counts only towards that period's decision, however late it completes, and a call
   * let through in another state never counts as a trial call; this is how the wrapping
   * methods ({@link #get(Supplier)} and the others) record outcomes.
   *
   * <pre>{@code
   * long permit = breaker.tryAcquirePermit();
   * if (permit != CircuitBreaker.NO_PERMIT) {
   *   long start = System.nanoTime();
   *   try {
   *     Response response = client.send(request);
   *     breaker.onResult(permit, System.nanoTime() - start, response);
   *   } catch (Throwable e) {
   *     breaker.onError(permit, System.nanoTime() - start, e);
   *     throw e;
   *   }
   * }
   * }</pre>
   *
   * <p>A permit is valid for this breaker only, and for one use. Every permit carries a tag of
   * the breaker that issued it, and another breaker refuses it. A trial permit (one issued in
   * HALF_OPEN) is checked exactly: its period remembers it until it is first used, and refuses
   * a second use, so that no period is decided by fewer calls than it permits. Once its period
   * has ended, a trial permit's outcome is not counted at all, and using it again is not
   * checked. A permit issued in any other state (a CLOSED period's, typically) is checked for
   * its breaker but not remembered one by one: it may be reported long after its period
   * ended, and remembering every such permit would cost a shared write and memory for every
   * call in flight; using it twice records two outcomes.
   *
   * @return a permit (a number with no other meaning, valid for this breaker only), or
   *     {@link #NO_PERMIT} if the call is rejected (the rejection is counted and published)
   */
  public long tryAcquirePermit() {
    Period period = current();
    if (period.state == State.CLOSED) {
      return permitBase;
    }
    if (!(admitSlow(period) instanceof Period granted)) {
      return NO_PERMIT;
    }
    return granted.state == State.HALF_OPEN ? trialPermit(granted) : permitBase;
  }

  /** The permit of a trial call the HALF_OPEN period has just let through: takes its lease. */
  private long trialPermit(Period period) {
    long lease = period.claimLease();
    if (lease == TrialLeases.NONE) { // only if releasePermission() gave back a held permit
      period.releasePermit();
      reject(State.HALF_OPEN);
      return NO_PERMIT;
    }
    return Permits.trial(permitBase, period.generation, lease);
  }

  /**
   * Gives back a permission that will not be used for a call (in HALF_OPEN a trial permit
   * becomes available again, if a trial call is outstanding); records nothing. See
   * {@link #tryAcquirePermission()} for why {@link #releasePermit(long)} is more precise.
   */
  public void releasePermission() {
    releaseTrial(Permits.UNKNOWN_TRIAL);
  }

  /**
   * Gives back a permit that will not be used for a call: a trial permit becomes available
   * again if the HALF_OPEN period that granted it is still current; records nothing.
   *
   * @param permit what {@link #tryAcquirePermit()} returned
   * @throws IllegalArgumentException if {@code permit} is not a permit
   * @throws IllegalStateException if {@code permit} was issued by another breaker, or is a
   *     trial permit of the current HALF_OPEN period that has been used already (see
   *     {@link #tryAcquirePermit()})
   */
  public void releasePermit(long permit) {
    releaseTrial(usePermit(permit));
  }

  /**
   * Records a successful call made after {@link #tryAcquirePermission()}.
   *
   * @param durationNanos how long the call took, in nanoseconds (used for slow-call
   *     detection; pass {@code 0} if it is off)
   * @throws IllegalArgumentException if {@code durationNanos} is negative
   */
  public void onSuccess(long durationNanos) {
    requireDuration(durationNanos);
    recordSuccess(Permits.UNKNOWN_TRIAL, durationNanos);
  }

  /**
   * Records a successful call made after {@link #tryAcquirePermit()}.
   *
   * @param permit what {@link #tryAcquirePermit()} returned for the call
   * @param durationNanos how long the call took, in nanoseconds (used for slow-call
   *     detection; pass {@code 0} if it is off)
   * @throws IllegalArgumentException if {@code permit} is not a permit, or
   *     {@code durationNanos} is negative (the permit is then not used up)
   * @throws IllegalStateException if {@code permit} was issued by another breaker, or is a
   *     trial permit of the current HALF_OPEN period that has been used already (see
   *     {@link #tryAcquirePermit()}); nothing is recorded
   */
  public void onSuccess(long permit, long durationNanos) {
    requireDuration(durationNanos);
    recordSuccess(usePermit(permit), durationNanos);
  }

  private void recordSuccess(long trial, long durationNanos) {
    int outcome = slowBit(durationNanos);
    record(trial, outcome, windowTime(), durationNanos, null, null);
  }

  /**
   * Records a call made after {@link #tryAcquirePermission()} that threw; the config
   * classifies the exception as a failure, a success, or ignored (ignored gives a HALF_OPEN
   * trial permit back).
   *
   * @param durationNanos how long the call took, in nanoseconds
   * @param error what the call threw
   * @throws NullPointerException if {@code error} is null
   * @throws IllegalArgumentException if {@code durationNanos} is negative
   * @throws RuntimeException whatever a classification predicate of the config threw (the
   *     call is then recorded as a failure, and {@code error} is added to it as suppressed)
   */
  public void onError(long durationNanos, Throwable error) {
    Objects.requireNonNull(error, "error");
    requireDuration(durationNanos);
    recordError(Permits.UNKNOWN_TRIAL, durationNanos, error);
  }

  /**
   * Records a call made after {@link #tryAcquirePermit()} that threw; the config classifies
   * the exception as a failure, a success, or ignored (ignored gives the trial permit back if
   * its HALF_OPEN period is still current).
   *
   * @param permit what {@link #tryAcquirePermit()} returned for the call
   * @param durationNanos how long the call took, in nanoseconds
   * @param error what the call threw
   * @throws NullPointerException if {@code error} is null
   * @throws IllegalArgumentException if {@code permit} is not a permit, or
   *     {@code durationNanos} is negative (the permit is then not used up)
   * @throws IllegalStateException if {@code permit} was issued by another breaker, or is a
   *     trial permit of the current HALF_OPEN period that has been used already (see
   *     {@link #tryAcquirePermit()}); nothing is recorded
   * @throws RuntimeException whatever a classification predicate of the config threw (the
   *     call is then recorded as a failure, and {@code error} is added to it as suppressed)
   */
  public void onError(long permit, long durationNanos, Throwable error) {
    Objects.requireNonNull(error, "error");
    requireDuration(durationNanos);
    recordError(usePermit(permit), durationNanos, error);
  }

  private void recordError(long trial, long durationNanos, Throwable error) {
    Throwable seen = recordThrown(trial, durationNanos, windowTime(), error);
    if (seen != error) {
      throw sneakyThrow(seen);
    }
  }

  /**
   * Records a call made after {@link #tryAcquirePermission()} that returned a value: a
   * failure if the value matches {@link CircuitBreakerConfig#recordResultPredicate()}, a
   * success otherwise.
   *
   * @param durationNanos how long the call took, in nanoseconds
   * @param result what the call returned
   * @throws IllegalArgumentException if {@code durationNanos} is negative
   * @throws RuntimeException whatever the result predicate threw (the call is then recorded
   *     as a failure)
   */
  public void onResult(long durationNanos, @Nullable Object result) {
    requireDuration(durationNanos);
    recordResult(Permits.UNKNOWN_TRIAL, durationNanos, result);
  }

  /**
   * Records a call made after {@link #tryAcquirePermit()} that returned a value: a failure if
   * the value matches {@link CircuitBreakerConfig#recordResultPredicate()}, a success
   * otherwise.
   *
   * @param permit what {@link #tryAcquirePermit()} returned for the call
   * @param durationNanos how long the call took, in nanoseconds
   * @param result what the call returned
   * @throws IllegalArgumentException if {@code permit} is not a permit, or
   *     {@code durationNanos} is negative (the permit is then not used up)
   * @throws IllegalStateException if {@code permit} was issued by another breaker, or is a
   *     trial permit of the current HALF_OPEN period that has been used already (see
   *     {@link #tryAcquirePermit()}); nothing is recorded
   * @throws RuntimeException whatever the result predicate threw (the call is then recorded
   *     as a failure)
   */
  public void onResult(long permit, long durationNanos, @Nullable Object result) {
    requireDuration(durationNanos);
    recordResult(usePermit(permit), durationNanos, result);
  }

  private void recordResult(long trial, long durationNanos, @Nullable Object result) {
    int outcome = slowBit(durationNanos);
    Throwable broken = recordReturned(trial, outcome, windowTime(), durationNanos, result, true);
    if (broken != null) {
      throw sneakyThrow(broken);
    }
  }

  private static void requireDuration(long durationNanos) {
    if (durationNanos < 0) {
      throw new IllegalArgumentException("durationNanos must not be negative, was "
          + durationNanos);
    }
  }

  /**
   * Takes a permit back for its one use (see {@link Permits#use}); returns the trial id to
   * record with (see {@link #record}).
   */
  private long usePermit(long permit) {
    if (permit == permitBase) {
      return Permits.NOT_A_TRIAL; // issued outside HALF_OPEN by this breaker: the common case
    }
    return Permits.use(permit, permitBase, current(), name);
  }

  // ---------------------------------------------------------------------------------------
  // Permission and recording

  private Period current() {
    return (Period) CURRENT.getAcquire(this);
  }

  private Period admitOrThrow() {
    Period period = current();
    if (period.state == State.CLOSED) {
      return period;
    }
    Admission admission = admitSlow(period);
    if (admission instanceof CallNotPermittedException rejected) {
      throw rejected;
    }
    return (Period) admission;
  }

  /**
   * Decides a permission outside CLOSED: returns the period that lets the call through, or
   * the rejection (counted and published) to throw or hand to the fallback.
   */
  private Admission admitSlow(Period period) {
    for (;;) {
      switch (period.state) {
        case CLOSED, METRICS_ONLY, DISABLED -> {
          return period;
        }
        case OPEN -> {
          if (period.callersCheckDeadline()) {
            long now = ticker.read();
            if (now - period.since >= period.waitNanos) {
              toHalfOpen(period, now);
              period = current();
              continue;
            }
          }
          return reject(State.OPEN);
        }
        case HALF_OPEN -> {
          if (period.waitNanos <= 0) {
            return period.tryTakePermit() ? period : reject(State.HALF_OPEN);
          }
          long now = ticker.read(); // a max wait: admissions note their time
          if (period.tryTakePermit(now)) {
            return period;
          }
          giveUpOnTrialsIfDue(period, now);
          return reject(State.HALF_OPEN);
        }
        default -> {
          return reject(State.FORCED_OPEN);
        }
      }
    }
  }

  private CallNotPermittedException reject(State rejectingState) {
    notPermitted.increment();
    if (eventListeners.hasListeners()) {
      events.rejected(rejectingState);
    }
    if (stackTraces) {
      return CallNotPermittedException.withStackTrace(name, rejectingState);
    }
    return switch (rejectingState) {
      case OPEN -> openRejection;
      case HALF_OPEN -> halfOpenRejection;
      default -> forcedOpenRejection;
    };
  }

  private long startTime() {
    return timesCalls ? ticker.read() : 0L;
  }

  /**
   * The time to record a low-level outcome or read the window at, when no call was timed:
   * needed by time windows only.
   */
  private long windowTime() {
    return timeBased ? ticker.read() : 0L;
  }

  /** The outcome bit of a call's duration: {@link OutcomeWindow#SLOW} or {@code 0}. */
  private int slowBit(long duration) {
    return duration >= slowCallNanos ? OutcomeWindow.SLOW : 0;
  }

  /**
   * Records a call that returned a result; returns the result, or throws what the result
   * predicate threw.
   */
  private <T> T returned(Period granted, long start, T result) {
    Throwable broken = onReturned(granted, start, result, true);
    if (broken != null) {
      throw sneakyThrow(broken);
    }
    return result;
  }

  /**
   * Records a call that returned a result; returns the result, or the fallback's answer to
   * what the result predicate threw (an {@link Error} is rethrown).
   */
  private <T> T returned(Period granted, long start, T result,
      Function<? super Throwable, ? extends T> fallback) {
    Throwable broken = onReturned(granted, start, result, true);
    if (broken != null) {
      return fallback.apply(rethrowError(broken));
    }
    return result;
  }

  /**
   * Records a call that returned (tests the result predicate only for calls that return a
   * result); returns null, or what the result predicate threw (the call is then recorded as
   * a failure) for the caller to throw or hand to the fallback.
   */
  @Nullable Throwable onReturned(
      Period granted, long start, @Nullable Object result, boolean hasResult) {
    long end = stampsOutcomes ? ticker.read() : 0L;
    long duration = timesCalls ? end - start : 0L;
    int outcome = slowBit(duration);
    return recordReturned(granted.trialId(), outcome, end, duration, result, hasResult);
  }

  private @Nullable Throwable recordReturned(long trial, int outcome, long now, long duration,
      @Nullable Object result, boolean hasResult) {
    Predicate<Object> predicate = resultPredicate;
    if (!hasResult || predicate == null) {
      record(trial, outcome, now, duration, null, null);
      return null;
    }
    boolean failed;
    Throwable broken = null;
    try {
      failed = predicate.test(result);
    } catch (Throwable predicateError) { // a broken predicate must not lose the permit
      failed = true;
      broken = predicateError;
    }
    if (failed) {
      outcome |= OutcomeWindow.FAILURE;
    }
    record(trial, outcome, now, duration, broken, failed && broken == null ? result : null);
    return broken;
  }

  /**
   * Records a call that threw; returns the throwable for the caller to rethrow or hand to the
   * fallback: the call's own, or what a classification predicate threw instead.
   */
  Throwable onThrown(Period granted, long start, Throwable error) {
    long end = stampsOutcomes ? ticker.read() : 0L;
    return recordThrown(granted.trialId(), timesCalls ? end - start : 0L, end, error);
  }

  private Throwable recordThrown(long trial, long duration, long now, Throwable error) {
    int kind;
    Throwable seen = error;
    try {
      kind = classifier.classify(error);
    } catch (Throwable classifierError) { // a broken predicate must not lose the permit
      kind = Classifier.FAILURE;
      seen = withSuppressed(classifierError, error);
    }
    if (kind == Classifier.IGNORED) {
      releaseTrial(trial);
      events.ignored(duration, error);
      return seen;
    }
    int outcome = slowBit(duration);
    if (kind == Classifier.FAILURE) {
      outcome |= OutcomeWindow.FAILURE;
    }
    record(trial, outcome, now, duration, seen, null);
    return seen;
  }

  private static Throwable withSuppressed(Throwable thrown, Throwable original) {
    if (thrown != original) {
      thrown.addSuppressed(original);
    }
    return thrown;
  }

  /**
   * Gives back the trial permit of a call that will have no outcome, if the call is a trial of
   * the current HALF_OPEN period (see {@link #isTrialOf}).
   */
  private void releaseTrial(long trial) {
    Period period = current();
    if (period.state == State.HALF_OPEN && isTrialOf(trial, period)) {
      period.releasePermit();
    }
  }

  /**
   * Whether an outcome with this trial id counts as a trial of the current HALF_OPEN period:
   * it must come from a permit that period granted, or, for the permit-less API, there must be
   * a trial call of that period still without an outcome.
   */
  private static boolean isTrialOf(long trial, Period period) {
    return trial == period.generation
        || (trial == Permits.UNKNOWN_TRIAL && period.outstandingTrials() > 0);
  }

  /**
   * Records an outcome. {@code trial} says where the call was let through: {@code 0} outside
   * HALF_OPEN (it counts in a CLOSED or METRICS_ONLY window, never as a trial), the
   * generation of the HALF_OPEN period that let it through (it counts only as a trial of that
   * period, if it is still current), or {@link Permits#UNKNOWN_TRIAL}.
   */
  private void record(long trial, int outcome, long now, long duration,
      @Nullable Throwable error, @Nullable Object result) {
    Period period = current();
    State s = period.state;
    if (s == State.CLOSED || s == State.METRICS_ONLY) {
      OutcomeWindow window = period.window;
      if (trial <= 0L && window != null && (window.record(outcome, now)
          || (s == State.METRICS_ONLY && period.isExceeded()))) {
        judge(period, window, now); // METRICS_ONLY: also notice the rate dropping back
      }
    } else if (s == State.HALF_OPEN && isTrialOf(trial, period)) {
      recordTrial(period, outcome);
    }
    if (eventListeners.hasListeners()) {
      events.outcome(outcome, duration, error, result);
    }
  }

  /** Compares a window with the thresholds, and opens the breaker (or publishes) if due. */
  private void judge(Period period, OutcomeWindow window, long now) {
    Counts counts = window.snapshot(now, true);
    Reason exceeded = thresholds.exceeded(counts);
    if (period.state == State.METRICS_ONLY) {
      if (period.markExceeded(exceeded != null) && exceeded != null) {
        events.threshold(exceeded);
      }
      return;
    }
    if (exceeded != null && current() == period) {
      open(period, 1, counts, exceeded);
    }
  }

  private void recordTrial(Period period, int outcome) {
    long totals = period.addTrial(outcome);
    long calls = Period.trialCalls(totals);
    if (consecutiveMode) {
      if ((outcome & OutcomeWindow.FAILURE) != 0) {
        open(period, period.attempt + 1, Period.unpack(totals), Reason.TRIAL_FAILED);
      } else if (calls == period.permitted && Period.unpack(totals).failures() == 0) {
        close(period, Reason.trialsSucceeded(calls));
      }
      return;
    }
    if (calls != period.permitted) {
      return;
    }
    Counts counts = Period.unpack(totals);
    Reason failed = thresholds.trialsFailed(counts);
    if (failed != null) {
      open(period, period.attempt + 1, counts, failed);
    } else {
      close(period, thresholds.trialsPassed(counts));
    }
  }

  // ---------------------------------------------------------------------------------------
  // Transitions

  private boolean open(Period from, int attempt, Counts counts, Reason reason) {
    long wait = waitNanos(attempt);
    long now = ticker.read();
    return transition(from, Period.open(attempt, wait, counts, !usesTimers, reason, now));
  }

  private boolean close(Period from, Reason reason) {
    long now = ticker.read();
    return transition(from,
        Period.closed(OutcomeWindow.create(config, now), reason, now));
  }

  private boolean toHalfOpen(Period from, long now) {
    return toHalfOpen(from, Reason.waitElapsed(from.waitNanos), now);
  }

  private boolean toHalfOpen(Period from, Reason reason, long now) {
    return transition(from, Period.halfOpen(Math.max(1, from.attempt),
        config.permittedNumberOfCallsInHalfOpenState(), config.maxWaitInHalfOpenNanos(),
        !usesTimers, reason, now));
  }

  /**
   * Opens again if a trial call is outstanding and the max wait has passed since the last
   * trial call was let through (so a trial is never given up sooner than that after it
   * started, however long the period waited for its first call).
   */
  private void giveUpOnTrialsIfDue(Period period, long now) {
    long outstanding = period.outstandingTrials(); // before lastAdmission(): see Period
    if (outstanding > 0 && now - period.lastAdmission() >= period.waitNanos) {
      open(period, period.attempt + 1, period.trialCounts(),
          Reason.trialsTimedOut(outstanding, period.waitNanos));
    }
  }

  /**
   * The wait in OPEN for this attempt. A broken IntervalFunction (one that throws, or returns
   * null or a negative duration) must not keep the breaker from opening: it is reported to
   * the listener error handler, and the breaker waits as long as the function last told it
   * to (or the default 60 s if it never returned a valid wait).
   */
  private long waitNanos(int attempt) {
    IntervalFunction function = config.waitIntervalFunctionInOpenState();
    Throwable problem;
    try {
      Duration wait = function.waitFor(attempt);
      if (wait != null && !wait.isNegative()) {
        long nanos = DurationFormat.saturatedNanos(wait);
        LAST_GOOD_WAIT.setOpaque(this, nanos);
        return nanos;
      }
      problem = new IllegalStateException("IntervalFunction " + function + " returned " + wait
          + " for attempt " + attempt + "; it must return a non-negative duration");
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable thrown) {
      problem = thrown;
    }
    long fallback = (long) LAST_GOOD_WAIT.getOpaque(this);
    reportCallbackFailure(function, "waitFor(" + attempt + "): waiting "
        + DurationFormat.format(fallback) + " in OPEN instead", problem);
    return fallback;
  }

  /**
   * Hands the failure of a user callback that is not a listener (the IntervalFunction) to the
   * listener error handler, which by default logs it; like a listener's, it never reaches the
   * caller. The handler is guarded (see {@link Slf4jLogging#guarded}): only a logger that
   * throws gets here.
   */
  private void reportCallbackFailure(Object callback, String what, Throwable error) {
    try {
      listenerErrorHandler.onListenerError(name, callback, what, error);
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable handlerError) {
      Slf4jLogging.LOGGER.warn(
          ListenerFailures.handlerFailure(listenerErrorHandler, name, callback, what),
          withSuppressed(handlerError, error));
    }
  }

  // Nobody waits on the timer: onTimer catches and reports what listeners throw, and a timer
  // that never runs only leaves callers to notice the deadline themselves (see below).
  @SuppressWarnings("FutureReturnValueIgnored")
  private void schedule(Period period, long delayNanos) {
    Runnable task = () -> onTimer(period);
    try {
      if (scheduler != null) {
        scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      } else {
        CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS).execute(task);
      }
    } catch (RejectedExecutionException e) {
      period.letCallersCheckDeadline(); // no timer: callers notice the deadline themselves
    }
  }

  private void onTimer(Period period) {
    if (current() != period) {
      return;
    }
    long now = ticker.read();
    if (period.state == State.OPEN) {
      long remaining = period.waitNanos - (now - period.since);
      if (remaining > 0) {
        schedule(period, remaining);
      } else {
        toHalfOpen(period, now);
      }
    } else if (period.state == State.HALF_OPEN) {
      // due once a trial is outstanding and the max wait has passed since the last admission
      boolean outstanding = period.outstandingTrials() > 0;
      long remaining = period.waitNanos - (now - period.lastAdmission());
      if (outstanding && remaining <= 0) {
        giveUpOnTrialsIfDue(period, now);
      } else {
        schedule(period, outstanding ? remaining : period.waitNanos); // look again later
      }
    }
  }

  /** Completes any transition whose deadline has passed, for readers of the state. */
  private Period settle() {
    Period period = current();
    if (period.state == State.OPEN) {
      long now = ticker.read();
      if (now - period.since >= period.waitNanos) {
        toHalfOpen(period, now);
        period = current();
      }
    } else if (period.state == State.HALF_OPEN && period.waitNanos > 0) {
      giveUpOnTrialsIfDue(period, ticker.read());
      period = current();
    }
    return period;
  }

  private boolean transition(Period from, Period to) {
    to.previous = from;
    to.generation = from.generation + 1;
    if (CURRENT.compareAndExchange(this, from, to) != from) {
      return false;
    }
    if (usesTimers && (to.state == State.OPEN
        || (to.state == State.HALF_OPEN && to.waitNanos > 0))) {
      schedule(to, to.waitNanos);
    }
    publication.deliver();
    return true;
  }

  private boolean manual(State target) {
    for (;;) {
      Period from = current();
      if (from.state == target) {
        return false;
      }
      boolean done = switch (target) {
        case CLOSED -> close(from, Reason.MANUAL);
        case OPEN -> open(from, from.state == State.HALF_OPEN ? from.attempt + 1 : 1,
            Counts.EMPTY, Reason.MANUAL);
        case HALF_OPEN -> toHalfOpen(from, Reason.MANUAL, ticker.read());
        case METRICS_ONLY -> {
          long now = ticker.read();
          yield transition(from,
              Period.metricsOnly(OutcomeWindow.create(config, now), Reason.MANUAL, now));
        }
        default -> transition(from, Period.manual(target, Reason.MANUAL, ticker.read()));
      };
      if (done) {
        return true;
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Publication

  /**
   * The installed transitions not yet published: the chain of periods from the current one back
   * to the last published one. Delivered by {@link #publication}, one thread at a time.
   */
  private final class Transitions implements SerialDelivery.Backlog {

    /**
     * The last period whose transition has been published. Written by the deliverer only;
     * volatile because {@link #hasPending()} reads it on any thread.
     */
    private volatile Period published;

    Transitions(Period initial) {
      this.published = initial;
    }

    @Override
    public boolean hasPending() {
      return CURRENT.getVolatile(CircuitBreaker.this) != published;
    }

    @Override
    public void deliverPending() {
      Period from = published;
      Period last = (Period) CURRENT.getVolatile(CircuitBreaker.this);
      if (last == from) {
        return;
      }
      int n = 0;
      for (Period period = last; period != from; period = before(period)) {
        n++;
      }
      Period[] chain = new Period[n];
      for (Period period = last; period != from; period = before(period)) {
        chain[--n] = period;
      }
      for (Period period : chain) {
        Period previous = published;
        published = period;
        period.previous = null;
        events.transition(previous, period);
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // State, metrics, manual transitions

  /**
   * Returns the breaker's name.
   *
   * @return the name given at creation
   */
  @Override
  public String name() {
    return name;
  }

  /**
   * Returns the breaker's config.
   *
   * @return the immutable config
   */
  public CircuitBreakerConfig config() {
    return config;
  }

  /**
   * Returns the current state. If the wait in OPEN is over (or a trial call has been
   * outstanding past the max wait in HALF_OPEN), the due transition is made first, so a
   * breaker without traffic still reports HALF_OPEN when it would let a trial call through.
   *
   * @return the state
   */
  public State state() {
    return settle().state;
  }

  /**
   * Returns the health the current state maps to (see {@link State#health()}).
   *
   * @return UP, DEGRADED or DOWN
   */
  @Override
  public Health health() {
    return state().health();
  }

  /**
   * Returns a snapshot of the state and the window (see {@link CircuitBreakerMetrics} for
   * what is counted in each state).
   *
   * @return the metrics, computed now
   */
  public CircuitBreakerMetrics metrics() {
    Period period = settle();
    Counts counts;
    long minimum;
    switch (period.state) {
      case CLOSED, METRICS_ONLY -> {
        OutcomeWindow window = Objects.requireNonNull(period.window);
        counts = window.snapshot(windowTime(), false);
        minimum = config.minimumNumberOfCalls();
      }
      case OPEN -> {
        counts = period.tripCounts;
        // attempt 1: opened from CLOSED on a window; later attempts: on HALF_OPEN trials
        minimum = period.attempt > 1
            ? config.permittedNumberOfCallsInHalfOpenState()
            : config.minimumNumberOfCalls();
      }
      case HALF_OPEN -> {
        counts = period.trialCounts();
        minimum = period.permitted;
      }
      default -> {
        counts = Counts.EMPTY;
        minimum = 1;
      }
    }
    boolean rated = !consecutiveMode && counts.calls() >= minimum && counts.calls() > 0;
    double failureRate = rated ? Thresholds.rate(counts.failures(), counts.calls()) : -1.0;
    double slowRate =
        rated && timesCalls ? Thresholds.rate(counts.slow(), counts.calls()) : -1.0;
    return new CircuitBreakerMetrics(period.state, failureRate, slowRate, counts.calls(),
        counts.failures(), counts.slow(), notPermitted.sum());
  }

  /**
   * Opens the breaker now; it then behaves as if it had opened by itself (trial calls after
   * the wait).
   *
   * @return {@code true} if the state changed; {@code false} if it was already OPEN
   */
  public boolean transitionToOpen() {
    return manual(State.OPEN);
  }

  /**
   * Closes the breaker now, with an empty window.
   *
   * @return {@code true} if the state changed; {@code false} if it was already CLOSED (use
   *     {@link #reset()} to empty the window anyway)
   */
  public boolean transitionToClosed() {
    return manual(State.CLOSED);
  }

  /**
   * Moves the breaker to HALF_OPEN now, with a fresh set of trial permits.
   *
   * @return {@code true} if the state changed; {@code false} if it was already HALF_OPEN
   */
  public boolean transitionToHalfOpen() {
    return manual(State.HALF_OPEN);
  }

  /**
   * Disables the breaker: every call is permitted and nothing is recorded, until another
   * manual transition.
   *
   * @return {@code true} if the state changed; {@code false} if it was already DISABLED
   */
  public boolean transitionToDisabled() {
    return manual(State.DISABLED);
  }

  /**
   * Forces the breaker open: every call is rejected, until another manual transition.
   *
   * @return {@code true} if the state changed; {@code false} if it was already FORCED_OPEN
   */
  public boolean transitionToForcedOpen() {
    return manual(State.FORCED_OPEN);
  }

  /**
   * Puts the breaker in METRICS_ONLY: every call is permitted and recorded in a fresh
   * window, and threshold events are published, but it never opens.
   *
   * @return {@code true} if the state changed; {@code false} if it was already METRICS_ONLY
   */
  public boolean transitionToMetricsOnly() {
    return manual(State.METRICS_ONLY);
  }

  /**
   * Returns the breaker to its initial state: CLOSED with an empty window, the back-off
   * attempt count and the not-permitted count at zero. Publishes a transition (from CLOSED
   * to CLOSED if it was closed) with reason {@code "reset"}.
   */
  public void reset() {
    for (;;) {
      if (close(current(), Reason.RESET)) {
        notPermitted.reset();
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Listeners

  /**
   * Registers a listener for every event: call outcomes, rejections, threshold crossings and
   * transitions. While one is registered, each call allocates its event.
   *
   * @param listener called synchronously with each event
   * @return the subscription that unregisters it
   * @throws NullPointerException if {@code listener} is null
   */
  public Subscription onEvent(EventListener<? super CircuitBreakerEvent> listener) {
    return events.onEvent(listener);
  }

  /**
   * Registers a listener for state transitions only; the call path stays free of allocation.
   *
   * @param listener called with each transition, in order, exactly once
   * @return the subscription that unregisters it
   * @throws NullPointerException if {@code listener} is null
   */
  public Subscription onStateTransition(
      EventListener<? super CircuitBreakerEvent.StateTransition> listener) {
    return events.onStateTransition(listener);
  }

  /**
   * Registers a listener for changes of {@link #health()}: published with the transitions
   * that change it, in order.
   *
   * @param listener called with each change
   * @return the subscription that unregisters it
   * @throws NullPointerException if {@code listener} is null
   */
  @Override
  public Subscription onHealthChange(EventListener<? super HealthChange> listener) {
    return events.onHealthChange(listener);
  }

  @Override
  public String toString() {
    return "CircuitBreaker[" + name + ", " + current().state + "]";
  }

  private static Throwable rethrowError(Throwable error) {
    if (error instanceof Error fatal) {
      throw fatal;
    }
    return error;
  }

  @SuppressWarnings("unchecked")
  private static <X extends Throwable> RuntimeException sneakyThrow(Throwable error) throws X {
    throw (X) error;
  }

  /**
   * Builds a {@link CircuitBreaker}. Not thread-safe; reusable: each {@link #build()} creates
   * an independent breaker.
   */
  public static final class Builder {
    private final String name;
    private CircuitBreakerConfig config = CircuitBreakerConfig.ofDefaults();
    private Ticker ticker = Ticker.system();
    private @Nullable IncidentJournal journal;
    private @Nullable ScheduledExecutorService scheduler;
    private ListenerErrorHandler listenerErrorHandler = Slf4jLogging.DEFAULT_HANDLER;

    private Builder(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
      }
      this.name = name;
    }

    /**
     * Sets the config.
     *
     * @param config the config; by default {@link CircuitBreakerConfig#ofDefaults()}
     * @return this builder
     * @throws NullPointerException if {@code config} is null
     */
    public Builder config(CircuitBreakerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Sets the time source for waits, time windows and slow-call detection.
     *
     * @param ticker the ticker; by default {@link Ticker#system()}; a
     *     {@link dev.breakglass.core.ManualTicker} in tests
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Sets a journal that records every state transition, stamped with the moment of the
     * transition by this breaker's ticker (see {@link IncidentJournal#recordAt}).
     *
     * @param journal the journal
     * @return this builder
     * @throws NullPointerException if {@code journal} is null
     */
    public Builder journal(IncidentJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * Sets the scheduler for automatic transitions
     * ({@link CircuitBreakerConfig#automaticTransitionToHalfOpen()}): one one-shot task per
     * OPEN or HALF_OPEN period. By default the JDK's shared delayer
     * ({@link CompletableFuture#delayedExecutor}) runs the task in the common pool. If the
     * scheduler rejects a task, callers notice the deadline themselves instead.
     *
     * @param scheduler the scheduler; the breaker never shuts it down
     * @return this builder
     * @throws NullPointerException if {@code scheduler} is null
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Sets what happens when a listener throws, or when the config's {@link IntervalFunction}
     * fails (it is then given the function as the listener, and a description of the
     * attempt and the wait used instead as the event).
     *
     * <p>By default each failure is logged at WARN, with its stack trace, on the SLF4J logger
     * {@code dev.breakglass.circuitbreaker}: the message names the breaker, the listener (see
     * {@link ListenerErrorHandler}) and the event. If the handler given here throws, that is
     * logged there too.
     *
     * @param handler the handler; by default, logging through SLF4J
     * @return this builder
     * @throws NullPointerException if {@code handler} is null
     */
    public Builder listenerErrorHandler(ListenerErrorHandler handler) {
      this.listenerErrorHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Creates the breaker, CLOSED.
     *
     * @return a new breaker
     */
    public CircuitBreaker build() {
      return new CircuitBreaker(this);
    }
  }

  /** The period before one not yet published: the chain reaches the published one first. */
  private static Period before(Period period) {
    return Objects.requireNonNull(period.previous, "the chain ended before the published period");
  }

}
