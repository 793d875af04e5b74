package dev.breakglass.core.incident;

/**
 * The milestones of an {@link Incident}, in the order they happen. An incident's milestones
 * are never earlier than the ones before them: a milestone reached before an earlier one (a
 * mitigation journalled before the detection it answers) counts as reached at the earlier one.
 */
public enum Milestone {
  /** The first failure signal: the incident opens. */
  STARTED,
  /** The first detection (a breaker opened, severity raised, a person declared it). */
  DETECTED,
  /** The first mitigation (a shed, a deferral, a rejection, a fallback, a rollback). */
  MITIGATED,
  /** Every component involved is healthy again (every breaker involved CLOSED). */
  RECOVERED,
  /** Back to normal: severity NORMAL, every component healthy, then a quiet window. */
  RESOLVED;

  /**
   * Returns the milestone's name as written in reports: lower case.
   *
   * @return for example {@code "detected"}
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
