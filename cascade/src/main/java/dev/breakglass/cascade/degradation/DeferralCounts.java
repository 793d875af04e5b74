package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Tier;
import java.util.Objects;

/**
 * What a {@link Deferral} has done with the work of one tier since it was built: a consistent
 * snapshot, taken at one instant.
 *
 * <p>Every shed piece of work is counted exactly once on submission, as {@code deferred},
 * {@code overflowed} or {@code refused}; every deferred piece is, at any instant, either
 * {@code pending} or counted exactly once as {@code replayed}, {@code expired} or
 * {@code handedBack}:
 * {@code deferred == pending + replayed + expired + handedBack}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param tier the tier counted
 * @param pending deferred and waiting in the queue now (work a replay tick has taken counts as
 *     replayed from that moment)
 * @param deferred queued because the tier was shed
 * @param replayed taken from the queue and run (whether the work then succeeded or threw)
 * @param expired waited past its deadline, or expired on purpose by {@link Deferral#expireAll}
 * @param overflowed rejected because the tier's queue was full
 * @param handedBack returned, pending, by {@link Deferral#handBack()}
 * @param refused rejected because the deferral was closed
 */
public record DeferralCounts(Tier tier, int pending, long deferred, long replayed, long expired,
    long overflowed, long handedBack, long refused) {

  /**
   * Validates the components.
   *
   * @param tier the tier counted
   * @param pending deferred and waiting now
   * @param deferred queued because the tier was shed
   * @param replayed taken from the queue and run
   * @param expired waited past its deadline or expired on purpose
   * @param overflowed rejected because the tier's queue was full
   * @param handedBack returned, pending, by {@code handBack()}
   * @param refused rejected because the deferral was closed
   * @throws NullPointerException if {@code tier} is null
   * @throws IllegalArgumentException if a count is negative
   */
  public DeferralCounts {
    Objects.requireNonNull(tier, "tier");
    if (pending < 0 || deferred < 0 || replayed < 0 || expired < 0 || overflowed < 0
        || handedBack < 0 || refused < 0) {
      throw new IllegalArgumentException("counts must not be negative, were pending " + pending
          + ", deferred " + deferred + ", replayed " + replayed + ", expired " + expired
          + ", overflowed " + overflowed + ", handedBack " + handedBack + ", refused " + refused);
    }
  }
}
