package dev.breakglass.cascade.lifecycle;

import java.time.Duration;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * JDK Flight Recorder events for a whole shutdown or recovery run, committed when its report
 * is made, with the run's elapsed time by the sequencer's ticker as a field. Enabled by default
 * in a recording; with no recording running, {@link jdk.jfr.Event#shouldCommit()} is false and
 * nothing is built.
 *
 * <p>Not thread-safe: each instance is used by one thread.
 */
final class RunFlightEvent {

  private RunFlightEvent() {}

  static void shutdown(ShutdownReport report) {
    ShutdownEnded event = new ShutdownEnded();
    if (event.shouldCommit()) {
      event.components = report.components().size();
      event.elapsed = nanos(report.elapsed());
      event.deadline = nanos(report.deadline());
      event.summary = report.summary();
      event.commit();
    }
  }

  static void recovery(RecoveryReport report) {
    RecoveryEnded event = new RecoveryEnded();
    if (event.shouldCommit()) {
      event.components = report.components().size();
      event.elapsed = nanos(report.elapsed());
      event.deadline = nanos(report.deadline());
      event.succeeded = report.succeeded();
      event.summary = report.summary();
      event.commit();
    }
  }

  private static long nanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  /** An ordered shutdown ended. */
  @Name("dev.breakglass.Shutdown")
  @Label("Shutdown")
  @Description("An ordered shutdown ended")
  @Category({"breakglass", "Lifecycle"})
  @StackTrace(false)
  static final class ShutdownEnded extends jdk.jfr.Event {
    @Label("Components")
    int components;

    @Label("Elapsed")
    @Description("How long the shutdown took, by the sequencer's ticker")
    @Timespan(Timespan.NANOSECONDS)
    long elapsed;

    @Label("Deadline")
    @Timespan(Timespan.NANOSECONDS)
    long deadline;

    @Label("Summary")
    @Nullable String summary;
  }

  /** A staged recovery ended. */
  @Name("dev.breakglass.Recovery")
  @Label("Recovery")
  @Description("A staged recovery ended")
  @Category({"breakglass", "Lifecycle"})
  @StackTrace(false)
  static final class RecoveryEnded extends jdk.jfr.Event {
    @Label("Components")
    int components;

    @Label("Elapsed")
    @Description("How long the recovery took, by the sequencer's ticker")
    @Timespan(Timespan.NANOSECONDS)
    long elapsed;

    @Label("Deadline")
    @Timespan(Timespan.NANOSECONDS)
    long deadline;

    @Label("Succeeded")
    boolean succeeded;

    @Label("Summary")
    @Nullable String summary;
  }
}
