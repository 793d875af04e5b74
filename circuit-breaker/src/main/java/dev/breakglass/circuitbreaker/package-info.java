/**
 * Circuit breakers: protect a call to a dependency by failing fast, or answering from a
 * fallback, while the dependency fails too often, and let trial calls through to find out when
 * it has recovered.
 *
 * <p>{@link dev.breakglass.circuitbreaker.CircuitBreaker} wraps calls (or hands out permits
 * for calls it cannot wrap); {@link dev.breakglass.circuitbreaker.CircuitBreakerConfig} says
 * when it opens and how it tests recovery;
 * {@link dev.breakglass.circuitbreaker.CircuitBreakerRegistry} keeps one breaker per
 * dependency; {@link dev.breakglass.circuitbreaker.CircuitBreakerEvent}s say what happened.
 * Count and time windows, failure-rate, slow-call and consecutive-failure thresholds, on a
 * lock-free, allocation-free hot path.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.breakglass.circuitbreaker;

import org.jspecify.annotations.NullMarked;
