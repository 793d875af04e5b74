package dev.breakglass.cascade.lifecycle;

/**
 * How a component fared in a shutdown or a recovery run.
 *
 * <p>For ordering, every outcome of a shutdown except {@link #SKIPPED} counts as "stopped": a
 * component that failed or timed out no longer holds up what it depends on.
 */
public enum Outcome {
  /** Shutdown: every stop step ran and returned normally. */
  STOPPED("stopped"),
  /** Recovery: the start step returned normally and the component passed its health gate. */
  STARTED("started"),
  /** A step threw; the cause is reported. A failed stop still counts as stopped. */
  FAILED("failed"),
  /**
   * The component was abandoned because its timeout or the overall deadline passed while a
   * step was still running; that step's thread was interrupted.
   */
  TIMED_OUT("timed out"),
  /** Recovery: started, but the health check did not report healthy before the timeout. */
  UNHEALTHY("unhealthy"),
  /**
   * Nothing ran: the deadline came first, the recovery had stopped, or the component had
   * already been stopped by an earlier run. The report's detail says which.
   */
  SKIPPED("skipped");

  private final String label;

  Outcome(String label) {
    this.label = label;
  }

  /**
   * Returns the lower-case name used in text reports, e.g. {@code "timed out"}.
   *
   * @return the label
   */
  public String label() {
    return label;
  }
}
