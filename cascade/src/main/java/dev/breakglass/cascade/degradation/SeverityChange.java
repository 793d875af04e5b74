package dev.breakglass.cascade.degradation;

import java.util.Objects;

/**
 * The event a {@link CascadeManager} publishes when its severity changes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param previous the mode before the change
 * @param current the mode after the change; its severity differs from {@code previous}'s
 * @param cause what caused the change, naming the signal and the rule, e.g.
 *     {@code "payments (CRITICAL) DOWN, rule critical-down"}
 */
public record SeverityChange(Mode previous, Mode current, String cause) {

  /**
   * Validates the components.
   *
   * @param previous the mode before the change
   * @param current the mode after the change
   * @param cause what caused the change
   *
   * @throws NullPointerException if any component is null
   * @throws IllegalArgumentException if the two modes have the same severity
   */
  public SeverityChange {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(cause, "cause");
    if (previous.severity() == current.severity()) {
      throw new IllegalArgumentException(
          "a severity change must change the severity, was " + previous.severity() + " -> "
              + current.severity());
    }
  }

  /**
   * Tells whether the severity rose.
   *
   * @return {@code true} for an escalation, {@code false} for a de-escalation
   */
  public boolean isEscalation() {
    return current.severity().isWorseThan(previous.severity());
  }
}
