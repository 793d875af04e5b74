/**
 * Fingerprints of system state: deterministic SHA-256 Merkle fingerprints of configuration
 * values, diffs that name what changed, a crash-safe store of snapshots, and rollback to the
 * last known-stable one.
 *
 * <p>{@link dev.breakglass.fingerprint.Value} is the value model and its fingerprint;
 * {@link dev.breakglass.fingerprint.Diff} compares two values;
 * {@link dev.breakglass.fingerprint.SnapshotStore} keeps snapshots and stable marks on a
 * {@link dev.breakglass.fingerprint.SnapshotStorage};
 * {@link dev.breakglass.fingerprint.RollbackPlan} rolls back. What the module hands back
 * (snapshot metadata, stable marks, changes, rollback contexts, stage results and reports) are
 * records: immutable carriers that compare by value. The byte formats are specified in
 * {@code docs/fingerprint-format.md}.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.breakglass.fingerprint;

import org.jspecify.annotations.NullMarked;
