package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.DurationFormat;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The starts of one recovery phase: each component's start step, dependencies first, halting
 * on the first start that fails or outlives its start timeout. Its {@code "start"} journal
 * entry is written by the job just before the step, so that it precedes anything the step
 * records.
 *
 * <p>Not thread-safe: confined to the coordinating thread.
 */
final class PhaseStart extends PhaseCallbacks {

  private static final StepKind[] START = {StepKind.START};

  private final RecoveryPlan plan;
  private final Tier phase;
  private final @Nullable Duration startTimeout;
  private @Nullable NodeResult lastFailure;

  PhaseStart(RunSettings settings, RecoverySequencer recovery, @Nullable HandBack handBack,
      RecoveryPlan plan, Tier phase, @Nullable Duration startTimeout) {
    super(settings, recovery, handBack);
    this.plan = plan;
    this.phase = phase;
    this.startTimeout = startTimeout;
  }

  @Override
  public Job newJob(int node) {
    Step start = settings.graph().componentAt(node).start();
    return start == null
        ? Job.trivial(node, settings.ticker(), Outcome.STARTED)
        : new StepsJob(node, settings.ticker(), START, new Step[] {start}, Outcome.STARTED,
            journalStart(node));
  }

  @Override
  public long budgetNanos(int node, long startNanos, long remainingNanos) {
    Duration own = settings.graph().componentAt(node).startTimeout();
    if (own == null) {
      own = startTimeout;
    }
    return own == null ? Long.MAX_VALUE : DurationFormat.saturatedNanos(own);
  }

  @Override
  public String budgetLabel(int node, long budgetNanos) {
    return "start timeout " + DurationFormat.format(budgetNanos);
  }

  @Override
  public boolean haltsOnFailure() {
    return true;
  }

  @Override
  public String haltReason(int culprit) {
    NodeResult failed = lastFailure;
    String what = failed != null && failed.outcome() == Outcome.TIMED_OUT
        ? " timed out starting" : " failed to start";
    return "not started: " + settings.graph().componentAt(culprit).name() + what;
  }

  private @Nullable Runnable journalStart(int node) {
    RunJournal journal = settings.journal();
    if (!journal.isOn()) {
      return null;
    }
    String name = settings.graph().componentAt(node).name();
    String detail = "phase " + phase + ", wave " + plan.waveAt(node);
    return () -> journal.record(name, "start", detail);
  }

  @Override
  public void onEnd(int node, NodeResult result) {
    if (result.outcome() == Outcome.FAILED || result.outcome() == Outcome.TIMED_OUT) {
      lastFailure = result;
    }
    StepFlightEvent.recovery(settings.graph().componentAt(node), result);
    RunJournal journal = settings.journal();
    if (journal.isOn()) {
      journal.recordOutcome(settings.graph().componentAt(node).name(), result, "started",
          result.steps().isEmpty() ? "no start step" : StepReport.describe(result.steps()));
    }
  }
}
