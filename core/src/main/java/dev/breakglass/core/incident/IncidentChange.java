package dev.breakglass.core.incident;

import java.util.Objects;

/**
 * What an {@link IncidentTracker}'s listeners hear: an incident opened, escalated or resolved.
 *
 * @param type what happened
 * @param incident the incident as it is right after the change
 */
public record IncidentChange(Type type, Incident incident) {

  /**
   * Validates the components.
   *
   * @param type what happened
   * @param incident the incident right after the change
   * @throws NullPointerException if either is null
   */
  public IncidentChange {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(incident, "incident");
  }

  /** What happened to the incident. */
  public enum Type {
    /** It opened: the first failure signal, or a person opened it. */
    OPENED,
    /** Its peak severity rose. */
    ESCALATED,
    /** It was resolved, by the rule or by a person. */
    RESOLVED
  }
}
