package dev.breakglass.circuitbreaker;

/**
 * Where a CLOSED (or METRICS_ONLY) breaker records call outcomes, and what it judges them by.
 * One window lives exactly as long as one CLOSED period: a transition to CLOSED starts a new
 * one, so a window is never reset while other threads write to it.
 */
abstract sealed class OutcomeWindow permits StripedWindow, ConsecutiveFields {

  /** Outcome bit: the call failed. */
  static final int FAILURE = 1;
  /** Outcome bit: the call was slow. */
  static final int SLOW = 2;

  /**
   * Records one outcome.
   *
   * @param outcome a combination of {@link #FAILURE} and {@link #SLOW}; {@code 0} is a fast
   *     success
   * @param now the ticker reading at the end of the call (only time windows use it)
   * @return whether the caller must take a {@link #snapshot} and judge the thresholds now;
   *     {@code false} only when this outcome cannot have pushed a rate over its threshold
   */
  abstract boolean record(int outcome, long now);

  /**
   * Returns the window's counts, first handing over any outcomes still batched per thread.
   *
   * @param now the current ticker reading (only time windows use it)
   * @param judging whether the breaker will judge the thresholds on these counts; only such
   *     snapshots may note that the minimum number of calls has been reached, because that
   *     note lets later successes skip judging
   */
  abstract Counts snapshot(long now, boolean judging);

  static OutcomeWindow create(CircuitBreakerConfig config, long now) {
    return switch (config.windowType()) {
      case COUNT_BASED -> new CountWindow(config.windowSize(), config.minimumNumberOfCalls());
      case TIME_BASED -> new TimeWindow(
          config.windowBuckets(), config.bucketNanos(), config.minimumNumberOfCalls(), now);
      case CONSECUTIVE_FAILURES -> new ConsecutiveWindow(config.consecutiveFailureThreshold());
    };
  }

  /** What a window holds: calls, and how many of them failed or were slow. */
  record Counts(long calls, long failures, long slow) {
    static final Counts EMPTY = new Counts(0, 0, 0);
  }
}
