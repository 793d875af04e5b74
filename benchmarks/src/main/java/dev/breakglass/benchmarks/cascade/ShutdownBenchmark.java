package dev.breakglass.benchmarks.cascade;

import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.cascade.lifecycle.RecoveryReport;
import dev.breakglass.cascade.lifecycle.RecoverySequencer;
import dev.breakglass.cascade.lifecycle.ShutdownPlan;
import dev.breakglass.cascade.lifecycle.ShutdownReport;
import dev.breakglass.cascade.lifecycle.ShutdownSequencer;
import dev.breakglass.cascade.lifecycle.Step;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The overhead of executing a plan: shutting down (and recovering) 1,000 components whose steps
 * do nothing, in a random DAG of 2,000 edges, so that everything measured is the sequencer's
 * own work: scheduling, hand-offs to the executor, timing with the ticker, budgets, and the
 * report. The goal is at most 20 ms beyond the components' own work.
 *
 * <ul>
 *   <li>{@code baseline_runStepsInPlanOrder}: calling the 1,000 steps directly, in plan order
 *       (the components' own work);
 *   <li>{@code buildSequencer}: creating a sequencer, which plans the shutdown: part of every
 *       {@code shutdown_*} figure below, since a sequencer shuts down once;
 *   <li>{@code shutdown_inlineExecutor}: a new sequencer running every step on the calling
 *       thread ({@code Runnable::run}): its bookkeeping alone;
 *   <li>{@code shutdown_sharedPool}: steps on a caller-supplied pool of 4 threads, waves in
 *       parallel;
 *   <li>{@code shutdown_defaultExecutor}: the default, a private pool per run, so thread
 *       creation is included;
 *   <li>{@code recover_inlineExecutor} and {@code recover_sharedPool}: staged recovery of the
 *       same graph (no health checks), with a sequencer built once.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'cascade.ShutdownBenchmark' -prof gc
 * </pre>
 *
 * <p>There is no competitor here: neither Resilience4j nor Failsafe orders shutdowns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ShutdownBenchmark {

  static final int COMPONENTS = 1_000;
  static final int EDGES_PER_COMPONENT = 2;
  static final Duration DEADLINE = Duration.ofMinutes(1);

  private DependencyGraph graph;
  private Step[] stepsInPlanOrder;
  private ExecutorService pool;
  private RecoverySequencer inlineRecovery;
  private RecoverySequencer pooledRecovery;
  private volatile int sink;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    DependencyGraph.Builder builder = DependencyGraph.builder();
    Map<String, Step> steps = new HashMap<>();
    for (int i = 0; i < COMPONENTS; i++) {
      String name = "component-" + i;
      Step step = () -> sink++;
      steps.put(name, step);
      builder.add(Component.builder(name).tier(Tier.values()[random.nextInt(4)])
          .onRelease(step).onStart(step).build());
    }
    for (int i = 0; i + 1 < COMPONENTS; i++) {
      for (int k = 0; k < EDGES_PER_COMPONENT; k++) {
        builder.dependsOn("component-" + i,
            "component-" + (i + 1 + random.nextInt(COMPONENTS - i - 1)));
      }
    }
    graph = builder.build();
    List<String> order = ShutdownPlan.of(graph).order();
    stepsInPlanOrder = new Step[order.size()];
    for (int i = 0; i < order.size(); i++) {
      stepsInPlanOrder[i] = steps.get(order.get(i));
    }
    pool = Executors.newFixedThreadPool(4, task -> {
      Thread thread = new Thread(task, "benchmark-pool");
      thread.setDaemon(true);
      return thread;
    });
    inlineRecovery = RecoverySequencer.builder(graph).executor(Runnable::run).build();
    pooledRecovery = RecoverySequencer.builder(graph).executor(pool).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Benchmark
  public int baseline_runStepsInPlanOrder() throws Exception {
    for (Step step : stepsInPlanOrder) {
      step.run();
    }
    return sink;
  }

  @Benchmark
  public ShutdownSequencer buildSequencer() {
    return ShutdownSequencer.builder(graph).executor(Runnable::run).deadline(DEADLINE).build();
  }

  @Benchmark
  public ShutdownReport shutdown_inlineExecutor() {
    return ShutdownSequencer.builder(graph).executor(Runnable::run).deadline(DEADLINE).build()
        .shutdown();
  }

  @Benchmark
  public ShutdownReport shutdown_sharedPool() {
    return ShutdownSequencer.builder(graph).executor(pool).deadline(DEADLINE).build().shutdown();
  }

  @Benchmark
  public ShutdownReport shutdown_defaultExecutor() {
    return ShutdownSequencer.builder(graph).deadline(DEADLINE).build().shutdown();
  }

  @Benchmark
  public RecoveryReport recover_inlineExecutor() {
    return inlineRecovery.recover();
  }

  @Benchmark
  public RecoveryReport recover_sharedPool() {
    return pooledRecovery.recover();
  }
}
