package dev.breakglass.benchmarks.cascade;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Feature;
import dev.breakglass.core.Health;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.util.HashMap;
import java.util.Map;
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
 * The per-request questions a service asks its cascade manager: may this tier of work run
 * ({@code admit}), may this feature run ({@code isEnabled} by name, or through a
 * {@link Feature} handle), and how far should pools shrink ({@code capacityFactor}).
 *
 * <p>The manager runs a small shop (a dependency graph of seven components plus four features)
 * at severity {@code MINOR}, so {@code STANDARD} work is admitted and {@code ENHANCED} work is
 * shed. Baselines, the direct-call references:
 *
 * <ul>
 *   <li>{@code baseline_volatileFlag}: a hand-rolled kill switch, one {@code volatile boolean};
 *   <li>{@code baseline_directCall}: the same question as {@code admit} asked of a plain object
 *       holding the least important admitted tier in a {@code volatile int};
 *   <li>{@code baseline_flagByName}: the by-name reference for {@code isEnabled_byName}, a
 *       hand-rolled {@code HashMap<String, Boolean>} of kill switches published through a
 *       {@code volatile} field.
 * </ul>
 *
 * <p>No competitor: none of the usual libraries ties a severity ladder to tiers. This class
 * runs on one thread; {@link CascadeManagerAdmitSharedBenchmark} runs the same methods on two
 * threads sharing the manager.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'cascade.CascadeManagerAdmit(Shared)?Benchmark' -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class CascadeManagerAdmitBenchmark {

  /** The direct-call reference for {@code admit}: one volatile read and a compare. */
  static final class DirectGate {
    volatile int leastImportantAdmitted = Tier.STANDARD.ordinal();

    boolean admit(Tier tier) {
      return tier.ordinal() <= leastImportantAdmitted;
    }
  }

  private final CascadeManager manager;
  private final Feature recommendations;
  private final DirectGate gate = new DirectGate();
  private volatile boolean flag = true;
  private volatile Map<String, Boolean> flags;
  // non-final, so the JIT cannot fold the arguments into constants
  private Tier tier = Tier.STANDARD;
  private String feature = "recommendations";

  public CascadeManagerAdmitBenchmark() {
    manager = Shop.manager().build();
    manager.report("analytics", Health.DOWN);
    if (manager.severity() != Severity.MINOR) {
      throw new IllegalStateException("expected MINOR, was " + manager.severity());
    }
    recommendations = manager.feature("recommendations");
    Map<String, Boolean> switches = new HashMap<>();
    for (String name : Shop.NAMES) {
      switches.put(name, manager.isEnabled(name));
    }
    flags = switches;
  }

  @Benchmark
  public boolean baseline_volatileFlag() {
    return flag;
  }

  @Benchmark
  public boolean baseline_directCall() {
    return gate.admit(tier);
  }

  @Benchmark
  public boolean baseline_flagByName() {
    return flags.get(feature);
  }

  @Benchmark
  public boolean admit() {
    return manager.admit(tier);
  }

  @Benchmark
  public boolean isEnabled_byName() {
    return manager.isEnabled(feature);
  }

  @Benchmark
  public boolean feature_isEnabled() {
    return recommendations.isEnabled();
  }

  @Benchmark
  public double capacityFactor() {
    return manager.capacityFactor();
  }
}
