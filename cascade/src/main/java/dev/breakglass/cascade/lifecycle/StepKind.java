package dev.breakglass.cascade.lifecycle;

/**
 * What a step of a {@link ComponentReport} did: one of a {@link Component}'s lifecycle steps,
 * or the health gate of staged recovery.
 */
public enum StepKind {
  /** The component's start step, run by staged recovery. */
  START("start"),
  /** The stop-intake step: refuse new work. */
  STOP_INTAKE("stop-intake"),
  /** The drain step: finish the work in flight. */
  DRAIN("drain"),
  /** The flush step: write buffered data out. */
  FLUSH("flush"),
  /** The release step: close connections, free resources. */
  RELEASE("release"),
  /** Polling the component's {@link HealthCheck} until it is healthy, in staged recovery. */
  HEALTH_CHECK("health");

  private final String label;

  StepKind(String label) {
    this.label = label;
  }

  /**
   * Returns the short name used in reports and the journal, e.g. {@code "stop-intake"}.
   *
   * @return the label
   */
  public String label() {
    return label;
  }
}
