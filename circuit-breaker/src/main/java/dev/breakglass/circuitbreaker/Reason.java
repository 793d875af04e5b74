package dev.breakglass.circuitbreaker;

import dev.breakglass.core.internal.DurationFormat;
import java.util.Locale;

/**
 * Why a breaker entered a state: the detail of a transition event and journal entry.
 *
 * @param kind what happened
 * @param rate the rate that crossed its threshold, in percent (rate kinds)
 * @param threshold the threshold it crossed, in percent (rate kinds)
 * @param calls the number of calls (rates), failures (consecutive failures) or outstanding
 *     trials (timed-out trials)
 * @param nanos the wait that ended (waits, timed-out trials)
 */
record Reason(Kind kind, double rate, double threshold, long calls, long nanos) {

  enum Kind {
    CREATED,
    FAILURE_RATE,
    SLOW_CALL_RATE,
    CONSECUTIVE_FAILURES,
    WAIT_ELAPSED,
    TRIALS_PASSED,
    TRIALS_SUCCEEDED,
    TRIALS_FAILURE_RATE,
    TRIALS_SLOW_CALL_RATE,
    TRIAL_FAILED,
    TRIALS_TIMED_OUT,
    MANUAL,
    RESET
  }

  static final Reason CREATED = new Reason(Kind.CREATED, 0, 0, 0, 0);
  static final Reason MANUAL = new Reason(Kind.MANUAL, 0, 0, 0, 0);
  static final Reason RESET = new Reason(Kind.RESET, 0, 0, 0, 0);
  static final Reason TRIAL_FAILED = new Reason(Kind.TRIAL_FAILED, 0, 0, 0, 0);

  static Reason rate(Kind kind, double rate, double threshold, long calls) {
    return new Reason(kind, rate, threshold, calls, 0);
  }

  static Reason consecutiveFailures(long failures) {
    return new Reason(Kind.CONSECUTIVE_FAILURES, 0, 0, failures, 0);
  }

  static Reason waitElapsed(long waitNanos) {
    return new Reason(Kind.WAIT_ELAPSED, 0, 0, 0, waitNanos);
  }

  static Reason trialsSucceeded(long calls) {
    return new Reason(Kind.TRIALS_SUCCEEDED, 0, 0, calls, 0);
  }

  static Reason trialsTimedOut(long outstanding, long maxWaitNanos) {
    return new Reason(Kind.TRIALS_TIMED_OUT, 0, 0, outstanding, maxWaitNanos);
  }

  /** Whether this reason is a rate crossing its threshold (which gets its own event). */
  boolean isFailureRate() {
    return kind == Kind.FAILURE_RATE || kind == Kind.TRIALS_FAILURE_RATE;
  }

  boolean isSlowCallRate() {
    return kind == Kind.SLOW_CALL_RATE || kind == Kind.TRIALS_SLOW_CALL_RATE;
  }

  String describe() {
    return switch (kind) {
      case CREATED -> "created";
      case FAILURE_RATE -> format("failure rate %s%% >= %s%% over %d calls");
      case SLOW_CALL_RATE -> format("slow-call rate %s%% >= %s%% over %d calls");
      case CONSECUTIVE_FAILURES -> calls + " consecutive failures";
      case WAIT_ELAPSED -> "waited " + DurationFormat.format(nanos) + " in OPEN";
      case TRIALS_PASSED -> format("trial calls passed: failure rate %s%% < %s%% over %d calls");
      case TRIALS_SUCCEEDED ->
          calls == 1 ? "the trial call succeeded" : "all " + calls + " trial calls succeeded";
      case TRIALS_FAILURE_RATE ->
          format("trial calls failed: failure rate %s%% >= %s%% over %d calls");
      case TRIALS_SLOW_CALL_RATE ->
          format("trial calls too slow: slow-call rate %s%% >= %s%% over %d calls");
      case TRIAL_FAILED -> "a trial call failed";
      case TRIALS_TIMED_OUT -> calls + (calls == 1 ? " trial call" : " trial calls")
          + " still outstanding " + DurationFormat.format(nanos) + " after the last one was let through";
      case MANUAL -> "manual transition";
      case RESET -> "reset";
    };
  }

  private String format(String pattern) {
    return String.format(Locale.ROOT, pattern, percent(rate), percent(threshold), calls);
  }

  /** Formats a percentage with one decimal, e.g. {@code 62.5}. */
  static String percent(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  @Override
  public String toString() {
    return describe();
  }
}
