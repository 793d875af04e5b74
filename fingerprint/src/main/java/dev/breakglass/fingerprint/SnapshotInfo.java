package dev.breakglass.fingerprint;

import dev.breakglass.core.internal.PlainText;
import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link SnapshotStore} knows about one snapshot without reading its content. Immutable
 * and thread-safe.
 *
 * @param sequence the snapshot's position in its store: unique, and increasing in the order
 *     records were appended (stable marks take numbers too, so snapshots may skip some)
 * @param label what the caller said the snapshot is, for example {@code "deploy 2024-06-01"}
 * @param timestamp when it was appended, by the store's clock
 * @param fingerprint the fingerprint of its content
 * @param size the size of its canonical encoding, in bytes
 */
public record SnapshotInfo(
    long sequence, String label, Instant timestamp, Fingerprint fingerprint, long size) {

  /**
   * Validates the components.
   *
   * @param sequence the snapshot's position in its store
   * @param label what the caller said the snapshot is
   * @param timestamp when it was appended
   * @param fingerprint the fingerprint of its content
   * @param size the size of its canonical encoding, in bytes
   * @throws NullPointerException if {@code label}, {@code timestamp} or {@code fingerprint} is
   *     null
   * @throws IllegalArgumentException if {@code sequence} or {@code size} is negative
   */
  public SnapshotInfo {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
    }
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, was " + size);
    }
  }

  /**
   * Names the snapshot for people: {@code #7 'deploy 42' sha256:3f1a9c0b7e42}. The label is
   * escaped as every breakglass text rendering escapes user text (a line break as
   * {@code \n}, an escape character as {@code \}{@code u001b}, a backslash doubled), so the
   * description is always one line and safe to print.
   *
   * @return the short description used in messages
   */
  public String describe() {
    return "#" + sequence + " '" + PlainText.escape(label) + "' " + fingerprint.toShortString();
  }

  /** {@link #describe()} with the label as it is: for journal entries, which escape it. */
  String describeUnescaped() {
    return "#" + sequence + " '" + label + "' " + fingerprint.toShortString();
  }
}
