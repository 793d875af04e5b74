/**
 * The lifecycle of a service's components: the
 * {@link dev.breakglass.cascade.lifecycle.DependencyGraph} of what uses what, the
 * {@link dev.breakglass.cascade.lifecycle.ShutdownSequencer} that stops it in dependency order
 * under one deadline, and the {@link dev.breakglass.cascade.lifecycle.RecoverySequencer} that
 * starts it again phase by phase, gated on health.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.breakglass.cascade.lifecycle;

import org.jspecify.annotations.NullMarked;
