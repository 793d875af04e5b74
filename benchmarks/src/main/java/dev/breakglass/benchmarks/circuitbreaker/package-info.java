/**
 * Benchmarks of the circuit breaker: its hot paths alone ({@link
 * dev.breakglass.benchmarks.circuitbreaker.CircuitBreakerHotPathBenchmark}) and side by side
 * with Resilience4j and Failsafe ({@link
 * dev.breakglass.benchmarks.circuitbreaker.CircuitBreakerBenchmark}).
 */
package dev.breakglass.benchmarks.circuitbreaker;
