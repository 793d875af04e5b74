package dev.breakglass.cascade.lifecycle;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One step that ran during a shutdown or a recovery: which step, when it began, how long it
 * took, and whether it returned, threw or was abandoned.
 *
 * <p>Immutable and thread-safe.
 */
public final class StepReport {

  private final StepKind kind;
  private final Duration start;
  private final Duration duration;
  private final @Nullable Throwable failure;
  private final boolean abandoned;

  StepReport(StepKind kind, Duration start, Duration duration, @Nullable Throwable failure,
      boolean abandoned) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.start = Objects.requireNonNull(start, "start");
    this.duration = Objects.requireNonNull(duration, "duration");
    this.failure = failure;
    this.abandoned = abandoned;
  }

  /**
   * Returns which step this was.
   *
   * @return the step kind
   */
  public StepKind kind() {
    return kind;
  }

  /**
   * Returns when the step began, measured from the start of the run.
   *
   * @return the offset of the step's start
   */
  public Duration start() {
    return start;
  }

  /**
   * Returns how long the step ran; for an abandoned step, until it was abandoned.
   *
   * @return the step's duration
   */
  public Duration duration() {
    return duration;
  }

  /**
   * Returns what the step threw; for a health check that never reported healthy, the last
   * exception it threw, if any.
   *
   * @return the exception, or null if the step did not throw
   */
  public @Nullable Throwable failure() {
    return failure;
  }

  /**
   * Tells whether the step was still running when its component was abandoned.
   *
   * @return {@code true} if the step was abandoned
   */
  public boolean abandoned() {
    return abandoned;
  }

  /**
   * Tells whether the step returned normally.
   *
   * @return {@code true} if it neither threw nor was abandoned
   */
  public boolean succeeded() {
    return failure == null && !abandoned;
  }

  @Override
  public String toString() {
    return Texts.step(this);
  }
}
