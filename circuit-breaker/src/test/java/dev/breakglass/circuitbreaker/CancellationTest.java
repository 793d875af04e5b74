package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.core.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a call: cancelling the stage {@code getAsync} returned cancels the stage the call
 * returned, and a cancelled call has no outcome (it says the caller stopped waiting, not that
 * the dependency failed): nothing is recorded and a HALF_OPEN trial permit is given back.
 */
class CancellationTest {

  private final ManualTicker ticker = new ManualTicker();
  private final List<CircuitBreakerEvent> events = new CopyOnWriteArrayList<>();

  /** Opens after one failure, waits 10 s, then lets {@code permitted} trials through. */
  private CircuitBreaker breaker(int permitted) {
    CircuitBreaker breaker = CircuitBreaker.builder("orders").ticker(ticker)
        .config(CircuitBreakerConfig.builder().countWindow(1)
            .waitDurationInOpenState(Duration.ofSeconds(10))
            .permittedNumberOfCallsInHalfOpenState(permitted)
            .maxWaitDurationInHalfOpenState(Duration.ZERO)
            .build())
        .build();
    breaker.onEvent(events::add);
    return breaker;
  }

  private void openAndWaitForHalfOpen(CircuitBreaker breaker) {
    breaker.transitionToOpen();
    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  private List<CircuitBreakerEvent.IgnoredError> ignored() {
    return events.stream().filter(CircuitBreakerEvent.IgnoredError.class::isInstance)
        .map(CircuitBreakerEvent.IgnoredError.class::cast).toList();
  }

  @Test
  void getAsync_returnedStageCancelled_cancelsTheCallsStageAndRecordsNoOutcome() {
    CircuitBreaker breaker = breaker(1);
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> result = breaker.getAsync(() -> call);

    assertThat(result.toCompletableFuture().cancel(true)).isTrue();

    assertThat(call).isCancelled();
    assertThat(result.toCompletableFuture()).isCancelled();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().bufferedCalls()).isZero();
    assertThat(ignored()).singleElement()
        .matches(e -> e.error() instanceof CancellationException);
  }

  @Test
  void getAsync_callsStageCancelledElsewhere_isNotRecordedAsFailure() {
    CircuitBreaker breaker = breaker(1);
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> result = breaker.getAsync(() -> call.thenApply(s -> s));

    call.cancel(false); // the dependent stage the supplier returned fails with it

    assertThat(result.toCompletableFuture()).isCompletedExceptionally();
    assertThatThrownBy(() -> result.toCompletableFuture().join())
        .hasRootCauseInstanceOf(CancellationException.class);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().bufferedCalls()).isZero();
  }

  @Test
  void getAsync_trialCancelled_givesTheTrialPermitBack() {
    CircuitBreaker breaker = breaker(1);
    openAndWaitForHalfOpen(breaker);
    CompletableFuture<String> trial = new CompletableFuture<>();
    CompletionStage<String> result = breaker.getAsync(() -> trial);
    assertThat(breaker.tryAcquirePermission()).as("the only trial is in flight").isFalse();

    result.toCompletableFuture().cancel(false);

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.metrics().bufferedCalls()).isZero();
    CompletionStage<String> next = breaker.getAsync(() -> CompletableFuture.completedFuture("ok"));
    assertThat(next.toCompletableFuture()).isCompletedWithValue("ok");
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void getAsyncWithFallback_returnedStageCancelled_cancelsTheCallAndSkipsTheFallback() {
    CircuitBreaker breaker = breaker(1);
    CompletableFuture<String> call = new CompletableFuture<>();
    AtomicInteger fallbacks = new AtomicInteger();
    CompletionStage<String> result = breaker.getAsync(() -> call, e -> {
      fallbacks.incrementAndGet();
      return "fallback";
    });

    assertThat(result.toCompletableFuture().cancel(true)).isTrue();

    assertThat(call).isCancelled();
    assertThat(result.toCompletableFuture()).isCancelled();
    assertThat(fallbacks).hasValue(0);
    assertThat(breaker.metrics().bufferedCalls()).isZero();
  }

  @Test
  void getAsyncWithFallback_callsStageCancelledElsewhere_fallsBackAndRecordsNothing() {
    CircuitBreaker breaker = breaker(1);
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> result = breaker.getAsync(() -> call,
        e -> e instanceof CancellationException ? "cancelled" : "other");

    call.cancel(false);

    assertThat(result.toCompletableFuture()).isCompletedWithValue("cancelled");
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().bufferedCalls()).isZero();
  }

  @Test
  void getAsync_stageThatIsNoFuture_keepsRunningAndItsOutcomeCounts() {
    CircuitBreaker breaker = breaker(1);
    openAndWaitForHalfOpen(breaker);
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> result = breaker.getAsync(call::minimalCompletionStage);

    result.toCompletableFuture().cancel(true);

    assertThat(call).as("a minimal stage cannot be cancelled from outside").isNotDone();
    assertThat(breaker.tryAcquirePermission()).as("the trial is still in flight").isFalse();
    call.complete("ok");
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void getAsync_alreadyCompletedReturnedStage_cancelDoesNothing() {
    CircuitBreaker breaker = breaker(1);
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> result = breaker.getAsync(() -> call);
    call.complete("ok");

    assertThat(result.toCompletableFuture().cancel(true)).isFalse();

    assertThat(result.toCompletableFuture()).isCompletedWithValue("ok");
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
  }

  @Test
  void get_callThrowsCancellationException_recordsNoOutcome() {
    CircuitBreaker breaker = breaker(1);

    assertThatThrownBy(() -> breaker.get(() -> {
      throw new CancellationException("the caller gave up");
    })).isInstanceOf(CancellationException.class);

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.metrics().bufferedCalls()).isZero();
  }

  @Test
  void onError_cancelledTrial_givesItsPermitBack() {
    CircuitBreaker breaker = breaker(1);
    openAndWaitForHalfOpen(breaker);
    long permit = breaker.tryAcquirePermit();

    breaker.onError(permit, 1, new CancellationException());

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    long next = breaker.tryAcquirePermit();
    assertThat(next).isNotEqualTo(CircuitBreaker.NO_PERMIT);
    breaker.onSuccess(next, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void classification_cancellationException_isIgnoredWhateverTheConfigRecords() {
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .recordExceptions(RuntimeException.class).recordException(e -> true).build();

    assertThat(config.classifier().classify(new CancellationException()))
        .isEqualTo(Classifier.IGNORED);
  }
}
