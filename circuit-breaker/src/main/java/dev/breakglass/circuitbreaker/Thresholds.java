package dev.breakglass.circuitbreaker;

import dev.breakglass.circuitbreaker.CircuitBreakerConfig.WindowType;
import dev.breakglass.circuitbreaker.OutcomeWindow.Counts;
import org.jspecify.annotations.Nullable;

/**
 * The verdicts of a config's thresholds: whether the counts of a CLOSED or METRICS_ONLY window
 * cross the failure-rate, slow-call-rate or consecutive-failure threshold, and whether the
 * completed trial calls of a HALF_OPEN period failed. Immutable and thread-safe.
 */
final class Thresholds {

  private final boolean consecutiveMode;
  private final int consecutiveFailures;
  private final int minimumNumberOfCalls;
  private final double failureRate;
  private final double slowCallRate;
  private final boolean slowCalls;

  Thresholds(CircuitBreakerConfig config) {
    this.consecutiveMode = config.windowType() == WindowType.CONSECUTIVE_FAILURES;
    this.consecutiveFailures = config.consecutiveFailureThreshold();
    this.minimumNumberOfCalls = config.minimumNumberOfCalls();
    this.failureRate = config.failureRateThreshold();
    this.slowCallRate = config.slowCallRateThreshold();
    this.slowCalls = config.slowCallDetection();
  }

  /**
   * Judges a window.
   *
   * @return why the breaker opens (in METRICS_ONLY: why it publishes a threshold event), or
   *     null if no threshold is reached or the window holds too few calls
   */
  @Nullable Reason exceeded(Counts counts) {
    if (consecutiveMode) {
      return counts.failures() >= consecutiveFailures
          ? Reason.consecutiveFailures(counts.failures())
          : null;
    }
    if (counts.calls() < minimumNumberOfCalls) {
      return null;
    }
    return rateExceeded(counts, Reason.Kind.FAILURE_RATE, Reason.Kind.SLOW_CALL_RATE);
  }

  /**
   * Judges the completed trial calls of a HALF_OPEN period in a rate mode.
   *
   * @return why the breaker opens again, or null if the trials passed
   */
  @Nullable Reason trialsFailed(Counts counts) {
    return rateExceeded(counts, Reason.Kind.TRIALS_FAILURE_RATE,
        Reason.Kind.TRIALS_SLOW_CALL_RATE);
  }

  /** Why the breaker closes after trial calls that passed: their failure rate. */
  Reason trialsPassed(Counts counts) {
    return Reason.rate(Reason.Kind.TRIALS_PASSED, rate(counts.failures(), counts.calls()),
        failureRate, counts.calls());
  }

  /**
   * Compares the failure rate, then the slow-call rate, with its threshold; returns the first
   * one at or above it, as a reason of the given kind, or null if neither is.
   */
  private @Nullable Reason rateExceeded(
      Counts counts, Reason.Kind failureKind, Reason.Kind slowKind) {
    long calls = counts.calls();
    double failures = rate(counts.failures(), calls);
    if (failures >= failureRate) {
      return Reason.rate(failureKind, failures, failureRate, calls);
    }
    if (slowCalls) {
      double slow = rate(counts.slow(), calls);
      if (slow >= slowCallRate) {
        return Reason.rate(slowKind, slow, slowCallRate, calls);
      }
    }
    return null;
  }

  /** The rate in percent, computed the same way everywhere (and in the tests' model). */
  static double rate(long part, long calls) {
    return calls == 0 ? 0.0 : part * 100.0 / calls;
  }
}
