package dev.breakglass.cascade.lifecycle;

import java.time.Duration;
import java.util.List;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * JDK Flight Recorder events for the steps of a shutdown or a recovery: one event per step
 * (drain, stop, start, health check, ...) of each component, committed when the component's
 * result is final, with the step's duration by the sequencer's ticker as a field (the event's
 * own time stamp is when it was committed). Enabled by default in a recording; with no
 * recording running, {@link jdk.jfr.Event#shouldCommit()} is false and nothing is built.
 *
 * <p>Not thread-safe: each instance is used by one thread.
 */
final class StepFlightEvent {

  private StepFlightEvent() {}

  /** Commits a shutdown-step event for each of a component's steps, if a recording wants it. */
  static void shutdown(Component component, NodeResult result) {
    ShutdownStep probe = new ShutdownStep();
    if (!probe.isEnabled()) {
      return;
    }
    List<StepReport> steps = result.steps();
    for (int i = 0; i < steps.size(); i++) {
      ShutdownStep event = i == 0 ? probe : new ShutdownStep();
      StepReport step = steps.get(i);
      if (event.shouldCommit()) {
        event.component = component.name();
        event.tier = component.tier().name();
        event.step = step.kind().label();
        event.stepDuration = nanos(step.duration());
        event.outcome = outcome(step);
        event.failure = failure(step.failure());
        event.commit();
      }
    }
  }

  /** Commits a recovery-step event for each of a component's steps, if a recording wants it. */
  static void recovery(Component component, NodeResult result) {
    RecoveryStep probe = new RecoveryStep();
    if (!probe.isEnabled()) {
      return;
    }
    List<StepReport> steps = result.steps();
    for (int i = 0; i < steps.size(); i++) {
      RecoveryStep event = i == 0 ? probe : new RecoveryStep();
      StepReport step = steps.get(i);
      if (event.shouldCommit()) {
        event.component = component.name();
        event.tier = component.tier().name();
        event.step = step.kind().label();
        event.stepDuration = nanos(step.duration());
        event.outcome = outcome(step);
        event.failure = failure(step.failure());
        event.commit();
      }
    }
  }

  private static long nanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  private static String outcome(StepReport step) {
    return step.abandoned() ? "abandoned" : step.failure() != null ? "failed" : "succeeded";
  }

  private static String failure(@Nullable Throwable failure) {
    return failure == null ? "" : failure.toString();
  }

  /** A step of a component's stop, in a shutdown. */
  @Name("dev.breakglass.ShutdownStep")
  @Label("Shutdown Step")
  @Description("A step of a component's stop in an ordered shutdown")
  @Category({"breakglass", "Lifecycle"})
  @StackTrace(false)
  static final class ShutdownStep extends jdk.jfr.Event {
    @Label("Component")
    @Nullable String component;

    @Label("Tier")
    @Nullable String tier;

    @Label("Step")
    @Description("Which step: drain, flush, stop, release, ...")
    @Nullable String step;

    @Label("Step Duration")
    @Description("How long the step ran, by the sequencer's ticker")
    @Timespan(Timespan.NANOSECONDS)
    long stepDuration;

    @Label("Outcome")
    @Description("succeeded, failed or abandoned")
    @Nullable String outcome;

    @Label("Failure")
    @Description("What the step threw, or empty")
    @Nullable String failure;
  }

  /** A step of a component's start or health gate, in a recovery. */
  @Name("dev.breakglass.RecoveryStep")
  @Label("Recovery Step")
  @Description("A step of a component's start or health check in a staged recovery")
  @Category({"breakglass", "Lifecycle"})
  @StackTrace(false)
  static final class RecoveryStep extends jdk.jfr.Event {
    @Label("Component")
    @Nullable String component;

    @Label("Tier")
    @Nullable String tier;

    @Label("Step")
    @Description("Which step: start, health check")
    @Nullable String step;

    @Label("Step Duration")
    @Description("How long the step ran, by the sequencer's ticker")
    @Timespan(Timespan.NANOSECONDS)
    long stepDuration;

    @Label("Outcome")
    @Description("succeeded, failed or abandoned")
    @Nullable String outcome;

    @Label("Failure")
    @Description("What the step threw, or empty")
    @Nullable String failure;
  }
}
