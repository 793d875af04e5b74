package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Severity;
import java.util.Objects;

/**
 * A severity declared by a person, which overrides the escalation rules of a
 * {@link CascadeManager} until it is cleared.
 *
 * <p>Immutable and thread-safe.
 *
 * @param severity the declared severity
 * @param by who declared it, e.g. {@code "alice (on call)"}
 * @param reason why, e.g. {@code "payments provider incident INC-4711"}
 */
public record Declaration(Severity severity, String by, String reason) {

  /**
   * Validates the components.
   *
   * @param severity the declared severity
   * @param by who declared it
   * @param reason why
   *
   * @throws NullPointerException if any component is null
   * @throws IllegalArgumentException if {@code by} or {@code reason} is blank
   */
  public Declaration {
    Objects.requireNonNull(severity, "severity");
    requireNonBlank(by, "by");
    requireNonBlank(reason, "reason");
  }

  static String requireNonBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
    }
    return value;
  }
}
