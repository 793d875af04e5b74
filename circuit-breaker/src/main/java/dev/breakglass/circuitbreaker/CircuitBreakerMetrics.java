package dev.breakglass.circuitbreaker;

import java.util.Objects;

/**
 * A snapshot of a breaker's state and of the window it judges by, from
 * {@link CircuitBreaker#metrics()}.
 *
 * <p>What the counts cover depends on the state: in CLOSED and METRICS_ONLY, the current
 * sliding window; in OPEN, the window as it was when the breaker opened (empty after a manual
 * transition), or the trial calls if failed trials re-opened it; in HALF_OPEN, the trial calls
 * so far; in DISABLED and FORCED_OPEN, nothing. Trial calls are rated once all permitted
 * trials are in, a window once it holds the minimum number of calls. In consecutive-failure
 * mode {@code failedCalls} is the current run of failures, and the rates are {@code -1}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param state the breaker's state
 * @param failureRate the failure rate in percent, or {@code -1} if the counts are too few to
 *     rate (see above)
 * @param slowCallRate the slow-call rate in percent, or {@code -1} if the counts are too few
 *     to rate or slow-call detection is off
 * @param bufferedCalls how many call outcomes the window holds
 * @param failedCalls how many of them are failures
 * @param slowCalls how many of them are slow
 * @param notPermittedCalls how many calls the breaker has rejected since it was created or
 *     last {@link CircuitBreaker#reset() reset}
 */
public record CircuitBreakerMetrics(
    CircuitBreaker.State state,
    double failureRate,
    double slowCallRate,
    long bufferedCalls,
    long failedCalls,
    long slowCalls,
    long notPermittedCalls) {

  /**
   * Validates the components.
   *
   * @param state the breaker's state
   * @param failureRate the failure rate, or -1
   * @param slowCallRate the slow-call rate, or -1
   * @param bufferedCalls the number of outcomes in the window
   * @param failedCalls the number of failures in the window
   * @param slowCalls the number of slow calls in the window
   * @param notPermittedCalls the number of rejected calls
   * @throws NullPointerException if {@code state} is null
   */
  public CircuitBreakerMetrics {
    Objects.requireNonNull(state, "state");
  }

  /**
   * Returns how many of the buffered calls succeeded.
   *
   * @return {@code bufferedCalls - failedCalls}, at least {@code 0}
   */
  public long successfulCalls() {
    return Math.max(0, bufferedCalls - failedCalls);
  }
}
