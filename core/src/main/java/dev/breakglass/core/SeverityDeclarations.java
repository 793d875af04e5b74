package dev.breakglass.core;

/**
 * Something that accepts a {@link Severity} declared by a person, which holds until it is
 * cleared: the cascade manager is one. This is how a severity declared elsewhere (the fleet
 * module's declaration for every instance of a service) reaches an instance's manager while
 * neither module depends on the other: {@code .declarationsTo(manager)}.
 *
 * <p>Implementations must be thread-safe.
 */
public interface SeverityDeclarations {

  /**
   * Declares a severity: it holds until {@link #clearDeclaration cleared}, and a later
   * declaration replaces it.
   *
   * @param severity the severity to hold
   * @param by who declares it, e.g. {@code "alice (on call)"}
   * @param reason why, e.g. {@code "payments provider incident INC-4711"}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code by} or {@code reason} is blank
   */
  void declare(Severity severity, String by, String reason);

  /**
   * Clears the declared severity, if one is in force.
   *
   * @param by who clears it
   * @param reason why
   * @return {@code true} if a declaration was in force, {@code false} if there was none
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code by} or {@code reason} is blank
   */
  boolean clearDeclaration(String by, String reason);
}
