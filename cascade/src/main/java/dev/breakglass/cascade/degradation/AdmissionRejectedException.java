package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import org.jspecify.annotations.Nullable;

/**
 * Thrown (or handed to the fallback) when an {@link AdmissionLimiter} refuses a call: its tier
 * is not admitted at the bound manager's current severity, or the tier's share of the limit is
 * full.
 *
 * <p>The exception has no stack trace, and a limiter hands out one shared, immutable instance
 * per tier and reason (and severity), so that refusing a call costs no allocation: refusals
 * come in floods, exactly when a service can least afford to fill its heap. Suppression is
 * disabled and the cause is {@code null}. Do not rely on identity: compare
 * {@link #limiterName()}, {@link #tier()} and {@link #reason()}.
 *
 * <p>Thread-safety: immutable; a shared instance may be thrown by many threads at once.
 */
public final class AdmissionRejectedException extends RuntimeException {

  /** Why a call was refused. */
  public enum Reason {
    /** The tier is shed at the bound manager's current severity. */
    NOT_ADMITTED,
    /** The calls in flight fill the share of the effective limit this tier may use. */
    OVER_LIMIT
  }

  /** The name of the limiter that refused the call. */
  private final String limiterName;
  /** The tier of the refused call. */
  private final Tier tier;
  /** Why the call was refused. */
  private final Reason reason;
  /** The severity that sheds the tier, for NOT_ADMITTED; null for OVER_LIMIT. */
  private final @Nullable Severity severity;

  private AdmissionRejectedException(
      String limiterName, Tier tier, Reason reason, @Nullable Severity severity) {
    super(message(limiterName, tier, reason, severity), null, false, false);
    this.limiterName = limiterName;
    this.tier = tier;
    this.reason = reason;
    this.severity = severity;
  }

  static AdmissionRejectedException notAdmitted(String limiterName, Tier tier, Severity severity) {
    return new AdmissionRejectedException(limiterName, tier, Reason.NOT_ADMITTED, severity);
  }

  static AdmissionRejectedException overLimit(String limiterName, Tier tier) {
    return new AdmissionRejectedException(limiterName, tier, Reason.OVER_LIMIT, null);
  }

  private static String message(
      String limiterName, Tier tier, Reason reason, @Nullable Severity severity) {
    return reason == Reason.NOT_ADMITTED
        ? "admission limiter '" + limiterName + "' refused " + tier + "-tier work: NOT_ADMITTED at"
            + " severity " + severity
        : "admission limiter '" + limiterName + "' refused " + tier + "-tier work: OVER_LIMIT"
            + " (the calls in flight fill this tier's share of the limit)";
  }

  /**
   * Returns the name of the limiter that refused the call.
   *
   * @return the limiter's name
   */
  public String limiterName() {
    return limiterName;
  }

  /**
   * Returns the tier of the refused call.
   *
   * @return the tier
   */
  public Tier tier() {
    return tier;
  }

  /**
   * Returns why the call was refused.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }

  /**
   * Returns the severity that does not admit the tier, for {@link Reason#NOT_ADMITTED}.
   *
   * @return the manager's severity at the refusal, or {@code null} for
   *     {@link Reason#OVER_LIMIT}
   */
  public @Nullable Severity severity() {
    return severity;
  }
}
