package dev.breakglass.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A count-based sliding window: the outcomes of the last {@code size} calls.
 */
final class CountWindow extends StripedWindow {

  /*
   * Design.
   *
   * The window is a ring of `size` two-bit slots (failure, slow) packed 32 to a long, plus
   * three totals: how many outcomes the ring has ever taken (the sequence), and how many of
   * the slots now hold a failure or a slow call. A rate needs only the totals.
   *
   * A single shared ring index would be written by every call and collapse under
   * contention, so outcomes reach the ring in batches. A batch is one long holding a count
   * and up to BATCH failure bits and BATCH slow bits, appended to with a single
   * compareAndSet. Until two threads first collide, the window's own `base` batch is used
   * (LongAdder's base: the fewest dependent loads before the CAS); after that each thread
   * appends to its stripe's batch, on a cache line no other thread writes (see
   * StripedWindow). The append that fills a batch empties the stripe in the same CAS and
   * hands the full batch to the ring: one getAndAdd claims BATCH sequence numbers, and each
   * ring word the batch covers is updated with one compareAndExchange, which also yields the
   * exact outcomes being overwritten, so the totals are adjusted by exact deltas and agree
   * with the ring's contents. A word that would not change (successes replacing successes) is
   * not written, so while a dependency is healthy the only shared write is the sequence's
   * getAndAdd, once per BATCH calls per thread.
   *
   * Judging thresholds needs the current contents, so snapshot() first takes the base batch
   * and every stripe's batch that holds outcomes (an opaque read, then getAndSet to empty:
   * the cache lines of empty stripes are only read) and hands them over. The breaker asks
   * for a snapshot after every failure or slow call, and after every success until the
   * window first holds the minimum number of calls (a fast success can only lower both rates
   * once that minimum is reached, and the number of calls in a count window never falls).
   *
   * Semantics. With one thread (or any number of threads that never record at the same
   * time) the ring holds exactly the last `size` outcomes at every snapshot, which the
   * reference-model property checks. With concurrent threads the ring holds the last `size`
   * outcomes in hand-over order: a thread's batch enters the ring as a block, so outcomes
   * can be interleaved differently from the order in which they happened, and a snapshot
   * misses a batch that another thread has taken from its stripe but not yet written to the
   * ring at that instant. No outcome is lost: each one enters the ring exactly once, and is
   * overwritten only by a later hand-over. If a thread keeps losing CASes (more threads than
   * stripes), it writes its single outcome to the ring directly, which is lock-free too.
   */

  /** Outcomes per batch: 28 failure bits and 28 slow bits, with the count above them. */
  static final int BATCH = 28;
  private static final int SLOW_SHIFT = 28;
  private static final int COUNT_SHIFT = 56;
  private static final long BITS = (1L << BATCH) - 1;
  private static final long ONE = 1L << COUNT_SHIFT;
  private static final int ATTEMPTS = 3;

  private static final long FAILURE_BITS = 0x5555_5555_5555_5555L;
  private static final long SLOW_BITS = 0xAAAA_AAAA_AAAA_AAAAL;
  private static final VarHandle RING = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle MINIMUM_REACHED;
  private static final VarHandle BASE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MINIMUM_REACHED = lookup.findVarHandle(CountWindow.class, "minimumReached", boolean.class);
      BASE = lookup.findVarHandle(CountWindow.class, "base", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int size;
  private final int minimumCalls;
  private final long[] ring;
  private final RingTotals totals = new RingTotals();
  @SuppressWarnings("unused") // accessed through MINIMUM_REACHED
  private boolean minimumReached;
  /** The batch used until the first contention (LongAdder's base); then stripes take over. */
  @SuppressWarnings("unused") // accessed through BASE
  private long base;

  CountWindow(int size, int minimumCalls) {
    super(null);
    this.size = size;
    this.minimumCalls = minimumCalls;
    this.ring = new long[(size + 31) >>> 5];
  }

  @Override
  Stripe newStripe() {
    return new CountStripe();
  }

  @Override
  boolean record(int outcome, long now) {
    long bits = (long) (outcome & FAILURE) | ((long) (outcome & SLOW) << (SLOW_SHIFT - 1));
    if (stripesAcquire() != null || !appendToBase(bits)) {
      appendContended(bits);
    }
    return outcome != 0 || !(boolean) MINIMUM_REACHED.getOpaque(this);
  }

  /** Appends to the base batch with one CAS; false if the CAS was lost to another thread. */
  private boolean appendToBase(long bits) {
    long batch = (long) BASE.getOpaque(this);
    long next = appended(batch, bits);
    if (!BASE.compareAndSet(this, batch, next)) {
      return false;
    }
    if (next == 0L) {
      handOver(appendedFull(batch, bits));
    }
    return true;
  }

  /** Appends to a stripe's batch with one CAS; false if the CAS was lost to another thread. */
  private boolean appendToStripe(CountStripe stripe, long bits) {
    long batch = stripe.batch();
    long next = appended(batch, bits);
    if (!stripe.casBatch(batch, next)) {
      return false;
    }
    if (next == 0L) {
      handOver(appendedFull(batch, bits));
    }
    return true;
  }

  /** The batch with one more outcome, or 0 (empty) if that outcome fills it. */
  private static long appended(long batch, long bits) {
    int count = (int) (batch >>> COUNT_SHIFT);
    return count + 1 < BATCH ? batch + ONE + (bits << count) : 0L;
  }

  /** The full batch: the given one with its last outcome added. */
  private static long appendedFull(long batch, long bits) {
    return batch + ONE + (bits << (int) (batch >>> COUNT_SHIFT));
  }

  private void appendContended(long bits) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Stripe[] table = stripesAcquire();
      if (table == null || attempt > 0) {
        contended(); // spread threads over (more) stripes
        table = stripesAcquire();
      }
      if (appendToStripe((CountStripe) stripe(Objects.requireNonNull(table)), bits)) {
        return;
      }
    }
    handOver(ONE + bits); // still contended: write this outcome to the ring directly
  }

  @Override
  Counts snapshot(long now, boolean judging) {
    if ((long) BASE.getOpaque(this) != 0L) { // write only batches that hold something
      handOver((long) BASE.getAndSet(this, 0L));
    }
    Stripe[] table = stripesAcquire();
    if (table != null) {
      for (Stripe stripe : table) {
        CountStripe countStripe = (CountStripe) stripe;
        if (countStripe.batch() != 0L) {
          handOver(countStripe.takeBatch());
        }
      }
    }
    long calls = Math.min(totals.sequence(), size);
    long failures = Math.max(0L, Math.min(totals.failures(), calls));
    long slow = Math.max(0L, Math.min(totals.slow(), calls));
    if (judging && calls >= minimumCalls && !(boolean) MINIMUM_REACHED.getOpaque(this)) {
      MINIMUM_REACHED.setOpaque(this, true);
    }
    return new Counts(calls, failures, slow);
  }

  /**
   * Counts the ring's filled slots one by one (for tests: with no thread recording, this
   * equals the totals a {@link #snapshot} reports once it has handed every batch over).
   */
  Counts recount() {
    long filled = Math.min(totals.sequence(), size);
    long failures = 0L;
    long slow = 0L;
    for (int slot = 0; slot < filled; slot++) {
      long bits = (long) RING.getVolatile(ring, slot >>> 5) >>> ((slot & 31) << 1);
      failures += bits & 1L;
      slow += (bits >>> 1) & 1L;
    }
    return new Counts(filled, failures, slow);
  }

  /** How many outcomes the ring has taken in all (for tests). */
  long handedOver() {
    return totals.sequence();
  }

  /** Writes a batch (count, failure bits, slow bits packed in one long) into the ring. */
  private void handOver(long batch) {
    int count = (int) (batch >>> COUNT_SHIFT);
    if (count != 0) {
      write(batch & BITS, (batch >>> SLOW_SHIFT) & BITS, count);
    }
  }

  /** Writes {@code count} outcomes (bit i of each mask is outcome i) at the ring's head. */
  private void write(long failureBits, long slowBits, int count) {
    long sequence = totals.claim(count);
    int first = Math.max(0, count - size); // older ones would be overwritten at once
    int slot = (int) ((sequence + first) % size);
    int word = slot >>> 5;
    long mask = 0L;
    long bits = 0L;
    long failureDelta = 0L;
    long slowDelta = 0L;
    for (int i = first; i < count; i++) {
      if (slot >>> 5 != word) {
        long old = exchangeBits(word, mask, bits);
        failureDelta += delta(bits, old, mask, FAILURE_BITS);
        slowDelta += delta(bits, old, mask, SLOW_BITS);
        word = slot >>> 5;
        mask = 0L;
        bits = 0L;
      }
      int shift = (slot & 31) << 1;
      mask |= 3L << shift;
      bits |= (((failureBits >>> i) & 1L) | (((slowBits >>> i) & 1L) << 1)) << shift;
      if (++slot == size) {
        slot = 0;
      }
    }
    long old = exchangeBits(word, mask, bits);
    failureDelta += delta(bits, old, mask, FAILURE_BITS);
    slowDelta += delta(bits, old, mask, SLOW_BITS);
    totals.add(failureDelta, slowDelta);
  }

  /**
   * Replaces the bits under {@code mask} in one ring word; returns the word it replaced. A
   * word that already holds those bits is not written (the steady state of a healthy
   * dependency: successes replacing successes), so threads share no ring line then.
   */
  private long exchangeBits(int word, long mask, long bits) {
    long expected = (long) RING.getVolatile(ring, word);
    for (;;) {
      if ((expected & mask) == bits) {
        return expected; // linearizes at the read: writing would change nothing
      }
      long witness =
          (long) RING.compareAndExchange(ring, word, expected, (expected & ~mask) | bits);
      if (witness == expected) {
        return expected;
      }
      expected = witness;
    }
  }

  private static long delta(long bits, long old, long mask, long kind) {
    return (long) Long.bitCount(bits & kind) - Long.bitCount(old & mask & kind);
  }

  /** A stripe's batch of outcomes not yet in the ring. */
  abstract static sealed class CountStripeFields extends Stripe permits CountStripe {
    private static final VarHandle BATCH_WORD;

    static {
      try {
        BATCH_WORD = MethodHandles.lookup()
            .findVarHandle(CountStripeFields.class, "batch", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    @SuppressWarnings("unused") // accessed through BATCH_WORD
    private long batch;

    final long batch() {
      return (long) BATCH_WORD.getOpaque(this);
    }

    final boolean casBatch(long expected, long next) {
      return BATCH_WORD.compareAndSet(this, expected, next);
    }

    /** Empties the stripe; returns the batch it held. */
    final long takeBatch() {
      return (long) BATCH_WORD.getAndSet(this, 0L);
    }
  }

  /** A padded stripe. */
  static final class CountStripe extends CountStripeFields {
    long q01, q02, q03, q04, q05, q06, q07, q08;
  }

  /** The ring's totals, written once per hand-over; padded away from the window's fields. */
  static final class RingTotals extends StripePad {
    private static final VarHandle SEQUENCE;
    private static final VarHandle FAILURES;
    private static final VarHandle SLOW;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        SEQUENCE = lookup.findVarHandle(RingTotals.class, "sequence", long.class);
        FAILURES = lookup.findVarHandle(RingTotals.class, "failures", long.class);
        SLOW = lookup.findVarHandle(RingTotals.class, "slow", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    @SuppressWarnings("unused") // accessed through SEQUENCE
    private long sequence;
    @SuppressWarnings("unused") // accessed through FAILURES
    private long failures;
    @SuppressWarnings("unused") // accessed through SLOW
    private long slow;
    long q01, q02, q03, q04, q05, q06, q07, q08;

    /** Claims {@code count} sequence numbers; returns the first. */
    long claim(int count) {
      return (long) SEQUENCE.getAndAdd(this, (long) count);
    }

    void add(long failureDelta, long slowDelta) {
      if (failureDelta != 0) {
        FAILURES.getAndAdd(this, failureDelta);
      }
      if (slowDelta != 0) {
        SLOW.getAndAdd(this, slowDelta);
      }
    }

    long sequence() {
      return (long) SEQUENCE.getAcquire(this);
    }

    long failures() {
      return (long) FAILURES.getAcquire(this);
    }

    long slow() {
      return (long) SLOW.getAcquire(this);
    }
  }
}
