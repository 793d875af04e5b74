/**
 * Micrometer support of the starter: {@link
 * dev.breakglass.spring.boot.metrics.BreakglassMetricsAutoConfiguration} binds the meters of
 * {@code breakglass-micrometer} (breakers, cascade manager, journal, incidents, and the
 * application's admission limiters and deferrals) to the application's meter registries, when
 * Micrometer and {@code breakglass-micrometer} are on the class path.
 */
@NullMarked
package dev.breakglass.spring.boot.metrics;

import org.jspecify.annotations.NullMarked;
