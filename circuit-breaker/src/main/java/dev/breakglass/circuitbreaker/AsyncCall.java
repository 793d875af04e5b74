package dev.breakglass.circuitbreaker;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An asynchronous call through a breaker ({@link CircuitBreaker#getAsync}): the stage returned
 * to the caller, which completes once the outcome of the call's own stage is recorded, and
 * whose cancellation cancels the call's stage too, if that is a {@link Future}. Stages derived
 * from it are plain {@link CompletableFuture}s.
 *
 * <p>Thread-safe: the call's stage may complete on any thread, and the caller may cancel at
 * the same time (the first to complete this stage wins; a cancelled call has no outcome).
 */
final class AsyncCall<T> extends CompletableFuture<T> {

  private final CircuitBreaker breaker;
  private final Period granted;
  private final long start;
  private final @Nullable Function<? super Throwable, ? extends T> fallback;
  private final @Nullable Future<?> call;

  private AsyncCall(CircuitBreaker breaker, Period granted, long start,
      @Nullable Function<? super Throwable, ? extends T> fallback, CompletionStage<?> call) {
    this.breaker = breaker;
    this.granted = granted;
    this.start = start;
    this.fallback = fallback;
    this.call = call instanceof Future<?> future ? future : null;
  }

  /**
   * Starts a call the breaker has let through, and records its outcome when its stage
   * completes.
   *
   * @param granted the period that let the call through
   * @param start the time the call started, if calls are timed
   * @param fallback answers a failure, or null to fail the returned stage with it
   */
  static <T> CompletionStage<T> start(CircuitBreaker breaker, Period granted, long start,
      Supplier<? extends CompletionStage<? extends T>> supplier,
      @Nullable Function<? super Throwable, ? extends T> fallback) {
    CompletionStage<? extends T> stage;
    try {
      stage = Objects.requireNonNull(supplier.get(), "the supplier returned a null stage");
    } catch (Throwable error) {
      Throwable seen = breaker.onThrown(granted, start, error);
      return fallback == null ? CompletableFuture.failedFuture(seen) : fallenBack(fallback, seen);
    }
    AsyncCall<T> result = new AsyncCall<>(breaker, granted, start, fallback, stage);
    stage.whenComplete(result::completed);
    return result;
  }

  /** A stage completed with the fallback's answer to {@code cause}. */
  static <T> CompletableFuture<T> fallenBack(
      Function<? super Throwable, ? extends T> fallback, Throwable cause) {
    CompletableFuture<T> result = new CompletableFuture<>();
    completeWithFallback(result, fallback, cause);
    return result;
  }

  private void completed(@Nullable T value, @Nullable Throwable failure) {
    try {
      if (failure == null) {
        Throwable broken = breaker.onReturned(granted, start, value, true);
        if (broken == null) {
          complete(value);
        } else if (fallback == null) {
          completeExceptionally(broken);
        } else {
          completeWithFallback(this, fallback, broken);
        }
      } else {
        Throwable cause = unwrap(failure);
        Throwable seen = breaker.onThrown(granted, start, cause);
        if (fallback == null) {
          completeExceptionally(seen == cause ? failure : seen);
        } else {
          completeWithFallback(this, fallback, seen);
        }
      }
    } catch (Throwable unexpected) { // never leave the caller's stage pending
      if (failure != null && failure != unexpected) {
        unexpected.addSuppressed(failure);
      }
      completeExceptionally(unexpected);
    }
  }

  private static <T> void completeWithFallback(
      CompletableFuture<T> result, Function<? super Throwable, ? extends T> fallback,
      Throwable cause) {
    if (result.isDone()) {
      return; // cancelled by the caller: nobody waits for the fallback's answer
    }
    if (cause instanceof Error) {
      result.completeExceptionally(cause);
      return;
    }
    try {
      result.complete(fallback.apply(cause));
    } catch (Throwable fallbackError) {
      result.completeExceptionally(fallbackError);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning); // first: no fallback runs
    if (cancelled && call != null) {
      try {
        call.cancel(mayInterruptIfRunning); // it completes cancelled: no outcome recorded
      } catch (UnsupportedOperationException refused) {
        // a stage that cannot be cancelled from outside (minimalCompletionStage()): it
        // keeps running and its outcome is recorded when it completes, as documented
      }
    }
    return cancelled;
  }
}
