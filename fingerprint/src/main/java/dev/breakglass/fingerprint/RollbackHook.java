package dev.breakglass.fingerprint;

/**
 * The work of one rollback stage, supplied by the service. A hook fails by throwing; the
 * rollback then stops and reports the stage and the exception.
 *
 * <p>A hook runs on the thread that called {@link RollbackPlan#rollBack(Value)}; a plan that is
 * used from several threads needs hooks that tolerate that.
 */
@FunctionalInterface
public interface RollbackHook {

  /**
   * Runs the stage.
   *
   * @param context the target, the saved pre-rollback state and what will change
   * @throws Exception if the stage failed
   */
  void run(RollbackContext context) throws Exception;
}
