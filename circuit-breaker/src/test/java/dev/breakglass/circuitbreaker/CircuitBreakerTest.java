package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private final ManualTicker ticker = new ManualTicker();
  private final IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    return CircuitBreaker.builder("payments").config(config).ticker(ticker).journal(journal)
        .build();
  }

  private static void fail(CircuitBreaker breaker) {
    breaker.onError(0, new IOException("down"));
  }

  private static List<String> details(IncidentJournal journal) {
    List<String> details = new ArrayList<>();
    for (JournalEntry entry : journal.entries()) {
      details.add(entry.source() + " " + entry.kind() + " " + entry.detail());
    }
    return details;
  }

  @Test
  void countWindow_failureRateReachesThreshold_opensAndJournalsTheReason() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(8).build());

    for (int i = 0; i < 3; i++) {
      breaker.onSuccess(0);
    }
    for (int i = 0; i < 4; i++) {
      fail(breaker);
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED); // 7 calls < minimum 8
    fail(breaker);

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.health()).isEqualTo(Health.DOWN);
    assertThat(details(journal))
        .containsExactly("payments transition CLOSED -> OPEN: failure rate 62.5% >= 50.0% over 8 calls");
    CircuitBreakerMetrics metrics = breaker.metrics();
    assertThat(metrics.failureRate()).isEqualTo(62.5);
    assertThat(metrics.bufferedCalls()).isEqualTo(8);
    assertThat(metrics.failedCalls()).isEqualTo(5);
    assertThat(metrics.successfulCalls()).isEqualTo(3);
  }

  @Test
  void countWindow_oldOutcomesSlideOut_rateCoversLastNOnly() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(4)
        .failureRateThreshold(75).build());

    fail(breaker);
    fail(breaker);
    breaker.onSuccess(0);
    breaker.onSuccess(0); // F F S S: 50 %
    breaker.onSuccess(0); // F S S S: 25 %
    fail(breaker); // S S S F: 25 %

    assertThat(breaker.metrics().failureRate()).isEqualTo(25.0);
    fail(breaker); // S S F F
    fail(breaker); // S F F F: 75 %
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void countWindow_longRunOfSuccessesBatched_thenFailures_judgesExactWindow() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(100)
        .minimumNumberOfCalls(10).build());

    for (int i = 0; i < 1_000; i++) {
      breaker.onSuccess(0);
    }
    for (int i = 0; i < 49; i++) {
      fail(breaker);
    }
    assertThat(breaker.metrics().failureRate()).isEqualTo(49.0);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void timeWindow_outcomesOlderThanTheWindow_expire() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder()
        .timeWindow(Duration.ofSeconds(10), 10).minimumNumberOfCalls(4)
        .failureRateThreshold(60).build());

    fail(breaker);
    fail(breaker);
    fail(breaker);
    ticker.advance(Duration.ofSeconds(10)); // the failures' bucket has left the window
    breaker.onSuccess(0);
    fail(breaker);
    fail(breaker);
    breaker.onSuccess(0);
    breaker.onSuccess(0);

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(5);
    assertThat(breaker.metrics().failureRate()).isEqualTo(40.0);
  }

  @Test
  void timeWindow_bucketsExpireLeavingFailures_nextSuccessOpens() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder()
        .timeWindow(Duration.ofSeconds(2), 2).minimumNumberOfCalls(2).build());
    for (int i = 0; i < 3; i++) {
      breaker.onSuccess(0);
    }
    ticker.advance(Duration.ofSeconds(1));
    fail(breaker);
    fail(breaker);
    breaker.onSuccess(0); // 2 of 6
    ticker.advance(Duration.ofSeconds(1)); // the 3 successes expire: 2 of 3

    assertThat(breaker.metrics().failureRate()).isEqualTo(200.0 / 3);
    assertThat(breaker.state()).isEqualTo(State.CLOSED); // nothing judged since
    breaker.onSuccess(0); // 2 of 4 = 50 %

    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void slowCalls_slowCallRateReachesThreshold_opens() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(4)
        .slowCallDurationThreshold(Duration.ofSeconds(2)).slowCallRateThreshold(50).build());

    breaker.get(() -> "fast");
    breaker.get(() -> {
      ticker.advance(Duration.ofSeconds(3));
      return "slow";
    });
    breaker.get(() -> "fast");
    assertThat(breaker.metrics().slowCalls()).isEqualTo(1);
    breaker.onSuccess(Duration.ofSeconds(2).toNanos()); // exactly the threshold is slow

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(journal.entries().get(0).detail())
        .isEqualTo("CLOSED -> OPEN: slow-call rate 50.0% >= 50.0% over 4 calls");
  }

  @Test
  void consecutiveFailures_successInBetween_restartsTheRun() {
    CircuitBreaker breaker =
        breaker(CircuitBreakerConfig.consecutiveFailures(5, Duration.ofSeconds(300)));

    for (int i = 0; i < 4; i++) {
      fail(breaker);
    }
    breaker.onSuccess(0);
    for (int i = 0; i < 4; i++) {
      fail(breaker);
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(breaker);

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(journal.entries().get(0).detail())
        .isEqualTo("CLOSED -> OPEN: 5 consecutive failures");
  }

  @Test
  void consecutiveFailures_classicCycle_staysOpen300sThenOneTrialCloses() {
    CircuitBreaker breaker =
        breaker(CircuitBreakerConfig.consecutiveFailures(5, Duration.ofSeconds(300)));
    for (int i = 0; i < 5; i++) {
      fail(breaker);
    }

    ticker.advance(Duration.ofSeconds(299));
    assertThat(breaker.tryAcquirePermission()).isFalse();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquirePermission()).isTrue(); // the one trial call
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquirePermission()).isFalse();
    breaker.onSuccess(0);

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(details(journal)).containsExactly(
        "payments transition CLOSED -> OPEN: 5 consecutive failures",
        "payments transition OPEN -> HALF_OPEN: waited 5m00.000s in OPEN",
        "payments transition HALF_OPEN -> CLOSED: the trial call succeeded");
  }

  @Test
  void halfOpen_trialsFail_reopensWithBackoffAndClosingResetsIt() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(2)
        .permittedNumberOfCallsInHalfOpenState(2)
        .waitIntervalFunctionInOpenState(
            IntervalFunction.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60)))
        .build());
    fail(breaker);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);

    ticker.advance(Duration.ofSeconds(1));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).isFalse();
    breaker.onSuccess(0);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN); // waits for both trials
    fail(breaker); // 1 of 2 = 50 %: re-open, attempt 2
    assertThat(breaker.state()).isEqualTo(State.OPEN);

    ticker.advance(Duration.ofMillis(1_999));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    ticker.advance(Duration.ofMillis(1));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    breaker.get(() -> "ok");
    breaker.get(() -> "ok");
    assertThat(breaker.state()).isEqualTo(State.CLOSED);

    fail(breaker);
    fail(breaker); // attempt 1 again: 1 s
    ticker.advance(Duration.ofSeconds(1));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(details(journal)).contains(
        "payments transition HALF_OPEN -> OPEN: trial calls failed: failure rate 50.0% >= 50.0%"
            + " over 2 calls",
        "payments transition OPEN -> HALF_OPEN: waited 2.000s in OPEN",
        "payments transition HALF_OPEN -> CLOSED: trial calls passed: failure rate 0.0% < 50.0%"
            + " over 2 calls");
  }

  @Test
  void halfOpen_hungTrialPastMaxWait_reopens() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1)
        .permittedNumberOfCallsInHalfOpenState(1)
        .waitDurationInOpenState(Duration.ofSeconds(10))
        .maxWaitDurationInHalfOpenState(Duration.ofSeconds(30)).build());
    fail(breaker);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.tryAcquirePermission()).isTrue(); // the trial hangs for ever

    ticker.advance(Duration.ofSeconds(29));
    assertThat(breaker.tryAcquirePermission()).isFalse();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquirePermission()).isFalse();

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(journal.entries().get(2).detail())
        .isEqualTo("HALF_OPEN -> OPEN: 1 trial call still outstanding 30.000s after the last one"
            + " was let through");
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.tryAcquirePermission()).isTrue(); // a fresh trial
  }

  @Test
  void halfOpen_noTrialOutstandingPastMaxWait_keepsWaitingForCalls() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1)
        .permittedNumberOfCallsInHalfOpenState(3)
        .maxWaitDurationInHalfOpenState(Duration.ofSeconds(5)).build());
    fail(breaker);
    ticker.advance(Duration.ofSeconds(60));
    assertThat(breaker.tryAcquirePermission()).isTrue();
    breaker.onSuccess(0);

    ticker.advance(Duration.ofMinutes(5));

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    breaker.get(() -> "ok");
    breaker.get(() -> "ok");
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void halfOpen_trialThrowsError_errorIsRecordedSoThePermitIsNotLost() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1)
        .permittedNumberOfCallsInHalfOpenState(1).build());
    fail(breaker);
    ticker.advance(Duration.ofSeconds(60));

    assertThatThrownBy(() -> breaker.run(() -> {
      throw new StackOverflowError("deep");
    })).isInstanceOf(StackOverflowError.class);

    assertThat(breaker.state()).isEqualTo(State.OPEN); // the trial's outcome was recorded
    ticker.advance(Duration.ofSeconds(60));
    assertThat(breaker.get(() -> "recovered")).isEqualTo("recovered");
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void halfOpen_trialEndsInIgnoredErrorOrException_givesItsPermitBack() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1)
        .permittedNumberOfCallsInHalfOpenState(1)
        .ignoreExceptions(IllegalArgumentException.class, AssertionError.class).build());
    fail(breaker);
    ticker.advance(Duration.ofSeconds(60));

    assertThatThrownBy(() -> breaker.run(() -> {
      throw new AssertionError("ignored error");
    })).isInstanceOf(AssertionError.class);
    assertThat(breaker.<Integer>get(() -> 1, e -> -1)).isEqualTo(1); // the permit came back

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(breaker);
    ticker.advance(Duration.ofSeconds(60));
    assertThat(breaker.<Integer>get(() -> {
      throw new IllegalArgumentException("caller bug");
    }, e -> -1)).isEqualTo(-1);
    assertThat(breaker.tryAcquirePermission()).isTrue();
  }

  @Test
  void recordResult_matchingValue_countsAsFailureButIsReturned() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(2)
        .recordResult(r -> r instanceof Integer && (Integer) r >= 500).build());

    assertThat(breaker.get(() -> 503)).isEqualTo(503);
    assertThat(breaker.get(() -> 200)).isEqualTo(200);

    assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void exceptionNotRecorded_countsAsSuccess() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(2)
        .recordExceptions(IOException.class).build());

    breaker.onError(0, new IllegalStateException("business rule"));
    breaker.onError(0, new IllegalStateException("business rule"));

    assertThat(breaker.metrics().failedCalls()).isZero();
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(2);
  }

  @Test
  void manualTransitions_specialStates_behaveAsDocumented() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1).build());

    assertThat(breaker.transitionToDisabled()).isTrue();
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.DISABLED);
    assertThat(breaker.health()).isEqualTo(Health.UP);
    assertThat(breaker.tryAcquirePermission()).isTrue();

    assertThat(breaker.transitionToForcedOpen()).isTrue();
    assertThat(breaker.transitionToForcedOpen()).isFalse();
    ticker.advance(Duration.ofDays(1));
    assertThat(breaker.tryAcquirePermission()).isFalse();
    assertThat(breaker.state()).isEqualTo(State.FORCED_OPEN);
    assertThat(breaker.health()).isEqualTo(Health.DOWN);

    assertThat(breaker.transitionToMetricsOnly()).isTrue();
    fail(breaker);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.METRICS_ONLY);
    assertThat(breaker.metrics().failureRate()).isEqualTo(100.0);
    assertThat(breaker.health()).isEqualTo(Health.UP);

    assertThat(breaker.transitionToOpen()).isTrue();
    assertThat(breaker.metrics().bufferedCalls()).isZero();
    assertThat(breaker.transitionToHalfOpen()).isTrue();
    assertThat(breaker.health()).isEqualTo(Health.DEGRADED);
    assertThat(breaker.transitionToClosed()).isTrue();
    assertThat(breaker.transitionToClosed()).isFalse();
    assertThat(details(journal)).containsExactly(
        "payments transition CLOSED -> DISABLED: manual transition",
        "payments transition DISABLED -> FORCED_OPEN: manual transition",
        "payments transition FORCED_OPEN -> METRICS_ONLY: manual transition",
        "payments transition METRICS_ONLY -> OPEN: manual transition",
        "payments transition OPEN -> HALF_OPEN: manual transition",
        "payments transition HALF_OPEN -> CLOSED: manual transition");
  }

  @Test
  void reset_openBreaker_closesWithEmptyWindowAndZeroRejections() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1).build());
    fail(breaker);
    breaker.tryAcquirePermission();
    assertThat(breaker.metrics().notPermittedCalls()).isEqualTo(1);

    breaker.reset();
    breaker.reset();

    CircuitBreakerMetrics metrics = breaker.metrics();
    assertThat(metrics.state()).isEqualTo(State.CLOSED);
    assertThat(metrics.bufferedCalls()).isZero();
    assertThat(metrics.notPermittedCalls()).isZero();
    assertThat(metrics.failureRate()).isEqualTo(-1.0);
    assertThat(details(journal)).endsWith("payments transition OPEN -> CLOSED: reset",
        "payments transition CLOSED -> CLOSED: reset");
  }

  @Test
  void metrics_belowMinimumOrWithoutSlowDetection_reportMinusOne() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(10).build());
    fail(breaker);

    CircuitBreakerMetrics metrics = breaker.metrics();

    assertThat(metrics.failureRate()).isEqualTo(-1.0);
    assertThat(metrics.slowCallRate()).isEqualTo(-1.0);
    assertThat(metrics.bufferedCalls()).isEqualTo(1);
    assertThat(metrics.failedCalls()).isEqualTo(1);
  }


  @Test
  void metrics_openAfterFailedTrials_reportsTheTrialsRate() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder() // minimum 100 calls
        .permittedNumberOfCallsInHalfOpenState(4).build());
    breaker.transitionToHalfOpen();
    breaker.get(() -> "ok");
    breaker.get(() -> "ok");
    for (int i = 0; i < 2; i++) { // 2 of 4 trials failed: 50 %
      breaker.get(() -> {
        throw new IllegalStateException("down");
      }, e -> "fallback");
    }

    CircuitBreakerMetrics metrics = breaker.metrics();

    assertThat(metrics.state()).isEqualTo(State.OPEN);
    assertThat(metrics.bufferedCalls()).isEqualTo(4);
    assertThat(metrics.failureRate()).isEqualTo(50.0); // judged on the trials, not on 100
  }

  @Test
  void builder_blankName_throws() {
    assertThatThrownBy(() -> CircuitBreaker.of(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> CircuitBreaker.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void healthSource_nameAndToString_describeBreaker() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.ofDefaults());

    assertThat(breaker.name()).isEqualTo("payments");
    assertThat(breaker).hasToString("CircuitBreaker[payments, CLOSED]");
    assertThat(breaker.config()).isEqualTo(CircuitBreakerConfig.ofDefaults());
  }
}
