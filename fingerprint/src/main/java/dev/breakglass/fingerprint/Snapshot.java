package dev.breakglass.fingerprint;

import java.util.Objects;

/**
 * A snapshot read back from a {@link SnapshotStore}, verified: its content hashes to its
 * fingerprint. Immutable and thread-safe.
 *
 * @param info what the store knows about the snapshot
 * @param value its content
 */
public record Snapshot(SnapshotInfo info, Value value) {

  /**
   * Validates the components.
   *
   * @param info what the store knows about the snapshot
   * @param value its content
   * @throws NullPointerException if either is null
   * @throws IllegalArgumentException if the value's fingerprint is not the one in {@code info}
   */
  public Snapshot {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(value, "value");
    if (!value.fingerprint().equals(info.fingerprint())) {
      throw new IllegalArgumentException("snapshot " + info.describe() + " does not match its"
          + " content, which hashes to " + value.fingerprint().toShortString());
    }
  }

  /**
   * Returns the fingerprint of the content.
   *
   * @return {@code info().fingerprint()}
   */
  public Fingerprint fingerprint() {
    return info.fingerprint();
  }

  /**
   * Returns the label given when the snapshot was appended.
   *
   * @return {@code info().label()}
   */
  public String label() {
    return info.label();
  }
}
