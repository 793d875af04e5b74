package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Tier;
import org.jspecify.annotations.Nullable;

/**
 * The journal entries of a sequencer run, into the sequencer's {@link IncidentJournal} if it
 * has one. Callers ask {@link #isOn()} before building a detail that costs something.
 *
 * <p>Thread-safe: the journal is.
 */
final class RunJournal {

  private final @Nullable IncidentJournal journal;

  RunJournal(@Nullable IncidentJournal journal) {
    this.journal = journal;
  }

  /** Whether entries are recorded at all. */
  boolean isOn() {
    return journal != null;
  }

  void record(String source, String kind, String detail) {
    record(EventCategory.INFO, source, kind, null, null, detail);
  }

  void record(EventCategory category, String source, String kind, @Nullable Tier tier,
      @Nullable Health health, String detail) {
    IncidentJournal journal = this.journal;
    if (journal != null) {
      journal.record(category, source, kind, null, tier, health, detail);
    }
  }

  /**
   * Records a component's final result under the kind its outcome gives: {@code done} (e.g.
   * "stopped", with {@code doneDetail}) for a stop or start that ran to its end, else "failed",
   * "timed-out" or "skipped" with the result's detail.
   */
  void recordOutcome(String name, NodeResult result, String done, String doneDetail) {
    IncidentJournal journal = this.journal;
    if (journal == null) {
      return;
    }
    switch (result.outcome()) {
      case STOPPED, STARTED -> journal.record(name, done, doneDetail);
      case FAILED -> journal.record(EventCategory.SIGNAL, name, "failed", result.detail()
          + (result.steps().isEmpty() ? "" : "; " + StepReport.describe(result.steps())));
      case TIMED_OUT -> journal.record(EventCategory.SIGNAL, name, "timed-out", result.detail());
      case UNHEALTHY, SKIPPED -> journal.record(name, "skipped", result.detail());
    }
  }
}
