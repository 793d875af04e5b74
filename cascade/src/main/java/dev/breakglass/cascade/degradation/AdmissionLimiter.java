package dev.breakglass.cascade.degradation;

import dev.breakglass.core.EventListener;
import dev.breakglass.core.Health;
import dev.breakglass.core.HealthChange;
import dev.breakglass.core.HealthSource;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ListenerErrorHandler;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Listeners;
import dev.breakglass.core.Subscription;
import dev.breakglass.core.Ticker;
import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.DurationFormat;
import dev.breakglass.core.internal.ListenerFailures;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tier-aware concurrency limiter: it admits a call only while fewer calls are in flight than
 * the call's tier may fill, with the limit found by a {@link LimitAlgorithm} and, when bound to
 * a {@link CascadeManager}, scaled by the manager's capacity factor and closed outright to the
 * tiers the current severity sheds.
 *
 * <pre>{@code
 * AdmissionLimiter limiter = AdmissionLimiter.builder("front-door")
 *     .algorithm(() -> GradientLimit.builder().build())
 *     .manager(manager)              // optional: MAJOR sheds tiers and holds capacity at 60 %
 *     .build();
 *
 * Response r = limiter.get(Tier.STANDARD, () -> handle(request), e -> busy());
 *
 * // or without a lambda
 * long permit = limiter.tryAcquire(Tier.CRITICAL);
 * if (permit > 0) {
 *   try {
 *     handle(request);
 *     limiter.onSuccess(permit);
 *   } catch (TimeoutException e) {
 *     limiter.onDropped(permit);
 *   } catch (RuntimeException e) {
 *     limiter.release(permit);
 *   }
 * } else {
 *   reject(AdmissionLimiter.reason(permit));
 * }
 * }</pre>
 *
 * <p><b>The rule.</b> With {@code limit} the algorithm's limit and {@code factor} the bound
 * manager's {@link CascadeManager#capacityFactor()} (1 when unbound), the effective limit is
 * {@code effective = factor >= 1 ? limit : max(1, floor(limit * factor))}. A call of tier
 * {@code t} is admitted iff the manager admits {@code t} and the calls in flight are fewer than
 * the tier's cap, {@code cap(t) = max(1, floor(effective * share(t)))}, with the default shares:
 *
 * <table class="striped">
 *   <caption>Default tier shares of the effective limit</caption>
 *   <thead><tr><th>tier</th><th>share</th><th>refused for capacity when in flight reaches</th>
 *   </tr></thead>
 *   <tbody>
 *   <tr><td>CRITICAL</td><td>1.0</td><td>the effective limit</td></tr>
 *   <tr><td>ESSENTIAL</td><td>0.9</td><td>90 % of it</td></tr>
 *   <tr><td>STANDARD</td><td>0.8</td><td>80 % of it</td></tr>
 *   <tr><td>ENHANCED</td><td>0.7</td><td>70 % of it</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>In flight counts every tier: when the limiter is quiet, any tier may fill its share with
 * work of its own (that is the borrowing: there are no per-tier quotas, only a headroom each
 * less important tier leaves free), and as in-flight work rises the least important tier is
 * refused first. Under sustained overload the headroom alone would let less important work
 * take every place CRITICAL work frees, so a refusal for capacity also <em>sheds</em> the tiers
 * below: once tier {@code t} is refused {@code OVER_LIMIT}, every less important tier is refused
 * {@code OVER_LIMIT} outright until a sample window closes in which no tier still admitted was
 * refused for capacity; each such window restores one tier, the most important shed one first.
 * Because the shares are monotone and shedding works from the least important tier up, a tier
 * is never refused for capacity while a less important tier would be admitted at the same
 * instant, and CRITICAL work is the last to be refused. In flight never exceeds the effective limit through an admission; when the
 * limit or the factor falls, calls already in flight finish and nothing new is admitted until
 * in flight is below the new cap.
 *
 * <p><b>Outcomes.</b> Every admitted call must end with exactly one of
 * {@link #onSuccess(long)} (a latency sample), {@link #onDropped(long)} (a timeout or an
 * overload signal: the algorithms back off) or {@link #release(long)} (no sample: the call
 * failed for a reason that says nothing about load). The wrapping forms map a normal return to
 * {@code onSuccess}, a {@link TimeoutException} (also as the cause of a
 * {@link CompletionException}) to {@code onDropped}, and any other exception to
 * {@code release}.
 *
 * <p><b>Health.</b> The limiter is a {@link HealthSource} under its name: it turns
 * {@link Health#DEGRADED} when calls have been refused {@code OVER_LIMIT} for at least the
 * {@linkplain Builder#saturationGrace(Duration) saturation grace} (default 2 s) without a pause
 * of that long between refusals, and {@link Health#UP} again once no call has been refused
 * {@code OVER_LIMIT} for the grace. Register it with the
 * manager ({@code manager.watch(limiter)}, with a component of the same name) to escalate on
 * sustained saturation. Health is evaluated when a window closes.
 *
 * <p><b>Journal.</b> With a journal, the limiter records health changes and limit changes of at
 * least 20 % since the last recorded limit, at most one entry per 5 s; changes it skipped are
 * counted in the next entry. It never records per call.
 *
 * <p>Thread-safety: thread-safe and lock-free. {@link #tryAcquire(Tier)} and the outcome methods
 * neither lock nor allocate.
 */
public final class AdmissionLimiter implements HealthSource {

  /*
   * Design.
   *
   * Admission is one acquire read of the manager's Mode (if bound), one read of the limit and a
   * compare-and-set loop on the in-flight count against the tier's cap: the CAS is the only
   * shared write, and it fails only when another admission or release raced it. Rejections
   * only increment a LongAdder (per tier and reason) and return a negative constant.
   *
   * Permits. A permit ties an outcome to one admission, so that a permit used twice or given
   * to the wrong limiter is refused instead of corrupting the in-flight count. Each admission
   * claims a slot of a table sized to the algorithm's maximum limit (in flight never exceeds
   * it, so a free slot always exists once the in-flight count is reserved). A slot holds a
   * counter, even when free and odd when taken; the permit carries the slot index and the low
   * bits of the counter it was taken at, and release CASes that exact value forward. A second
   * release finds a different value and throws; nothing changes. The search starts at a hash
   * of the thread id, so threads rarely meet on a slot. Layout of a permit (bit 63 clear, so
   * positive; rejections are the negative constants NOT_ADMITTED and OVER_LIMIT):
   *   62       PERMIT_TAG
   *   42..61   the limiter's tag (consecutive per limiter, 20 bits), as the breaker's permits
   *   40..41   the tier
   *   16..39   the low 24 bits of the slot's counter when taken
   *   0..15    the slot
   * The start time sits in a parallel array indexed by slot, written only by the slot's owner,
   * and is read only when the algorithm measures latency (a FixedLimit never reads the ticker).
   *
   * Shedding for capacity. A refusal for capacity lowers shedFrom (the first tier refused
 * outright) with a CAS loop that only ever lowers it, on the refusal path only; the thread
 * that closes a window raises it by one if no tier below it was refused during the window
 * (per-tier refusal sums compared with those at the previous close). This is the Google SRE
 * rule (refuse all less critical work before any more critical work) made to hold over time,
 * not only at one instant.
 *
 * Windows. Outcomes with a sample add to lock-free accumulators (count, drops, latency sum,
   * minimum latency, peak in flight). The thread whose sample brings the count to the window
   * size and wins a try-lock flag (a CAS, never waited on: a loser returns, and the next sample
   * retries) drains the accumulators, calls the algorithm, publishes the limit with a release
   * write, and evaluates health and the journal. A sample racing the drain lands in one window
   * or the next. This is concurrency-limits' WindowedLimit run without a lock.
   *
   * References: Netflix concurrency-limits 0.5.x (AIMDLimit, Gradient2Limit, VegasLimit,
   * WindowedLimit, AbstractPartitionedLimiter); Envoy's adaptive concurrency filter; Google SRE
   * book, "Handling Overload" (criticality: lower criticalities are refused at lower
   * utilization).
   */

  /** The largest limit an algorithm may have: the permit's slot field is 16 bits. */
  public static final int MAX_LIMIT = 1 << 16;

  /** What {@link #tryAcquire(Tier)} returns when the manager sheds the call's tier. */
  public static final long NOT_ADMITTED = -1L;

  /** What {@link #tryAcquire(Tier)} returns when the tier's share of the limit is full. */
  public static final long OVER_LIMIT = -2L;

  private static final Logger LOGGER = LoggerFactory.getLogger("dev.breakglass.cascade");
  private static final ListenerErrorHandler LOGGING_HANDLER = ListenerFailures.logging(
      "ListenerErrorHandler[SLF4J logger dev.breakglass.cascade]", LOGGER::warn);
  private static final long JOURNAL_INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();
  private static final double JOURNAL_CHANGE = 0.2;
  private static final double[] DEFAULT_SHARES = {1.0, 0.9, 0.8, 0.7};
  private static final Tier[] TIERS = Tier.values();

  private static final long PERMIT_TAG = 1L << 62;
  private static final int TAG_SHIFT = 42;
  private static final long TAG_MASK = (1L << 20) - 1;
  private static final int TIER_SHIFT = 40;
  private static final int COUNTER_SHIFT = 16;
  private static final long COUNTER_MASK = (1L << 24) - 1;
  private static final long SLOT_MASK = (1L << 16) - 1;
  private static final long PAYLOAD = (1L << TAG_SHIFT) - 1;
  private static final AtomicInteger TAGS = new AtomicInteger();

  private static final VarHandle IN_FLIGHT;
  private static final VarHandle LIMIT;
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle W_COUNT;
  private static final VarHandle W_SAMPLES;
  private static final VarHandle W_DROPS;
  private static final VarHandle W_RTT_SUM;
  private static final VarHandle W_MIN_RTT;
  private static final VarHandle W_MAX_IN_FLIGHT;
  private static final VarHandle CLOSING;
  private static final VarHandle HEALTH;
  private static final VarHandle SHED_FROM;
  private static final VarHandle LIMIT_CHANGES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      IN_FLIGHT = lookup.findVarHandle(AdmissionLimiter.class, "inFlight", int.class);
      LIMIT = lookup.findVarHandle(AdmissionLimiter.class, "limit", int.class);
      W_COUNT = lookup.findVarHandle(AdmissionLimiter.class, "windowCount", int.class);
      W_SAMPLES = lookup.findVarHandle(AdmissionLimiter.class, "windowSamples", int.class);
      W_DROPS = lookup.findVarHandle(AdmissionLimiter.class, "windowDrops", int.class);
      W_RTT_SUM = lookup.findVarHandle(AdmissionLimiter.class, "windowRttSum", long.class);
      W_MIN_RTT = lookup.findVarHandle(AdmissionLimiter.class, "windowMinRtt", long.class);
      W_MAX_IN_FLIGHT =
          lookup.findVarHandle(AdmissionLimiter.class, "windowMaxInFlight", int.class);
      CLOSING = lookup.findVarHandle(AdmissionLimiter.class, "closing", int.class);
      HEALTH = lookup.findVarHandle(AdmissionLimiter.class, "health", Health.class);
      SHED_FROM = lookup.findVarHandle(AdmissionLimiter.class, "shedFrom", int.class);
      LIMIT_CHANGES = lookup.findVarHandle(AdmissionLimiter.class, "limitChanges", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final LimitAlgorithm algorithm;
  private final int maxLimit;
  private final @Nullable CascadeManager manager;
  private final Ticker ticker;
  private final boolean timed;
  private final @Nullable IncidentJournal journal;
  private final double[] shares;
  private final int windowSize;
  private final long saturationGraceNanos;
  private final long permitBase;
  private final long[] slots;
  private final long[] starts;
  private final int slotMask;
  private final LongAdder[] rejections;
  private final AdmissionRejectedException[] overLimitExceptions;
  private final AdmissionRejectedException[] notAdmittedExceptions;
  private final Listeners<LimitChange> limitListeners;
  private final Listeners<HealthChange> healthListeners;
  private final SampleWindow window = new SampleWindow();

  // Hot, contended: admissions and releases.
  @SuppressWarnings("unused") // accessed through IN_FLIGHT
  private volatile int inFlight;
  @SuppressWarnings("unused") // accessed through LIMIT
  private volatile int limit;
  /** Tiers with this ordinal or higher are refused for capacity until a quiet window. */
  @SuppressWarnings("unused") // accessed through SHED_FROM
  private volatile int shedFrom = TIERS.length;

  // The open sample window; written by completing calls.
  @SuppressWarnings("unused") // accessed through W_COUNT
  private volatile int windowCount;
  @SuppressWarnings("unused") // accessed through W_SAMPLES
  private volatile int windowSamples;
  @SuppressWarnings("unused") // accessed through W_DROPS
  private volatile int windowDrops;
  @SuppressWarnings("unused") // accessed through W_RTT_SUM
  private volatile long windowRttSum;
  @SuppressWarnings("unused") // accessed through W_MIN_RTT
  private volatile long windowMinRtt = Long.MAX_VALUE;
  @SuppressWarnings("unused") // accessed through W_MAX_IN_FLIGHT
  private volatile int windowMaxInFlight;
  @SuppressWarnings("unused") // accessed through CLOSING
  private volatile int closing;
  @SuppressWarnings("unused") // accessed through HEALTH
  private volatile Health health = Health.UP;
  /** How often a closing window moved the limit; written only by the holder of CLOSING. */
  @SuppressWarnings("unused") // accessed through LIMIT_CHANGES
  private volatile long limitChanges;

  // Owned by the thread that holds CLOSING (handed over by its acquire/release).
  private long lastOverLimit;
  private long saturatedSince = -1;
  private long lastRefusal;
  private final long[] closedRefusals = new long[TIERS.length];
  private long lastJournalNanos;
  private boolean journaledOnce;
  private int journaledLimit;
  private int skippedChanges;

  private AdmissionLimiter(Builder builder, LimitAlgorithm algorithm) {
    this.name = builder.name;
    this.algorithm = algorithm;
    this.maxLimit = Limits.checkLimit("algorithm.maxLimit()", algorithm.maxLimit());
    int initial = algorithm.initialLimit();
    if (initial < 1 || initial > maxLimit) {
      throw new IllegalArgumentException("algorithm.initialLimit() must be in [1, maxLimit() = "
          + maxLimit + "], was " + initial + " (" + algorithm + ")");
    }
    this.manager = builder.manager;
    this.ticker = builder.ticker;
    this.timed = algorithm.measuresLatency();
    this.journal = builder.journal;
    this.shares = builder.shares.clone();
    this.windowSize = builder.windowSize;
    this.saturationGraceNanos = builder.saturationGrace.toNanos();
    this.permitBase = PERMIT_TAG | (TAGS.getAndIncrement() & TAG_MASK) << TAG_SHIFT;
    int size = Integer.highestOneBit(Math.max(1, maxLimit - 1)) << 1;
    this.slots = new long[size];
    this.starts = new long[size];
    this.slotMask = size - 1;
    this.rejections = new LongAdder[TIERS.length * 2];
    for (int i = 0; i < rejections.length; i++) {
      rejections[i] = new LongAdder();
    }
    this.overLimitExceptions = new AdmissionRejectedException[TIERS.length];
    this.notAdmittedExceptions =
        new AdmissionRejectedException[TIERS.length * Severity.values().length];
    for (Tier tier : TIERS) {
      overLimitExceptions[tier.ordinal()] = AdmissionRejectedException.overLimit(name, tier);
      for (dev.breakglass.core.Severity severity : Severity.values()) {
        notAdmittedExceptions[tier.ordinal() * 4 + severity.ordinal()] =
            AdmissionRejectedException.notAdmitted(name, tier, severity);
      }
    }
    this.limitListeners = Listeners.create("admission limiter '" + name + "'",
        builder.listenerErrorHandler);
    this.healthListeners = Listeners.create("admission limiter '" + name + "'",
        builder.listenerErrorHandler);
    this.journaledLimit = initial;
    LIMIT.setRelease(this, initial);
  }

  /**
   * Returns a builder: a fixed limit of 100, no manager, the default tier shares.
   *
   * @param name the limiter's name, also its health source name
   * @return a new builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  // ---------------------------------------------------------------------------------------
  // Low-level API

  /**
   * Asks to start a call of the given tier.
   *
   * @param tier the call's tier
   * @return a permit (positive, valid for this limiter and one outcome), or
   *     {@link #NOT_ADMITTED} or {@link #OVER_LIMIT}
   * @throws NullPointerException if {@code tier} is null
   */
  public long tryAcquire(Tier tier) {
    int t = tier.ordinal();
    int algorithmLimit = (int) LIMIT.getAcquire(this);
    int effective = algorithmLimit;
    CascadeManager bound = manager;
    if (bound != null) {
      Mode mode = bound.mode();
      if (!mode.admits(tier)) {
        rejections[t * 2].increment();
        return NOT_ADMITTED;
      }
      effective = effective(algorithmLimit, mode.capacityFactor());
    }
    if (t >= (int) SHED_FROM.getAcquire(this)) {
      rejections[t * 2 + 1].increment();
      return OVER_LIMIT;
    }
    int cap = t == 0 ? effective : Math.max(1, (int) (effective * shares[t]));
    int current;
    do {
      current = (int) IN_FLIGHT.getAcquire(this);
      if (current >= cap) {
        refusedForCapacity(t);
        return OVER_LIMIT;
      }
    } while (!IN_FLIGHT.weakCompareAndSet(this, current, current + 1));
    long claimed = claimSlot();
    if (timed) {
      starts[(int) (claimed & SLOT_MASK)] = ticker.read();
    }
    return permitBase | (long) t << TIER_SHIFT | claimed;
  }

  /** Counts the refusal and sheds every less important tier until a quiet window. */
  private void refusedForCapacity(int t) {
    rejections[t * 2 + 1].increment();
    int from = (int) SHED_FROM.getAcquire(this);
    while (t + 1 < from) {
      int witness = (int) SHED_FROM.compareAndExchange(this, from, t + 1);
      if (witness == from) {
        break;
      }
      from = witness;
    }
  }

  private static int effective(int limit, double factor) {
    return factor >= 1.0 ? limit : Math.max(1, (int) (limit * factor));
  }

  /** Takes a free slot; returns its index and its new counter as the permit's low 40 bits. */
  @SuppressWarnings("deprecation") // Thread.getId(): threadId() needs Java 19
  private long claimSlot() {
    int i = (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> 40) & slotMask;
    while (true) {
      long value = (long) SLOTS.getAcquire(slots, i);
      if ((value & 1L) == 0L && SLOTS.weakCompareAndSet(slots, i, value, value + 1)) {
        return ((value + 1) & COUNTER_MASK) << COUNTER_SHIFT | i;
      }
      i = (i + 1) & slotMask;
    }
  }

  /**
   * Records that the call succeeded, with its latency (if the algorithm measures latency), and
   * frees its place.
   *
   * @param permit what {@link #tryAcquire(Tier)} returned
   * @throws IllegalArgumentException if {@code permit} is not a permit (a rejection constant,
   *     or any other number)
   * @throws IllegalStateException if another limiter issued it, or it was used already
   */
  public void onSuccess(long permit) {
    finish(permit, 1);
  }

  /**
   * Records that the call was dropped (it timed out, or downstream signalled overload): the
   * algorithms take this as a sign to back off. Frees its place.
   *
   * @param permit what {@link #tryAcquire(Tier)} returned
   * @throws IllegalArgumentException if {@code permit} is not a permit
   * @throws IllegalStateException if another limiter issued it, or it was used already
   */
  public void onDropped(long permit) {
    finish(permit, 2);
  }

  /**
   * Frees the call's place without a sample (the call failed for a reason that says nothing
   * about load, or never ran).
   *
   * @param permit what {@link #tryAcquire(Tier)} returned
   * @throws IllegalArgumentException if {@code permit} is not a permit
   * @throws IllegalStateException if another limiter issued it, or it was used already
   */
  public void release(long permit) {
    finish(permit, 0);
  }

  /** Outcome 0 = no sample, 1 = success, 2 = dropped. */
  private void finish(long permit, int outcome) {
    if ((permit >>> 62) != 1L) {
      throw new IllegalArgumentException(
          "permit must be a value returned by tryAcquire(Tier) greater than 0, was " + permit
              + (permit == NOT_ADMITTED ? " (NOT_ADMITTED)"
                  : permit == OVER_LIMIT ? " (OVER_LIMIT)" : ""));
    }
    if ((permit & ~PAYLOAD) != permitBase) {
      throw refused(permit, "it was issued by another limiter");
    }
    int slot = (int) (permit & SLOT_MASK);
    if (slot > slotMask) {
      throw refused(permit, "it was issued by another limiter");
    }
    long value = (long) SLOTS.getAcquire(slots, slot);
    long expected = (permit >>> COUNTER_SHIFT) & COUNTER_MASK;
    if ((value & 1L) == 0L || (value & COUNTER_MASK) != expected) {
      throw refused(permit, "it was used already (a permit takes exactly one onSuccess,"
          + " onDropped or release)");
    }
    long start = timed && outcome != 0 ? starts[slot] : 0L;
    if (!SLOTS.compareAndSet(slots, slot, value, value + 1)) {
      throw refused(permit, "it was used already (a permit takes exactly one onSuccess,"
          + " onDropped or release)");
    }
    int before = (int) IN_FLIGHT.getAndAdd(this, -1);
    if (outcome != 0) {
      sample(timed ? ticker.read() - start : 0L, before, outcome == 2);
    } else {
      countTowardsWindow();
    }
  }

  private IllegalStateException refused(long permit, String why) {
    return new IllegalStateException(
        "admission limiter '" + name + "' refused permit " + permit + ": " + why);
  }

  private void sample(long rtt, int inFlightAtEnd, boolean dropped) {
    if (timed) {
      W_RTT_SUM.getAndAdd(this, rtt);
      long min = (long) W_MIN_RTT.getOpaque(this);
      while (rtt < min) {
        long witness = (long) W_MIN_RTT.compareAndExchange(this, min, rtt);
        if (witness == min) {
          break;
        }
        min = witness;
      }
    }
    if (dropped) {
      W_DROPS.getAndAdd(this, 1);
    }
    int peak = (int) W_MAX_IN_FLIGHT.getOpaque(this);
    while (inFlightAtEnd > peak) {
      int witness = (int) W_MAX_IN_FLIGHT.compareAndExchange(this, peak, inFlightAtEnd);
      if (witness == peak) {
        break;
      }
      peak = witness;
    }
    W_SAMPLES.getAndAdd(this, 1);
    countTowardsWindow();
  }

  /**
   * Counts a finished call towards the window (a release without a sample counts too, so that
   * a limiter whose calls all end in release() still closes windows: health and shed tiers are
   * re-evaluated there) and closes the window if it is full.
   */
  private void countTowardsWindow() {
    int count = (int) W_COUNT.getAndAdd(this, 1) + 1;
    if (count >= windowSize && CLOSING.compareAndSet(this, 0, 1)) {
      try {
        closeWindow();
      } finally {
        CLOSING.setRelease(this, 0);
      }
    }
  }

  private void closeWindow() {
    int count = (int) W_COUNT.getAcquire(this);
    if (count < windowSize) {
      return; // closed by the previous holder of the flag
    }
    long rttSum = (long) W_RTT_SUM.getAndSet(this, 0L);
    long minRtt = (long) W_MIN_RTT.getAndSet(this, Long.MAX_VALUE);
    int drops = (int) W_DROPS.getAndSet(this, 0);
    int peak = (int) W_MAX_IN_FLIGHT.getAndSet(this, 0);
    int samples = (int) W_SAMPLES.getAndSet(this, 0);
    W_COUNT.getAndAdd(this, -count);
    int previous = (int) LIMIT.getAcquire(this);
    int next = previous;
    if (samples > 0) {
      window.set(previous, samples, drops, rttSum, minRtt, peak);
      try {
        next = Math.max(1, Math.min(maxLimit, algorithm.update(window)));
      } catch (RuntimeException e) {
        LOGGER.warn("admission limiter '{}': {} failed on {}; the limit stays {}",
            name, algorithm, window, previous, e);
      }
    }
    restoreTier();
    long now = ticker.read();
    if (next != previous) {
      LIMIT.setRelease(this, next);
      // one writer (the CLOSING holder), so a plain increment published with a release write
      LIMIT_CHANGES.setRelease(this, (long) LIMIT_CHANGES.getOpaque(this) + 1L);
      if (limitListeners.hasListeners()) {
        limitListeners.publish(new LimitChange(name, previous, next, describe(window)));
      }
      journalLimit(now, next);
    }
    evaluateHealth(now);
  }

  /**
   * Admits one more tier for capacity if no tier it admits was refused for capacity during
   * the window that just closed.
   */
  private void restoreTier() {
    int from = (int) SHED_FROM.getAcquire(this);
    boolean refused = false;
    for (int t = 0; t < TIERS.length; t++) {
      long refusals = rejections[t * 2 + 1].sum();
      refused |= t < from && refusals != closedRefusals[t];
      closedRefusals[t] = refusals;
    }
    if (!refused && from < TIERS.length) {
      SHED_FROM.compareAndSet(this, from, from + 1); // lost to a new refusal: stays shed
    }
  }

  private static String describe(SampleWindow w) {
    return "samples=" + w.samples() + ", drops=" + w.drops() + ", avgRtt="
        + DurationFormat.format(w.averageRttNanos()) + ", minRtt="
        + DurationFormat.format(w.minRttNanos()) + ", maxInFlight=" + w.maxInFlight();
  }

  private void journalLimit(long now, int next) {
    IncidentJournal j = journal;
    if (j == null) {
      return;
    }
    if (Math.abs(next - journaledLimit) < JOURNAL_CHANGE * journaledLimit) {
      return;
    }
    if (journaledOnce && now - lastJournalNanos < JOURNAL_INTERVAL_NANOS) {
      skippedChanges++;
      return;
    }
    String skipped = skippedChanges == 0 ? "" : " (" + skippedChanges + " smaller or earlier"
        + " change" + (skippedChanges == 1 ? "" : "s") + " not recorded)";
    j.record(CascadeManager.SOURCE, "limit", "admission limiter '" + name + "' limit "
        + journaledLimit + " -> " + next + " (" + describe(window) + ")" + skipped);
    journaledLimit = next;
    journaledOnce = true;
    lastJournalNanos = now;
    skippedChanges = 0;
  }

  private void evaluateHealth(long now) {
    long overLimit = overLimitTotal();
    if (overLimit != lastOverLimit) {
      lastOverLimit = overLimit;
      lastRefusal = now;
      if (saturatedSince < 0) {
        saturatedSince = now;
      }
    } else if (saturatedSince >= 0 && now - lastRefusal >= saturationGraceNanos) {
      saturatedSince = -1;
    }
    Health previous = (Health) HEALTH.getAcquire(this);
    Health next = saturatedSince < 0 ? Health.UP
        : now - saturatedSince >= saturationGraceNanos ? Health.DEGRADED : previous;
    if (next != previous) {
      HEALTH.setRelease(this, next);
      if (healthListeners.hasListeners()) {
        healthListeners.publish(new HealthChange(name, previous, next));
      }
      IncidentJournal j = journal;
      if (j != null) {
        j.record(CascadeManager.SOURCE, "health", "admission limiter '" + name + "' "
            + previous + " -> " + next + (next == Health.DEGRADED
                ? ": calls refused OVER_LIMIT for " + DurationFormat.format(now - saturatedSince)
                    + " at limit " + limit()
                : ": no OVER_LIMIT refusal for " + DurationFormat.format(now - lastRefusal)));
      }
    }
  }

  private long overLimitTotal() {
    long total = 0;
    for (int t = 0; t < TIERS.length; t++) {
      total += rejections[t * 2 + 1].sum();
    }
    return total;
  }

  /**
   * Returns why {@link #tryAcquire(Tier)} refused, from what it returned.
   *
   * @param result a value {@code tryAcquire} returned
   * @return the reason, or {@code null} if {@code result} is a permit
   * @throws IllegalArgumentException if {@code result} is neither a permit nor a rejection
   */
  public static AdmissionRejectedException.@Nullable Reason reason(long result) {
    if (result == NOT_ADMITTED) {
      return AdmissionRejectedException.Reason.NOT_ADMITTED;
    }
    if (result == OVER_LIMIT) {
      return AdmissionRejectedException.Reason.OVER_LIMIT;
    }
    if ((result >>> 62) != 1L) {
      throw new IllegalArgumentException(
          "result must be a value returned by tryAcquire(Tier), was " + result);
    }
    return null;
  }

  /**
   * Returns the exception that describes a refusal, as the wrapping forms throw it. Costs no
   * allocation: the instances are shared.
   *
   * @param tier the tier that {@link #tryAcquire(Tier)} was called with
   * @param result the negative value it returned
   * @return the shared exception for the tier and reason (and, for {@link #NOT_ADMITTED}, the
   *     manager's current severity)
   * @throws IllegalArgumentException if {@code result} is not {@link #NOT_ADMITTED} or
   *     {@link #OVER_LIMIT}
   * @throws NullPointerException if {@code tier} is null
   */
  public AdmissionRejectedException rejection(Tier tier, long result) {
    Objects.requireNonNull(tier, "tier");
    if (result == OVER_LIMIT) {
      return overLimitExceptions[tier.ordinal()];
    }
    CascadeManager bound = manager;
    if (result != NOT_ADMITTED || bound == null) {
      throw new IllegalArgumentException("result must be NOT_ADMITTED (-1) or OVER_LIMIT (-2)"
          + (bound == null ? " (this limiter has no manager, so only OVER_LIMIT)" : "")
          + ", was " + result);
    }
    return notAdmittedExceptions[tier.ordinal() * 4 + bound.severity().ordinal()];
  }

  // ---------------------------------------------------------------------------------------
  // Wrapped execution

  /**
   * Calls the supplier if the limiter admits work of this tier, and records the outcome.
   *
   * @param tier the call's tier
   * @param supplier the call
   * @param <T> the type of the result
   * @return what the supplier returned
   * @throws AdmissionRejectedException if the call was refused
   * @throws NullPointerException if an argument is null
   * @throws RuntimeException whatever the supplier threw (also any {@link Error})
   */
  public <T> T get(Tier tier, Supplier<? extends T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    long permit = tryAcquire(tier);
    if (permit < 0) {
      throw rejection(tier, permit);
    }
    T result;
    try {
      result = supplier.get();
    } catch (Throwable e) {
      failed(permit, e);
      throw e;
    }
    onSuccess(permit);
    return result;
  }

  /**
   * Calls the supplier if the limiter admits work of this tier and records the outcome;
   * answers from the fallback if the call is refused or throws an exception.
   *
   * @param tier the call's tier
   * @param supplier the call
   * @param fallback called on the calling thread with the {@link AdmissionRejectedException}
   *     or the exception the supplier threw (an {@link Error} is rethrown instead)
   * @param <T> the type of the result
   * @return what the supplier or the fallback returned
   * @throws NullPointerException if an argument is null
   * @throws Error if the supplier threw one
   * @throws RuntimeException whatever the fallback threw
   */
  public <T> T get(Tier tier, Supplier<? extends T> supplier,
      Function<? super Throwable, ? extends T> fallback) {
    Objects.requireNonNull(supplier, "supplier");
    Objects.requireNonNull(fallback, "fallback");
    long permit = tryAcquire(tier);
    if (permit < 0) {
      return fallback.apply(rejection(tier, permit));
    }
    T result;
    try {
      result = supplier.get();
    } catch (Error e) {
      release(permit);
      throw e;
    } catch (Throwable e) {
      failed(permit, e);
      return fallback.apply(e);
    }
    onSuccess(permit);
    return result;
  }

  /**
   * Calls the callable if the limiter admits work of this tier, and records the outcome.
   *
   * @param tier the call's tier
   * @param callable the call
   * @param <T> the type of the result
   * @return what the callable returned
   * @throws AdmissionRejectedException if the call was refused
   * @throws NullPointerException if an argument is null
   * @throws Exception whatever the callable threw (also any {@link Error})
   */
  public <T> T call(Tier tier, Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    long permit = tryAcquire(tier);
    if (permit < 0) {
      throw rejection(tier, permit);
    }
    T result;
    try {
      result = callable.call();
    } catch (Throwable e) {
      failed(permit, e);
      throw e;
    }
    onSuccess(permit);
    return result;
  }

  /**
   * Starts an asynchronous call if the limiter admits work of this tier, and records its
   * outcome when the stage completes. A refusal does not throw: it returns a stage failed with
   * {@link AdmissionRejectedException}. An exception thrown by the supplier itself frees the
   * place and is returned as a failed stage. The call is timed from this method's call to the
   * stage's completion.
   *
   * @param tier the call's tier
   * @param supplier starts the call and returns its stage
   * @param <T> the type of the result
   * @return a stage completing like the supplied one, after the outcome is recorded
   * @throws NullPointerException if an argument is null
   */
  public <T> CompletionStage<T> getAsync(
      Tier tier, Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    long permit = tryAcquire(tier);
    if (permit < 0) {
      return CompletableFuture.failedFuture(rejection(tier, permit));
    }
    CompletionStage<? extends T> stage;
    try {
      stage = Objects.requireNonNull(supplier.get(), "supplier returned null");
    } catch (Throwable e) {
      failed(permit, e);
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenComplete((value, error) -> {
      if (error == null) {
        onSuccess(permit);
        result.complete(value);
      } else {
        failed(permit, error);
        result.completeExceptionally(error);
      }
    });
    return result;
  }

  private void failed(long permit, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof TimeoutException) {
      onDropped(permit);
    } else {
      release(permit);
    }
  }

  // ---------------------------------------------------------------------------------------
  // State, metrics, events

  /**
   * Returns the limiter's name.
   *
   * @return the name given to the builder
   */
  @Override
  public String name() {
    return name;
  }

  /**
   * Returns the limiter's health: {@link Health#DEGRADED} while saturated (see the class
   * documentation), else {@link Health#UP}. Never {@link Health#DOWN}.
   *
   * @return the current health
   */
  @Override
  public Health health() {
    return (Health) HEALTH.getAcquire(this);
  }

  /**
   * Registers a listener for health changes, called on the thread that closes the window.
   *
   * @param listener the listener
   * @return a subscription that removes it
   * @throws NullPointerException if {@code listener} is null
   */
  @Override
  public Subscription onHealthChange(EventListener<? super HealthChange> listener) {
    return healthListeners.add(listener);
  }

  /**
   * Registers a listener for limit changes, called on the thread that closes the window
   * (a releasing caller's), so it must be quick.
   *
   * @param listener the listener
   * @return a subscription that removes it
   * @throws NullPointerException if {@code listener} is null
   */
  public Subscription onLimitChange(EventListener<? super LimitChange> listener) {
    return limitListeners.add(listener);
  }

  /**
   * Returns the algorithm's current limit, before any capacity factor.
   *
   * @return the limit
   */
  public int limit() {
    return (int) LIMIT.getAcquire(this);
  }

  /**
   * Returns the effective limit: the algorithm's limit scaled by the bound manager's capacity
   * factor.
   *
   * @return the limit CRITICAL-tier work may fill
   */
  public int effectiveLimit() {
    CascadeManager bound = manager;
    return bound == null ? limit() : effective(limit(), bound.capacityFactor());
  }

  /**
   * Returns the number of calls in flight.
   *
   * @return admitted calls whose outcome is not recorded yet
   */
  public int inFlight() {
    return (int) IN_FLIGHT.getAcquire(this);
  }

  /**
   * Returns how often the algorithm moved the limit since the limiter was built: the number of
   * {@link LimitChange}s the limiter has published (or would have, with no listener). Reading
   * it costs one volatile read, so a metrics library can count limit changes without a
   * listener, and thus without the event each change builds for listeners.
   *
   * @return the number of limit changes
   */
  public long limitChanges() {
    return (long) LIMIT_CHANGES.getAcquire(this);
  }

  /**
   * Returns a snapshot of the limiter's counters.
   *
   * @return a new snapshot; counters read while calls run may be a few calls apart
   */
  public Metrics metrics() {
    long[] counts = new long[rejections.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = rejections[i].sum();
    }
    return new Metrics(limit(), effectiveLimit(), inFlight(), counts, health());
  }

  @Override
  public String toString() {
    return "AdmissionLimiter[" + name + ", " + algorithm + ", limit=" + limit() + ", effective="
        + effectiveLimit() + ", inFlight=" + inFlight() + ", health=" + health() + "]";
  }

  /**
   * A snapshot of an {@link AdmissionLimiter}'s state and counters.
   *
   * <p>Thread-safety: immutable.
   */
  public static final class Metrics {
    private final int limit;
    private final int effectiveLimit;
    private final int inFlight;
    private final long[] rejections;
    private final Health health;

    Metrics(int limit, int effectiveLimit, int inFlight, long[] rejections, Health health) {
      this.limit = limit;
      this.effectiveLimit = effectiveLimit;
      this.inFlight = inFlight;
      this.rejections = rejections;
      this.health = health;
    }

    /**
     * Returns the algorithm's limit.
     *
     * @return the limit before any capacity factor
     */
    public int limit() {
      return limit;
    }

    /**
     * Returns the effective limit.
     *
     * @return the limit scaled by the manager's capacity factor
     */
    public int effectiveLimit() {
      return effectiveLimit;
    }

    /**
     * Returns the calls in flight.
     *
     * @return the in-flight count
     */
    public int inFlight() {
      return inFlight;
    }

    /**
     * Returns the limiter's health.
     *
     * @return UP or DEGRADED
     */
    public Health health() {
      return health;
    }

    /**
     * Returns how many calls of a tier were refused for a reason since the limiter was built.
     *
     * @param tier the tier
     * @param reason the reason
     * @return the count
     * @throws NullPointerException if an argument is null
     */
    public long rejections(Tier tier, AdmissionRejectedException.Reason reason) {
      return rejections[tier.ordinal() * 2 + reason.ordinal()];
    }

    /**
     * Returns how many calls were refused, all tiers and reasons.
     *
     * @return the count
     */
    public long rejections() {
      long total = 0;
      for (long count : rejections) {
        total += count;
      }
      return total;
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder("Metrics[limit=").append(limit)
          .append(", effectiveLimit=").append(effectiveLimit).append(", inFlight=")
          .append(inFlight).append(", health=").append(health).append(", rejections={");
      for (Tier tier : TIERS) {
        text.append(tier.ordinal() == 0 ? "" : ", ").append(tier).append("=")
            .append(rejections[tier.ordinal() * 2]).append("/")
            .append(rejections[tier.ordinal() * 2 + 1]);
      }
      return text.append("} (NOT_ADMITTED/OVER_LIMIT)]").toString();
    }
  }

  /**
   * Builds an {@link AdmissionLimiter}.
   *
   * <p>Thread-safety: not thread-safe; reusable (each {@link #build()} asks the algorithm
   * supplier for a fresh algorithm).
   */
  public static final class Builder {
    private final String name;
    private Supplier<? extends LimitAlgorithm> algorithm = () -> FixedLimit.of(100);
    private @Nullable CascadeManager manager;
    private Ticker ticker = Ticker.system();
    private @Nullable IncidentJournal journal;
    private final double[] shares = DEFAULT_SHARES.clone();
    private int windowSize = 10;
    private Duration saturationGrace = Duration.ofSeconds(2);
    private ListenerErrorHandler listenerErrorHandler = LOGGING_HANDLER;

    private Builder(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
      }
      this.name = name;
    }

    /**
     * Sets how the limit is found (default a {@link FixedLimit} of 100). The supplier is asked
     * for a new algorithm on every {@link #build()}: an algorithm holds state and serves one
     * limiter.
     *
     * @param algorithm makes the algorithm, for example {@code () -> VegasLimit.builder().build()}
     * @return this builder
     * @throws NullPointerException if {@code algorithm} is null
     */
    public Builder algorithm(Supplier<? extends LimitAlgorithm> algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    /**
     * Binds the limiter to a manager: tiers the manager's severity sheds are refused
     * {@code NOT_ADMITTED}, and the limit is scaled by its capacity factor.
     *
     * @param manager the manager
     * @return this builder
     * @throws NullPointerException if {@code manager} is null
     */
    public Builder manager(CascadeManager manager) {
      this.manager = Objects.requireNonNull(manager, "manager");
      return this;
    }

    /**
     * Sets the fraction of the effective limit that work of a tier may fill (defaults:
     * CRITICAL 1.0, ESSENTIAL 0.9, STANDARD 0.8, ENHANCED 0.7). CRITICAL's share is always 1.
     *
     * @param tier a tier other than CRITICAL
     * @param share in {@code (0, 1]}; shares must not grow towards less important tiers,
     *     checked by {@link #build()}
     * @return this builder
     * @throws NullPointerException if {@code tier} is null
     * @throws IllegalArgumentException if {@code tier} is CRITICAL and {@code share} is not 1,
     *     or {@code share} is not in {@code (0, 1]} or NaN
     */
    public Builder tierShare(Tier tier, double share) {
      Objects.requireNonNull(tier, "tier");
      Limits.checkRange("share of " + tier, share, 0.0, true, 1.0, false);
      if (tier == Tier.CRITICAL && share != 1.0) {
        throw new IllegalArgumentException(
            "share of CRITICAL must be 1.0 (it may fill the whole limit), was " + share);
      }
      shares[tier.ordinal()] = share;
      return this;
    }

    /**
     * Sets how many completed calls make one sample window for the algorithm (default 10).
     *
     * @param samples at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder windowSize(int samples) {
      this.windowSize = Limits.checkAtLeast("windowSize", samples, 1);
      return this;
    }

    /**
     * Sets how long refusals for capacity must last before the limiter reports
     * {@link Health#DEGRADED} (default 2 s).
     *
     * @param grace zero or positive
     * @return this builder
     * @throws NullPointerException if {@code grace} is null
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public Builder saturationGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("saturationGrace must not be negative, was " + grace);
      }
      this.saturationGrace = grace;
      return this;
    }

    /**
     * Sets the time source (default {@link Ticker#system()}).
     *
     * @param ticker the ticker
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Sets the journal for limit and health changes (default none).
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
     * Sets what happens when a listener throws (default: logged at WARN through SLF4J).
     *
     * @param handler the handler
     * @return this builder
     * @throws NullPointerException if {@code handler} is null
     */
    public Builder listenerErrorHandler(ListenerErrorHandler handler) {
      this.listenerErrorHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Builds the limiter.
     *
     * @return a new limiter
     * @throws IllegalArgumentException if a less important tier has a larger share than a more
     *     important one, or the algorithm's limits are out of range
     * @throws NullPointerException if the algorithm supplier returns null
     */
    public AdmissionLimiter build() {
      for (int t = 1; t < shares.length; t++) {
        if (shares[t] > shares[t - 1]) {
          throw new IllegalArgumentException("a less important tier must not have a larger"
              + " share: " + TIERS[t - 1] + " has " + shares[t - 1] + ", " + TIERS[t] + " has "
              + shares[t]);
        }
      }
      LimitAlgorithm made = Objects.requireNonNull(algorithm.get(), "algorithm supplier returned"
          + " null");
      return new AdmissionLimiter(this, made);
    }
  }
}
