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
 *
 * @param name the component's name
 * @param tier the component's declared tier
 * @param effectiveTier the component's effective tier in its graph (see
 *     {@link DependencyGraph#effectiveTier(String)}); in a recovery, this is its phase
 * @param wave in a shutdown, its wave in the {@link ShutdownPlan}; in a recovery, its wave
 *     within its phase of the {@link RecoveryPlan}; from 0
 * @param outcome how the component fared
 * @param start when the component's work began, from the start of the run; null if nothing ran
 *     ({@link Outcome#SKIPPED})
 * @param end when the component's work ended (or it was abandoned), from the start of the run;
 *     null if nothing ran
 * @param steps the steps that ran, in order; none for a component without steps or one that
 *     was skipped
 * @param failure the first exception a step threw; in a recovery, for an unhealthy component,
 *     the last exception its health check threw, if any; null if nothing threw
 * @param detail a short, human-readable explanation of the outcome, such as
 *     {@code "abandoned in drain after 5.000s (stop timeout 5.000s)"}; empty when the outcome
 *     says it all
 * @param health the last health the component's health check reported during recovery; null in
 *     a shutdown, or if the component has no health check or it never returned a value
 */
public record ComponentReport(
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

  /**
   * Validates the components and copies the steps.
   *
   * @param name the component's name
   * @param tier its declared tier
   * @param effectiveTier its effective tier
   * @param wave its wave
   * @param outcome how it fared
   * @param start when its work began, or null
   * @param end when its work ended, or null
   * @param steps the steps that ran
   * @param failure the first failure, or null
   * @param detail the explanation, possibly empty
   * @param health the last health reported, or null
   * @throws NullPointerException if a component that may not be null is null
   */
  public ComponentReport {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(effectiveTier, "effectiveTier");
    Objects.requireNonNull(outcome, "outcome");
    steps = List.copyOf(steps);
    Objects.requireNonNull(detail, "detail");
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
   * Describes the report in one line, its name and detail escaped as {@link PlainText} does.
   *
   * @return e.g. {@code "ComponentReport[payments, timed out, abandoned in drain after 5.000s]"}
   */
  @Override
  public String toString() {
    return "ComponentReport[" + PlainText.escape(name) + ", " + outcome.label()
        + (detail.isEmpty() ? "" : ", " + PlainText.escape(detail)) + "]";
  }
}
