package dev.breakglass.cascade.degradation;

/**
 * An {@link AdmissionLimiter}'s algorithm moved its limit, published to
 * {@link AdmissionLimiter#onLimitChange} listeners when a sample window closes.
 *
 * <p>Thread-safety: immutable.
 *
 * @param limiter the limiter's name
 * @param previous the limit before the window closed
 * @param current the new limit (before any capacity factor)
 * @param window a summary of the window that led to it, such as
 *     {@code "samples=10, drops=0, avgRtt=1.2ms, minRtt=0.9ms, maxInFlight=19"}
 */
public record LimitChange(String limiter, int previous, int current, String window) {}
