package dev.breakglass.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A window whose writes are spread over padded stripes, so that threads sharing one breaker
 * do not write the same cache line on every call.
 */
abstract sealed class StripedWindow extends OutcomeWindow permits CountWindow, TimeWindow {

  /*
   * Striping, after java.util.concurrent.atomic.Striped64 and Caffeine's StripedBuffer.
   *
   * A window starts without stripes (a subclass may write to a base field of its own, as
   * LongAdder does, or start with one stripe): a single thread, or threads that never collide,
   * pay one uncontended CAS per outcome and nothing else. When a thread loses a CAS to another
   * thread, it calls contended(): the stripe table is created with two stripes, or doubles (up
   * to MAX_STRIPES, about twice the number of processors), or, once full, the salt changes so
   * that threads spread differently. A thread's stripe is hash(thread id ^ salt): no ThreadLocal, nothing
   * allocated per thread, and virtual threads spread like platform threads. Growing and
   * re-salting are rare, racy-but-benign writes (a lost update just means another attempt).
   */

  static final int MAX_STRIPES = maxStripes();

  private static final VarHandle STRIPES;
  private static final VarHandle SALT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STRIPES = lookup.findVarHandle(StripedWindow.class, "stripes", Stripe[].class);
      SALT = lookup.findVarHandle(StripedWindow.class, "salt", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through STRIPES
  private Stripe @Nullable [] stripes;
  @SuppressWarnings("unused") // accessed through SALT
  private int salt;

  /**
   * Creates the window.
   *
   * @param first the first stripe, or null to start without stripes
   */
  StripedWindow(@Nullable Stripe first) {
    if (first != null) {
      STRIPES.setRelease(this, new Stripe[] {first});
    }
  }

  /** Creates an empty stripe for growing the table. */
  abstract Stripe newStripe();

  /** Returns the stripes, or null if the window has none yet. */
  final Stripe @Nullable [] stripesAcquire() {
    return (Stripe[]) STRIPES.getAcquire(this);
  }

  /** Returns the calling thread's stripe from a table returned by {@link #stripesAcquire()}. */
  final Stripe stripe(Stripe[] table) {
    return table.length == 1 ? table[0] : table[index(table.length)];
  }

  /** Reacts to a lost CAS: spreads threads over more stripes, or differently. */
  final void contended() {
    Stripe[] table = stripesAcquire();
    int length = table == null ? 0 : table.length;
    if (length < MAX_STRIPES) {
      Stripe[] larger = new Stripe[Math.max(2, length * 2)];
      if (table != null) {
        System.arraycopy(table, 0, larger, 0, length);
      }
      for (int i = length; i < larger.length; i++) {
        larger[i] = newStripe();
      }
      STRIPES.compareAndExchange(this, table, larger); // losing means another thread grew it
    } else {
      SALT.setOpaque(this, (int) SALT.getOpaque(this) + 0x61c88647);
    }
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
