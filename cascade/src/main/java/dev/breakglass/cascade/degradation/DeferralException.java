package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Tier;
import java.util.Objects;

/**
 * Why a piece of work given to a {@link Deferral} did not run there: the stage
 * {@link Deferral#submit} returned completes exceptionally with this exception, which names the
 * tier and the {@link Reason}.
 *
 * <p>It carries no stack trace: it reports an outcome the caller asked for by deferring (the
 * queue was full, the work waited too long, the deferral was closed), not a bug, and it can be
 * created often under overload.
 *
 * <p>Immutable and thread-safe.
 */
public final class DeferralException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why deferred work did not run. */
  public enum Reason {
    /** The tier's queue was full when the work was submitted; it was never queued. */
    OVERFLOW,
    /**
     * The work waited longer than its maximum wait while its tier was shed, or was expired
     * on purpose by {@link Deferral#expireAll(String)} (at shutdown, say).
     */
    EXPIRED,
    /**
     * The work was handed back, still pending, by {@link Deferral#handBack()}: whoever called
     * it now holds the work (to persist it or run it elsewhere).
     */
    HANDED_BACK,
    /** The deferral was already closed (drained, expired or handed back) when it was submitted. */
    CLOSED
  }

  /** The tier of the work that did not run. */
  private final Tier tier;
  /** Why it did not run. */
  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param tier the tier of the work
   * @param reason why it did not run
   * @param detail what happened, for a person, e.g. {@code "queue full (1000)"}
   * @throws NullPointerException if any argument is null
   */
  public DeferralException(Tier tier, Reason reason, String detail) {
    super(message(tier, reason, detail), null, false, false);
    this.tier = tier;
    this.reason = reason;
  }

  private static String message(Tier tier, Reason reason, String detail) {
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    return tier + "-tier work not run: " + reason + ", " + detail;
  }

  /**
   * Returns the tier of the work that did not run.
   *
   * @return the tier
   */
  public Tier tier() {
    return tier;
  }

  /**
   * Returns why the work did not run.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
