package dev.breakglass.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
   * contention, so outcomes reach the ring in batches. Each thread appends its outcome to
   * its stripe's batch (up to BATCH outcomes, as bits in two longs) under the stripe's
   * try-lock: one uncontended CAS and a release store per call, on a cache line no other
   * thread writes. A full batch is handed to the ring: one getAndAdd claims BATCH sequence
   * numbers, and each ring word the batch covers is updated with one compareAndExchange,
   * which also yields the exact outcomes being overwritten, so the totals are adjusted by
   * exact deltas and always agree with the ring's contents. Shared lines are thus written
   * once per BATCH calls per thread, not once per call; and a word that would not change
   * (successes replacing successes) is not written at all, so while a dependency is healthy
   * the only shared write is the sequence's getAndAdd, once per BATCH calls per thread.
   *
   * Judging thresholds needs the current contents, so snapshot() first hands over every
   * batch whose stripe it can lock. The breaker asks for a snapshot after every failure or
   * slow call, and after every success until the window first holds the minimum number of
   * calls (a fast success can only lower both rates once that minimum is reached, and the
   * number of calls in a count window never falls).
   *
   * Semantics. With one thread (or any number of threads that never record at the same
   * time) the ring holds exactly the last `size` outcomes at every snapshot, which the
   * jqwik reference model checks. With concurrent threads the ring holds the last `size`
   * outcomes in hand-over order: a thread's batch enters the ring as a block, so outcomes
   * can be interleaved differently from the order in which they happened, and at a snapshot
   * outcomes still batched by a stripe that another thread holds at that instant are not yet
   * counted (at most BATCH per such stripe). No outcome is lost: each one enters the ring
   * exactly once, and is overwritten only by a later hand-over.
   */

  static final int BATCH = 64;

  private static final long FAILURE_BITS = 0x5555_5555_5555_5555L;
  private static final long SLOW_BITS = 0xAAAA_AAAA_AAAA_AAAAL;
  private static final VarHandle RING = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle MINIMUM_REACHED;

  static {
    try {
      MINIMUM_REACHED = MethodHandles.lookup()
          .findVarHandle(CountWindow.class, "minimumReached", boolean.class);
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

  CountWindow(int size, int minimumCalls) {
    super(new CountStripe());
    this.size = size;
    this.minimumCalls = minimumCalls;
    this.ring = new long[(size + 31) >>> 5];
  }

  @Override
  LockedStripe newStripe() {
    return new CountStripe();
  }

  @Override
  boolean record(int outcome, long now) {
    CountStripe stripe = (CountStripe) lock();
    if (stripe != null) {
      int count = (int) stripe.count;
      stripe.failureBits |= (long) (outcome & FAILURE) << count;
      stripe.slowBits |= (long) ((outcome & SLOW) >>> 1) << count;
      stripe.count = count + 1;
      if (count + 1 == BATCH) {
        handOver(stripe);
      }
      stripe.unlock();
    } else {
      write((long) (outcome & FAILURE), (long) ((outcome & SLOW) >>> 1), 1);
    }
    return outcome != 0 || !(boolean) MINIMUM_REACHED.getOpaque(this);
  }

  @Override
  Counts snapshot(long now, boolean judging) {
    for (LockedStripe stripe : stripesAcquire()) {
      if (stripe.tryLock()) {
        handOver((CountStripe) stripe);
        stripe.unlock();
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

  /** Moves a locked stripe's batch into the ring. */
  private void handOver(CountStripe stripe) {
    int count = (int) stripe.count;
    if (count != 0) {
      write(stripe.failureBits, stripe.slowBits, count);
      stripe.count = 0;
      stripe.failureBits = 0L;
      stripe.slowBits = 0L;
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
    return Long.bitCount(bits & kind) - Long.bitCount(old & mask & kind);
  }

  /** A stripe's batch of outcomes not yet in the ring; touched only under its lock. */
  abstract static class CountStripeFields extends LockedStripe {
    long failureBits;
    long slowBits;
    long count;
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
