package dev.breakglass.benchmarks.micrometer;

import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerConfig;
import dev.breakglass.cascade.degradation.AdmissionLimiter;
import dev.breakglass.cascade.degradation.LimitAlgorithm;
import dev.breakglass.cascade.degradation.SampleWindow;
import dev.breakglass.core.Tier;
import dev.breakglass.micrometer.CircuitBreakerMeters;
import dev.breakglass.micrometer.LimiterMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What binding a breaker to Micrometer costs its call path: the same CLOSED breaker (a time
 * window with slow-call detection, so calls are timed) unbound, bound with
 * {@link CircuitBreakerMeters#of(CircuitBreaker)} (gauges and a function counter, read on
 * scrape), and bound with the calls timer (fed by call events: an event object and a timer
 * update per call). {@code scrape} is one read of every gauge of a bound breaker, what a
 * registry's scrape costs per breaker.
 *
 * <p>{@code limiterUnbound} and {@code limiterBound}: one admission and its outcome through an
 * {@link AdmissionLimiter} whose algorithm moves the limit at every window (every 10 calls:
 * 999, 1000, 999, ..., the worst case of an adaptive limit; a {@code GradientLimit} settled at
 * its maximum moves it rarely), unbound and bound with
 * {@link LimiterMeters#of(AdmissionLimiter)} (gauges and function counters read on scrape; no
 * limit-change listener); {@code limiterListened}, the
 * same with an {@code onLimitChange} listener counting into a Micrometer counter, what counting
 * limit changes with a listener would cost (the limiter builds a {@code LimitChange} and its
 * window summary for each change).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'micrometer.MicrometerBindingBenchmark' -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MicrometerBindingBenchmark {

  static final Supplier<String> CALL = () -> "result";

  private CircuitBreaker unbound;
  private CircuitBreaker gauges;
  private CircuitBreaker callsTimer;
  private MeterRegistry registry;
  private AdmissionLimiter limiterUnbound;
  private AdmissionLimiter limiterBound;
  private AdmissionLimiter limiterListened;

  @Setup
  public void setUp() {
    unbound = breaker("unbound");
    gauges = breaker("gauges");
    callsTimer = breaker("calls-timer");
    registry = new SimpleMeterRegistry();
    CircuitBreakerMeters.of(gauges).bindTo(registry);
    CircuitBreakerMeters.builder().breaker(callsTimer).callsTimer(true).build()
        .bindTo(registry);
    limiterUnbound = limiter("unbound");
    limiterBound = limiter("bound");
    LimiterMeters.of(limiterBound).bindTo(registry);
    limiterListened = limiter("listened");
    Counter changes = registry.counter("limit.changes.by.listener");
    limiterListened.onLimitChange(change -> changes.increment());
  }

  private static AdmissionLimiter limiter(String name) {
    return AdmissionLimiter.builder(name).algorithm(Flipping::new).build();
  }

  /** Moves the limit at every window: 999, 1000, 999, ... */
  static final class Flipping implements LimitAlgorithm {
    @Override
    public int initialLimit() {
      return 1000;
    }

    @Override
    public int maxLimit() {
      return 1000;
    }

    @Override
    public int update(SampleWindow window) {
      return window.limit() == 1000 ? 999 : 1000;
    }
  }

  private static CircuitBreaker breaker(String name) {
    return CircuitBreaker.of(name, CircuitBreakerConfig.builder()
        .timeWindow(Duration.ofSeconds(10), 10)
        .slowCallDurationThreshold(Duration.ofSeconds(1)).build());
  }

  @Benchmark
  public String closedUnbound() {
    return unbound.get(CALL);
  }

  @Benchmark
  public String closedGaugesBound() {
    return gauges.get(CALL);
  }

  @Benchmark
  public String closedCallsTimerBound() {
    return callsTimer.get(CALL);
  }

  @Benchmark
  public long limiterUnbound() {
    long permit = limiterUnbound.tryAcquire(Tier.STANDARD);
    limiterUnbound.onSuccess(permit);
    return permit;
  }

  @Benchmark
  public long limiterBound() {
    long permit = limiterBound.tryAcquire(Tier.STANDARD);
    limiterBound.onSuccess(permit);
    return permit;
  }

  @Benchmark
  public long limiterListened() {
    long permit = limiterListened.tryAcquire(Tier.STANDARD);
    limiterListened.onSuccess(permit);
    return permit;
  }

  @Benchmark
  public double scrape() {
    double sum = 0;
    for (var meter : registry.getMeters()) {
      if (gauges.name().equals(meter.getId().getTag("name"))) {
        for (var measurement : meter.measure()) {
          sum += measurement.getValue();
        }
      }
    }
    return sum;
  }
}
