package dev.breakglass.benchmarks.cascade;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Deferral;
import dev.breakglass.core.Health;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a {@link Deferral} costs for work whose tier is admitted, the path every request takes
 * while the service is healthy: {@code submit} asks the manager and runs the work on the calling
 * thread. It must cost about what asking {@code admit} and running the work by hand costs, and
 * allocate nothing.
 *
 * <ul>
 *   <li>{@code baseline_admitThenRun}: {@code if (manager.admit(tier)) work.run()}, by hand;
 *   <li>{@code submit_admitted}: {@code deferral.submit(tier, work)} for the same tier.
 * </ul>
 *
 * <p>The manager runs the benchmark shop at severity {@code MINOR}: {@code STANDARD} work is
 * admitted. The work increments a field. Shed work is not measured here: it is queued under a
 * lock and allocates its stage, by design, and is taken only while the service is degraded.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'cascade.DeferralSubmitBenchmark' -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class DeferralSubmitBenchmark {

  private final CascadeManager manager;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor();
  private final Deferral deferral;
  private final Runnable work = this::work;
  private long done;
  // non-final, so the JIT cannot fold the argument into a constant
  private Tier tier = Tier.STANDARD;

  public DeferralSubmitBenchmark() {
    manager = Shop.manager().build();
    manager.report("analytics", Health.DOWN);
    if (manager.severity() != Severity.MINOR) {
      throw new IllegalStateException("expected MINOR, was " + manager.severity());
    }
    deferral = Deferral.builder(manager, scheduler).build();
  }

  private void work() {
    done++;
  }

  @Setup
  public void check() {
    if (!manager.admit(tier)) {
      throw new IllegalStateException(tier + " must be admitted");
    }
  }

  @TearDown
  public void stop() {
    scheduler.shutdownNow();
  }

  @Benchmark
  public long baseline_admitThenRun() {
    if (manager.admit(tier)) {
      work.run();
    }
    return done;
  }

  @Benchmark
  public CompletionStage<Void> submit_admitted() {
    return deferral.submit(tier, work);
  }
}
