/**
 * Graceful degradation: the {@link dev.breakglass.cascade.degradation.CascadeManager} holds one
 * severity for the service and answers, lock-free, which tiers of work and which features may
 * run now, shedding the least important first as the severity rises and restoring them with
 * hysteresis; a {@link dev.breakglass.cascade.degradation.Deferral} holds the work of shed tiers
 * and replays it, in order and at a controlled rate, when they are restored.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.breakglass.cascade.degradation;

import org.jspecify.annotations.NullMarked;
