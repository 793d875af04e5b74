/**
 * breakglass fingerprint: Deterministic SHA-256 Merkle fingerprints of system state, diffs that name what changed, a crash-safe snapshot store, and rollback to the last known-stable state.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.breakglass.fingerprint;

import org.jspecify.annotations.NullMarked;
