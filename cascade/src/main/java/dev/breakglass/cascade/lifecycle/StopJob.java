package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Ticker;

/**
 * A component's stop steps in a shutdown run. Its {@code "stop"} journal entry, written just
 * before the first step so that it precedes anything the steps record, says why the
 * component's turn came (it stops as soon as everything that depends on it has finished, not
 * when its wave begins); a late finish after abandonment goes to the journal as
 * {@code "late"}.
 */
final class StopJob extends StepsJob {

  private final String name;
  private final RunJournal journal;

  StopJob(int node, Ticker ticker, Component component, RunJournal journal, int wave,
      int dependents) {
    super(node, ticker, component.stopStepKinds(), component.stopSteps(), Outcome.STOPPED,
        !journal.isOn() ? null : () -> journal.record(component.name(), "stop",
            "wave " + wave + ": " + (dependents == 0 ? "nothing depends on it"
                : dependents == 1 ? "its dependent has finished"
                : "its " + dependents + " dependents have finished")));
    this.name = component.name();
    this.journal = journal;
  }

  @Override
  void onLateFinish(String what) {
    journal.record(name, "late", what);
  }
}
