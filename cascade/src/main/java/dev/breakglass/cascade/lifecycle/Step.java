package dev.breakglass.cascade.lifecycle;

/**
 * One lifecycle step of a {@link Component}: start it, stop its intake, drain, flush or
 * release it. A lambda or a method reference such as {@code server::close}.
 *
 * <p>A step may throw: the sequencer reports the exception against the component and step
 * and carries on with the rest of the plan.
 */
@FunctionalInterface
public interface Step {

  /**
   * Runs the step.
   *
   * @throws Exception if the step failed; reported, never swallowed
   */
  void run() throws Exception;
}
