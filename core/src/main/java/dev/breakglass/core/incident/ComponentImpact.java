package dev.breakglass.core.incident;

import dev.breakglass.core.Health;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link Incident} did to one component: its health over the incident (for a
 * circuit breaker, its state: CLOSED is UP, HALF_OPEN DEGRADED, OPEN DOWN) and how many
 * entries it recorded.
 *
 * @param name the component (the entries' source)
 * @param worst the worst health it reported during the incident ({@link Health#UP} if it
 *     reported none)
 * @param spans its health over the incident, in time order, back to back; empty if it
 *     reported no health
 * @param entries how many of the incident's entries it recorded
 */
public record ComponentImpact(String name, Health worst, List<HealthSpan> spans, int entries) {

  /**
   * Validates and copies the components.
   *
   * @param name the component
   * @param worst the worst health it reported
   * @param spans its health over the incident
   * @param entries how many entries it recorded
   * @throws NullPointerException if any argument is null
   */
  public ComponentImpact {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(worst, "worst");
    spans = List.copyOf(spans);
  }

  /**
   * Tells whether the component was unhealthy at some point of the incident.
   *
   * @return whether {@link #worst()} is worse than UP
   */
  public boolean affected() {
    return worst != Health.UP;
  }

  /**
   * A component's health from one moment to the next.
   *
   * @param health the health
   * @param startNanos from when, by the journal's ticker
   * @param endNanos until when
   */
  public record HealthSpan(Health health, long startNanos, long endNanos) {

    /**
     * Validates the components.
     *
     * @param health the health
     * @param startNanos from when
     * @param endNanos until when
     * @throws NullPointerException if {@code health} is null
     * @throws IllegalArgumentException if {@code endNanos} is before {@code startNanos}
     */
    public HealthSpan {
      Objects.requireNonNull(health, "health");
      if (endNanos - startNanos < 0) {
        throw new IllegalArgumentException("endNanos must not be before startNanos ("
            + startNanos + "), was " + endNanos);
      }
    }
  }
}
