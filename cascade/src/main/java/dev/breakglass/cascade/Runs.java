package dev.breakglass.cascade;

import dev.breakglass.core.IncidentJournal;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * What the shutdown and recovery sequencers share about a run: its executor and its journal
 * entries. Stateless, apart from the {@link RunExecutor} of one run.
 */
final class Runs {

  /** At most this many threads in the default executor of one run. */
  static final int MAX_DEFAULT_THREADS = 64;

  private Runs() {}

  /**
   * The executor of one run: the caller's, or a private pool of daemon threads that {@link
   * #close()} shuts down (idle threads exit at once, the thread of an abandoned step when the
   * step returns). Confined to the coordinating thread.
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
      DefaultPool pool = DefaultPool.create(MAX_DEFAULT_THREADS, threadPrefix);
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
  static void recordOutcome(@Nullable IncidentJournal journal, String name, Engine.Result result,
      String done, String doneDetail) {
    if (journal == null) {
      return;
    }
    switch (result.outcome) {
      case STOPPED:
      case STARTED:
        journal.record(name, done, doneDetail);
        break;
      case FAILED:
        journal.record(name, "failed", result.detail
            + (result.steps.isEmpty() ? "" : "; " + Texts.steps(result.steps)));
        break;
      case TIMED_OUT:
        journal.record(name, "timed-out", result.detail);
        break;
      default:
        journal.record(name, "skipped", result.detail);
        break;
    }
  }
}
