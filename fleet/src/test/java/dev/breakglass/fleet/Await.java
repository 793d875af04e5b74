package dev.breakglass.fleet;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Polls a condition until it holds or a deadline passes: how the tests wait. Stateless. */
final class Await {

  /** Long enough for a loaded 2-core machine; a passing test waits far less. */
  static final Duration LIMIT = Duration.ofSeconds(60);

  /** A condition that may throw (a query). */
  @FunctionalInterface
  interface Condition {
    boolean holds() throws Exception;
  }

  private Await() {}

  /** Waits until {@code condition} holds; fails naming {@code what} after {@link #LIMIT}. */
  static void until(String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("waited " + LIMIT.toSeconds() + " s for: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }
}
