package dev.breakglass.fleet;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with "equal jitter" (M. Brooker, "Exponential Backoff And Jitter",
 * 2015): each wait is random between half of a bound and the bound, which doubles from
 * {@code min} to {@code max}, so instances that lost the database together do not all knock at
 * once when it returns. Used by one thread at a time.
 */
final class Backoff {

  private final long minNanos;
  private final long maxNanos;
  private long bound;

  Backoff(long minNanos, long maxNanos) {
    this.minNanos = minNanos;
    this.maxNanos = maxNanos;
    this.bound = minNanos;
  }

  /** The next wait, in nanoseconds: at least half the current bound, which then doubles. */
  long next() {
    long current = bound;
    bound = Math.min(maxNanos, bound * 2);
    return current / 2 + ThreadLocalRandom.current().nextLong(current / 2 + 1);
  }

  void reset() {
    bound = minNanos;
  }
}
