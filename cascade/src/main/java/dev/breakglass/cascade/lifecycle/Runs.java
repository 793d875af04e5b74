package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.IncidentJournal;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * What the shutdown and recovery sequencers share about a run: its executor and its journal
 * entries. Stateless, apart from the {@link RunExecutor} of one run.
 */
final class Runs {

  private Runs() {}

  /**
   * The executor of one run: the caller's, or a private pool of daemon threads that {@link
   * #close()} shuts down (idle threads exit at once, the thread of an abandoned step when the
   * step returns). Confined to the coordinating thread.
   *
   * <p>The private pool has no maximum: it starts a thread only when every thread it has is
   * busy, so it holds one thread per component whose step is running at the same time, and
   * reuses them otherwise. A cap would let hung steps take the threads of components that do
   * not depend on them (with 64, 64 hung components made every other one wait for the whole
   * deadline), and the fair-share budgets assume that every component whose turn has come runs
   * at once. Platform threads, not virtual ones: a hung step that spins, or blocks while
   * pinned to its carrier, would stall every virtual thread sharing the few carriers.
   */
  static final class RunExecutor implements AutoCloseable {
    final Executor executor;
    private final @Nullable DefaultPool pool;

    private RunExecutor(Executor executor, @Nullable DefaultPool pool) {
      this.executor = executor;
      this.pool = pool;
    }

    static RunExecutor of(@Nullable Executor given, String threadPrefix) {
      if (given != null) {
        return new RunExecutor(given, null);
      }
      DefaultPool pool = DefaultPool.create(Integer.MAX_VALUE, threadPrefix);
      return new RunExecutor(pool, pool);
    }

    @Override
    public void close() {
      if (pool != null) {
        pool.shutdown();
      }
    }
  }

  static void record(@Nullable IncidentJournal journal, String source, String kind,
      String detail) {
    if (journal != null) {
      journal.record(source, kind, detail);
    }
  }

  /**
   * Records a component's final result under the kind its outcome gives: {@code done} (e.g.
   * "stopped", with {@code doneDetail}), "failed", "timed-out" or "skipped".
   */
  static void recordOutcome(@Nullable IncidentJournal journal, String name, NodeResult result,
      String done, String doneDetail) {
    if (journal == null) {
      return;
    }
    switch (result.outcome()) {
      case STOPPED:
      case STARTED:
        journal.record(name, done, doneDetail);
        break;
      case FAILED:
        journal.record(name, "failed", result.detail()
            + (result.steps().isEmpty() ? "" : "; " + Texts.steps(result.steps())));
        break;
      case TIMED_OUT:
        journal.record(name, "timed-out", result.detail());
        break;
      default:
        journal.record(name, "skipped", result.detail());
        break;
    }
  }
}
