package dev.breakglass.benchmarks.cascade;

import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.cascade.lifecycle.RecoveryPlan;
import dev.breakglass.cascade.lifecycle.ShutdownPlan;
import dev.breakglass.core.Tier;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning a shutdown and a recovery for large graphs: 10,000 components with 50,000 edges,
 * and 100,000 with 500,000 (the second should cost at most 12 times the first: planning is
 * linear). Each component depends on five random components added after it, so the graph is a
 * DAG with long chains (hundreds of waves).
 *
 * <ul>
 *   <li>{@code baseline_kahnTopologicalSort}: a plain Kahn topological sort over prebuilt int
 *       arrays, the least any planner must do;
 *   <li>{@code buildGraph}: declaring the components and edges by name and building the checked
 *       graph (name resolution, adjacency, cycle check, topological order, effective tiers);
 *   <li>{@code shutdownPlan} and {@code recoveryPlan}: planning from a built graph (waves,
 *       phases, ordering by tier and name);
 *   <li>{@code buildGraphAndPlanShutdown}: the whole path from declarations to a shutdown plan.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'cascade.PlanBenchmark' -prof gc
 * </pre>
 *
 * <p>There is no competitor here: neither Resilience4j nor Failsafe orders shutdowns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PlanBenchmark {

  @Param({"10000", "100000"})
  public int components;

  /** Edges per component. */
  static final int DEGREE = 5;

  private String[] names;
  private Tier[] tiers;
  private int[] edgeFrom;
  private int[] edgeTo;
  private int[][] dependents;
  private int[] dependencyCount;
  private DependencyGraph graph;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    names = new String[components];
    tiers = new Tier[components];
    for (int i = 0; i < components; i++) {
      names[i] = "component-" + i;
      tiers[i] = Tier.values()[random.nextInt(Tier.values().length)];
    }
    int edges = 0;
    edgeFrom = new int[components * DEGREE];
    edgeTo = new int[components * DEGREE];
    for (int i = 0; i + 1 < components; i++) {
      for (int k = 0; k < DEGREE; k++) {
        edgeFrom[edges] = i;
        edgeTo[edges] = i + 1 + random.nextInt(components - i - 1);
        edges++;
      }
    }
    edgeFrom = java.util.Arrays.copyOf(edgeFrom, edges);
    edgeTo = java.util.Arrays.copyOf(edgeTo, edges);
    int[] counts = new int[components];
    dependencyCount = new int[components];
    for (int e = 0; e < edges; e++) {
      counts[edgeTo[e]]++;
      dependencyCount[edgeFrom[e]]++;
    }
    dependents = new int[components][];
    for (int i = 0; i < components; i++) {
      dependents[i] = new int[counts[i]];
    }
    int[] fill = new int[components];
    for (int e = 0; e < edges; e++) {
      dependents[edgeTo[e]][fill[edgeTo[e]]++] = edgeFrom[e];
    }
    graph = buildGraph();
  }

  /** Kahn's algorithm, dependencies first, on prebuilt adjacency: the floor for any planner. */
  @Benchmark
  public int[] baseline_kahnTopologicalSort() {
    int n = components;
    int[] pending = dependencyCount.clone();
    int[] order = new int[n];
    int tail = 0;
    for (int i = 0; i < n; i++) {
      if (pending[i] == 0) {
        order[tail++] = i;
      }
    }
    for (int head = 0; head < tail; head++) {
      for (int dependent : dependents[order[head]]) {
        if (--pending[dependent] == 0) {
          order[tail++] = dependent;
        }
      }
    }
    return order;
  }

  @Benchmark
  public DependencyGraph buildGraph() {
    DependencyGraph.Builder builder = DependencyGraph.builder();
    for (int i = 0; i < components; i++) {
      builder.add(Component.of(names[i], tiers[i]));
    }
    for (int e = 0; e < edgeFrom.length; e++) {
      builder.dependsOn(names[edgeFrom[e]], names[edgeTo[e]]);
    }
    return builder.build();
  }

  @Benchmark
  public ShutdownPlan shutdownPlan() {
    return ShutdownPlan.of(graph);
  }

  @Benchmark
  public RecoveryPlan recoveryPlan() {
    return RecoveryPlan.of(graph);
  }

  @Benchmark
  public ShutdownPlan buildGraphAndPlanShutdown() {
    return ShutdownPlan.of(buildGraph());
  }
}
