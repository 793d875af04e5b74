/**
 * Actuator support for breakglass: health indicators for the circuit breakers and the cascade
 * manager, and the {@code breakglass} endpoint (breakers, severity, admitted tiers, the journal
 * timeline; declaring a severity and forcing a breaker when its access allows writes).
 */
@NullMarked
package dev.breakglass.spring.boot.actuate;

import org.jspecify.annotations.NullMarked;
