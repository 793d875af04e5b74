package dev.breakglass.circuitbreaker;

/**
 * What asking for permission outside CLOSED comes to: the {@link Period} that lets the call
 * through (and that the call's outcome is then attributed to), or a {@link Rejected} call.
 */
sealed interface Admission permits Period, Admission.Rejected {

  /**
   * A call the breaker did not let through. A breaker shares one per rejecting state, unless
   * its rejections carry stack traces.
   *
   * @param exception what to throw, or to hand to the fallback
   */
  record Rejected(CallNotPermittedException exception) implements Admission {}
}
