package dev.breakglass.fingerprint;

import java.time.Instant;
import java.util.Objects;

/**
 * The record that some content was validated as known-stable: made by
 * {@link SnapshotStore#markStable(Fingerprint)} and kept by a {@link SnapshotStorage}. Immutable
 * and thread-safe.
 *
 * @param sequence the mark's position in its store, from the same counter as snapshots
 * @param fingerprint the fingerprint of the content marked stable
 * @param markedAt when it was marked, by the store's clock
 */
public record StableMark(long sequence, Fingerprint fingerprint, Instant markedAt) {

  /**
   * Validates the components.
   *
   * @param sequence the mark's position in its store
   * @param fingerprint the fingerprint of the content marked stable
   * @param markedAt when it was marked
   * @throws NullPointerException if {@code fingerprint} or {@code markedAt} is null
   * @throws IllegalArgumentException if {@code sequence} is negative
   */
  public StableMark {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
    }
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(markedAt, "markedAt");
  }
}
