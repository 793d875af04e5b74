/**
 * breakglass circuit-breaker: A circuit breaker with fallbacks: count and time sliding windows, failure-rate and slow-call thresholds, half-open trials, events and a registry, on a lock-free, allocation-free hot path.
 */
module dev.breakglass.circuitbreaker {
  requires transitive dev.breakglass.core;
  requires static transitive org.jspecify;
  requires org.slf4j;
  // flight-recorder events (transitions); jdk.jfr is in every JDK and JRE image, and a
  // jlink image gets it because of this line (see docs/observability.md)
  requires jdk.jfr;

  exports dev.breakglass.circuitbreaker;
}
