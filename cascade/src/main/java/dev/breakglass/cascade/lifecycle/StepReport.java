package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.internal.DurationFormat;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One step that ran during a shutdown or a recovery: which step, when it began, how long it
 * took, and whether it returned, threw or was abandoned.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind which step this was
 * @param start when the step began, measured from the start of the run
 * @param duration how long the step ran; for an abandoned step, until it was abandoned
 * @param failure what the step threw; for a health check that never reported healthy, the last
 *     exception it threw, if any; null if the step did not throw
 * @param abandoned whether the step was still running when its component was abandoned
 */
public record StepReport(
    StepKind kind, Duration start, Duration duration, @Nullable Throwable failure,
    boolean abandoned) {

  /**
   * Validates the components.
   *
   * @param kind which step this was
   * @param start when the step began
   * @param duration how long it ran
   * @param failure what it threw, or null
   * @param abandoned whether it was abandoned
   * @throws NullPointerException if {@code kind}, {@code start} or {@code duration} is null
   */
  public StepReport {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(duration, "duration");
  }

  /**
   * Tells whether the step returned normally.
   *
   * @return {@code true} if it neither threw nor was abandoned
   */
  public boolean succeeded() {
    return failure == null && !abandoned;
  }

  /**
   * Describes the step as the reports and the journal do: {@code "drain 12ms"},
   * {@code "flush failed after 2.0ms"}, {@code "drain abandoned after 5.000s"}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    String label = kind.label();
    String took = DurationFormat.format(duration);
    if (abandoned) {
      return label + " abandoned after " + took;
    }
    if (failure != null) {
      return label + " failed after " + took;
    }
    return label + " " + took;
  }

  /** "drain 40ms, release 1.0ms": the steps as the reports and the journal list them. */
  static String describe(List<StepReport> steps) {
    StringBuilder out = new StringBuilder();
    for (StepReport step : steps) {
      out.append(out.length() == 0 ? "" : ", ").append(step);
    }
    return out.toString();
  }
}
