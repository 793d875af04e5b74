package dev.breakglass.benchmarks.cascade;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Severity;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Processing one health signal that does not change the severity, the common case: a
 * periodic health check repeating what it said before, or a component flipping while a worse
 * one already holds the severity where it is.
 *
 * <p>The manager (seven components, four features, a journal and a listener on every feature)
 * is at {@code MAJOR} because {@code payments} is {@code DOWN}. Then:
 *
 * <ul>
 *   <li>{@code report_sameHealth}: {@code payments} reports {@code DOWN} again;
 *   <li>{@code report_flip}: {@code analytics} alternates {@code UP} / {@code DEGRADED}
 *       (indicates {@code MINOR}, below {@code MAJOR}: counters change, severity does not);
 *   <li>{@code report_flipWithBlastRadius}: {@code cache} alternates {@code UP} /
 *       {@code DOWN}, each flip walking its blast radius ({@code checkout}, {@code http},
 *       {@code recommender}) to mark them at risk or clear them.
 * </ul>
 *
 * <p>{@code baseline_directCall} is the direct-call reference: storing a component's health in
 * a {@code ConcurrentHashMap}, the least a hand-rolled health board does.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'cascade.CascadeManagerReportBenchmark' -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CascadeManagerReportBenchmark {

  private static final Health[] UP_DEGRADED = {Health.UP, Health.DEGRADED};
  private static final Health[] UP_DOWN = {Health.UP, Health.DOWN};

  private final CascadeManager manager;
  private final ConcurrentHashMap<String, Health> board = new ConcurrentHashMap<>();
  // non-final, so the JIT cannot fold the arguments into constants
  private String payments = "payments";
  private String analytics = "analytics";
  private String cache = "cache";
  private Health down = Health.DOWN;
  private int flips;

  public CascadeManagerReportBenchmark() {
    manager = Shop.manager().journal(IncidentJournal.create(1024)).build();
    for (String feature : Shop.FEATURES) {
      manager.onChange(feature, change -> { });
    }
    manager.report("payments", Health.DOWN);
    if (manager.severity() != Severity.MAJOR) {
      throw new IllegalStateException("expected MAJOR, was " + manager.severity());
    }
    for (String name : new String[] {"payments", "analytics", "cache"}) {
      board.put(name, Health.UP);
    }
  }

  @Benchmark
  public void baseline_directCall() {
    board.put(analytics, UP_DEGRADED[flips++ & 1]);
  }

  @Benchmark
  public void report_sameHealth() {
    manager.report(payments, down);
  }

  @Benchmark
  public void report_flip() {
    manager.report(analytics, UP_DEGRADED[flips++ & 1]);
  }

  @Benchmark
  public void report_flipWithBlastRadius() {
    manager.report(cache, UP_DOWN[flips++ & 1]);
  }
}
