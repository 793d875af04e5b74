package dev.breakglass.fingerprint;

import java.io.IOException;

/**
 * Stored data did not match what was written (thread-safety as for any exception: immutable once
 * thrown): a checksum failed, content no longer hashes to
 * its fingerprint, or a file is damaged in a way a crash cannot explain. The message names the
 * snapshot or the file, the position, and what did not match, for example
 * {@code "snapshot #7 'deploy 42' sha256:3f1a9c0b7e42 in /var/lib/app/snapshots/snapshots.log
 * at byte 8812: payload checksum mismatch (stored crc32c 0x1c2d3e4f, computed 0x9a8b7c6d)"}.
 *
 * <p>Reads never return data that failed a check; they throw this instead.
 */
public class SnapshotIntegrityException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what did not match, naming the snapshot or file
   */
  public SnapshotIntegrityException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what did not match, naming the snapshot or file
   * @param cause the underlying failure, for example a decoding error
   */
  public SnapshotIntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
