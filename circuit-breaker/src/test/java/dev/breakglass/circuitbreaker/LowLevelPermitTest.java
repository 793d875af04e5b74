package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.core.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The low-level API with permits: outcomes count in the period that let the call through. */
class LowLevelPermitTest {

  private final ManualTicker ticker = new ManualTicker();

  private CircuitBreaker breaker(int permitted) {
    return CircuitBreaker.builder("orders").ticker(ticker)
        .config(CircuitBreakerConfig.builder().countWindow(1)
            .waitDurationInOpenState(Duration.ofSeconds(10))
            .permittedNumberOfCallsInHalfOpenState(permitted)
            .ignoreExceptions(IllegalArgumentException.class)
            .recordResult("bad"::equals)
            .build())
        .build();
  }

  private void openAndWaitForHalfOpen(CircuitBreaker breaker) {
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  @Test
  void permit_closed_recordsInTheWindowLikeWrappedCalls() {
    CircuitBreaker breaker = breaker(1);

    long permit = breaker.tryAcquirePermit();
    assertThat(permit).isNotEqualTo(CircuitBreaker.NO_PERMIT);
    breaker.onResult(permit, 5, "bad");

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
    assertThat(breaker.metrics().notPermittedCalls()).isEqualTo(1);
  }

  @Test
  void permit_halfOpenTrials_decideThePeriod() {
    CircuitBreaker breaker = breaker(2);
    openAndWaitForHalfOpen(breaker);
    long first = breaker.tryAcquirePermit();
    long second = breaker.tryAcquirePermit();
    assertThat(breaker.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);

    breaker.onSuccess(first, 1);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    breaker.onSuccess(second, 1);

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void permitFromClosed_completesInHalfOpen_isNotCountedAsTrial() {
    CircuitBreaker breaker = breaker(1);
    long whileClosed = breaker.tryAcquirePermit();
    openAndWaitForHalfOpen(breaker);
    long trial = breaker.tryAcquirePermit();

    breaker.onError(whileClosed, 1, new IOException("late"));

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    breaker.onSuccess(trial, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void permitFromClosed_releasedOrIgnoredInHalfOpen_neverAdmitsMoreTrialsThanPermitted() {
    CircuitBreaker breaker = breaker(1);
    long released = breaker.tryAcquirePermit();
    long ignored = breaker.tryAcquirePermit();
    openAndWaitForHalfOpen(breaker);
    assertThat(breaker.tryAcquirePermit()).isNotEqualTo(CircuitBreaker.NO_PERMIT); // the trial

    breaker.releasePermit(released);
    breaker.onError(ignored, 1, new IllegalArgumentException("ignored"));

    assertThat(breaker.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
  }

  @Test
  void permitOfTrial_releasedOrIgnored_givesThePermitBack() {
    CircuitBreaker breaker = breaker(1);
    openAndWaitForHalfOpen(breaker);

    breaker.releasePermit(breaker.tryAcquirePermit());
    long trial = breaker.tryAcquirePermit();
    assertThat(trial).isNotEqualTo(CircuitBreaker.NO_PERMIT);
    breaker.onError(trial, 1, new IllegalArgumentException("ignored"));
    long again = breaker.tryAcquirePermit();

    assertThat(again).isNotEqualTo(CircuitBreaker.NO_PERMIT);
    breaker.onSuccess(again, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void permitOfEndedPeriod_completesInNextHalfOpen_isNotCounted() {
    CircuitBreaker breaker = breaker(1);
    openAndWaitForHalfOpen(breaker);
    long old = breaker.tryAcquirePermit();
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(10));
    long current = breaker.tryAcquirePermit();

    breaker.onSuccess(old, 1);

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    breaker.onSuccess(current, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void permitMethods_valueThatIsNoPermit_throwNamingIt() {
    CircuitBreaker breaker = breaker(1);

    assertThatThrownBy(() -> breaker.onSuccess(CircuitBreaker.NO_PERMIT, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permit must be a value returned by tryAcquirePermit(), was 0");
    assertThatThrownBy(() -> breaker.onError(1_000, breaker.tryAcquirePermit(), new IOException()))
        .isInstanceOf(IllegalArgumentException.class) // duration and permit swapped
        .hasMessage("permit must be a value returned by tryAcquirePermit(), was 1000");
    assertThatThrownBy(() -> breaker.onResult(-1, 1, "ok"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> breaker.releasePermit(42))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> breaker.onSuccess(breaker.tryAcquirePermit(), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("durationNanos must not be negative, was -1");
    assertThat(breaker.metrics().bufferedCalls()).isZero();
  }
}
