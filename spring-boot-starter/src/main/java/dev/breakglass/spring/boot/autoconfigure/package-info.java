/**
 * Spring Boot auto-configuration for breakglass: {@link
 * dev.breakglass.spring.boot.autoconfigure.BreakglassAutoConfiguration} creates the journal,
 * the breaker registry, the dependency graph of the {@link
 * dev.breakglass.spring.boot.autoconfigure.BreakglassComponent} beans, the cascade manager and
 * the shutdown sequencer from the {@code breakglass.*} {@link
 * dev.breakglass.spring.boot.autoconfigure.BreakglassProperties properties}.
 */
@NullMarked
package dev.breakglass.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
