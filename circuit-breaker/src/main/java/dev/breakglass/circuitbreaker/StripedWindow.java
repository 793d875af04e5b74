package dev.breakglass.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A window whose writes are spread over padded stripes, each guarded by a try-lock that is
 * never waited on, so that threads sharing one breaker do not write the same cache line on
 * every call.
 */
abstract class StripedWindow extends OutcomeWindow {

  /*
   * Striping, after java.util.concurrent.atomic.Striped64 and Caffeine's StripedBuffer.
   *
   * A window starts with one stripe: a single thread (or threads that never collide) pays one
   * uncontended CAS per outcome and nothing else. When a thread finds its stripe locked, or
   * loses the CAS, the stripe table doubles (up to MAX_STRIPES, about twice the number of
   * processors) or, once full, the salt changes so that threads re-spread. A thread's stripe
   * is hash(thread id ^ salt): no ThreadLocal, nothing allocated per thread, and virtual
   * threads spread like platform threads. After a few failed attempts lock() gives up and
   * returns null; subclasses then take a lock-free slow path, so a thread preempted while
   * holding a stripe never blocks the others.
   *
   * Each stripe is a version word: even = free, odd = locked. Holders write the stripe's data
   * with plain or opaque stores and release it with a release store of version + 2, which
   * also lets readers validate an optimistic read (a seqlock, see TimeWindow).
   */

  static final int MAX_STRIPES = maxStripes();
  private static final int ATTEMPTS = 4;

  private static final VarHandle STRIPES;
  private static final VarHandle SALT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STRIPES = lookup.findVarHandle(StripedWindow.class, "stripes", LockedStripe[].class);
      SALT = lookup.findVarHandle(StripedWindow.class, "salt", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through STRIPES
  private LockedStripe[] stripes;
  @SuppressWarnings("unused") // accessed through SALT
  private int salt;

  StripedWindow(LockedStripe first) {
    STRIPES.setRelease(this, new LockedStripe[] {first});
  }

  /** Creates an empty stripe for growing the table. */
  abstract LockedStripe newStripe();

  final LockedStripe[] stripesAcquire() {
    return (LockedStripe[]) STRIPES.getAcquire(this);
  }

  /** Locks the calling thread's stripe, or returns null if contention persisted. */
  final @Nullable LockedStripe lock() {
    LockedStripe[] table = stripesAcquire();
    LockedStripe stripe = table.length == 1 ? table[0] : table[index(table.length)];
    if (stripe.tryLock()) {
      return stripe;
    }
    return lockContended();
  }

  private @Nullable LockedStripe lockContended() {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      LockedStripe[] table = stripesAcquire();
      if (table.length < MAX_STRIPES) {
        grow(table);
      } else {
        SALT.setOpaque(this, (int) SALT.getOpaque(this) + 0x61c88647);
      }
      table = stripesAcquire();
      LockedStripe stripe = table[index(table.length)];
      if (stripe.tryLock()) {
        return stripe;
      }
    }
    return null;
  }

  private void grow(LockedStripe[] table) {
    LockedStripe[] larger = new LockedStripe[table.length * 2];
    System.arraycopy(table, 0, larger, 0, table.length);
    for (int i = table.length; i < larger.length; i++) {
      larger[i] = newStripe();
    }
    STRIPES.compareAndExchange(this, table, larger); // losing means another thread grew it
  }

  private int index(int length) {
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; this compiles for 17
    long id = Thread.currentThread().getId();
    long h = (id ^ (int) SALT.getOpaque(this)) * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32) & (length - 1);
  }

  private static int maxStripes() {
    int wanted = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
    return Math.min(64, Integer.highestOneBit(wanted - 1) << 1);
  }
}
