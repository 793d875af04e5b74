package dev.breakglass.benchmarks.circuitbreaker;

import dev.breakglass.circuitbreaker.CallNotPermittedException;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every hot path of breakglass's circuit breaker on its own, for the allocation gate (each
 * must allocate 0 bytes per call) and for finer numbers than the side-by-side
 * {@link CircuitBreakerBenchmark}. {@code baseline} is the direct call; {@code casFloor} adds
 * one uncontended compare-and-set to it, the least any lock-free shared window can cost.
 *
 * <ul>
 *   <li>{@code closed*}: CLOSED breakers of each window kind, wrapped ({@code get}) or
 *       low-level, without a permit ({@code tryAcquirePermission} + {@code onSuccess}) or
 *       with one ({@code tryAcquirePermit} + {@code onSuccess(permit, nanos)});
 *   <li>{@code rejected*}: OPEN breakers, lazy (each rejection reads the clock) or with the
 *       automatic transition (no clock), answered by a fallback or by the thrown shared
 *       exception.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'circuitbreaker.CircuitBreakerHotPathBenchmark' -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CircuitBreakerHotPathBenchmark {

  static final Supplier<String> CALL = () -> "result";
  static final String FALLBACK = "fallback";

  private CircuitBreaker count;
  private CircuitBreaker time;
  private CircuitBreaker timeSlow;
  private CircuitBreaker consecutive;
  private CircuitBreaker openLazy;
  private CircuitBreaker openAutomatic;
  private final AtomicLong casCounter = new AtomicLong();

  @Setup
  public void setUp() {
    count = CircuitBreaker.of("count", CircuitBreakerConfig.builder().countWindow(100).build());
    time = CircuitBreaker.of("time",
        CircuitBreakerConfig.builder().timeWindow(Duration.ofSeconds(10), 10).build());
    timeSlow = CircuitBreaker.of("time-slow", CircuitBreakerConfig.builder()
        .timeWindow(Duration.ofSeconds(10), 10)
        .slowCallDurationThreshold(Duration.ofSeconds(1)).build());
    consecutive = CircuitBreaker.of("consecutive",
        CircuitBreakerConfig.consecutiveFailures(5, Duration.ofSeconds(300)));
    openLazy = CircuitBreaker.of("open-lazy",
        CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ofHours(1)).build());
    openLazy.transitionToOpen();
    openAutomatic = CircuitBreaker.of("open-automatic", CircuitBreakerConfig.builder()
        .waitDurationInOpenState(Duration.ofHours(1)).automaticTransitionToHalfOpen(true).build());
    openAutomatic.transitionToOpen();
  }

  @Benchmark
  public String baseline() {
    return CALL.get();
  }

  /** The floor of any lock-free window: the call plus one uncontended CAS, nothing else. */
  @Benchmark
  public String casFloor() {
    long v = casCounter.get();
    casCounter.compareAndSet(v, v + 1);
    return CALL.get();
  }

  @Benchmark
  public String closedCountWindow() {
    return count.get(CALL);
  }

  @Benchmark
  @Threads(2)
  public String closedCountWindow2Threads() {
    return count.get(CALL);
  }

  @Benchmark
  public String closedCountWindowWithFallback() {
    return count.get(CALL, e -> FALLBACK);
  }

  @Benchmark
  public String closedCountWindowLowLevel() {
    if (!count.tryAcquirePermission()) {
      return FALLBACK;
    }
    String result = CALL.get();
    count.onSuccess(0L);
    return result;
  }

  /** Low-level, with a permit: {@code tryAcquirePermit}, {@code onSuccess(permit, nanos)}. */
  @Benchmark
  public String closedCountWindowPermit() {
    long permit = count.tryAcquirePermit();
    if (permit == CircuitBreaker.NO_PERMIT) {
      return FALLBACK;
    }
    String result = CALL.get();
    count.onSuccess(permit, 0L);
    return result;
  }

  @Benchmark
  public String closedTimeWindow() {
    return time.get(CALL);
  }

  @Benchmark
  @Threads(2)
  public String closedTimeWindow2Threads() {
    return time.get(CALL);
  }

  @Benchmark
  public String closedTimeWindowSlowCalls() {
    return timeSlow.get(CALL);
  }

  @Benchmark
  public String closedConsecutiveFailures() {
    return consecutive.get(CALL);
  }

  @Benchmark
  public String rejectedWhileOpenLazy() {
    return openLazy.get(CALL, e -> FALLBACK);
  }

  @Benchmark
  public String rejectedWhileOpenAutomatic() {
    return openAutomatic.get(CALL, e -> FALLBACK);
  }

  @Benchmark
  public String rejectedWhileOpenThrowing() {
    try {
      return openAutomatic.get(CALL);
    } catch (CallNotPermittedException e) {
      return FALLBACK;
    }
  }
}
