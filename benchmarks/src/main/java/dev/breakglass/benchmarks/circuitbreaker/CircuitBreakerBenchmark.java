package dev.breakglass.benchmarks.circuitbreaker;

import dev.breakglass.benchmarks.circuitbreaker.BreakerAdapter.Window;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * breakglass's circuit breaker side by side with Resilience4j 2.4 (its default synchronized
 * window and its lock-free option) and Failsafe 3.3 ({@code Failsafe.with(...)} and the
 * standalone permit API), around a trivial call, behind {@link BreakerAdapter}. The
 * {@code direct} implementation is the baseline: the call itself, no breaker.
 *
 * <ul>
 *   <li>{@code closedCountWindow}: CLOSED, a window of the last 100 calls, one thread;
 *   <li>{@code closedCountWindow2Threads}: the same breaker shared by two threads (time is
 *       per call per thread);
 *   <li>{@code closedTimeWindow}: CLOSED, a 10-second window in 10 buckets;
 *   <li>{@code closedTimeWindowSlowCalls}: the same with slow-call detection (Failsafe has
 *       none);
 *   <li>{@code rejectedWhileOpen}: OPEN for an hour, the call answered by the fallback
 *       ({@code breakglass-auto}: the wait ends on a timer, so a rejection reads no clock).
 * </ul>
 *
 * <p>Resilience4j runs with its defaults otherwise, so its rejection fills in a stack trace.
 * Run with the GC profiler to see bytes per call:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'circuitbreaker.CircuitBreakerBenchmark' -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CircuitBreakerBenchmark {

  static final Supplier<String> CALL = () -> "result";

  @State(Scope.Benchmark)
  public static class CountWindow {
    @Param({"direct", "breakglass", "resilience4j", "resilience4j-lockfree", "failsafe-with",
        "failsafe-standalone"})
    String impl;
    BreakerAdapter breaker;

    @Setup
    public void setUp() {
      breaker = BreakerAdapter.create(impl, Window.COUNT, CALL);
    }
  }

  @State(Scope.Benchmark)
  public static class TimeWindow {
    @Param({"direct", "breakglass", "resilience4j", "resilience4j-lockfree", "failsafe-with",
        "failsafe-standalone"})
    String impl;
    BreakerAdapter breaker;

    @Setup
    public void setUp() {
      breaker = BreakerAdapter.create(impl, Window.TIME, CALL);
    }
  }

  @State(Scope.Benchmark)
  public static class TimeWindowSlowCalls {
    @Param({"direct", "breakglass", "resilience4j", "resilience4j-lockfree"})
    String impl;
    BreakerAdapter breaker;

    @Setup
    public void setUp() {
      breaker = BreakerAdapter.create(impl, Window.TIME_WITH_SLOW_CALLS, CALL);
    }
  }

  @State(Scope.Benchmark)
  public static class Open {
    @Param({"direct", "breakglass", "breakglass-auto", "resilience4j", "resilience4j-lockfree",
        "failsafe-with", "failsafe-standalone"})
    String impl;
    BreakerAdapter breaker;

    @Setup
    public void setUp() {
      breaker = BreakerAdapter.create(impl, Window.COUNT, CALL);
      breaker.open();
    }
  }

  @Benchmark
  public String closedCountWindow(CountWindow state) {
    return state.breaker.call();
  }

  @Benchmark
  @Threads(2)
  public String closedCountWindow2Threads(CountWindow state) {
    return state.breaker.call();
  }

  @Benchmark
  public String closedTimeWindow(TimeWindow state) {
    return state.breaker.call();
  }

  @Benchmark
  public String closedTimeWindowSlowCalls(TimeWindowSlowCalls state) {
    return state.breaker.call();
  }

  @Benchmark
  public String rejectedWhileOpen(Open state) {
    return state.breaker.call();
  }
}
