package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Tier;
import java.util.Objects;

/**
 * A piece of work {@link Deferral#handBack() handed back} by a {@link Deferral} before it ran:
 * its tier, the work itself, and when it was deferred and would have expired, as readings of the
 * deferral's ticker. Whoever called {@code handBack()} owns it now: persist it to an outbox, run
 * it elsewhere, or report it as lost. The stage its submitter holds has already completed with a
 * {@link DeferralException} of reason {@link DeferralException.Reason#HANDED_BACK HANDED_BACK}.
 *
 * <p>Immutable and thread-safe (the work itself is whatever the submitter gave).
 *
 * @param tier the tier it was submitted with
 * @param work the work, as submitted
 * @param deferredAtNanos the ticker reading when it was deferred
 * @param deadlineNanos the ticker reading at which it would have expired
 */
public record DeferredWork(Tier tier, Runnable work, long deferredAtNanos, long deadlineNanos) {

  /**
   * Validates the components.
   *
   * @param tier the tier it was submitted with
   * @param work the work, as submitted
   * @param deferredAtNanos the ticker reading when it was deferred
   * @param deadlineNanos the ticker reading at which it would have expired
   * @throws NullPointerException if {@code tier} or {@code work} is null
   */
  public DeferredWork {
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(work, "work");
  }
}
