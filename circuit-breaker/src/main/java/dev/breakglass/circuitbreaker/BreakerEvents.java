package dev.breakglass.circuitbreaker;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.core.EventCategory;
import dev.breakglass.core.EventListener;
import dev.breakglass.core.Health;
import dev.breakglass.core.HealthChange;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ListenerErrorHandler;
import dev.breakglass.core.Listeners;
import dev.breakglass.core.Subscription;
import dev.breakglass.core.Ticker;
import org.jspecify.annotations.Nullable;

/**
 * Where a breaker's events go: the listeners of every event, of transitions only and of health
 * changes, and the journal. An event is built only if someone will receive it.
 *
 * <p>Thread-safe: call events are published by the calling threads, at once;
 * {@link #transition} is called by one thread at a time, in the order of the transitions (the
 * breaker's SerialDelivery sees to that).
 */
final class BreakerEvents {

  private final String name;
  private final Ticker ticker;
  private final @Nullable IncidentJournal journal;
  private final Listeners<CircuitBreakerEvent> all;
  private final Listeners<CircuitBreakerEvent.StateTransition> transitions;
  private final Listeners<HealthChange> health;

  BreakerEvents(String name, Ticker ticker, @Nullable IncidentJournal journal,
      ListenerErrorHandler errorHandler) {
    this.name = name;
    this.ticker = ticker;
    this.journal = journal;
    this.all = Listeners.create(name, errorHandler);
    this.transitions = Listeners.create(name, errorHandler);
    this.health = Listeners.create(name, errorHandler);
  }

  /** The listeners of every event; call events are built only if they are not empty. */
  Listeners<CircuitBreakerEvent> all() {
    return all;
  }

  Subscription onEvent(EventListener<? super CircuitBreakerEvent> listener) {
    return all.add(listener);
  }

  Subscription onStateTransition(
      EventListener<? super CircuitBreakerEvent.StateTransition> listener) {
    return transitions.add(listener);
  }

  Subscription onHealthChange(EventListener<? super HealthChange> listener) {
    return health.add(listener);
  }

  /** A call was rejected in {@code state}. */
  void rejected(State state) {
    if (all.hasListeners()) {
      all.publish(new CircuitBreakerEvent.NotPermitted(name, state));
    }
  }

  /** A call's outcome was recorded (its bits as in {@link OutcomeWindow}). */
  void outcome(int outcome, long duration, @Nullable Throwable error, @Nullable Object result) {
    if (all.hasListeners()) {
      publishOutcome(outcome, duration, error, result);
    }
  }

  private void publishOutcome(
      int outcome, long duration, @Nullable Throwable error, @Nullable Object result) {
    boolean slow = (outcome & OutcomeWindow.SLOW) != 0;
    if ((outcome & OutcomeWindow.FAILURE) != 0) {
      all.publish(new CircuitBreakerEvent.Failure(name, duration, slow, error, result));
    } else {
      all.publish(new CircuitBreakerEvent.Success(name, duration, slow));
    }
  }

  /** A call threw an exception the config ignores. */
  void ignored(long duration, Throwable error) {
    if (all.hasListeners()) {
      all.publish(new CircuitBreakerEvent.IgnoredError(name, duration, error));
    }
  }

  /** A threshold was reached, if {@code reason} is a rate crossing its threshold. */
  void threshold(Reason reason) {
    if (all.hasListeners()) {
      publishThreshold(reason);
    }
  }

  private void publishThreshold(Reason reason) {
    if (reason.isFailureRate()) {
      all.publish(new CircuitBreakerEvent.FailureRateExceeded(
          name, reason.rate(), reason.threshold(), reason.calls()));
    } else if (reason.isSlowCallRate()) {
      all.publish(new CircuitBreakerEvent.SlowCallRateExceeded(
          name, reason.rate(), reason.threshold(), reason.calls()));
    }
  }

  /**
   * The breaker went from one period to the next: the threshold event that caused it, the
   * journal entry (stamped with the moment of the transition), the transition event and the
   * health change, each to whoever receives it, and the flight-recorder event if a recording
   * wants it.
   */
  void transition(Period from, Period to) {
    Reason reason = to.reason;
    TransitionFlightEvent.commit(name, from.state, to.state, reason);
    boolean everything = all.hasListeners();
    if (everything) {
      publishThreshold(reason);
    }
    boolean transitionsOnly = transitions.hasListeners();
    if (journal != null || everything || transitionsOnly) {
      String detail = reason.describe();
      if (journal != null) {
        Health after = to.state.health();
        EventCategory category = after == Health.DOWN
            ? EventCategory.DETECTION
            : from.state.health() != Health.UP ? EventCategory.RECOVERY : EventCategory.INFO;
        journal.recordAt(ticker, to.since, category, name, "transition", null, null, after,
            from.state + " -> " + to.state + ": " + detail);
      }
      if (everything || transitionsOnly) {
        CircuitBreakerEvent.StateTransition event =
            new CircuitBreakerEvent.StateTransition(name, from.state, to.state, detail);
        if (everything) {
          all.publish(event);
        }
        if (transitionsOnly) {
          transitions.publish(event);
        }
      }
    }
    Health before = from.state.health();
    Health after = to.state.health();
    if (before != after && health.hasListeners()) {
      health.publish(new HealthChange(name, before, after));
    }
  }
}
