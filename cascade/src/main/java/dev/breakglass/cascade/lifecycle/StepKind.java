package dev.breakglass.cascade.lifecycle;

/**
 * What a step of a {@link ComponentReport} did: one of a {@link Component}'s lifecycle steps,
 * or the health gate of staged recovery. Each belongs to one {@link RunKind}: a shutdown runs
 * the stop steps, a recovery the start step and the health check.
 */
public enum StepKind {
  /** The component's start step, run by staged recovery. */
  START("start", RunKind.RECOVERY),
  /** The stop-intake step: refuse new work. */
  STOP_INTAKE("stop-intake", RunKind.SHUTDOWN),
  /** The drain step: finish the work in flight. */
  DRAIN("drain", RunKind.SHUTDOWN),
  /** The flush step: write buffered data out. */
  FLUSH("flush", RunKind.SHUTDOWN),
  /** The release step: close connections, free resources. */
  RELEASE("release", RunKind.SHUTDOWN),
  /** Polling the component's {@link HealthCheck} until it is healthy, in staged recovery. */
  HEALTH_CHECK("health", RunKind.RECOVERY);

  private final String label;
  private final RunKind run;

  StepKind(String label, RunKind run) {
    this.label = label;
    this.run = run;
  }

  /**
   * Returns the short name used in reports and the journal, e.g. {@code "stop-intake"}.
   *
   * @return the label
   */
  public String label() {
    return label;
  }

  /**
   * Returns the kind of run that runs this step.
   *
   * @return {@link RunKind#SHUTDOWN} for the stop steps, {@link RunKind#RECOVERY} for the start
   *     step and the health check
   */
  public RunKind run() {
    return run;
  }
}
