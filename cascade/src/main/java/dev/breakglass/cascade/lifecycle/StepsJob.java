package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Ticker;
import org.jspecify.annotations.Nullable;

/** Runs a component's steps in order; stops early if abandoned or after a VirtualMachineError. */
sealed class StepsJob extends Job permits StopJob {
  private final Step[] steps;
  private final Outcome success;
  private final @Nullable Runnable beforeFirstStep;

  StepsJob(int node, Ticker ticker, StepKind[] kinds, Step[] steps, Outcome success,
      @Nullable Runnable beforeFirstStep) {
    super(node, ticker, kinds);
    this.steps = steps;
    this.success = success;
    this.beforeFirstStep = beforeFirstStep;
  }

  @Override
  final void beforeFirstStep() {
    if (beforeFirstStep != null) {
      beforeFirstStep.run();
    }
  }

  @Override
  final void body() {
    for (int i = 0; i < steps.length; i++) {
      if (!runStep(i, steps[i])) {
        return; // abandoned, or a VirtualMachineError ended it
      }
    }
  }

  @Override
  final Outcome successOutcome() {
    return success;
  }
}
