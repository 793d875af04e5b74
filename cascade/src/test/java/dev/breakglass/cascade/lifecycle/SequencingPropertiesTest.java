package dev.breakglass.cascade.lifecycle;

import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Tier;
import dev.breakglass.testing.Gen;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The sequencing claims of the shutdown sequencer and staged recovery, on random DAGs of up to
 * a few hundred components. Each try is kept cheap: an inline executor where only order
 * matters, a small shared pool where parallelism or hanging components are the point.
 */
class SequencingPropertiesTest {

  private static final ExecutorService POOL = Executors.newFixedThreadPool(8, task -> {
    Thread thread = new Thread(task, "properties-worker");
    thread.setDaemon(true);
    return thread;
  });

  /** Threads for coordinators and for components that hang: as many as a try needs. */
  private static final ExecutorService THREADS = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "properties-thread");
    thread.setDaemon(true);
    return thread;
  });

  @AfterAll
  static void stopPools() throws InterruptedException {
    POOL.shutdownNow();
    THREADS.shutdownNow();
    assertThat(POOL.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(THREADS.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** A random DAG: node i may depend only on nodes j > i; names do not follow that order. */
  static final class Dag {
    final int size;
    final Tier[] tiers;
    final List<int[]> edges = new ArrayList<>();
    final List<List<Integer>> dependents = new ArrayList<>();
    final List<List<Integer>> dependencies = new ArrayList<>();

    /** For tests that build their graph from a plain seed. */
    Dag(long seed, int size, int edgesPerNode) {
      this(new Random(seed), size, edgesPerNode);
    }

    Dag(Random random, int size, int edgesPerNode) {
      this.size = size;
      this.tiers = new Tier[size];
      for (int i = 0; i < size; i++) {
        tiers[i] = Tier.values()[random.nextInt(Tier.values().length)];
        dependents.add(new ArrayList<>());
        dependencies.add(new ArrayList<>());
      }
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i + 1 < size; i++) {
        for (int k = 0; k < edgesPerNode; k++) {
          int j = i + 1 + random.nextInt(size - i - 1);
          if (seen.add((long) i * size + j)) {
            edges.add(new int[] {i, j});
            dependencies.get(i).add(j);
            dependents.get(j).add(i);
          }
        }
      }
    }

    /** Nodes by index (named {@link #name(int)}), with their tiers and edges. */
    @Override
    public String toString() {
      StringBuilder out = new StringBuilder("Dag[").append(size).append(" nodes, tiers ")
          .append(Arrays.toString(tiers)).append(", edges [");
      for (int e = 0; e < edges.size(); e++) {
        out.append(e == 0 ? "" : ", ").append(edges.get(e)[0]).append("->")
            .append(edges.get(e)[1]);
      }
      return out.append("]]").toString();
    }

    static String name(int i) {
      return "c" + Integer.toString(i * 7919 % 100_003, 36) + "-" + i;
    }

    static int index(String name) {
      return Integer.parseInt(name.substring(name.indexOf('-') + 1));
    }

    DependencyGraph build(IntFunction<Component> components) {
      return build(components, null);
    }

    /**
     * Builds the graph, declaring components and edges in a shuffled order if asked, with
     * unconnected extra components.
     */
    DependencyGraph build(IntFunction<Component> components, Random shuffle,
        Component... extra) {
      List<Integer> nodes = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        nodes.add(i);
      }
      List<int[]> declared = new ArrayList<>(edges);
      if (shuffle != null) {
        Collections.shuffle(nodes, shuffle);
        Collections.shuffle(declared, shuffle);
      }
      DependencyGraph.Builder builder = DependencyGraph.builder();
      for (int i : nodes) {
        builder.add(components.apply(i));
      }
      for (Component component : extra) {
        builder.add(component);
      }
      for (int[] edge : declared) {
        builder.dependsOn(name(edge[0]), name(edge[1]));
      }
      return builder.build();
    }

    /** Length in edges of the longest path through the graph (reference: memoized DFS). */
    int longestPath() {
      int[] below = new int[size];
      int longest = 0;
      for (int i = size - 1; i >= 0; i--) { // dependencies have larger indices
        for (int j : dependencies.get(i)) {
          below[i] = Math.max(below[i], below[j] + 1);
        }
        longest = Math.max(longest, below[i]);
      }
      return longest;
    }

    /** Longest chain of dependents above each node (reference for its wave). */
    int[] chainAbove() {
      int[] above = new int[size];
      for (int i = 0; i < size; i++) { // dependents have smaller indices
        for (int d : dependents.get(i)) {
          above[i] = Math.max(above[i], above[d] + 1);
        }
      }
      return above;
    }

    Set<String> transitiveDependents(int start) {
      Set<String> names = new HashSet<>();
      ArrayDeque<Integer> queue = new ArrayDeque<>(dependents.get(start));
      while (!queue.isEmpty()) {
        int next = queue.poll();
        if (names.add(name(next))) {
          queue.addAll(dependents.get(next));
        }
      }
      return names;
    }
  }

  /** Random DAGs of minSize to maxSize nodes with up to maxEdgesPerNode edges from each. */
  static Gen<Dag> dags(int minSize, int maxSize, int maxEdgesPerNode) {
    return source -> {
      int size = source.draw(Gen.ints(minSize, maxSize));
      int edgesPerNode = source.draw(Gen.ints(0, maxEdgesPerNode));
      return new Dag(source.draw(Gen.randoms()), size, edgesPerNode);
    };
  }

  /** The nodes of {@code dag} that {@code random} picks, each with probability 1/oneIn. */
  static List<Integer> pick(Random random, Dag dag, int oneIn) {
    List<Integer> picked = new ArrayList<>();
    for (int i = 0; i < dag.size; i++) {
      if (random.nextInt(oneIn) == 0) {
        picked.add(i);
      }
    }
    return picked;
  }

  /** A DAG and the nodes whose first step throws. */
  record Throwing(Dag dag, List<Integer> throwing) {}

  @Test
  void shutdownAndRecovery_onAPool_respectEveryEdge() {
    Gen<Throwing> inputs = source -> {
      Dag dag = source.draw(dags(1, 300, 4));
      return new Throwing(dag, pick(source.draw(Gen.randoms()), dag, 8));
    };

    forAll(inputs).tries(1000).check(input -> {
      Dag dag = input.dag();
      int size = dag.size;
      AtomicLong clock = new AtomicLong();
      long[] stopBegin = new long[size];
      long[] stopEnd = new long[size];
      long[] startBegin = new long[size];
      long[] startEnd = new long[size];
      boolean[] throwing = new boolean[size];
      input.throwing().forEach(i -> throwing[i] = true);
      DependencyGraph graph = dag.build(i -> Component.builder(Dag.name(i)).tier(dag.tiers[i])
          .onStopIntake(() -> {
            stopBegin[i] = clock.incrementAndGet();
            if (throwing[i]) {
              throw new IllegalStateException("boom");
            }
          })
          .onRelease(() -> stopEnd[i] = clock.incrementAndGet())
          .onStart(() -> {
            startBegin[i] = clock.incrementAndGet();
            startEnd[i] = clock.incrementAndGet();
          })
          .build());

      ShutdownReport stopped = ShutdownSequencer.builder(graph).executor(POOL)
          .deadline(Duration.ofMinutes(1)).build().shutdown();
      RecoveryReport started = RecoverySequencer.builder(graph).executor(POOL).build().recover();

      assertThat(stopped.count(Outcome.STOPPED) + stopped.count(Outcome.FAILED)).isEqualTo(size);
      assertThat(started.succeeded()).isTrue();
      List<String> violations = new ArrayList<>();
      for (int[] edge : dag.edges) {
        int a = edge[0];
        int b = edge[1];
        if (stopEnd[a] >= stopBegin[b]) {
          violations.add(Dag.name(b) + " began to stop before its dependent " + Dag.name(a)
              + " had stopped");
        }
        if (startEnd[b] >= startBegin[a]) {
          violations.add(Dag.name(a) + " began to start before its dependency " + Dag.name(b)
              + " had started");
        }
      }
      assertThat(violations).isEmpty();
    });
  }

  /** A DAG, the nodes whose drain throws, and those whose drain hangs. */
  record Misbehaving(Dag dag, List<Integer> throwing, List<Integer> hanging) {}

  @Test
  void shutdown_whenComponentsThrowOrHang_stopsEveryComponentExactlyOnce() {
    Gen<Misbehaving> inputs = source -> {
      Dag dag = source.draw(dags(1, 200, 3));
      Random random = source.draw(Gen.randoms());
      List<Integer> throwing = new ArrayList<>();
      List<Integer> hanging = new ArrayList<>();
      for (int i = 0; i < dag.size; i++) {
        int roll = random.nextInt(20);
        if (roll == 0) {
          hanging.add(i);
        } else if (roll < 4) {
          throwing.add(i);
        }
      }
      return new Misbehaving(dag, throwing, hanging);
    };

    forAll(inputs).tries(1000).check(input -> {
      Dag dag = input.dag();
      int size = dag.size;
      AtomicIntegerArray stops = new AtomicIntegerArray(size);
      CountDownLatch hang = new CountDownLatch(1);
      int[] behaviour = new int[size]; // 0 fine, 1 throws, 2 hangs
      input.throwing().forEach(i -> behaviour[i] = 1);
      input.hanging().forEach(i -> behaviour[i] = 2);
      DependencyGraph graph = dag.build(i -> {
        Component.Builder component = Component.builder(Dag.name(i)).tier(dag.tiers[i])
            .onDrain(() -> {
              stops.incrementAndGet(i);
              if (behaviour[i] == 1) {
                throw new IllegalStateException("boom");
              }
              if (behaviour[i] == 2) {
                hang.await();
              }
            });
        if (behaviour[i] == 2) {
          component.stopTimeout(Duration.ofMillis(1));
        }
        return component.build();
      });
      IncidentJournal journal = IncidentJournal.create(4 * size + 8);
      Semaphore lateReturns = new Semaphore(0);
      journal.onRecord(entry -> {
        if (entry.kind().equals("late")) {
          lateReturns.release();
        }
      });
      try {
        ShutdownReport report = ShutdownSequencer.builder(graph).executor(POOL).journal(journal)
            .deadline(Duration.ofMinutes(1)).build().shutdown();
        hang.countDown();
        // an abandoned step may still be on its way in when shutdown() returns; each one
        // records a "late" entry when it finally returns
        assertThat(lateReturns.tryAcquire(report.count(Outcome.TIMED_OUT), 10, TimeUnit.SECONDS))
            .isTrue();

        for (int i = 0; i < size; i++) {
          assertThat(stops.get(i)).as("stops of %s", Dag.name(i)).isEqualTo(1);
          Outcome expected = behaviour[i] == 0 ? Outcome.STOPPED
              : behaviour[i] == 1 ? Outcome.FAILED : Outcome.TIMED_OUT;
          assertThat(report.component(Dag.name(i)).outcome()).isEqualTo(expected);
        }
      } finally {
        hang.countDown();
      }
    });
  }

  /** A DAG and the nodes whose stop hangs. */
  record Hanging(Dag dag, List<Integer> hanging) {}

  @Test
  void shutdown_withHangingComponents_returnsWhenTheTickerPassesTheDeadline() {
    Gen<Hanging> inputs = source -> {
      Dag dag = source.draw(dags(1, 200, 3));
      return new Hanging(dag, pick(source.draw(Gen.randoms()), dag, 10));
    };

    forAll(inputs).tries(1000).check(input -> {
      Dag dag = input.dag();
      int size = dag.size;
      boolean[] hangs = new boolean[size];
      input.hanging().forEach(i -> hangs[i] = true);
      // a component gets its turn before the deadline iff nothing above it hangs
      boolean[] reachable = new boolean[size];
      int reachableCount = 0;
      for (int i = 0; i < size; i++) { // dependents have smaller indices
        reachable[i] = true;
        for (int d : dag.dependents.get(i)) {
          reachable[i] &= reachable[d] && !hangs[d];
        }
        reachableCount += reachable[i] ? 1 : 0;
      }
      CountDownLatch settled = new CountDownLatch(reachableCount);
      CountDownLatch hang = new CountDownLatch(1);
      ManualTicker ticker = new ManualTicker();
      Duration deadline = Duration.ofSeconds(10);
      IntFunction<Component> components = i -> Component.of(Dag.name(i), dag.tiers[i], () -> {
        if (hangs[i]) {
          settled.countDown();
          hang.await();
        }
      });
      // The test's clock, a component of its own: once every component that can get its turn
      // has stopped or hangs in its step, it moves the ticker past the deadline and returns, so
      // that its end wakes the coordinator at once (no wait for its next re-read of the ticker).
      // Until then time has not moved: no budget has run out, and nothing else can end the run.
      DependencyGraph graph = dag.build(components, null,
          Component.of("~clock", Tier.ENHANCED, () -> {
            if (!settled.await(10, TimeUnit.SECONDS)) {
              throw new AssertionError("the reachable components did not settle");
            }
            ticker.advance(deadline);
          }));
      IncidentJournal journal = IncidentJournal.create(4 * size + 16);
      journal.onRecord(entry -> {
        if (entry.kind().equals("stopped") && !entry.source().equals("~clock")) {
          settled.countDown();
        }
      });
      try {
        ShutdownReport report = THREADS.submit(ShutdownSequencer.builder(graph)
            .executor(THREADS).ticker(ticker).journal(journal).deadline(deadline).build()::shutdown)
            .get(10, TimeUnit.SECONDS);

        // (the coordinator may see the ticker move before the clock's step has returned)
        assertThat(report.component("~clock").outcome()).isIn(Outcome.STOPPED, Outcome.TIMED_OUT);
        assertThat(report.elapsed()).isEqualTo(deadline);
        for (int i = 0; i < size; i++) {
          ComponentReport component = report.component(Dag.name(i));
          if (!reachable[i]) {
            assertThat(component.detail())
                .isEqualTo("the shutdown deadline (10.000s) was reached before its turn");
          } else if (hangs[i]) {
            assertThat(component.detail()).isEqualTo("abandoned in release after 10.000s: "
                + "the shutdown deadline (10.000s) was reached");
          } else {
            assertThat(component.outcome()).isEqualTo(Outcome.STOPPED);
          }
        }
      } finally {
        hang.countDown();
      }
    });
  }

  /** The one wall-clock check: real time, a short deadline and a generous margin. */
  @Test
  void shutdown_systemTickerWithHangingComponents_returnsSoonAfterTheDeadline() {
    CountDownLatch hang = new CountDownLatch(1);
    DependencyGraph.Builder builder = DependencyGraph.builder();
    for (int i = 0; i < 3; i++) {
      builder.add(Component.of("hangs-" + i, Tier.STANDARD, hang::await), "store");
    }
    DependencyGraph graph = builder.add(Component.of("store", Tier.CRITICAL, () -> { })).build();
    Duration deadline = Duration.ofMillis(200);
    try {
      long begin = System.nanoTime();
      ShutdownReport report = ShutdownSequencer.builder(graph).executor(THREADS)
          .deadline(deadline).build().shutdown();
      Duration took = Duration.ofNanos(System.nanoTime() - begin);

      assertThat(took).isLessThan(deadline.plusSeconds(5)); // the machine may be busy
      assertThat(report.count(Outcome.TIMED_OUT)).isEqualTo(3); // each after its fair share
      assertThat(report.component("store").outcome()).isEqualTo(Outcome.STOPPED);
    } finally {
      hang.countDown();
    }
  }

  @Test
  void plan_wavesAreAntichainsAndNumberLongestPathPlusOne() {
    forAll(dags(0, 300, 5)).tries(1000).check(dag -> {
      int size = dag.size;
      DependencyGraph graph = dag.build(i -> Component.of(Dag.name(i), dag.tiers[i]));
      ShutdownPlan plan = ShutdownPlan.of(graph);

      assertThat(plan.waveCount()).isEqualTo(size == 0 ? 0 : dag.longestPath() + 1);
      int[] above = dag.chainAbove();
      List<List<String>> waves = plan.waves();
      List<String> violations = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (int w = 0; w < waves.size(); w++) {
        if (waves.get(w).isEmpty()) {
          violations.add("wave " + w + " is empty");
        }
        for (String name : waves.get(w)) {
          if (!seen.add(name)) {
            violations.add(name + " is in more than one wave");
          }
          if (above[Dag.index(name)] != w) {
            violations.add(name + " is in wave " + w + ", its longest chain of dependents is "
                + above[Dag.index(name)]);
          }
        }
      }
      for (int[] edge : dag.edges) { // no edge inside a wave: each wave is an antichain
        if (plan.waveOf(Dag.name(edge[0])) >= plan.waveOf(Dag.name(edge[1]))) {
          violations.add(
              Dag.name(edge[0]) + " does not stop in a wave before " + Dag.name(edge[1]));
        }
      }
      assertThat(violations).isEmpty();
      assertThat(seen).hasSize(size);
    });
  }

  @Test
  void recovery_effectiveTiersNeverStartADependencyAfterItsDependent() {
    forAll(dags(1, 300, 4)).tries(1000).check(dag -> {
      int size = dag.size;
      AtomicLong clock = new AtomicLong();
      long[] started = new long[size];
      DependencyGraph graph = dag.build(i -> Component.builder(Dag.name(i)).tier(dag.tiers[i])
          .onStart(() -> started[i] = clock.incrementAndGet()).build());
      RecoverySequencer recovery = RecoverySequencer.builder(graph).executor(Runnable::run).build();
      RecoveryPlan plan = recovery.plan();

      RecoveryReport report = recovery.recover();

      assertThat(report.succeeded()).isTrue();
      List<String> violations = new ArrayList<>();
      for (int[] edge : dag.edges) {
        String dependent = Dag.name(edge[0]);
        String dependency = Dag.name(edge[1]);
        if (plan.phaseOf(dependency).compareTo(plan.phaseOf(dependent)) > 0) {
          violations.add(dependency + " is in a later phase than its dependent " + dependent);
        }
        if (started[edge[1]] >= started[edge[0]]) {
          violations.add(dependency + " started after its dependent " + dependent);
        }
      }
      long[] first = new long[Tier.values().length];
      long[] last = new long[Tier.values().length];
      Arrays.fill(first, Long.MAX_VALUE);
      for (int i = 0; i < size; i++) {
        Tier phase = plan.phaseOf(Dag.name(i));
        if (phase.compareTo(dag.tiers[i]) > 0) {
          violations.add(Dag.name(i) + " starts in a phase after its own tier");
        }
        first[phase.ordinal()] = Math.min(first[phase.ordinal()], started[i]);
        last[phase.ordinal()] = Math.max(last[phase.ordinal()], started[i]);
      }
      long previousLast = 0;
      for (Tier tier : Tier.values()) {
        if (first[tier.ordinal()] != Long.MAX_VALUE) {
          if (first[tier.ordinal()] < previousLast) {
            violations.add("phase " + tier + " began before an earlier phase ended");
          }
          previousLast = last[tier.ordinal()];
        }
      }
      assertThat(violations).isEmpty();
    });
  }

  /** A DAG and a random generator that shuffles the order its parts are declared in. */
  record Shuffled(Dag dag, Random order) {
    @Override
    public String toString() {
      return "Shuffled[" + dag + ", declared in an order drawn from the same source]";
    }
  }

  @Test
  void plan_sameGraphInAnyDeclarationOrder_yieldsTheSamePlan() {
    Gen<Shuffled> inputs = source ->
        new Shuffled(source.draw(dags(0, 300, 4)), source.draw(Gen.randoms()));

    forAll(inputs).tries(1000).check(input -> {
      Dag dag = input.dag();
      IntFunction<Component> component = i -> Component.of(Dag.name(i), dag.tiers[i]);
      DependencyGraph graph = dag.build(component);
      DependencyGraph shuffled = dag.build(component, input.order());

      ShutdownPlan shutdown = ShutdownPlan.of(graph);
      assertThat(ShutdownPlan.of(graph).waves()).isEqualTo(shutdown.waves());
      assertThat(ShutdownPlan.of(shuffled).waves()).isEqualTo(shutdown.waves());
      assertThat(ShutdownPlan.of(shuffled).toText()).isEqualTo(shutdown.toText());
      RecoveryPlan recovery = RecoveryPlan.of(graph);
      assertThat(RecoveryPlan.of(shuffled).order()).isEqualTo(recovery.order());
      assertThat(RecoveryPlan.of(shuffled).toText()).isEqualTo(recovery.toText());
      for (int w = 0; w < shutdown.waveCount(); w++) { // tier, then name, within a wave
        List<String> wave = shutdown.waves().get(w);
        for (int k = 1; k < wave.size(); k++) {
          Tier before = graph.effectiveTier(wave.get(k - 1));
          Tier after = graph.effectiveTier(wave.get(k));
          assertThat(before.compareTo(after) < 0
              || (before == after && wave.get(k - 1).compareTo(wave.get(k)) < 0)).isTrue();
        }
      }
    });
  }

  /** A DAG and the node to isolate. */
  record Isolation(Dag dag, int isolated) {}

  @Test
  void isolate_stopsExactlyTheComponentAndItsTransitiveDependents() {
    Gen<Isolation> inputs = source -> {
      Dag dag = source.draw(dags(1, 300, 4));
      return new Isolation(dag, source.draw(Gen.ints(0, dag.size - 1)));
    };

    forAll(inputs).tries(1000).check(input -> {
      Dag dag = input.dag();
      int size = dag.size;
      int isolated = input.isolated();
      List<String> stopped = Collections.synchronizedList(new ArrayList<>());
      DependencyGraph graph = dag.build(i -> Component.of(Dag.name(i), dag.tiers[i],
          () -> stopped.add(Dag.name(i))));
      ShutdownSequencer sequencer =
          ShutdownSequencer.builder(graph).executor(Runnable::run).build();

      ShutdownReport report = sequencer.isolate(Dag.name(isolated));

      Set<String> expected = dag.transitiveDependents(isolated);
      expected.add(Dag.name(isolated));
      assertThat(new HashSet<>(stopped)).isEqualTo(expected);
      assertThat(stopped).hasSize(expected.size());
      assertThat(report.components()).hasSize(expected.size());

      sequencer.shutdown(); // the rest, and nothing twice

      assertThat(stopped).hasSize(size).doesNotHaveDuplicates();
    });
  }
}
