package dev.breakglass.benchmarks.circuitbreaker;

import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.Fallback;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One circuit breaker implementation, reduced to what the benchmarks measure: a trivial call
 * through the breaker with a fallback for rejections, and a way to open it. Every
 * implementation gets the same settings: a window of 100 calls (or 10 s in 10 buckets),
 * failure rate 50 %, minimum 100 calls, 1 h in OPEN, slow calls at 1 s (never reached).
 */
interface BreakerAdapter {

  String FALLBACK = "fallback";

  /** Makes the call through the breaker; returns its result, or {@link #FALLBACK}. */
  String call();

  /** Opens the breaker (for an hour). */
  void open();

  /** Which window the breaker judges by. */
  enum Window { COUNT, TIME, TIME_WITH_SLOW_CALLS }

  static BreakerAdapter create(String impl, Window window, Supplier<String> call) {
    switch (impl) {
      case "direct": return new Direct(call);
      case "breakglass": return new Breakglass(window, false, call);
      case "breakglass-auto": return new Breakglass(window, true, call);
      case "resilience4j": return new Resilience4j(window, false, call);
      case "resilience4j-lockfree": return new Resilience4j(window, true, call);
      case "failsafe-with": return new FailsafeWith(window, call);
      case "failsafe-standalone": return new FailsafeStandalone(window, call);
      default: throw new IllegalArgumentException("unknown implementation " + impl);
    }
  }

  /** The baseline: the call itself, and the fallback when "open". */
  final class Direct implements BreakerAdapter {
    private final Supplier<String> call;
    private boolean open;
    Direct(Supplier<String> call) { this.call = call; }
    @Override public String call() { return open ? FALLBACK : call.get(); }
    @Override public void open() { open = true; }
  }

  /** breakglass: {@code get(supplier, fallback)}; "-auto" ends OPEN on a timer. */
  final class Breakglass implements BreakerAdapter {
    private final CircuitBreaker breaker;
    private final Supplier<String> call;
    Breakglass(Window window, boolean automatic, Supplier<String> call) {
      CircuitBreakerConfig.Builder config = CircuitBreakerConfig.builder()
          .failureRateThreshold(50).waitDurationInOpenState(Duration.ofHours(1))
          .automaticTransitionToHalfOpen(automatic);
      if (window == Window.COUNT) {
        config.countWindow(100).minimumNumberOfCalls(100);
      } else {
        config.timeWindow(Duration.ofSeconds(10), 10).minimumNumberOfCalls(100);
      }
      if (window == Window.TIME_WITH_SLOW_CALLS) {
        config.slowCallDurationThreshold(Duration.ofSeconds(1)).slowCallRateThreshold(100);
      }
      this.breaker = CircuitBreaker.of("bench", config.build());
      this.call = call;
    }
    @Override public String call() { return breaker.get(call, e -> FALLBACK); }
    @Override public void open() { breaker.transitionToOpen(); }
  }

  /** Resilience4j 2.4: {@code executeSupplier}, its default (synchronized) or lock-free window. */
  final class Resilience4j implements BreakerAdapter {
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker breaker;
    private final Supplier<String> call;
    Resilience4j(Window window, boolean lockFree, Supplier<String> call) {
      io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.Builder config =
          io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
              .failureRateThreshold(50).minimumNumberOfCalls(100)
              .waitDurationInOpenState(Duration.ofHours(1))
              .slidingWindow(window == Window.COUNT ? 100 : 10, 100,
                  window == Window.COUNT ? SlidingWindowType.COUNT_BASED
                      : SlidingWindowType.TIME_BASED,
                  lockFree ? SlidingWindowSynchronizationStrategy.LOCK_FREE
                      : SlidingWindowSynchronizationStrategy.SYNCHRONIZED)
              .slowCallDurationThreshold(Duration.ofSeconds(1));
      this.breaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench", config.build());
      this.call = call;
    }
    @Override public String call() {
      try {
        return breaker.executeSupplier(call);
      } catch (CallNotPermittedException e) {
        return FALLBACK;
      }
    }
    @Override public void open() { breaker.transitionToOpenState(); }
  }

  /** Failsafe 3.3: {@code Failsafe.with(fallback, breaker).get(...)}. */
  final class FailsafeWith implements BreakerAdapter {
    private final dev.failsafe.CircuitBreaker<String> breaker;
    private final FailsafeExecutor<String> executor;
    private final CheckedSupplier<String> call;
    FailsafeWith(Window window, Supplier<String> call) {
      this.breaker = FailsafeStandalone.breaker(window);
      this.executor = Failsafe.with(Fallback.of(FALLBACK), breaker);
      this.call = call::get;
    }
    @Override public String call() { return executor.get(call); }
    @Override public void open() { breaker.open(); }
  }

  /** Failsafe 3.3's breaker used on its own: {@code tryAcquirePermit}, {@code record...}. */
  final class FailsafeStandalone implements BreakerAdapter {
    private final dev.failsafe.CircuitBreaker<String> breaker;
    private final Supplier<String> call;
    FailsafeStandalone(Window window, Supplier<String> call) {
      this.breaker = breaker(window);
      this.call = call;
    }
    static dev.failsafe.CircuitBreaker<String> breaker(Window window) {
      if (window == Window.TIME_WITH_SLOW_CALLS) {
        throw new IllegalArgumentException("Failsafe has no slow-call detection");
      }
      return window == Window.COUNT
          ? dev.failsafe.CircuitBreaker.<String>builder().withFailureThreshold(50, 100)
              .withDelay(Duration.ofHours(1)).build()
          : dev.failsafe.CircuitBreaker.<String>builder()
              .withFailureRateThreshold(50, 100, Duration.ofSeconds(10))
              .withDelay(Duration.ofHours(1)).build();
    }
    @Override public String call() {
      if (!breaker.tryAcquirePermit()) {
        return FALLBACK;
      }
      try {
        String result = call.get();
        breaker.recordSuccess();
        return result;
      } catch (RuntimeException e) {
        breaker.recordFailure();
        throw e;
      }
    }
    @Override public void open() { breaker.open(); }
  }
}
