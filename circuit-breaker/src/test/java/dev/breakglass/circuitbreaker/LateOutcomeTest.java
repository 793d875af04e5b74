package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.core.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Calls that outlive the period that let them through (the usual case: calls in flight when
 * a dependency hung time out after the breaker opened): a HALF_OPEN decision rests on that
 * period's own trial calls only.
 */
class LateOutcomeTest {

  private final ManualTicker ticker = new ManualTicker();

  /** Opens after one failure, waits 10 s, then lets {@code permitted} trials through. */
  private CircuitBreaker breaker(int permitted) {
    return CircuitBreaker.builder("orders").ticker(ticker)
        .config(CircuitBreakerConfig.builder().countWindow(1)
            .waitDurationInOpenState(Duration.ofSeconds(10))
            .permittedNumberOfCallsInHalfOpenState(permitted)
            .maxWaitDurationInHalfOpenState(Duration.ofSeconds(30))
            .ignoreExceptions(IllegalArgumentException.class)
            .build())
        .build();
  }

  private void openAndWaitForHalfOpen(CircuitBreaker breaker) {
    breaker.onError(0, new IOException("down"));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  /** Starts an asynchronous call that stays in flight until the returned stage completes. */
  private static CompletableFuture<String> inFlight(CircuitBreaker breaker) {
    CompletableFuture<String> stage = new CompletableFuture<>();
    CompletionStage<String> result = breaker.getAsync(() -> stage);
    assertThat(result.toCompletableFuture().isDone()).as("let through").isFalse();
    return stage;
  }

  @Test
  void halfOpen_callLetThroughWhileClosedCompletes_isNotCountedAsTrial() {
    CircuitBreaker breaker = breaker(2);
    CompletableFuture<String> admittedWhileClosed = inFlight(breaker);
    openAndWaitForHalfOpen(breaker);
    CompletableFuture<String> trial1 = inFlight(breaker);
    CompletableFuture<String> trial2 = inFlight(breaker);

    admittedWhileClosed.complete("ok");
    trial1.complete("ok");

    // one of two trials has completed: no decision yet, and the late call is not a trial
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
    trial2.complete("ok");
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void halfOpen_lateFailureOfCallLetThroughWhileClosed_doesNotReopen() {
    CircuitBreaker breaker = CircuitBreaker.builder("orders").ticker(ticker)
        .config(CircuitBreakerConfig.consecutiveFailures(1, Duration.ofSeconds(10)))
        .build();
    CompletableFuture<String> admittedWhileClosed = inFlight(breaker);
    openAndWaitForHalfOpen(breaker);
    CompletableFuture<String> trial = inFlight(breaker);

    admittedWhileClosed.completeExceptionally(new IOException("timed out long ago"));

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    trial.complete("ok");
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void halfOpen_hungTrialOfEarlierPeriodCompletes_isNotCountedAndTheNewTrialStillTimesOut() {
    CircuitBreaker breaker = breaker(1);
    openAndWaitForHalfOpen(breaker);
    CompletableFuture<String> hung = inFlight(breaker);
    ticker.advance(Duration.ofSeconds(30));
    assertThat(breaker.state()).isEqualTo(State.OPEN); // gave up on the hung trial
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    CompletableFuture<String> trial = inFlight(breaker); // hangs too

    hung.complete("finally");

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.metrics().bufferedCalls()).isZero();
    ticker.advance(Duration.ofSeconds(30));
    assertThat(breaker.state()).as("the new trial is still outstanding").isEqualTo(State.OPEN);
    assertThat(trial).isNotDone();
  }

  @Test
  void closed_trialOfEndedPeriodCompletes_isNotRecordedInTheNewWindow() {
    CircuitBreaker breaker = breaker(1);
    openAndWaitForHalfOpen(breaker);
    CompletableFuture<String> trial = inFlight(breaker);
    breaker.transitionToClosed();

    trial.completeExceptionally(new IOException("belongs to the HALF_OPEN period"));

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().bufferedCalls()).isZero();
  }

  @Test
  void halfOpen_ignoredExceptionOfCallLetThroughWhileClosed_givesNoTrialPermit() {
    CircuitBreaker breaker = breaker(1);
    CompletableFuture<String> admittedWhileClosed = inFlight(breaker);
    openAndWaitForHalfOpen(breaker);
    CompletableFuture<String> trial = inFlight(breaker);

    admittedWhileClosed.completeExceptionally(new IllegalArgumentException("ignored"));

    assertThat(breaker.tryAcquirePermission()).as("a second concurrent trial").isFalse();
    trial.complete("ok");
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void halfOpen_permitLessOutcomeWithNoTrialOutstanding_isNotCountedAsTrial() {
    CircuitBreaker breaker = breaker(1);
    assertThat(breaker.tryAcquirePermission()).isTrue(); // while CLOSED
    openAndWaitForHalfOpen(breaker);

    breaker.onError(0, new IOException("late")); // cannot be a trial: none was let through

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.metrics().bufferedCalls()).isZero();
  }
}
