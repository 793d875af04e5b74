package dev.breakglass.fingerprint;

import java.time.Duration;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * A JDK Flight Recorder event for each stage of a {@link RollbackPlan rollback} that ran
 * (stages without a hook, or after a failed one, have none). The event spans the hook's run in
 * the recording's time line (begun before the hook, ended after it) and carries the duration by
 * the plan's ticker as a field. Enabled by default in a recording; with no recording running,
 * {@link #isEnabled()} is false and the event is neither begun nor filled in.
 *
 * <p>Not thread-safe: each instance is used by one thread.
 */
@Name("dev.breakglass.RollbackStage")
@Label("Rollback Stage")
@Description("A stage of a rollback to a known-stable snapshot ran")
@Category({"breakglass", "Fingerprint"})
@StackTrace(false)
final class RollbackFlightEvent extends jdk.jfr.Event {

  @Label("Source")
  @Description("The rollback's journal source: the plan's name")
  @Nullable String source;

  @Label("Stage")
  @Description("The stage: stabilise, restore, reinitialise, validate")
  @Nullable String stage;

  @Label("Target")
  @Description("The sequence number of the snapshot rolled back to")
  long target;

  @Label("Stage Duration")
  @Description("How long the hook ran, by the plan's ticker")
  @Timespan(Timespan.NANOSECONDS)
  long stageDuration;

  @Label("Outcome")
  @Description("succeeded or failed")
  @Nullable String outcome;

  @Label("Failure")
  @Description("What the hook threw, or empty")
  @Nullable String failure;

  /** A new event, begun if a recording wants it. */
  static RollbackFlightEvent started() {
    RollbackFlightEvent event = new RollbackFlightEvent();
    if (event.isEnabled()) {
      event.begin();
    }
    return event;
  }

  /** Ends and commits the event if a recording wants it. */
  void end(String source, RollbackStage stage, long target, Duration took,
      @Nullable Throwable failure) {
    if (!isEnabled()) {
      return;
    }
    end();
    if (shouldCommit()) {
      this.source = source;
      this.stage = stage.journalKind();
      this.target = target;
      this.stageDuration = took.toNanos();
      this.outcome = failure == null ? "succeeded" : "failed";
      this.failure = failure == null ? "" : failure.toString();
      commit();
    }
  }
}
