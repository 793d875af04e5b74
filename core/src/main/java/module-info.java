/**
 * The shared vocabulary of breakglass: the {@link dev.breakglass.core.Ticker time source},
 * {@link dev.breakglass.core.Severity severity}, {@link dev.breakglass.core.Tier tiers},
 * {@link dev.breakglass.core.Health health}, the {@link dev.breakglass.core.Listeners listener
 * plumbing} and the {@link dev.breakglass.core.IncidentJournal incident journal}.
 *
 * <p>This module depends on {@code java.base} only; the jspecify nullness annotations are
 * needed at compile time alone, and {@code jdk.jfr} is used only where the runtime has it (the
 * incident flight-recorder event).
 */
@SuppressWarnings("module") // the qualified export names modules compiled after this one
module dev.breakglass.core {
  requires static transitive org.jspecify;
  requires static com.google.errorprone.annotations; // @GuardedBy, for Error Prone
  // the incident flight-recorder event: used only where the runtime has jdk.jfr (every JDK
  // image does; circuit-breaker and cascade require it), so core still needs java.base alone
  requires static jdk.jfr;

  exports dev.breakglass.core;
  exports dev.breakglass.core.incident;
  // implementation support shared by the breakglass modules; not API
  exports dev.breakglass.core.internal to
      dev.breakglass.circuitbreaker,
      dev.breakglass.cascade,
      dev.breakglass.fingerprint,
      dev.breakglass.fleet;
}
