package dev.breakglass.fingerprint;

import java.util.Objects;

/**
 * What a {@link RollbackHook} is given. Immutable and thread-safe.
 *
 * @param target the verified snapshot being rolled back to; restore {@code target().value()}
 * @param preRollback the snapshot of the state before the rollback, appended to the store
 *     before any hook ran: roll back to it to undo the rollback
 * @param changes what the rollback changes, from the current state to the target
 */
public record RollbackContext(Snapshot target, SnapshotInfo preRollback, Diff changes) {

  /**
   * Validates the components.
   *
   * @param target the verified snapshot being rolled back to
   * @param preRollback the snapshot of the state before the rollback
   * @param changes what the rollback changes
   * @throws NullPointerException if any is null
   */
  public RollbackContext {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(preRollback, "preRollback");
    Objects.requireNonNull(changes, "changes");
  }
}
