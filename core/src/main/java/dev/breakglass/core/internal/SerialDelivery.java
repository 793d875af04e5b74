package dev.breakglass.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * Delivers a backlog of pending work (events, notices, state transitions) to user callbacks
 * outside any lock, one thread at a time and in order, without making any caller wait for
 * another caller's callbacks.
 *
 * <pre>{@code
 * // a producer records its work (under its own lock, if order needs one), then, lock released:
 * delivery.deliver();
 * }</pre>
 *
 * <p>Whoever calls {@link #deliver()} and finds the backlog non-empty and nobody delivering
 * becomes the deliverer: it calls {@link Backlog#deliverPending()} until nothing is pending. A
 * caller that finds another thread delivering returns at once; that thread delivers its work
 * too, after what it is delivering now. A callback may itself add work and call
 * {@code deliver()} (a listener that reports a new signal, say): that work is delivered after
 * the current delivery, by the same thread. Nothing is stranded: work added before a call to
 * {@code deliver()} is delivered before that call returns, or by the thread that is delivering
 * when it returns. Should a callback throw (a {@link VirtualMachineError} is the one thing a
 * well-behaved backlog lets through), the exception propagates out of the {@code deliver()}
 * that was delivering, and the next call delivers what is left.
 *
 * <p>{@link DeliveryQueue} is this over a queue of elements. A backlog that is not a queue (a
 * chain of state nodes where the deliverer walks from the last node it published to the
 * current one) implements {@link Backlog} itself.
 *
 * <p>Thread-safe.
 */
public final class SerialDelivery {

  /*
   * Design: the queue-drain pattern (Guava's SequentialExecutor and ListenerCallQueue, the
   * drain of Caffeine's BoundedLocalCache). One int flag, taken by compareAndSet and released with
   * setVolatile, marks the deliverer; it is never waited on. After releasing the flag the
   * deliverer checks the backlog again: a producer adds its work, then fails to take the flag
   * (a volatile read that saw 1), and the deliverer releases the flag (a volatile write), then
   * reads the backlog (a volatile read). Volatile accesses are totally ordered, so either the
   * producer's failed attempt came after the release (impossible: it saw 1) or the deliverer's
   * re-check comes after the producer's write and sees the work. This is why
   * Backlog.hasPending() must read with volatile semantics.
   *
   * The flag is released in a finally block: a callback that throws (a StackOverflowError from
   * deep user code) cannot leave the flag taken and wedge every later delivery. Successive
   * deliverers are ordered by the flag's release and take (happens-before), so the backlog's
   * deliverer-only state (a "published up to" pointer) needs no further synchronization.
   */

  /** Pending work and how to deliver it. */
  public interface Backlog {

    /**
     * Tells whether any work waits to be delivered. Called on any thread, with no lock held
     * and possibly while another thread delivers; it must read the state producers write with
     * volatile semantics (a volatile field, {@code VarHandle.getVolatile}, a concurrent
     * collection's query). A stale {@code true} is harmless; a stale {@code false} is not.
     *
     * @return {@code true} if something waits to be delivered
     */
    boolean hasPending();

    /**
     * Delivers the pending work, oldest first. Called by one thread at a time, never
     * concurrently with itself; it may stop early (work added meanwhile is picked up by the
     * next call).
     */
    void deliverPending();
  }

  private static final VarHandle DELIVERING;

  static {
    try {
      DELIVERING =
          MethodHandles.lookup().findVarHandle(SerialDelivery.class, "delivering", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Backlog backlog;

  @SuppressWarnings("unused") // accessed through DELIVERING
  private volatile int delivering;

  /**
   * Creates a delivery of a backlog.
   *
   * @param backlog the pending work
   * @throws NullPointerException if {@code backlog} is null
   */
  public SerialDelivery(Backlog backlog) {
    this.backlog = Objects.requireNonNull(backlog, "backlog");
  }

  /**
   * Delivers the backlog until nothing is pending, unless another thread is delivering it
   * (which then delivers what is pending now as well). Call it with no lock held, after adding
   * work. Allocates nothing; costs one volatile read when nothing is pending.
   *
   * @throws VirtualMachineError (or whatever else) a callback threw while this thread was
   *     delivering; what was still pending stays for the next call
   */
  public void deliver() {
    while (backlog.hasPending()) {
      if (!DELIVERING.compareAndSet(this, 0, 1)) {
        return; // the deliverer re-checks after its release and delivers this work too
      }
      try {
        backlog.deliverPending();
      } finally {
        DELIVERING.setVolatile(this, 0);
      }
    }
  }

  /**
   * Tells whether a thread is delivering right now; for diagnostics and tests.
   *
   * @return {@code true} while some thread is inside {@link Backlog#deliverPending()}
   */
  public boolean isDelivering() {
    return (int) DELIVERING.getVolatile(this) != 0;
  }
}
