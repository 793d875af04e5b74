package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.util.Objects;

/**
 * What a {@link Deferral} tells its {@link Deferral#onEvent listeners} and its journal: never one
 * event per piece of work, but one when a tier's deferral <em>episode</em> begins (the first work
 * queued while the queue was empty), one when its queue first overflows in that episode, and one
 * when the episode ends (the queue is empty again), with the episode's counts.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind what happened
 * @param tier the tier whose queue it happened to
 * @param severity the manager's severity at that moment
 * @param deferred work queued in this episode so far
 * @param replayed work of this episode replayed so far
 * @param expired work of this episode expired so far
 * @param overflowed work rejected in this episode so far because the queue was full
 * @param handedBack work of this episode handed back
 * @param elapsedNanos how long the episode has lasted, by the deferral's ticker
 */
public record DeferralEvent(Kind kind, Tier tier, Severity severity, long deferred, long replayed,
    long expired, long overflowed, long handedBack, long elapsedNanos) {

  /** What happened to a tier's queue. */
  public enum Kind {
    /** Work of the tier was queued while its queue was empty: an episode begins. */
    STARTED,
    /** The queue was full for the first time in this episode; new work is being rejected. */
    OVERFLOWING,
    /** The queue is empty again (replayed, expired, drained or handed back): the episode ends. */
    ENDED
  }

  /**
   * Validates the components.
   *
   * @param kind what happened
   * @param tier the tier
   * @param severity the manager's severity
   * @param deferred work queued in this episode
   * @param replayed work replayed in this episode
   * @param expired work expired in this episode
   * @param overflowed work rejected in this episode because the queue was full
   * @param handedBack work handed back in this episode
   * @param elapsedNanos how long the episode has lasted
   * @throws NullPointerException if {@code kind}, {@code tier} or {@code severity} is null
   */
  public DeferralEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(severity, "severity");
  }
}
