package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.core.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Permits are single-use and bound to the breaker that issued them: a trial permit used twice,
 * or a permit of another breaker, is refused with an exception naming the breaker, and
 * decides nothing.
 */
class PermitMisuseTest {

  private final ManualTicker ticker = new ManualTicker();

  /** Opens after one failure, waits 10 s, then lets {@code permitted} trials through. */
  private CircuitBreaker breaker(String name, int permitted) {
    return CircuitBreaker.builder(name).ticker(ticker)
        .config(CircuitBreakerConfig.builder().countWindow(1)
            .waitDurationInOpenState(Duration.ofSeconds(10))
            .permittedNumberOfCallsInHalfOpenState(permitted)
            .maxWaitDurationInHalfOpenState(Duration.ZERO)
            .ignoreExceptions(IllegalArgumentException.class)
            .build())
        .build();
  }

  private void openAndWaitForHalfOpen(CircuitBreaker breaker) {
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  @Test
  void trialPermit_reportedThreeTimes_countsOnceAndNeverClosesOnOneCall() {
    CircuitBreaker breaker = breaker("orders", 3);
    openAndWaitForHalfOpen(breaker);
    long permit = breaker.tryAcquirePermit();

    breaker.onSuccess(permit, 1);
    assertThatThrownBy(() -> breaker.onSuccess(permit, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("circuit breaker 'orders' refused permit " + permit + ": it was already"
            + " used (a permit takes exactly one onSuccess, onError, onResult or releasePermit)");
    assertThatThrownBy(() -> breaker.onSuccess(permit, 1))
        .isInstanceOf(IllegalStateException.class);

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
  }

  @Test
  void trialPermit_reportedAgainWithAnotherMethod_isRefused() {
    CircuitBreaker breaker = breaker("orders", 2);
    openAndWaitForHalfOpen(breaker);
    long permit = breaker.tryAcquirePermit();
    breaker.onError(permit, 1, new IOException("down"));

    assertThatThrownBy(() -> breaker.onResult(permit, 1, "ok"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already used");
    assertThatThrownBy(() -> breaker.onError(permit, 1, new IOException("again")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already used");

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
  }

  @Test
  void trialPermit_releasedTwice_isRefusedAndNeverAdmitsMoreThanPermitted() {
    CircuitBreaker breaker = breaker("orders", 1);
    openAndWaitForHalfOpen(breaker);
    long first = breaker.tryAcquirePermit();
    breaker.releasePermit(first);
    long second = breaker.tryAcquirePermit();
    assertThat(second).isNotEqualTo(CircuitBreaker.NO_PERMIT);

    assertThatThrownBy(() -> breaker.releasePermit(first))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already used");

    assertThat(breaker.tryAcquirePermit()).as("a second trial at once")
        .isEqualTo(CircuitBreaker.NO_PERMIT);
    breaker.onSuccess(second, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void trialPermit_ignoredErrorThenReleased_isRefused() {
    CircuitBreaker breaker = breaker("orders", 1);
    openAndWaitForHalfOpen(breaker);
    long permit = breaker.tryAcquirePermit();
    breaker.onError(permit, 1, new IllegalArgumentException("ignored: gives the permit back"));
    long next = breaker.tryAcquirePermit();
    assertThat(next).isNotEqualTo(CircuitBreaker.NO_PERMIT);

    assertThatThrownBy(() -> breaker.releasePermit(permit))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already used");

    assertThat(breaker.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
  }

  @Test
  void trialPermit_usedAgainAfterItsPeriodEnded_isNotCountedAndNotRefused() {
    CircuitBreaker breaker = breaker("orders", 1);
    openAndWaitForHalfOpen(breaker);
    long permit = breaker.tryAcquirePermit();
    breaker.onSuccess(permit, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);

    // its period is over: whatever it reports now is a late outcome, dropped as before
    breaker.onError(permit, 1, new IOException("late"));
    breaker.releasePermit(permit);

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().bufferedCalls()).isZero();
  }

  @Test
  void permitOfAnotherBreaker_closed_isRefusedNamingTheBreakerAndRecordsNothing() {
    CircuitBreaker b = breaker("b", 1);
    CircuitBreaker c = breaker("c", 1);
    long permitOfB = b.tryAcquirePermit();

    assertThatThrownBy(() -> c.onError(permitOfB, 1, new IOException("down")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("circuit breaker 'c' refused permit " + permitOfB + ": it was issued by"
            + " another circuit breaker (a permit is valid only for the breaker whose"
            + " tryAcquirePermit() returned it)");
    assertThatThrownBy(() -> c.onSuccess(permitOfB, 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> c.onResult(permitOfB, 1, "ok"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> c.releasePermit(permitOfB))
        .isInstanceOf(IllegalStateException.class);

    assertThat(c.state()).isEqualTo(State.CLOSED);
    assertThat(c.metrics().bufferedCalls()).isZero();
    b.onSuccess(permitOfB, 1); // still good where it came from
    assertThat(b.metrics().bufferedCalls()).isEqualTo(1);
  }

  @Test
  void trialPermitOfAnotherBreaker_halfOpen_isRefusedAndDecidesNothing() {
    CircuitBreaker b = breaker("b", 1);
    CircuitBreaker c = breaker("c", 1);
    openAndWaitForHalfOpen(b);
    openAndWaitForHalfOpen(c);
    long trialOfB = b.tryAcquirePermit();
    long trialOfC = c.tryAcquirePermit();

    assertThatThrownBy(() -> c.onSuccess(trialOfB, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'c'").hasMessageContaining("another circuit breaker");

    assertThat(c.state()).isEqualTo(State.HALF_OPEN);
    c.onSuccess(trialOfC, 1);
    b.onSuccess(trialOfB, 1);
    assertThat(c.state()).isEqualTo(State.CLOSED);
    assertThat(b.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void trialPermitHeld_permitLessReleaseGivesItsPermitBack_isNotHandedOutAgain() {
    CircuitBreaker breaker = breaker("orders", 1);
    openAndWaitForHalfOpen(breaker);
    long held = breaker.tryAcquirePermit();

    breaker.releasePermission(); // permit-less: cannot tell whose permit it gives back

    assertThat(breaker.tryAcquirePermit()).as("the only lease is still held")
        .isEqualTo(CircuitBreaker.NO_PERMIT);
    breaker.onSuccess(held, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void refusedPermit_badDuration_leavesThePermitUsable() {
    CircuitBreaker breaker = breaker("orders", 1);
    openAndWaitForHalfOpen(breaker);
    long permit = breaker.tryAcquirePermit();

    assertThatThrownBy(() -> breaker.onSuccess(permit, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> breaker.onError(permit, 1, null))
        .isInstanceOf(NullPointerException.class);

    breaker.onSuccess(permit, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void closedPermit_reportedLateInALaterClosedPeriod_stillCountsThere() {
    CircuitBreaker breaker = breaker("orders", 1);
    long whileClosed = breaker.tryAcquirePermit();
    openAndWaitForHalfOpen(breaker);
    breaker.onSuccess(breaker.tryAcquirePermit(), 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);

    breaker.onError(whileClosed, 1, new IOException("timed out long ago"));

    assertThat(breaker.state()).as("recorded in the CLOSED window, as always")
        .isEqualTo(State.OPEN);
  }

  @Test
  void trialPermit_reportedByManyThreadsAtOnce_countsExactlyOnce() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 50; round++) {
        CircuitBreaker breaker = breaker("orders", 2);
        openAndWaitForHalfOpen(breaker);
        long permit = breaker.tryAcquirePermit();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> reports = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          reports.add(pool.submit(() -> {
            go.await();
            try {
              breaker.onSuccess(permit, 1);
              return true;
            } catch (IllegalStateException refused) {
              return false;
            }
          }));
        }
        go.countDown();
        int accepted = 0;
        for (Future<Boolean> report : reports) {
          accepted += report.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }

        assertThat(accepted).isEqualTo(1);
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
