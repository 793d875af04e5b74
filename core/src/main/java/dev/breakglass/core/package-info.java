/**
 * The vocabulary the breakglass modules share.
 *
 * <ul>
 *   <li>{@link dev.breakglass.core.Ticker} and {@link dev.breakglass.core.ManualTicker}: the
 *       monotonic time source every time-dependent class takes, so tests never sleep, and
 *       {@link dev.breakglass.core.ManualScheduler}, which runs scheduled work when a test says
 *       so, at the times of a {@code ManualTicker};
 *   <li>{@link dev.breakglass.core.Severity}, {@link dev.breakglass.core.Tier} and
 *       {@link dev.breakglass.core.Health}: how bad things are, how much a component matters,
 *       and what a component reports about itself;
 *   <li>{@link dev.breakglass.core.Listeners}, {@link dev.breakglass.core.EventListener} and
 *       {@link dev.breakglass.core.Subscription}: listener plumbing whose events are built only
 *       when someone listens, and whose failing listeners never break the caller;
 *   <li>{@link dev.breakglass.core.HealthSource} and {@link dev.breakglass.core.HealthChange}:
 *       how one module's state (a breaker) feeds another (the cascade manager) without the two
 *       depending on each other;
 *   <li>{@link dev.breakglass.core.SeverityDeclarations}: how a severity declared elsewhere (for
 *       a whole fleet of instances) reaches an instance's cascade manager, the same way;
 *   <li>{@link dev.breakglass.core.IncidentJournal}: a bounded record of notable events that
 *       renders as a timeline after an incident.
 * </ul>
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.breakglass.core;

import org.jspecify.annotations.NullMarked;
