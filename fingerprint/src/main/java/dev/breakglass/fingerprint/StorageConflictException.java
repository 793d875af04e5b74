package dev.breakglass.fingerprint;

import java.io.IOException;

/**
 * A {@link SnapshotStorage#isShared() shared} storage refused a write because another store
 * sharing it wrote first, after this one last read it: a compare-and-set on the storage's
 * contents that lost. Nothing was written. A {@link SnapshotStore} handles it itself by
 * {@linkplain SnapshotStorage#refresh() re-reading} the storage and trying again, so a caller
 * sees it only when the store gave up after 64 attempts in a row, each overtaken by another
 * writer.
 *
 * <p>Immutable once thrown, as any exception.
 */
public class StorageConflictException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was refused and why, naming the storage
   */
  public StorageConflictException(String message) {
    super(message);
  }
}
