package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualScheduler;
import dev.breakglass.core.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The max wait in HALF_OPEN runs from the trial calls, not from the start of the period: a
 * period entered without traffic (by the timer, or by a read of the state) must not give up
 * on a trial that has only just started.
 */
class HalfOpenMaxWaitTest {

  private final ManualTicker ticker = new ManualTicker();
  private final IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();

  private CircuitBreakerConfig.Builder config() {
    return CircuitBreakerConfig.builder().countWindow(1)
        .permittedNumberOfCallsInHalfOpenState(2)
        .waitDurationInOpenState(Duration.ofSeconds(10))
        .maxWaitDurationInHalfOpenState(Duration.ofSeconds(60));
  }

  @Test
  void halfOpenEnteredByStateRead_firstTrialMuchLater_isNotGivenUpAtOnce() {
    CircuitBreaker breaker = CircuitBreaker.builder("search").ticker(ticker).journal(journal)
        .config(config().build()).build();
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN); // health check, no traffic
    ticker.advance(Duration.ofMinutes(5));

    assertThat(breaker.tryAcquirePermission()).isTrue(); // the first trial, just started
    assertThat(breaker.tryAcquirePermission()).isTrue();
    ticker.advance(Duration.ofMillis(5));
    assertThat(breaker.tryAcquirePermission()).as("rejected, not given up").isFalse();

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    ticker.advance(Duration.ofSeconds(60).minusMillis(6));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    ticker.advance(Duration.ofMillis(1)); // 60 s after the last trial was let through
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(journal.entries().get(journal.entries().size() - 1).detail()).isEqualTo(
        "HALF_OPEN -> OPEN: 2 trial calls still outstanding 1m00.000s after the last one was let"
            + " through");
  }

  @Test
  void halfOpenEnteredByTimer_firstTrialMuchLater_timerGivesUpOnlyAfterMaxWaitFromTrial() {
    ManualScheduler scheduler = new ManualScheduler(ticker);
    CircuitBreaker breaker = CircuitBreaker.builder("search").ticker(ticker)
        .scheduler(scheduler)
        .config(config().automaticTransitionToHalfOpen(true).build()).build();
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(10));
    scheduler.runDue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);

    ticker.advance(Duration.ofMinutes(5)); // no traffic: the max-wait timer finds nothing
    scheduler.runDue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquirePermission()).isTrue(); // a trial that hangs
    ticker.advance(Duration.ofSeconds(59));
    scheduler.runDue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);

    ticker.advance(Duration.ofSeconds(1));
    scheduler.runDue();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void laterTrialAdmission_restartsTheMaxWait() {
    CircuitBreaker breaker = CircuitBreaker.builder("search").ticker(ticker)
        .config(config().build()).build();
    breaker.transitionToHalfOpen();
    assertThat(breaker.tryAcquirePermission()).isTrue(); // hangs
    ticker.advance(Duration.ofSeconds(50));
    assertThat(breaker.tryAcquirePermission()).isTrue(); // hangs too

    ticker.advance(Duration.ofSeconds(59));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }
}
