package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.core.ListenerErrorHandler;
import dev.breakglass.core.ManualScheduler;
import dev.breakglass.core.ManualTicker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * User code on the recording path that throws (classification predicates, the result
 * predicate, the IntervalFunction) must not lose the call's outcome, leave a caller's stage
 * pending, hide the call's own exception, or keep the breaker from opening.
 */
class BrokenCallbackTest {

  /** An exception the broken predicates below cannot classify. */
  static final class Odd extends RuntimeException {
    Odd() {
      super("odd", null, true, false);
    }
  }

  private final ManualTicker ticker = new ManualTicker();
  private final List<Object[]> reported = new CopyOnWriteArrayList<>();
  private final ListenerErrorHandler handler =
      (owner, listener, event, error) -> reported.add(new Object[] {owner, event, error});

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
    return CircuitBreaker.builder("billing").ticker(ticker).listenerErrorHandler(handler)
        .config(config.build()).build();
  }

  /** Classifies every exception as a failure, except that it throws on {@link Odd}. */
  private static CircuitBreakerConfig.Builder brokenClassifier() {
    return CircuitBreakerConfig.builder().countWindow(2).recordException(e -> {
      if (e instanceof Odd) {
        throw new IllegalStateException("classifier bug");
      }
      return true;
    });
  }

  /** Records "bad" results as failures, and throws on "odd" ones. */
  private static CircuitBreakerConfig.Builder brokenResultPredicate() {
    return CircuitBreakerConfig.builder().countWindow(2).recordResult(r -> {
      if ("odd".equals(r)) {
        throw new IllegalStateException("predicate bug");
      }
      return "bad".equals(r);
    });
  }

  @Test
  void get_classifierThrows_throwsItWithTheCallsExceptionSuppressedAndRecordsFailure() {
    CircuitBreaker breaker = breaker(brokenClassifier());
    Odd odd = new Odd();

    assertThatThrownBy(() -> breaker.get(() -> {
      throw odd;
    })).isInstanceOf(IllegalStateException.class).hasMessage("classifier bug")
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(odd));

    assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
  }

  @Test
  void getWithFallback_classifierThrows_fallbackReceivesTheClassifiersException() {
    CircuitBreaker breaker = breaker(brokenClassifier());

    String answer = breaker.get(() -> {
      throw new Odd();
    }, e -> e.getMessage() + " / " + e.getSuppressed()[0].getMessage());

    assertThat(answer).isEqualTo("classifier bug / odd");
    assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
  }

  @Test
  void get_resultPredicateThrows_throwsItAndRecordsFailure() {
    CircuitBreaker breaker = breaker(brokenResultPredicate());

    assertThatThrownBy(() -> breaker.get(() -> "odd")).hasMessage("predicate bug");
    assertThat(breaker.get(() -> "odd", e -> "fallback: " + e.getMessage()))
        .isEqualTo("fallback: predicate bug");

    assertThat(breaker.metrics().failedCalls()).isEqualTo(2);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void halfOpenTrial_classifierThrows_trialIsRecordedSoThePermitIsNotLost() {
    CircuitBreaker breaker = breaker(brokenClassifier().permittedNumberOfCallsInHalfOpenState(1)
        .maxWaitDurationInHalfOpenState(Duration.ZERO));
    breaker.transitionToHalfOpen();

    assertThatThrownBy(() -> breaker.run(() -> {
      throw new Odd();
    })).hasMessage("classifier bug");

    assertThat(breaker.state()).isEqualTo(State.OPEN); // decided, not stuck without permits
  }

  @Test
  void getAsync_resultPredicateThrows_stageCompletesWithItAndOutcomeIsRecorded() {
    CircuitBreaker breaker = breaker(brokenResultPredicate());
    CompletableFuture<String> stage = new CompletableFuture<>();
    CompletableFuture<String> result = breaker.getAsync(() -> stage).toCompletableFuture();

    stage.complete("odd");

    assertThat(result).isCompletedExceptionally();
    assertThat(causeOf(result)).hasMessage("predicate bug");
    assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
  }

  @Test
  void getAsync_classifierThrows_stageCompletesWithItAndTheOriginalSuppressed() {
    CircuitBreaker breaker = breaker(brokenClassifier());
    Odd odd = new Odd();
    CompletableFuture<String> stage = new CompletableFuture<>();
    CompletableFuture<String> result = breaker.getAsync(() -> stage).toCompletableFuture();

    stage.completeExceptionally(odd);

    assertThat(causeOf(result)).hasMessage("classifier bug");
    assertThat(causeOf(result).getSuppressed()).containsExactly(odd);
    assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
  }

  @Test
  void getAsyncWithFallback_predicatesThrow_fallbackAnswers() {
    CircuitBreaker broken = breaker(brokenResultPredicate());
    CompletableFuture<String> returned = new CompletableFuture<>();
    CompletableFuture<String> result = broken.getAsync(() -> returned, e -> "fallback: "
        + e.getMessage()).toCompletableFuture();
    returned.complete("odd");
    assertThat(result).isCompletedWithValue("fallback: predicate bug");

    CircuitBreaker classifier = breaker(brokenClassifier());
    CompletableFuture<String> failed = new CompletableFuture<>();
    CompletableFuture<String> answer = classifier.getAsync(() -> failed, e -> "fallback: "
        + e.getMessage()).toCompletableFuture();
    failed.completeExceptionally(new Odd());
    assertThat(answer).isCompletedWithValue("fallback: classifier bug");
  }

  @Test
  void lowLevel_predicatesThrow_recordFailureThenThrow() {
    CircuitBreaker breaker = breaker(brokenClassifier().recordResult(r -> {
      throw new IllegalStateException("predicate bug");
    }));
    Odd odd = new Odd();

    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThatThrownBy(() -> breaker.onError(1, odd)).hasMessage("classifier bug")
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(odd));
    assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThatThrownBy(() -> breaker.onResult(1, "anything")).hasMessage("predicate bug");

    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void intervalFunctionReturnsNull_opensWithDefaultWaitAndReportsIt() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1)
        .waitIntervalFunctionInOpenState(attempt -> null));
    IOException down = new IOException("down");

    assertThatThrownBy(() -> breaker.run(() -> {
      throw new UncheckedIOException(down);
    })).cause().isSameAs(down); // the call's own exception, not the function's problem

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(reported).singleElement().satisfies(r -> {
      assertThat(r[0]).isEqualTo("billing");
      assertThat(r[1]).hasToString("waitFor(1): waiting 1m00.000s in OPEN instead");
      assertThat((Throwable) r[2]).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("returned null for attempt 1");
    });
    ticker.advance(Duration.ofSeconds(60).minusNanos(1));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    ticker.advance(Duration.ofNanos(1));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  @Test
  void intervalFunctionThrowsForLaterAttempt_opensWithItsLastValidWait() {
    AtomicInteger calls = new AtomicInteger();
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(1)
        .permittedNumberOfCallsInHalfOpenState(1)
        .waitIntervalFunctionInOpenState(attempt -> {
          calls.incrementAndGet();
          if (attempt > 1) {
            throw new ArithmeticException("overflow in back-off");
          }
          return Duration.ofSeconds(7);
        }));
    breaker.onError(0, new IOException());
    ticker.advance(Duration.ofSeconds(7));

    assertThatThrownBy(() -> breaker.get(() -> {
      throw new IllegalStateException("trial failed");
    })).hasMessage("trial failed");

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(calls).hasValue(2);
    assertThat(reported).singleElement()
        .satisfies(r -> assertThat((Throwable) r[2]).hasMessage("overflow in back-off"));
    ticker.advance(Duration.ofSeconds(7));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  @Test
  void intervalFunctionThrowsOnTimerThread_breakerStillOpensAndReportsIt() {
    ManualScheduler scheduler = new ManualScheduler(ticker);
    CircuitBreaker breaker = CircuitBreaker.builder("billing").ticker(ticker)
        .listenerErrorHandler(handler).scheduler(scheduler)
        .config(CircuitBreakerConfig.builder().countWindow(1)
            .permittedNumberOfCallsInHalfOpenState(1)
            .maxWaitDurationInHalfOpenState(Duration.ofSeconds(5))
            .automaticTransitionToHalfOpen(true)
            .waitIntervalFunctionInOpenState(attempt -> {
              throw new IllegalStateException("back-off bug");
            }).build())
        .build();
    breaker.transitionToHalfOpen();
    assertThat(breaker.tryAcquirePermission()).isTrue(); // hangs

    ticker.advance(Duration.ofSeconds(5));
    scheduler.runDue(); // the max-wait timer gives up: opens on the timer thread

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(reported).singleElement()
        .satisfies(r -> assertThat((Throwable) r[2]).hasMessage("back-off bug"));
  }

  @Test
  void intervalFunctionBroken_handlerThrowsToo_breakerStillOpens() {
    CircuitBreaker breaker = CircuitBreaker.builder("billing").ticker(ticker)
        .listenerErrorHandler((owner, listener, event, error) -> {
          throw new IllegalStateException("expected in this test: logged at WARNING");
        })
        .config(CircuitBreakerConfig.builder().countWindow(1)
            .waitIntervalFunctionInOpenState(attempt -> Duration.ofSeconds(-1)).build())
        .build();

    breaker.onError(0, new IOException());

    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  private static Throwable causeOf(CompletableFuture<?> result) {
    try {
      result.get(1, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("the stage did not fail", e);
    }
    throw new AssertionError("the stage completed normally");
  }
}
