package dev.breakglass.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A stripe's version word: even = free, odd = locked by one thread. */
abstract sealed class LockedStripe extends Stripe permits TimeWindow.TimeStripeFields {

  private static final VarHandle VERSION;

  static {
    try {
      VERSION = MethodHandles.lookup().findVarHandle(LockedStripe.class, "version", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Written by CAS and release stores only; the lock holder may read it plainly. */
  long version;

  /** Takes the lock if it is free; never waits. */
  final boolean tryLock() {
    long v = (long) VERSION.getOpaque(this);
    if ((v & 1L) == 0 && VERSION.compareAndSet(this, v, v + 1)) {
      VarHandle.storeStoreFence(); // data writes stay after the odd version (free on x86)
      return true;
    }
    return false;
  }

  /** Releases the lock; the holder's writes happen-before the next acquirer's reads. */
  final void unlock() {
    VERSION.setRelease(this, version + 1);
  }

  /** A version for an optimistic read: even if free, odd if a writer holds the stripe. */
  final long readVersion() {
    return (long) VERSION.getAcquire(this);
  }

  /** Tells whether an optimistic read that started at {@code start} saw no writer. */
  final boolean validate(long start) {
    VarHandle.loadLoadFence();
    return (start & 1L) == 0 && (long) VERSION.getOpaque(this) == start;
  }
}
