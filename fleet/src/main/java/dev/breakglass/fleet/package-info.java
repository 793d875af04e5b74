/**
 * breakglass fleet: the decisions that matter in an emergency, made once for every instance of
 * a service and kept in PostgreSQL: which configuration is known-stable (a shared
 * {@link dev.breakglass.fingerprint.SnapshotStorage}), which severity an operator declared,
 * which instances run what and which have gone quiet, rollback orders that every instance
 * carries out through its own {@link dev.breakglass.fingerprint.RollbackPlan}, and one timeline
 * merged from every instance's journal.
 *
 * <p>{@link dev.breakglass.fleet.Fleet} is the handle on a fleet's shared state and what an
 * operator uses; {@link dev.breakglass.fleet.FleetInstance} is one process's membership.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.breakglass.fleet;

import org.jspecify.annotations.NullMarked;
