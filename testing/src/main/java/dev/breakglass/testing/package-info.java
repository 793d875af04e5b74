/**
 * Shared test fixtures of the breakglass modules (test scope only, and the samples' fleet
 * drill; not published): {@link dev.breakglass.testing.LocalPostgres}, a PostgreSQL server the
 * tests start themselves; and a small property-test harness, {@link dev.breakglass.testing.Property} over
 * {@link dev.breakglass.testing.Gen generators}, with reproducible seeds printed on failure,
 * shrinking to a small counterexample, and tries configured in one place (system properties
 * {@code breakglass.seed}, {@code breakglass.tries}, {@code breakglass.tries.factor},
 * {@code breakglass.shrinks}, {@code breakglass.shrink.seconds}); and
 * {@link dev.breakglass.testing.ModuleDescriptors}, which reads a module's compiled descriptor
 * for the test that checks its exports and requirements.
 */
@NullMarked
package dev.breakglass.testing;

import org.jspecify.annotations.NullMarked;
