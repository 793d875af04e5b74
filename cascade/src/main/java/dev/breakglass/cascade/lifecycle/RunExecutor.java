package dev.breakglass.cascade.lifecycle;

import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The executor of one sequencer run: the caller's, or a private {@link DefaultPool} of daemon
 * threads that {@link #close()} shuts down (idle threads exit at once, the thread of an
 * abandoned step when the step returns). Confined to the coordinating thread.
 *
 * <p>The private pool has no maximum: it starts a thread only when every thread it has is
 * busy, so it holds one thread per component whose step is running at the same time, and
 * reuses them otherwise. A cap would let hung steps take the threads of components that do not
 * depend on them (with 64, 64 hung components made every other one wait for the whole
 * deadline), and the fair-share budgets assume that every component whose turn has come runs
 * at once. Platform threads, not virtual ones: a hung step that spins, or blocks while pinned
 * to its carrier, would stall every virtual thread sharing the few carriers.
 */
final class RunExecutor implements AutoCloseable {

  private final Executor executor;
  private final @Nullable DefaultPool pool;

  private RunExecutor(Executor executor, @Nullable DefaultPool pool) {
    this.executor = executor;
    this.pool = pool;
  }

  /**
   * The executor of a run: {@code given}, or a new private pool whose threads are named
   * {@code threadPrefix} and a number.
   */
  static RunExecutor of(@Nullable Executor given, String threadPrefix) {
    if (given != null) {
      return new RunExecutor(given, null);
    }
    DefaultPool pool = DefaultPool.create(Integer.MAX_VALUE, threadPrefix);
    return new RunExecutor(pool, pool);
  }

  Executor executor() {
    return executor;
  }

  /** Shuts the private pool down, if the run has one; the caller's executor is left alone. */
  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }
}
