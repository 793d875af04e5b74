package dev.breakglass.circuitbreaker;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to a {@link CircuitBreaker}: a call's outcome, a rejection, a
 * threshold crossed, a state transition.
 *
 * <p>Events are created only when someone listens: subscribe to all of them with
 * {@link CircuitBreaker#onEvent}, or to transitions only with
 * {@link CircuitBreaker#onStateTransition}, which leaves the call path free of allocation.
 * Call events ({@link Success}, {@link Failure}, {@link IgnoredError}, {@link NotPermitted})
 * are published on the calling thread after the outcome is recorded. State events
 * ({@link StateTransition} and the threshold events that cause one) are published one at a
 * time, in the order the transitions happened, each exactly once.
 *
 * <p>The event types are records, so they are immutable (thread-safe, though a
 * {@link Failure}'s or {@link IgnoredError}'s throwable and a failing result are the call's
 * own objects) and compare by value; this interface is sealed, so a listener can handle
 * every kind:
 *
 * <pre>{@code
 * breaker.onEvent(event -> {
 *   if (event instanceof CircuitBreakerEvent.StateTransition t) {
 *     log.info("{}: {} -> {} ({})", t.breakerName(), t.from(), t.to(), t.reason());
 *   }
 * });
 * }</pre>
 */
public sealed interface CircuitBreakerEvent {

  /**
   * Returns the name of the breaker the event is about.
   *
   * @return the breaker's name
   */
  String breakerName();

  /**
   * A call succeeded (or failed with an exception classified as a success).
   *
   * @param breakerName the breaker's name
   * @param durationNanos how long the call took, in nanoseconds; {@code 0} if the breaker
   *     does not time calls (a count window without slow-call detection)
   * @param slow whether the call counted as slow
   */
  record Success(String breakerName, long durationNanos, boolean slow)
      implements CircuitBreakerEvent {
    /**
     * Validates the components.
     *
     * @param breakerName the breaker's name
     * @param durationNanos how long the call took
     * @param slow whether the call counted as slow
     * @throws NullPointerException if {@code breakerName} is null
     */
    public Success {
      Objects.requireNonNull(breakerName, "breakerName");
    }
  }

  /**
   * A call's outcome was recorded as a failure: it threw a recorded exception, or it returned
   * a value matching {@link CircuitBreakerConfig.Builder#recordResult}.
   *
   * @param breakerName the breaker's name
   * @param durationNanos how long the call took, in nanoseconds; {@code 0} if not timed
   * @param slow whether the call counted as slow
   * @param error what the call threw, or null if its result was recorded as a failure
   * @param result the value the call returned, if that was recorded as a failure; null
   *     otherwise
   */
  record Failure(
      String breakerName,
      long durationNanos,
      boolean slow,
      @Nullable Throwable error,
      @Nullable Object result)
      implements CircuitBreakerEvent {
    /**
     * Validates the components.
     *
     * @param breakerName the breaker's name
     * @param durationNanos how long the call took
     * @param slow whether the call counted as slow
     * @param error what the call threw, or null
     * @param result the failing result, or null
     * @throws NullPointerException if {@code breakerName} is null
     */
    public Failure {
      Objects.requireNonNull(breakerName, "breakerName");
    }
  }

  /**
   * A call threw an exception the config ignores: it counted as neither success nor failure.
   *
   * @param breakerName the breaker's name
   * @param durationNanos how long the call took, in nanoseconds; {@code 0} if not timed
   * @param error what the call threw
   */
  record IgnoredError(String breakerName, long durationNanos, Throwable error)
      implements CircuitBreakerEvent {
    /**
     * Validates the components.
     *
     * @param breakerName the breaker's name
     * @param durationNanos how long the call took
     * @param error what the call threw
     * @throws NullPointerException if {@code breakerName} or {@code error} is null
     */
    public IgnoredError {
      Objects.requireNonNull(breakerName, "breakerName");
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * A call was rejected.
   *
   * @param breakerName the breaker's name
   * @param state the state that rejected it: OPEN, FORCED_OPEN, or HALF_OPEN with every
   *     trial call taken
   */
  record NotPermitted(String breakerName, CircuitBreaker.State state)
      implements CircuitBreakerEvent {
    /**
     * Validates the components.
     *
     * @param breakerName the breaker's name
     * @param state the rejecting state
     * @throws NullPointerException if an argument is null
     */
    public NotPermitted {
      Objects.requireNonNull(breakerName, "breakerName");
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * The failure rate reached its threshold. In CLOSED this is followed by the transition to
   * OPEN; in METRICS_ONLY it is published once each time the rate goes from below to at or
   * above the threshold.
   *
   * @param breakerName the breaker's name
   * @param failureRate the failure rate, in percent
   * @param threshold the configured threshold, in percent
   * @param calls how many calls the rate was computed over
   */
  record FailureRateExceeded(String breakerName, double failureRate, double threshold, long calls)
      implements CircuitBreakerEvent {
    /**
     * Validates the components.
     *
     * @param breakerName the breaker's name
     * @param failureRate the failure rate
     * @param threshold the threshold
     * @param calls the number of calls
     * @throws NullPointerException if {@code breakerName} is null
     */
    public FailureRateExceeded {
      Objects.requireNonNull(breakerName, "breakerName");
    }
  }

  /**
   * The slow-call rate reached its threshold; published like {@link FailureRateExceeded}.
   *
   * @param breakerName the breaker's name
   * @param slowCallRate the slow-call rate, in percent
   * @param threshold the configured threshold, in percent
   * @param calls how many calls the rate was computed over
   */
  record SlowCallRateExceeded(
      String breakerName, double slowCallRate, double threshold, long calls)
      implements CircuitBreakerEvent {
    /**
     * Validates the components.
     *
     * @param breakerName the breaker's name
     * @param slowCallRate the slow-call rate
     * @param threshold the threshold
     * @param calls the number of calls
     * @throws NullPointerException if {@code breakerName} is null
     */
    public SlowCallRateExceeded {
      Objects.requireNonNull(breakerName, "breakerName");
    }
  }

  /**
   * The breaker changed state.
   *
   * @param breakerName the breaker's name
   * @param from the state before; equal to {@code to} only for {@link CircuitBreaker#reset()}
   *     of a CLOSED breaker
   * @param to the state after
   * @param reason why, in words, e.g.
   *     {@code "failure rate 62.5% >= 50.0% over 8 calls"}
   */
  record StateTransition(
      String breakerName, CircuitBreaker.State from, CircuitBreaker.State to, String reason)
      implements CircuitBreakerEvent {
    /**
     * Validates the components.
     *
     * @param breakerName the breaker's name
     * @param from the state before
     * @param to the state after
     * @param reason why
     * @throws NullPointerException if an argument is null
     */
    public StateTransition {
      Objects.requireNonNull(breakerName, "breakerName");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
