/**
 * Micrometer meters for breakglass: {@link dev.breakglass.micrometer.CircuitBreakerMeters}
 * (one breaker, or every breaker of a registry, now and later),
 * {@link dev.breakglass.micrometer.CascadeMeters} (severity, admitted tiers, capacity factor,
 * sheds and restores), {@link dev.breakglass.micrometer.LimiterMeters} (an admission limiter's
 * limits, calls in flight, rejections and limit changes),
 * {@link dev.breakglass.micrometer.DeferralMeters} (a deferral's pending, deferred, replayed,
 * expired and rejected work by tier), {@link dev.breakglass.micrometer.JournalMeters} (journal
 * entries by source and kind) and {@link dev.breakglass.micrometer.IncidentMeters} (open
 * incidents, escalations, and the time to detect, mitigate, recover and resolve by peak
 * severity).
 *
 * <p>Every binder is a {@link io.micrometer.core.instrument.binder.MeterBinder}: bind it to one
 * or more registries with {@code bindTo}, and {@code close()} it to remove its meters and stop
 * listening. Gauges and function counters read the bound object when the registry is scraped,
 * so they add nothing to the object's hot path.
 */
@NullMarked
package dev.breakglass.micrometer;

import org.jspecify.annotations.NullMarked;
