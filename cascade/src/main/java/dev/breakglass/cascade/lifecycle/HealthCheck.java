package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Health;

/**
 * Tells how a component is doing after it started, for the health gate of a recovery phase. A
 * lambda or a method reference such as {@code breaker::health}.
 *
 * <p>Staged recovery polls the check until it reports a healthy value or the health timeout
 * passes. A check that throws counts as not healthy this time; the exception is kept and
 * reported if the component never becomes healthy. A check that hangs is abandoned at the
 * health timeout.
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * Checks the component.
   *
   * @return the component's health right now
   * @throws Exception if the check itself failed; counted as not healthy and reported
   */
  Health check() throws Exception;
}
