package dev.breakglass.cascade.lifecycle;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a component fared in a shutdown or a recovery run. {@link #STOPPED} ends a shutdown only,
 * {@link #STARTED} and {@link #UNHEALTHY} a recovery only, the others either; {@link
 * #occursIn(RunKind)} says so.
 *
 * <p>For ordering, every outcome of a shutdown except {@link #SKIPPED} counts as "stopped": a
 * component that failed or timed out no longer holds up what it depends on.
 */
public enum Outcome {
  /** Shutdown: every stop step ran and returned normally. */
  STOPPED("stopped", RunKind.SHUTDOWN),
  /** Recovery: the start step returned normally and the component passed its health gate. */
  STARTED("started", RunKind.RECOVERY),
  /** A step threw; the cause is reported. A failed stop still counts as stopped. */
  FAILED("failed", null),
  /**
   * The component was abandoned because its timeout or the overall deadline passed while a
   * step was still running; that step's thread was interrupted.
   */
  TIMED_OUT("timed out", null),
  /** Recovery: started, but the health check did not report healthy before the timeout. */
  UNHEALTHY("unhealthy", RunKind.RECOVERY),
  /**
   * Nothing ran: the deadline came first, the recovery had stopped, or the component had
   * already been stopped by an earlier run. The report's detail says which.
   */
  SKIPPED("skipped", null);

  private final String label;
  /** The one kind of run this outcome ends, or null for both. */
  private final @Nullable RunKind only;

  Outcome(String label, @Nullable RunKind only) {
    this.label = label;
    this.only = only;
  }

  /**
   * Returns the lower-case name used in text reports, e.g. {@code "timed out"}.
   *
   * @return the label
   */
  public String label() {
    return label;
  }

  /**
   * Tells whether a run of the given kind can end a component with this outcome. A report's
   * {@code count} of an outcome that does not occur in its kind of run is always zero.
   *
   * @param run a kind of run
   * @return {@code true} if this outcome occurs in such runs
   * @throws NullPointerException if {@code run} is null
   */
  public boolean occursIn(RunKind run) {
    Objects.requireNonNull(run, "run");
    return only == null || only == run;
  }
}
