package dev.breakglass.fingerprint;

import dev.breakglass.core.internal.DurationFormat;
import dev.breakglass.core.internal.PlainText;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RollbackPlan} did. Immutable, and thread-safe as far as the recorded failure
 * (the hook's own exception, kept as thrown) is.
 *
 * @param target the snapshot rolled back to
 * @param preRollback the snapshot of the state before the rollback: roll back to its
 *     fingerprint to undo this rollback
 * @param restored the snapshot appended after a successful rollback, recording that the
 *     service runs the target state again; null when a stage failed, or when appending it
 *     failed
 * @param restoredFailure why the restored snapshot could not be appended after every stage
 *     succeeded (the service runs the target state all the same, but the store's history does
 *     not say so); null otherwise
 * @param stages one result per {@link RollbackStage}, in order
 * @param duration the time from start to finish, by the plan's ticker
 */
public record RollbackReport(SnapshotInfo target, SnapshotInfo preRollback,
    @Nullable SnapshotInfo restored, @Nullable Exception restoredFailure,
    List<StageResult> stages, Duration duration) {

  /**
   * Validates and copies the components.
   *
   * @param target the snapshot rolled back to
   * @param preRollback the snapshot of the state before the rollback
   * @param restored the snapshot appended after success, or null
   * @param restoredFailure why appending the restored snapshot failed, or null
   * @param stages one result per stage, in order
   * @param duration the time from start to finish
   * @throws NullPointerException if a component other than {@code restored} and {@code
   *     restoredFailure} is null
   * @throws IllegalArgumentException if {@code stages} does not hold one result per stage in
   *     order, or if both {@code restored} and {@code restoredFailure} are set
   */
  public RollbackReport {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(preRollback, "preRollback");
    if (restored != null && restoredFailure != null) {
      throw new IllegalArgumentException("a report has a restored snapshot or the failure to "
          + "append one, not both: " + restored.describe() + ", " + restoredFailure);
    }
    stages = List.copyOf(stages);
    Objects.requireNonNull(duration, "duration");
    RollbackStage[] all = RollbackStage.values();
    if (stages.size() != all.length) {
      throw new IllegalArgumentException("a report needs " + all.length + " stage results, got "
          + stages.size());
    }
    for (int i = 0; i < all.length; i++) {
      if (stages.get(i).stage() != all[i]) {
        throw new IllegalArgumentException("stage result " + i + " is for "
            + stages.get(i).stage() + ", expected " + all[i]);
      }
    }
  }

  /**
   * Tells whether every stage succeeded or was skipped.
   *
   * @return {@code true} if no stage failed
   */
  public boolean succeeded() {
    return failedStage().isEmpty();
  }

  /**
   * Returns the stage that failed.
   *
   * @return the failed stage, or empty if the rollback succeeded
   */
  public Optional<RollbackStage> failedStage() {
    return stages.stream()
        .filter(s -> s.outcome() == StageResult.Outcome.FAILED)
        .map(StageResult::stage)
        .findFirst();
  }

  /**
   * Returns what the failed stage threw.
   *
   * @return the failure, or empty if the rollback succeeded
   */
  public Optional<Throwable> failure() {
    return stages.stream()
        .filter(s -> s.outcome() == StageResult.Outcome.FAILED)
        .map(StageResult::failure)
        .findFirst();
  }

  /**
   * Renders the report on a few lines: the outcome, then one line per stage. Labels and the
   * failures' messages are escaped (line breaks, control and bidirectional characters), so that
   * nothing in them can forge a line or reach a terminal as an escape sequence.
   *
   * @return the rendering
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    out.append(succeeded() ? "rolled back to " : "rollback FAILED at "
        + failedStage().orElseThrow().journalKind() + ", target ")
        .append(target.describe()).append(" in ").append(DurationFormat.format(duration))
        .append("; pre-rollback state saved as ").append(preRollback.describe()).append('\n');
    for (StageResult stage : stages) {
      out.append("  ").append(stage.stage().journalKind()).append(": ")
          .append(stage.outcome().name().toLowerCase(java.util.Locale.ROOT));
      if (stage.outcome() == StageResult.Outcome.SUCCEEDED
          || stage.outcome() == StageResult.Outcome.FAILED) {
        out.append(" in ").append(DurationFormat.format(stage.duration()));
      }
      if (stage.failure() != null) {
        out.append(": ").append(PlainText.escape(String.valueOf(stage.failure())));
      }
      out.append('\n');
    }
    if (restoredFailure != null) {
      out.append("  recording the restored state in the store failed: ")
          .append(PlainText.escape(String.valueOf(restoredFailure))).append('\n');
    }
    return out.toString();
  }
}
