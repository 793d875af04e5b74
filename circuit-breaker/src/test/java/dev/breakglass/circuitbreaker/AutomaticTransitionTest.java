package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.core.Health;
import dev.breakglass.core.HealthChange;
import dev.breakglass.core.ManualScheduler;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AutomaticTransitionTest {

  private final ManualTicker ticker = new ManualTicker();
  private final AtomicLong tickerReads = new AtomicLong();
  private final Ticker countingTicker = () -> {
    tickerReads.incrementAndGet();
    return ticker.read();
  };
  private final ManualScheduler scheduler = new ManualScheduler(ticker);

  private CircuitBreaker automaticBreaker(CircuitBreakerConfig.Builder config) {
    return CircuitBreaker.builder("search")
        .config(config.countWindow(1).automaticTransitionToHalfOpen(true).build())
        .ticker(countingTicker).scheduler(scheduler).build();
  }

  @Test
  void open_waitOver_timerMovesToHalfOpenWithoutAnyCall() {
    CircuitBreaker breaker = automaticBreaker(CircuitBreakerConfig.builder()
        .waitDurationInOpenState(Duration.ofSeconds(30)));
    List<HealthChange> changes = new CopyOnWriteArrayList<>();
    breaker.onHealthChange(changes::add);
    breaker.onError(0, new IOException());
    assertThat(scheduler.nextDueNanos()).hasValue(Duration.ofSeconds(30).toNanos());

    ticker.advance(Duration.ofSeconds(30));
    assertThat(scheduler.runDue()).isEqualTo(1);

    assertThat(changes).containsExactly(new HealthChange("search", Health.UP, Health.DOWN),
        new HealthChange("search", Health.DOWN, Health.DEGRADED));
    assertThat(breaker.tryAcquirePermission()).isTrue();
  }

  @Test
  void open_automatic_rejectionsReadNoClock() {
    CircuitBreaker breaker = automaticBreaker(CircuitBreakerConfig.builder());
    breaker.onError(0, new IOException());
    long before = tickerReads.get();

    for (int i = 0; i < 1_000; i++) {
      assertThat(breaker.tryAcquirePermission()).isFalse();
    }

    assertThat(tickerReads.get()).isEqualTo(before);
  }

  @Test
  void closed_countWindowWithoutSlowCalls_successPathReadsNoClock() {
    CircuitBreaker breaker = CircuitBreaker.builder("search").ticker(countingTicker).build();
    for (int i = 0; i < 200; i++) {
      breaker.get(() -> "warm up past the minimum number of calls");
    }
    long before = tickerReads.get();

    for (int i = 0; i < 1_000; i++) {
      breaker.get(() -> "ok");
      breaker.onSuccess(0);
    }

    assertThat(tickerReads.get()).isEqualTo(before);
  }

  @Test
  void timer_firesBeforeTheWaitIsOver_reschedulesForTheRemainder() {
    CircuitBreaker breaker = automaticBreaker(CircuitBreakerConfig.builder()
        .waitDurationInOpenState(Duration.ofSeconds(30)));
    breaker.onError(0, new IOException());
    long openedAt = ticker.read();

    ticker.advance(Duration.ofSeconds(10));
    scheduler.runNext();

    assertThat(breaker.tryAcquirePermission()).isFalse();
    assertThat(scheduler.queuedTasks()).isEqualTo(1);
    assertThat(scheduler.nextDueNanos()).hasValue(openedAt + Duration.ofSeconds(30).toNanos());
    ticker.advance(Duration.ofSeconds(20));
    scheduler.runDue();
    assertThat(breaker.health()).isEqualTo(Health.DEGRADED);
  }

  @Test
  void timer_staleAfterManualClose_doesNothing() {
    CircuitBreaker breaker = automaticBreaker(CircuitBreakerConfig.builder());
    breaker.onError(0, new IOException());
    breaker.transitionToClosed();

    ticker.advance(Duration.ofMinutes(1));
    scheduler.runDue();

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void schedulerRejects_breakerFallsBackToCheckingTheClock() {
    CircuitBreaker breaker = automaticBreaker(CircuitBreakerConfig.builder()
        .waitDurationInOpenState(Duration.ofSeconds(5)));
    scheduler.shutdown(); // a shut-down scheduler rejects every task
    breaker.onError(0, new IOException());

    ticker.advance(Duration.ofSeconds(5));

    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  @Test
  void halfOpen_hungTrial_maxWaitTimerReopens() {
    CircuitBreaker breaker = automaticBreaker(CircuitBreakerConfig.builder()
        .permittedNumberOfCallsInHalfOpenState(1)
        .waitDurationInOpenState(Duration.ofSeconds(10))
        .maxWaitDurationInHalfOpenState(Duration.ofSeconds(20)));
    breaker.onError(0, new IOException());
    ticker.advance(Duration.ofSeconds(10));
    scheduler.runDue();
    assertThat(breaker.tryAcquirePermission()).isTrue(); // hangs

    ticker.advance(Duration.ofSeconds(20));
    scheduler.runDue();

    assertThat(breaker.health()).isEqualTo(Health.DOWN);
  }

  @Test
  void advance_pastOpenWaitAndHalfOpenMaxWait_eachTimerRunsAtItsDueTime() {
    CircuitBreaker breaker = automaticBreaker(CircuitBreakerConfig.builder()
        .permittedNumberOfCallsInHalfOpenState(1)
        .waitDurationInOpenState(Duration.ofSeconds(10))
        .maxWaitDurationInHalfOpenState(Duration.ofSeconds(20)));
    List<String> transitions = new CopyOnWriteArrayList<>();
    breaker.onStateTransition(
        t -> transitions.add(t.to() + " at " + Duration.ofNanos(ticker.read()).toSeconds()));
    breaker.onError(0, new IOException());
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(breaker.tryAcquirePermission()).isTrue(); // a trial call that hangs

    scheduler.advance(Duration.ofSeconds(60));

    // given up on the trial 20 s after it was let through, then 10 s in OPEN again
    assertThat(transitions).containsExactly("OPEN at 0", "HALF_OPEN at 10", "OPEN at 30",
        "HALF_OPEN at 40");
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  @Test
  void defaultScheduler_realTime_movesToHalfOpenWithoutCalls() throws InterruptedException {
    CircuitBreaker breaker = CircuitBreaker.of("real-time", CircuitBreakerConfig.builder()
        .countWindow(1).waitDurationInOpenState(Duration.ofMillis(20))
        .automaticTransitionToHalfOpen(true).build());
    CountDownLatch halfOpen = new CountDownLatch(1);
    breaker.onStateTransition(t -> {
      if (t.to() == State.HALF_OPEN) {
        halfOpen.countDown();
      }
    });

    breaker.onError(0, new IOException());

    assertThat(halfOpen.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
