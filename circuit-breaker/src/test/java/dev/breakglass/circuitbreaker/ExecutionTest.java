package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.core.ManualTicker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ExecutionTest {

  private final ManualTicker ticker = new ManualTicker();

  private CircuitBreaker breaker() {
    return breaker(CircuitBreakerConfig.builder().countWindow(10).build());
  }

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    return CircuitBreaker.builder("inventory").config(config).ticker(ticker).build();
  }

  private CircuitBreaker openBreaker() {
    CircuitBreaker breaker = breaker();
    breaker.transitionToOpen();
    return breaker;
  }

  private static String readFile() throws IOException {
    throw new IOException("disk");
  }

  @Test
  void get_success_returnsValueAndRecordsSuccess() {
    CircuitBreaker breaker = breaker();

    assertThat(breaker.get(() -> "value")).isEqualTo("value");

    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
    assertThat(breaker.metrics().failedCalls()).isZero();
  }

  @Test
  void get_throws_rethrowsSameExceptionAndRecordsFailure() {
    CircuitBreaker breaker = breaker();
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(() -> breaker.get(() -> {
      throw boom;
    })).isSameAs(boom);

    assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
  }

  @Test
  void get_open_throwsSharedStacklessRejection() {
    CircuitBreaker breaker = openBreaker();
    AtomicInteger calls = new AtomicInteger();

    Throwable first = catchRejection(() -> breaker.get(calls::incrementAndGet));
    Throwable second = catchRejection(() -> breaker.get(calls::incrementAndGet));

    assertThat(calls).hasValue(0);
    assertThat(first).isSameAs(second).isInstanceOf(CallNotPermittedException.class)
        .hasMessage("circuit breaker 'inventory' is OPEN and does not permit calls");
    assertThat(first.getStackTrace()).isEmpty();
    CallNotPermittedException rejection = (CallNotPermittedException) first;
    assertThat(rejection.breakerName()).isEqualTo("inventory");
    assertThat(rejection.state()).isEqualTo(State.OPEN);
  }

  @Test
  void sharedRejection_mutators_cannotChangeIt() {
    CallNotPermittedException rejection =
        (CallNotPermittedException) catchRejection(() -> openBreaker().run(() -> { }));

    rejection.addSuppressed(new RuntimeException("x"));
    rejection.setStackTrace(new Throwable().getStackTrace());
    rejection.fillInStackTrace();

    assertThat(rejection.getSuppressed()).isEmpty();
    assertThat(rejection.getStackTrace()).isEmpty();
    assertThatThrownBy(() -> rejection.initCause(new RuntimeException()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(rejection.getCause()).isNull();
  }

  @Test
  void rejection_writableStackTraces_createsNewExceptionPerCall() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(10)
        .writableStackTrace(true).build());
    breaker.transitionToForcedOpen();

    Throwable first = catchRejection(() -> breaker.get(() -> 1));
    Throwable second = catchRejection(() -> breaker.get(() -> 1));

    assertThat(first).isNotSameAs(second)
        .hasMessage("circuit breaker 'inventory' is FORCED_OPEN and does not permit calls");
    assertThat(first.getStackTrace()).isNotEmpty();
  }

  @Test
  void get_withFallback_rejectionAndExceptionReachFallback() {
    CircuitBreaker breaker = breaker();
    List<Throwable> causes = new ArrayList<>();
    IOException down = new IOException("down");

    String failed = breaker.get(() -> {
      throw new UncheckedIOException(down);
    }, e -> {
      causes.add(e);
      return "cached";
    });
    breaker.transitionToOpen();
    String rejected = breaker.get(() -> "live", e -> {
      causes.add(e);
      return "cached";
    });

    assertThat(failed).isEqualTo("cached");
    assertThat(rejected).isEqualTo("cached");
    assertThat(causes.get(0)).isInstanceOf(UncheckedIOException.class).hasCause(down);
    assertThat(causes.get(1)).isInstanceOf(CallNotPermittedException.class);
  }

  @Test
  void get_withFallback_errorIsRecordedAndRethrownNotFallenBack() {
    CircuitBreaker breaker = breaker();
    AtomicInteger fallbacks = new AtomicInteger();

    assertThatThrownBy(() -> breaker.get(() -> {
      throw new OutOfMemoryError("heap");
    }, e -> fallbacks.incrementAndGet())).isInstanceOf(OutOfMemoryError.class);

    assertThat(fallbacks).hasValue(0);
    assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
  }

  @Test
  void call_checkedException_rethrownAndFallbackVariantHandlesIt() throws Exception {
    CircuitBreaker breaker = breaker();

    assertThat(breaker.call(() -> 42)).isEqualTo(42);
    assertThatThrownBy(() -> breaker.call(ExecutionTest::readFile))
        .isInstanceOf(IOException.class).hasMessage("disk");
    assertThat(breaker.call(ExecutionTest::readFile, e -> "fallback: " + e.getMessage()))
        .isEqualTo("fallback: disk");
    assertThat(breaker.metrics().failedCalls()).isEqualTo(2);
  }

  @Test
  void getChecked_infersTheCheckedExceptionType() {
    CircuitBreaker breaker = breaker();

    try {
      breaker.getChecked(ExecutionTest::readFile); // only IOException needs handling here
    } catch (IOException expected) {
      assertThat(expected).hasMessage("disk");
    }
    String noThrow = breaker.getChecked(() -> "no checked exception");

    assertThat(noThrow).isEqualTo("no checked exception");
    assertThat(breaker.getChecked(ExecutionTest::readFile, e -> "fallback")).isEqualTo("fallback");
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(3);
  }

  @Test
  void runAndRunChecked_recordOutcomesAndUseFallbacks() throws IOException {
    CircuitBreaker breaker = breaker();
    List<Throwable> handled = new ArrayList<>();

    breaker.run(() -> { });
    breaker.runChecked(() -> { });
    breaker.run(() -> {
      throw new IllegalStateException("a");
    }, handled::add);
    breaker.runChecked(() -> {
      throw new IOException("b");
    }, handled::add);
    assertThatThrownBy(() -> breaker.runChecked(() -> {
      throw new IOException("c");
    })).isInstanceOf(IOException.class);
    breaker.transitionToOpen();
    breaker.run(() -> { }, handled::add);
    breaker.runChecked(() -> { }, handled::add);

    assertThat(handled).extracting(Throwable::getMessage).startsWith("a", "b");
    assertThat(handled.subList(2, 4)).allMatch(e -> e instanceof CallNotPermittedException);
    assertThat(breaker.metrics().notPermittedCalls()).isEqualTo(2);
  }

  @Test
  void run_resultPredicate_isNotConsultedForRunnables() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(10)
        .recordResult(r -> {
          throw new AssertionError("must not be called for a Runnable");
        }).build());

    breaker.run(() -> { });

    assertThat(breaker.metrics().failedCalls()).isZero();
  }

  @Test
  void getAsync_completedStage_recordsWhenItCompletes() {
    CircuitBreaker breaker = breaker();
    CompletableFuture<String> pending = new CompletableFuture<>();

    CompletionStage<String> stage = breaker.getAsync(() -> pending);
    assertThat(breaker.metrics().bufferedCalls()).isZero();
    pending.complete("done");

    assertThat(stage.toCompletableFuture().join()).isEqualTo("done");
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
  }

  @Test
  void getAsync_failedStage_recordsUnwrappedCauseAndFailsTheSame() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(10)
        .ignoreExceptions(IllegalArgumentException.class).build());
    CompletableFuture<String> failing = new CompletableFuture<>();
    CompletableFuture<String> ignored = new CompletableFuture<>();

    CompletionStage<String> a = breaker.getAsync(() -> failing);
    CompletionStage<String> b = breaker.getAsync(() -> ignored);
    failing.completeExceptionally(new IOException("down"));
    ignored.completeExceptionally(new CompletionException(new IllegalArgumentException("bad")));

    assertThatThrownBy(a.toCompletableFuture()::join).hasRootCauseInstanceOf(IOException.class);
    assertThatThrownBy(b.toCompletableFuture()::join)
        .hasRootCauseInstanceOf(IllegalArgumentException.class);
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1); // the ignored one is not
    assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
  }

  @Test
  void getAsync_rejected_returnsFailedStageWithoutThrowing() {
    CircuitBreaker breaker = openBreaker();
    AtomicInteger started = new AtomicInteger();

    CompletionStage<Integer> stage =
        breaker.getAsync(() -> CompletableFuture.completedFuture(started.incrementAndGet()));

    assertThat(started).hasValue(0);
    assertThatThrownBy(() -> stage.toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(CallNotPermittedException.class);
  }

  @Test
  void getAsync_supplierThrowsOrReturnsNull_recordsAndFailsStage() {
    CircuitBreaker breaker = breaker();

    CompletionStage<String> thrown = breaker.getAsync(() -> {
      throw new IllegalStateException("sync");
    });
    CompletionStage<String> nullStage = breaker.getAsync(() -> null);

    assertThatThrownBy(thrown.toCompletableFuture()::join)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThatThrownBy(nullStage.toCompletableFuture()::join)
        .hasCauseInstanceOf(NullPointerException.class)
        .hasMessageContaining("the supplier returned a null stage");
    assertThat(breaker.metrics().failedCalls()).isEqualTo(2);
  }

  @Test
  void getAsync_withFallback_answersForFailureAndRejectionButNotForError() {
    CircuitBreaker breaker = breaker();
    AtomicReference<Throwable> cause = new AtomicReference<>();

    String failed = breaker.<String>getAsync(
            () -> CompletableFuture.failedFuture(new IOException("down")),
            e -> {
              cause.set(e);
              return "fallback";
            })
        .toCompletableFuture().join();
    CompletionStage<String> error = breaker.getAsync(
        () -> CompletableFuture.failedFuture(new StackOverflowError()), e -> "no");
    breaker.transitionToOpen();
    String rejected = breaker.<String>getAsync(
        () -> CompletableFuture.completedFuture("live"), e -> "fallback").toCompletableFuture()
        .join();

    assertThat(failed).isEqualTo("fallback");
    assertThat(cause.get()).isInstanceOf(IOException.class);
    assertThatThrownBy(error.toCompletableFuture()::join)
        .hasCauseInstanceOf(StackOverflowError.class);
    assertThat(rejected).isEqualTo("fallback");
  }

  @Test
  void getAsync_fallbackThrows_failsStageWithFallbackException() {
    CircuitBreaker breaker = openBreaker();

    CompletionStage<String> stage = breaker.getAsync(
        () -> CompletableFuture.completedFuture("live"), e -> {
          throw new IllegalStateException("no fallback either");
        });

    assertThatThrownBy(stage.toCompletableFuture()::join)
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void getAsync_slowStage_isTimedToCompletion() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(10)
        .slowCallDurationThreshold(Duration.ofSeconds(1)).build());
    CompletableFuture<String> pending = new CompletableFuture<>();

    breaker.getAsync(() -> pending);
    ticker.advance(Duration.ofSeconds(2));
    pending.complete("late");

    assertThat(breaker.metrics().slowCalls()).isEqualTo(1);
  }

  @Test
  void lowLevel_permissionAndOutcomes_recordLikeWrappedCalls() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(10)
        .slowCallDurationThreshold(Duration.ofMillis(100))
        .recordResult("error"::equals).build());

    assertThat(breaker.tryAcquirePermission()).isTrue();
    breaker.onSuccess(Duration.ofMillis(150).toNanos());
    breaker.acquirePermission();
    breaker.onResult(10, "error");
    breaker.acquirePermission();
    breaker.onResult(10, "fine");
    breaker.acquirePermission();
    breaker.onError(10, new IOException());

    CircuitBreakerMetrics metrics = breaker.metrics();
    assertThat(metrics.bufferedCalls()).isEqualTo(4);
    assertThat(metrics.failedCalls()).isEqualTo(2);
    assertThat(metrics.slowCalls()).isEqualTo(1);
  }

  @Test
  void lowLevel_badArguments_throw() {
    CircuitBreaker breaker = breaker();

    assertThatThrownBy(() -> breaker.onSuccess(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("durationNanos must not be negative, was -1");
    assertThatThrownBy(() -> breaker.onError(0, null)).isInstanceOf(NullPointerException.class)
        .hasMessage("error");
    assertThatThrownBy(() -> breaker.get(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("supplier");
    assertThatThrownBy(() -> breaker.get(() -> 1, null)).hasMessage("fallback");
  }

  @Test
  void acquirePermission_open_throwsRejection() {
    CircuitBreaker breaker = openBreaker();

    assertThatThrownBy(breaker::acquirePermission).isInstanceOf(CallNotPermittedException.class);
    assertThat(breaker.tryAcquirePermission()).isFalse();
    assertThat(breaker.metrics().notPermittedCalls()).isEqualTo(2);
  }

  @Test
  void releasePermission_halfOpen_givesTrialPermitBack() {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().countWindow(10)
        .permittedNumberOfCallsInHalfOpenState(1).build());
    breaker.transitionToHalfOpen();

    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).isFalse();
    breaker.releasePermission();
    breaker.releasePermission(); // never more than permitted

    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).isFalse();
    assertThatThrownBy(breaker::acquirePermission)
        .hasMessage("circuit breaker 'inventory' is HALF_OPEN and all trial calls are taken");
  }

  private static Throwable catchRejection(Runnable call) {
    try {
      call.run();
    } catch (CallNotPermittedException e) {
      return e;
    }
    throw new AssertionError("expected a rejection");
  }
}
