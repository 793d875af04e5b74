package dev.breakglass.circuitbreaker;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * A JDK Flight Recorder event for each state transition of a breaker, committed when the
 * transition is published (see {@link BreakerEvents#transition}), in the order of the
 * transitions. Enabled by default in a recording; with no recording running,
 * {@link #shouldCommit()} is false and nothing is built. Never on a call's success path.
 *
 * <p>Not thread-safe: each instance is used by one thread.
 */
@Name("dev.breakglass.CircuitBreakerTransition")
@Label("Circuit Breaker Transition")
@Description("A circuit breaker changed state")
@Category({"breakglass", "Circuit Breaker"})
@StackTrace(false)
final class TransitionFlightEvent extends jdk.jfr.Event {

  @Label("Breaker")
  @Description("The breaker's name")
  @Nullable String breaker;

  @Label("From")
  @Description("The state before the transition")
  @Nullable String from;

  @Label("To")
  @Description("The state after the transition")
  @Nullable String to;

  @Label("Reason")
  @Description("Why it changed state: the rate and threshold, the wait, a manual transition")
  @Nullable String reason;

  /** Commits the event for this transition if a recording wants it. */
  static void commit(String breaker, CircuitBreaker.State from, CircuitBreaker.State to,
      Reason reason) {
    TransitionFlightEvent event = new TransitionFlightEvent();
    if (event.shouldCommit()) {
      event.breaker = breaker;
      event.from = from.name();
      event.to = to.name();
      event.reason = reason.describe();
      event.commit();
    }
  }
}
