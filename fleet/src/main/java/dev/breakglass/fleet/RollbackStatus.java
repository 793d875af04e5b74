package dev.breakglass.fleet;

import dev.breakglass.core.internal.PlainText;
import dev.breakglass.fingerprint.RollbackStage;
import dev.breakglass.fingerprint.StageResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How far a {@link RollbackOrder} has come: per instance, whether it reported, and how each
 * stage of its rollback went. Immutable and thread-safe.
 *
 * @param order the order
 * @param instances one entry per expected instance, in the order's order, then any other
 *     instance that reported
 */
public record RollbackStatus(RollbackOrder order, List<Instance> instances) {

  /** Where one instance stands. */
  public enum State {
    /** It has not started the rollback, or has not said so yet. */
    NOT_REPORTED,
    /** It started the rollback and has not finished it (or stopped before saying so). */
    RUNNING,
    /** Every stage of its rollback succeeded or was skipped. */
    SUCCEEDED,
    /** Its rollback failed: a stage failed, or it could not start. */
    FAILED
  }

  /**
   * One instance's part in an order. Immutable and thread-safe.
   *
   * @param instance the instance's id
   * @param state where it stands
   * @param startedAt when it started, by the database's clock, or null if it did not report
   * @param finishedAt when it reported its outcome, or null
   * @param stages its stages as it reported them, in order; empty unless it finished
   * @param failure why it failed, for a rollback that could not start or a failed stage, or
   *     null
   */
  public record Instance(String instance, State state, @Nullable Instant startedAt,
      @Nullable Instant finishedAt, List<Stage> stages, @Nullable String failure) {

    /**
     * Validates and copies the components.
     *
     * @param instance the instance's id
     * @param state where it stands
     * @param startedAt when it started, or null
     * @param finishedAt when it finished, or null
     * @param stages its stages
     * @param failure why it failed, or null
     * @throws NullPointerException if {@code instance}, {@code state} or {@code stages} is null
     */
    public Instance {
      Objects.requireNonNull(instance, "instance");
      Objects.requireNonNull(state, "state");
      stages = List.copyOf(stages);
    }
  }

  /**
   * One stage of one instance's rollback, as it reported it. Immutable and thread-safe.
   *
   * @param stage the stage
   * @param outcome what happened
   * @param duration how long its hook ran
   * @param failure what the hook threw, as text, for a failed stage; null otherwise
   */
  public record Stage(RollbackStage stage, StageResult.Outcome outcome, Duration duration,
      @Nullable String failure) {

    /**
     * Validates the components.
     *
     * @param stage the stage
     * @param outcome what happened
     * @param duration how long its hook ran
     * @param failure what the hook threw, or null
     * @throws NullPointerException if {@code stage}, {@code outcome} or {@code duration} is null
     */
    public Stage {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(duration, "duration");
    }
  }

  /**
   * Validates and copies the components.
   *
   * @param order the order
   * @param instances one entry per instance
   * @throws NullPointerException if a component or an element is null
   */
  public RollbackStatus {
    Objects.requireNonNull(order, "order");
    instances = List.copyOf(instances);
  }

  /**
   * Returns how many instances rolled back successfully.
   *
   * @return the number in state {@link State#SUCCEEDED}
   */
  public int succeeded() {
    return count(State.SUCCEEDED);
  }

  /**
   * Returns how many instances failed to roll back.
   *
   * @return the number in state {@link State#FAILED}
   */
  public int failed() {
    return count(State.FAILED);
  }

  /**
   * Returns how many instances are rolling back.
   *
   * @return the number in state {@link State#RUNNING}
   */
  public int running() {
    return count(State.RUNNING);
  }

  /**
   * Returns how many expected instances have not reported yet.
   *
   * @return the number in state {@link State#NOT_REPORTED}
   */
  public int notReporting() {
    return count(State.NOT_REPORTED);
  }

  /**
   * Tells whether every instance finished, successfully or not.
   *
   * @return {@code true} when none is running or still to report
   */
  public boolean isComplete() {
    return running() == 0 && notReporting() == 0;
  }

  private int count(State state) {
    return (int) instances.stream().filter(i -> i.state() == state).count();
  }

  /**
   * Renders the status: a summary line, then one line per instance with its stages; names and
   * failures escaped.
   *
   * @return the rendering, ending with a line break
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    out.append("rollback order #").append(order.id()).append(" to ")
        .append(order.target().toShortString()).append(": ")
        .append(succeeded()).append(" succeeded, ").append(failed()).append(" failed, ")
        .append(running()).append(" running, ").append(notReporting())
        .append(" not reporting\n");
    for (Instance instance : instances) {
      out.append("  ").append(PlainText.escape(instance.instance())).append(": ")
          .append(instance.state().name().toLowerCase(Locale.ROOT).replace('_', ' '));
      for (Stage stage : instance.stages()) {
        out.append("; ").append(stage.stage().journalKind()).append(' ')
            .append(stage.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '));
      }
      if (instance.failure() != null) {
        out.append(": ").append(PlainText.escape(instance.failure()));
      }
      out.append('\n');
    }
    return out.toString();
  }
}
