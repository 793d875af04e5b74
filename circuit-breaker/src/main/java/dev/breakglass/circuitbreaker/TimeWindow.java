package dev.breakglass.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * A time-based sliding window: the outcomes recorded during the last {@code buckets} buckets
 * of {@code bucketNanos} each, the current (partial) bucket included.
 */
final class TimeWindow extends StripedWindow {

  /*
   * Design.
   *
   * Time is cut into epochs of bucketNanos, counted from the window's creation. Every stripe
   * (see StripedWindow; here each is guarded by a try-lock, LockedStripe, whose holder writes
   * with plain stores) has its own ring of `buckets` buckets, each four longs: the epoch it
   * holds, and its calls, failures and slow calls. A thread records into its stripe's bucket
   * for the current epoch under the stripe's try-lock, resetting the bucket first if it still
   * holds an older epoch. A stripe caches the bounds of its current epoch, so the division
   * that maps a time to an epoch runs once per bucket per stripe, not once per call.
   *
   * Because every bucket is keyed by its epoch, stripes need no merging: the window is the
   * sum, over all stripes, of the buckets whose epoch lies in the last `buckets` epochs. A
   * thread that keeps finding its stripe held (more threads than stripes) adds its outcome to
   * a small overflow ring of immutable buckets swapped in by CAS instead, so no thread ever
   * waits for another.
   * A snapshot at time `now` sums the buckets of epochs epoch(now) - buckets + 1 through
   * epoch(now): a bucket of a later epoch (recorded by a thread whose clock reading is newer
   * than the reader's) is left out, so that a snapshot never spans more than `buckets`
   * epochs.
   * Readers sum without locking, validating each stripe with its version word (a seqlock)
   * and retrying a stripe a writer was changing; after a few retries they accept what they
   * read, which is then off by at most the outcomes being recorded at that instant.
   *
   * Thresholds can only be crossed by a failure, a slow call, or a change of the window's
   * contents that is not an addition: buckets expire only when the epoch changes. So the
   * breaker judges after each failure or slow call, and after a success only if no snapshot
   * in this epoch has yet found the minimum number of calls (minimumReachedEpoch). With one
   * thread this is exactly "judge after every call", which the reference model checks.
   *
   * Bucket arrays get 8 longs of padding at each end so that the arrays of two stripes,
   * allocated one after the other, never share a cache line.
   */

  private static final int PAD = 8;
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle MINIMUM_REACHED_EPOCH;
  private static final int READ_ATTEMPTS = 8;
  private static final int LOCK_ATTEMPTS = 3;

  static {
    try {
      MINIMUM_REACHED_EPOCH = MethodHandles.lookup()
          .findVarHandle(TimeWindow.class, "minimumReachedEpoch", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int buckets;
  private final long bucketNanos;
  private final int minimumCalls;
  private final long origin;
  private final AtomicReferenceArray<Bucket> overflow;
  @SuppressWarnings("unused") // accessed through MINIMUM_REACHED_EPOCH
  private long minimumReachedEpoch = Long.MIN_VALUE;

  TimeWindow(int buckets, long bucketNanos, int minimumCalls, long origin) {
    super(new TimeStripe(buckets));
    this.buckets = buckets;
    this.bucketNanos = bucketNanos;
    this.minimumCalls = minimumCalls;
    this.origin = origin;
    this.overflow = new AtomicReferenceArray<>(buckets);
  }

  @Override
  Stripe newStripe() {
    return new TimeStripe(buckets);
  }

  /** The stripes; a time window is created with one, so there always are some. */
  private Stripe[] stripes() {
    return Objects.requireNonNull(stripesAcquire());
  }

  @Override
  boolean record(int outcome, long now) {
    long elapsed = now - origin;
    TimeStripe stripe = lock();
    long epoch;
    if (stripe != null) {
      epoch = stripe.add(outcome, elapsed, bucketNanos, buckets);
      stripe.unlock();
    } else {
      epoch = Math.floorDiv(elapsed, bucketNanos);
      addToOverflow(epoch, outcome);
    }
    return outcome != 0 || (long) MINIMUM_REACHED_EPOCH.getOpaque(this) != epoch;
  }

  /** Locks the calling thread's stripe, or returns null if contention persisted. */
  private @Nullable TimeStripe lock() {
    TimeStripe stripe = (TimeStripe) stripe(stripes());
    return stripe.tryLock() ? stripe : lockContended();
  }

  private @Nullable TimeStripe lockContended() {
    for (int attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
      contended();
      TimeStripe stripe = (TimeStripe) stripe(stripes());
      if (stripe.tryLock()) {
        return stripe;
      }
    }
    return null;
  }

  /**
   * Records an outcome without any stripe, for a thread that kept finding stripes held (more
   * threads than stripes, or holders preempted): immutable buckets swapped in by CAS. Rare,
   * so the allocation per outcome here does not matter; lock-free, so nobody waits.
   */
  private void addToOverflow(long epoch, int outcome) {
    int index = (int) Math.floorMod(epoch, (long) buckets);
    long failure = outcome & FAILURE;
    long slow = (long) ((outcome & SLOW) >>> 1);
    for (;;) {
      Bucket current = overflow.get(index);
      Bucket next;
      if (current == null || current.epoch() < epoch) {
        next = new Bucket(epoch, 1L, failure, slow);
      } else if (current.epoch() == epoch) {
        next = new Bucket(epoch, current.calls() + 1L, current.failures() + failure,
            current.slow() + slow);
      } else {
        return; // the slot already holds a whole window later: this outcome has expired
      }
      if (overflow.compareAndSet(index, current, next)) {
        return;
      }
    }
  }

  /** A bucket of the overflow ring: replaced whole, by compare-and-set. */
  private record Bucket(long epoch, long calls, long failures, long slow) {}

  @Override
  Counts snapshot(long now, boolean judging) {
    long epoch = Math.floorDiv(now - origin, bucketNanos);
    long oldest = epoch - buckets + 1;
    long calls = 0L;
    long failures = 0L;
    long slow = 0L;
    for (Stripe s : stripes()) {
      TimeStripe stripe = (TimeStripe) s;
      long c = 0L;
      long f = 0L;
      long w = 0L;
      for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
        long version = stripe.readVersion();
        c = 0L;
        f = 0L;
        w = 0L;
        long[] data = stripe.data;
        for (int b = 0; b < buckets; b++) {
          int base = PAD + 4 * b;
          long bucketEpoch = (long) LONGS.getOpaque(data, base);
          if (bucketEpoch >= oldest && bucketEpoch <= epoch) {
            c += (long) LONGS.getOpaque(data, base + 1);
            f += (long) LONGS.getOpaque(data, base + 2);
            w += (long) LONGS.getOpaque(data, base + 3);
          }
        }
        if (stripe.validate(version)) {
          break;
        }
      }
      calls += c;
      failures += f;
      slow += w;
    }
    for (int b = 0; b < buckets; b++) {
      Bucket bucket = overflow.get(b);
      if (bucket != null && bucket.epoch() >= oldest && bucket.epoch() <= epoch) {
        calls += bucket.calls();
        failures += bucket.failures();
        slow += bucket.slow();
      }
    }
    if (judging && calls >= minimumCalls
        && (long) MINIMUM_REACHED_EPOCH.getOpaque(this) != epoch) {
      MINIMUM_REACHED_EPOCH.setOpaque(this, epoch);
    }
    return new Counts(calls, Math.min(failures, calls), Math.min(slow, calls));
  }

  /** The fields of a stripe; touched only under its lock, except for validated reads. */
  abstract static sealed class TimeStripeFields extends LockedStripe permits TimeStripe {
    /** {@code [PAD] (epoch, calls, failures, slow) * buckets [PAD]}. */
    final long[] data;
    /** The epoch of the bucket in use, and its bounds relative to the origin: [start, end). */
    long epoch;
    long start = 1L;
    long end;
    int base;

    TimeStripeFields(int buckets) {
      data = new long[PAD + 4 * buckets + PAD];
      for (int b = 0; b < buckets; b++) {
        data[PAD + 4 * b] = Long.MIN_VALUE;
      }
    }

    /** Adds an outcome at {@code elapsed} nanoseconds after the origin; returns its epoch. */
    final long add(int outcome, long elapsed, long bucketNanos, int buckets) {
      if (elapsed < start || elapsed >= end) {
        epoch = Math.floorDiv(elapsed, bucketNanos);
        start = epoch * bucketNanos;
        end = start + bucketNanos;
        base = PAD + 4 * (int) Math.floorMod(epoch, (long) buckets);
      }
      long[] d = data;
      int b = base;
      long held = (long) LONGS.getOpaque(d, b);
      if (held > epoch) {
        // `elapsed` is stale by about a whole window (the thread was paused between reading
        // the ticker and taking the stripe): the slot already holds a later epoch, and this
        // outcome has expired on arrival, as in addToOverflow
        return epoch;
      }
      if (held != epoch) {
        LONGS.setOpaque(d, b + 1, 0L);
        LONGS.setOpaque(d, b + 2, 0L);
        LONGS.setOpaque(d, b + 3, 0L);
        LONGS.setOpaque(d, b, epoch);
      }
      LONGS.setOpaque(d, b + 1, (long) LONGS.getOpaque(d, b + 1) + 1L);
      if ((outcome & FAILURE) != 0) {
        LONGS.setOpaque(d, b + 2, (long) LONGS.getOpaque(d, b + 2) + 1L);
      }
      if ((outcome & SLOW) != 0) {
        LONGS.setOpaque(d, b + 3, (long) LONGS.getOpaque(d, b + 3) + 1L);
      }
      return epoch;
    }

    @Override
    public String toString() {
      return "TimeStripe" + Arrays.toString(data);
    }
  }

  /** A padded stripe. */
  static final class TimeStripe extends TimeStripeFields {
    long q01, q02, q03, q04, q05, q06, q07, q08;

    TimeStripe(int buckets) {
      super(buckets);
    }
  }
}
