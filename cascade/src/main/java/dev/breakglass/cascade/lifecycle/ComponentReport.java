package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Health;
import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.PlainText;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one component in a shutdown or a recovery run: its place in the plan, the
 * steps that ran with their times, and the outcome with its cause or reason.
 *
 * <p>Times are offsets from the start of the run, measured with the sequencer's ticker.
 *
 * <p>Immutable and thread-safe.
 */
public final class ComponentReport {

  private final String name;
  private final Tier tier;
  private final Tier effectiveTier;
  private final int wave;
  private final Outcome outcome;
  private final @Nullable Duration start;
  private final @Nullable Duration end;
  private final List<StepReport> steps;
  private final @Nullable Throwable failure;
  private final String detail;
  private final @Nullable Health health;

  ComponentReport(
      String name,
      Tier tier,
      Tier effectiveTier,
      int wave,
      Outcome outcome,
      @Nullable Duration start,
      @Nullable Duration end,
      List<StepReport> steps,
      @Nullable Throwable failure,
      String detail,
      @Nullable Health health) {
    this.name = Objects.requireNonNull(name, "name");
    this.tier = Objects.requireNonNull(tier, "tier");
    this.effectiveTier = Objects.requireNonNull(effectiveTier, "effectiveTier");
    this.wave = wave;
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.start = start;
    this.end = end;
    this.steps = List.copyOf(steps);
    this.failure = failure;
    this.detail = Objects.requireNonNull(detail, "detail");
    this.health = health;
  }

  /**
   * Returns the component's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the component's declared tier.
   *
   * @return the tier the component was built with
   */
  public Tier tier() {
    return tier;
  }

  /**
   * Returns the component's effective tier in its graph (see
   * {@link DependencyGraph#effectiveTier(String)}); in a recovery, this is its phase.
   *
   * @return the effective tier
   */
  public Tier effectiveTier() {
    return effectiveTier;
  }

  /**
   * Returns the component's wave: in a shutdown, its wave in the {@link ShutdownPlan}; in a
   * recovery, its wave within its phase of the {@link RecoveryPlan}.
   *
   * @return the wave, from 0
   */
  public int wave() {
    return wave;
  }

  /**
   * Returns how the component fared.
   *
   * @return the outcome
   */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * Returns when the component's work began, measured from the start of the run.
   *
   * @return the offset, or null if nothing ran ({@link Outcome#SKIPPED})
   */
  public @Nullable Duration start() {
    return start;
  }

  /**
   * Returns when the component's work ended (or it was abandoned), measured from the start of
   * the run.
   *
   * @return the offset, or null if nothing ran ({@link Outcome#SKIPPED})
   */
  public @Nullable Duration end() {
    return end;
  }

  /**
   * Returns how long the component's work took, up to its abandonment if it timed out.
   *
   * @return {@code end - start}, or zero if nothing ran
   */
  public Duration duration() {
    return start == null || end == null ? Duration.ZERO : end.minus(start);
  }

  /**
   * Returns the steps that ran, in order. A component without steps, or one that was skipped,
   * has none.
   *
   * @return an immutable list of the steps run
   */
  public List<StepReport> steps() {
    return steps;
  }

  /**
   * Returns the first exception a step threw; in a recovery, for an unhealthy component, the
   * last exception its health check threw, if any.
   *
   * @return the cause, or null if nothing threw
   */
  public @Nullable Throwable failure() {
    return failure;
  }

  /**
   * Returns a short, human-readable explanation of the outcome, such as
   * {@code "abandoned in drain after 5.000s (stop timeout 5.000s)"}.
   *
   * @return the explanation; empty when the outcome says it all
   */
  public String detail() {
    return detail;
  }

  /**
   * Returns the last health the component's health check reported during recovery.
   *
   * @return the health, or null in a shutdown, or if the component has no health check or it
   *     never returned a value
   */
  public @Nullable Health health() {
    return health;
  }

  @Override
  public String toString() {
    return "ComponentReport[" + PlainText.escape(name) + ", " + outcome.label()
        + (detail.isEmpty() ? "" : ", " + PlainText.escape(detail)) + "]";
  }
}
