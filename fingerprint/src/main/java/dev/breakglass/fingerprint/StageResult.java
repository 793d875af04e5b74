package dev.breakglass.fingerprint;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one stage of a rollback went. Immutable, and thread-safe as far as the recorded
 * failure (the hook's own exception, kept as thrown) is.
 *
 * @param stage the stage
 * @param outcome what happened
 * @param duration how long its hook ran, by the plan's ticker; zero if it did not run
 * @param failure what the hook threw; non-null exactly when {@code outcome} is
 *     {@link Outcome#FAILED}
 */
public record StageResult(
    RollbackStage stage, Outcome outcome, Duration duration, @Nullable Throwable failure) {

  /** What happened to a stage. */
  public enum Outcome {
    /** The hook ran and returned normally. */
    SUCCEEDED,
    /** The hook threw; the rollback stopped here. */
    FAILED,
    /** The plan has no hook for this stage. */
    SKIPPED,
    /** An earlier stage failed, so this one did not run. */
    NOT_RUN
  }

  /**
   * Validates the components.
   *
   * @param stage the stage
   * @param outcome what happened
   * @param duration how long its hook ran
   * @param failure what the hook threw, for a failed stage
   * @throws NullPointerException if {@code stage}, {@code outcome} or {@code duration} is null,
   *     or {@code failure} is null for a failed stage
   * @throws IllegalArgumentException if {@code failure} is given for another outcome, or
   *     {@code duration} is negative
   */
  public StageResult {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, was " + duration);
    }
    if (outcome == Outcome.FAILED) {
      Objects.requireNonNull(failure, "a FAILED stage needs its failure");
    } else if (failure != null) {
      throw new IllegalArgumentException("only a FAILED stage has a failure, not " + outcome);
    }
  }
}
