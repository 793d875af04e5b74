package dev.breakglass.circuitbreaker;

/**
 * What asking for permission outside CLOSED comes to: the {@link Period} that lets the call
 * through (and that the call's outcome is then attributed to), or the
 * {@link CallNotPermittedException} that rejects it, to throw or to hand to the fallback. The
 * rejection is the exception itself, so that rejecting a call reads and allocates nothing more
 * (a breaker shares one stackless exception per rejecting state).
 */
sealed interface Admission permits Period, CallNotPermittedException {}
