package dev.breakglass.benchmarks.cascade;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.breakglass.cascade.degradation.AdmissionLimiter;
import dev.breakglass.cascade.degradation.FixedLimit;
import dev.breakglass.cascade.degradation.GradientLimit;
import dev.breakglass.core.Tier;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One admission and its outcome: {@code tryAcquire} then {@code onSuccess}, on an empty
 * limiter (nothing is refused: the limits are far above the threads in flight).
 *
 * <ul>
 *   <li>{@code breakglass_fixed}: {@link AdmissionLimiter} with a {@link FixedLimit} (no clock
 *       read);
 *   <li>{@code breakglass_gradient}: the same with a {@link GradientLimit} (two ticker reads,
 *       a latency sample, a limit update every 10 calls);
 *   <li>{@code concurrencyLimits_gradient2}: Netflix concurrency-limits 0.5.4
 *       {@code SimpleLimiter} with {@code Gradient2Limit} (its update on every call), the
 *       same algorithm;
 *   <li>{@code concurrencyLimits_fixed}: {@code SimpleLimiter} with its {@code FixedLimit};
 *   <li>{@code baseline_semaphore}: {@link Semaphore#tryAcquire()} and
 *       {@link Semaphore#release()}, the direct-call reference.
 * </ul>
 *
 * <p>This class runs on one thread; {@link AdmissionLimiterSharedBenchmark} runs the same
 * methods on two threads sharing each limiter.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'cascade.AdmissionLimiter(Shared)?Benchmark' -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class AdmissionLimiterBenchmark {

  private final AdmissionLimiter fixed = AdmissionLimiter.builder("fixed")
      .algorithm(() -> FixedLimit.of(1000)).build();
  private final AdmissionLimiter gradient = AdmissionLimiter.builder("gradient")
      .algorithm(() -> GradientLimit.builder().initialLimit(1000).maxLimit(1000).build())
      .build();
  private final Limiter<Void> netflixGradient2 = SimpleLimiter.newBuilder()
      .limit(Gradient2Limit.newBuilder().initialLimit(1000).maxConcurrency(1000).build())
      .build();
  private final Limiter<Void> netflixFixed = SimpleLimiter.newBuilder()
      .limit(com.netflix.concurrency.limits.limit.FixedLimit.of(1000)).build();
  private final Semaphore semaphore = new Semaphore(1000);

  @Benchmark
  public long breakglass_fixed() {
    long permit = fixed.tryAcquire(Tier.STANDARD);
    fixed.onSuccess(permit);
    return permit;
  }

  @Benchmark
  public long breakglass_gradient() {
    long permit = gradient.tryAcquire(Tier.STANDARD);
    gradient.onSuccess(permit);
    return permit;
  }

  @Benchmark
  public boolean concurrencyLimits_gradient2() {
    Optional<Limiter.Listener> listener = netflixGradient2.acquire(null);
    listener.get().onSuccess();
    return listener.isPresent();
  }

  @Benchmark
  public boolean concurrencyLimits_fixed() {
    Optional<Limiter.Listener> listener = netflixFixed.acquire(null);
    listener.get().onSuccess();
    return listener.isPresent();
  }

  @Benchmark
  public boolean baseline_semaphore() {
    boolean acquired = semaphore.tryAcquire();
    semaphore.release();
    return acquired;
  }
}
