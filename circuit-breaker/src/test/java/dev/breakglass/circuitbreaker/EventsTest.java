package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.circuitbreaker.CircuitBreakerEvent.Failure;
import dev.breakglass.circuitbreaker.CircuitBreakerEvent.FailureRateExceeded;
import dev.breakglass.circuitbreaker.CircuitBreakerEvent.IgnoredError;
import dev.breakglass.circuitbreaker.CircuitBreakerEvent.NotPermitted;
import dev.breakglass.circuitbreaker.CircuitBreakerEvent.SlowCallRateExceeded;
import dev.breakglass.circuitbreaker.CircuitBreakerEvent.StateTransition;
import dev.breakglass.circuitbreaker.CircuitBreakerEvent.Success;
import dev.breakglass.core.Health;
import dev.breakglass.core.HealthChange;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventsTest {

  private final ManualTicker ticker = new ManualTicker();
  private final List<Throwable> listenerFailures = new ArrayList<>();

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    return CircuitBreaker.builder("orders").config(config).ticker(ticker)
        .listenerErrorHandler((owner, listener, event, error) -> listenerFailures.add(error))
        .build();
  }

  @Test
  void onEvent_tripAndRejection_publishesEveryEventInOrder() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(2)
        .ignoreExceptions(IllegalArgumentException.class).build());
    List<CircuitBreakerEvent> events = new ArrayList<>();
    breaker.onEvent(events::add);
    IOException down = new IOException("down");
    IllegalArgumentException bad = new IllegalArgumentException("bad");

    breaker.onSuccess(0);
    breaker.onError(0, bad);
    breaker.onError(0, down);
    breaker.tryAcquirePermission();

    assertThat(events).containsExactly(
        new Success("orders", 0, false),
        new IgnoredError("orders", 0, bad),
        new FailureRateExceeded("orders", 50.0, 50.0, 2),
        new StateTransition("orders", State.CLOSED, State.OPEN,
            "failure rate 50.0% >= 50.0% over 2 calls"),
        new Failure("orders", 0, false, down, null),
        new NotPermitted("orders", State.OPEN));
  }

  @Test
  void onStateTransition_receivesTransitionsOnly() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1).build());
    List<StateTransition> transitions = new ArrayList<>();
    breaker.onStateTransition(transitions::add);

    breaker.onSuccess(0);
    breaker.onError(0, new IOException());
    breaker.tryAcquirePermission();
    ticker.advance(Duration.ofSeconds(60));
    breaker.get(() -> "ok");

    assertThat(transitions).extracting(t -> t.from() + "->" + t.to())
        .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
  }

  @Test
  void onHealthChange_publishesOnlyChangesOfHealth() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1)
        .permittedNumberOfCallsInHalfOpenState(1).build());
    List<HealthChange> changes = new ArrayList<>();
    breaker.onHealthChange(changes::add);

    breaker.transitionToDisabled(); // UP -> UP: no change
    breaker.transitionToClosed();
    breaker.onError(0, new IOException());
    ticker.advance(Duration.ofSeconds(60));
    breaker.get(() -> "ok");

    assertThat(changes).containsExactly(
        new HealthChange("orders", Health.UP, Health.DOWN),
        new HealthChange("orders", Health.DOWN, Health.DEGRADED),
        new HealthChange("orders", Health.DEGRADED, Health.UP));
  }

  @Test
  void metricsOnly_rateCrossesThreshold_publishesOncePerCrossingAndNeverOpens() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(2).build());
    breaker.transitionToMetricsOnly();
    List<CircuitBreakerEvent> exceeded = new ArrayList<>();
    breaker.onEvent(e -> {
      if (e instanceof FailureRateExceeded) {
        exceeded.add(e);
      }
    });

    breaker.onError(0, new IOException());
    breaker.onError(0, new IOException()); // 100 %: crosses
    breaker.onError(0, new IOException()); // still over: no event
    breaker.onSuccess(0);
    breaker.onSuccess(0);
    breaker.onError(0, new IOException()); // 50 %: judged again, crosses again

    assertThat(exceeded).hasSize(2);
    assertThat(breaker.state()).isEqualTo(State.METRICS_ONLY);
  }

  @Test
  void slowCallRate_trip_publishesSlowCallRateExceeded() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1)
        .slowCallDurationThreshold(Duration.ofMillis(10)).build());
    List<CircuitBreakerEvent> events = new ArrayList<>();
    breaker.onEvent(events::add);

    breaker.onSuccess(Duration.ofMillis(10).toNanos());

    assertThat(events).containsExactly(
        new SlowCallRateExceeded("orders", 100.0, 100.0, 1),
        new StateTransition("orders", State.CLOSED, State.OPEN,
            "slow-call rate 100.0% >= 100.0% over 1 calls"),
        new Success("orders", 10_000_000, true));
  }

  @Test
  void throwingListener_reportedToHandler_callerAndOtherListenersUnaffected() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1).build());
    List<StateTransition> seen = new ArrayList<>();
    breaker.onStateTransition(t -> {
      throw new IllegalStateException("listener bug");
    });
    breaker.onStateTransition(seen::add);

    breaker.onError(0, new IOException());

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(seen).hasSize(1);
    assertThat(listenerFailures).singleElement().isInstanceOf(IllegalStateException.class);
  }

  @Test
  void listenerMakingATransition_nestedTransitionPublishedAfterItsCause() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1).build());
    List<String> order = new ArrayList<>();
    breaker.onStateTransition(t -> {
      order.add(t.from() + "->" + t.to());
      if (t.to() == State.OPEN) {
        breaker.transitionToForcedOpen(); // an operator rule reacting to the trip
        order.add("returned");
      }
    });

    breaker.onError(0, new IOException());

    assertThat(order).containsExactly("CLOSED->OPEN", "returned", "OPEN->FORCED_OPEN");
  }

  @Test
  void subscriptionClosed_listenerNoLongerCalled() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1).build());
    List<CircuitBreakerEvent> events = new ArrayList<>();
    Subscription subscription = breaker.onEvent(events::add);

    subscription.close();
    breaker.onError(0, new IOException());

    assertThat(events).isEmpty();
  }

  @Test
  void journal_givenToBreaker_recordsEachTransitionAsTimelineEntry() {
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
    CircuitBreaker breaker = CircuitBreaker.builder("payments")
        .config(CircuitBreakerConfig.builder().countWindow(8).build())
        .ticker(ticker).journal(journal).build();
    for (int i = 0; i < 8; i++) {
      if (i < 3) {
        breaker.onSuccess(0);
      } else {
        breaker.onError(0, new IOException());
      }
    }
    ticker.advance(Duration.ofSeconds(60));
    breaker.tryAcquirePermission();

    assertThat(journal.entries()).extracting(e -> e.source() + " | " + e.kind() + " | " + e.detail())
        .containsExactly(
            "payments | transition | CLOSED -> OPEN: failure rate 62.5% >= 50.0% over 8 calls",
            "payments | transition | OPEN -> HALF_OPEN: waited 1m00.000s in OPEN");
    assertThat(journal.toText()).contains("payments  transition  CLOSED -> OPEN");
  }

  @Test
  void onStateTransition_listenerTransitionsTheBreaker_publishedAfterTheTransitionItHandles() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.ofDefaults());
    List<String> calls = new ArrayList<>();
    breaker.onStateTransition(t -> {
      calls.add("begin " + t.from() + " -> " + t.to());
      if (t.to() == State.OPEN) {
        assertThat(breaker.transitionToForcedOpen()).isTrue(); // installed now, published later
        calls.add("forced open");
      }
      calls.add("end " + t.from() + " -> " + t.to());
    });

    assertThat(breaker.transitionToOpen()).isTrue();

    assertThat(calls).containsExactly(
        "begin CLOSED -> OPEN", "forced open", "end CLOSED -> OPEN",
        "begin OPEN -> FORCED_OPEN", "end OPEN -> FORCED_OPEN");
    assertThat(breaker.state()).isEqualTo(State.FORCED_OPEN);
    assertThat(listenerFailures).isEmpty();
  }

  @Test
  void onStateTransition_listenerThrowsVirtualMachineError_laterTransitionsStillPublished() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.ofDefaults());
    List<String> published = new ArrayList<>();
    breaker.onStateTransition(t -> {
      published.add(t.from() + " -> " + t.to());
      if (t.to() == State.OPEN) {
        throw new StackOverflowError("deep listener");
      }
    });

    assertThatThrownBy(breaker::transitionToOpen).isInstanceOf(StackOverflowError.class);
    assertThat(breaker.state()).as("the transition happened").isEqualTo(State.OPEN);
    assertThat(breaker.transitionToClosed()).isTrue();

    assertThat(published).containsExactly("CLOSED -> OPEN", "OPEN -> CLOSED");
  }
}
