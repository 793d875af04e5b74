/**
 * breakglass cascade: graceful degradation (the cascade manager, which sheds work by tier as
 * severity rises) and the lifecycle of a service's components (the dependency graph, ordered
 * shutdown in parallel under one deadline, staged health-gated recovery).
 */
module dev.breakglass.cascade {
  requires transitive dev.breakglass.core;
  requires static transitive org.jspecify; // transitive: @Nullable appears in the API
  requires static com.google.errorprone.annotations; // @GuardedBy, for Error Prone
  requires org.slf4j;
  // flight-recorder events (severity, sheds, restores, shutdown and recovery steps); jdk.jfr
  // is in every JDK and JRE image, and a jlink image gets it because of this line
  requires jdk.jfr;

  exports dev.breakglass.cascade.degradation;
  exports dev.breakglass.cascade.lifecycle;
}
