package dev.breakglass.circuitbreaker;

import dev.breakglass.core.ManualTicker;
import dev.breakglass.testing.Linearizability;
import java.time.Duration;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of the breaker's permit compare-and-set and HALF_OPEN trial accounting:
 * {@link CircuitBreaker#tryAcquirePermit()}, {@link CircuitBreaker#onSuccess(long, long)} and
 * {@link CircuitBreaker#onError(long, long, Throwable)} from HALF_OPEN with two trial calls,
 * and {@link CircuitBreaker#state()}. The sequential specification is the breaker itself with
 * one operation at a time (Lincheck's default), whose sequential behaviour the state-machine
 * and permit model tests check against their reference models; this test checks that
 * concurrent calls behave as some order of them: never more than two trials let through, each
 * trial counted once, the period's verdict (CLOSED after two successes, OPEN after a failure)
 * taken once, and a permit of the ended period never counted in the next.
 *
 * <p>Each operation takes a permit and, if granted, reports with it (a success or a failure),
 * so trial permits are outstanding while other threads' operations run. A permit is never
 * handed between operations, nor given back unused within one: neither is atomic with taking
 * it, and Lincheck rightly reports the gap as the test's own (a queue found empty after the
 * permit was granted; a permit refused while another operation held the one it then gave
 * back). Giving permits back is left to the permit model and unit tests.
 */
public class HalfOpenLincheckTest {

  private final ManualTicker ticker = new ManualTicker();
  private final CircuitBreaker breaker = CircuitBreaker.builder("lincheck").ticker(ticker)
      .config(CircuitBreakerConfig.builder()
          .countWindow(4)
          .minimumNumberOfCalls(4)
          .failureRateThreshold(50)
          .waitDurationInOpenState(Duration.ofHours(1))
          .permittedNumberOfCallsInHalfOpenState(2)
          .automaticTransitionToHalfOpen(false)
          .build())
      .build();
  private static final IllegalStateException FAILURE = new IllegalStateException("trial failed");

  /** Creates a breaker in HALF_OPEN for one scenario (Lincheck makes one per scenario). */
  public HalfOpenLincheckTest() {
    breaker.transitionToHalfOpen();
  }

  /**
   * Asks for a permit and, if granted, reports a success with it.
   *
   * @return whether a permit was granted
   */
  @Operation
  public boolean succeed() {
    long permit = breaker.tryAcquirePermit();
    if (permit == CircuitBreaker.NO_PERMIT) {
      return false;
    }
    breaker.onSuccess(permit, 0L);
    return true;
  }

  /**
   * Asks for a permit and, if granted, reports a failure with it.
   *
   * @return whether a permit was granted
   */
  @Operation
  public boolean fail() {
    long permit = breaker.tryAcquirePermit();
    if (permit == CircuitBreaker.NO_PERMIT) {
      return false;
    }
    breaker.onError(permit, 0L, FAILURE);
    return true;
  }

  /**
   * Reads the state.
   *
   * @return the breaker's state
   */
  @Operation
  public CircuitBreaker.State state() {
    return breaker.state();
  }

  @Test
  void permitsAndTrials_modelChecked_linearizable() {
    Linearizability.modelChecking(30, 500).check(getClass());
  }

  @Test
  void permitsAndTrials_stressed_linearizable() {
    Linearizability.stress(30, 1_000).check(getClass());
  }
}
