/**
 * breakglass circuit-breaker: A circuit breaker with fallbacks: count and time sliding windows, failure-rate and slow-call thresholds, half-open trials, events and a registry, on a lock-free, allocation-free hot path.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.breakglass.circuitbreaker;

import org.jspecify.annotations.NullMarked;
