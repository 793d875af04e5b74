package dev.breakglass.circuitbreaker;

import dev.breakglass.core.ManualTicker;
import dev.breakglass.testing.Linearizability;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
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
 * <p>A permit is taken by one operation and reported by a later one of the same thread (kept
 * per thread, by the id Lincheck passes), so each operation is one call of the breaker and
 * trial permits are outstanding while other threads' operations run. Operations that take a
 * permit and report it in one go, or hand it to another thread, are not atomic, and Lincheck
 * rightly reports that gap (a permit refused while another operation held the last one) as
 * the test's own.
 */
@Param(name = "thread", gen = ThreadIdGen.class)
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

  /** The permits each thread keeps, by Lincheck's thread id: a thread touches only its own. */
  private final List<ArrayDeque<Long>> held = new ArrayList<>();

  /** Creates a breaker in HALF_OPEN for one scenario (Lincheck makes one per scenario). */
  public HalfOpenLincheckTest() {
    for (int i = 0; i < 8; i++) { // more than the threads of any scenario
      held.add(new ArrayDeque<>());
    }
    breaker.transitionToHalfOpen();
  }

  /**
   * Asks for a permit, keeping it for this thread if granted.
   *
   * @param thread the calling thread's id
   * @return whether a permit was granted
   */
  @Operation
  public boolean acquire(@Param(name = "thread") int thread) {
    long permit = breaker.tryAcquirePermit();
    if (permit == CircuitBreaker.NO_PERMIT) {
      return false;
    }
    held.get(thread).addLast(permit);
    return true;
  }

  /**
   * Reports a success with the oldest permit this thread keeps.
   *
   * @param thread the calling thread's id
   * @return whether the thread kept a permit
   */
  @Operation
  public boolean succeed(@Param(name = "thread") int thread) {
    Long permit = held.get(thread).pollFirst();
    if (permit == null) {
      return false;
    }
    breaker.onSuccess(permit, 0L);
    return true;
  }

  /**
   * Reports a failure with the oldest permit this thread keeps.
   *
   * @param thread the calling thread's id
   * @return whether the thread kept a permit
   */
  @Operation
  public boolean fail(@Param(name = "thread") int thread) {
    Long permit = held.get(thread).pollFirst();
    if (permit == null) {
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
