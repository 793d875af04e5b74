package dev.breakglass.core.incident;

import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One mitigation of an {@link Incident}: what was shed, deferred, rejected or served by a
 * fallback, a rollback, and for how long. It starts at a
 * {@link dev.breakglass.core.EventCategory#MITIGATION MITIGATION} entry and ends at the next
 * {@link dev.breakglass.core.EventCategory#RECOVERY RECOVERY} or
 * {@link dev.breakglass.core.EventCategory#RESOLUTION RESOLUTION} entry from the same source
 * about the same tier that does not report the source unhealthy, or when the incident ends.
 *
 * @param source the source of the entry that started it ({@code "cascade"}, a breaker)
 * @param kind the kind of that entry ({@code "shed"}, {@code "fallback"}, {@code "rollback"})
 * @param tier the tier it is about, or null
 * @param detail the detail of the entry that started it
 * @param startNanos the journal's ticker reading when it started
 * @param endNanos when it ended, by the same ticker; for an incident still open, the latest
 *     moment the tracker has seen
 * @param ended whether it ended (false: still in force when the snapshot was taken or when
 *     the incident was resolved)
 */
public record Mitigation(String source, String kind, @Nullable Tier tier, String detail,
    long startNanos, long endNanos, boolean ended) {

  /**
   * Validates the components.
   *
   * @param source the source of the entry that started it
   * @param kind the kind of that entry
   * @param tier the tier it is about, or null
   * @param detail the detail of the entry that started it
   * @param startNanos when it started
   * @param endNanos when it ended
   * @param ended whether it ended
   * @throws NullPointerException if {@code source}, {@code kind} or {@code detail} is null
   * @throws IllegalArgumentException if {@code endNanos} is before {@code startNanos}
   */
  public Mitigation {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    if (endNanos - startNanos < 0) {
      throw new IllegalArgumentException("endNanos must not be before startNanos ("
          + startNanos + "), was " + endNanos);
    }
  }

  /**
   * Returns how long the mitigation was in force.
   *
   * @return {@code endNanos - startNanos}
   */
  public Duration duration() {
    return Duration.ofNanos(endNanos - startNanos);
  }
}
