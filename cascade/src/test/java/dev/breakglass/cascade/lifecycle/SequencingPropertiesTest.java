package dev.breakglass.cascade.lifecycle;

import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.cascade.fixtures.RandomDag;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Tier;
import dev.breakglass.testing.Gen;
import java.time.Duration;
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

  /** The nodes of {@code dag} that {@code random} picks, each with probability 1/oneIn. */
  static List<Integer> pick(Random random, RandomDag dag, int oneIn) {
    List<Integer> picked = new ArrayList<>();
    for (int i = 0; i < dag.size; i++) {
      if (random.nextInt(oneIn) == 0) {
        picked.add(i);
      }
    }
    return picked;
  }

  /** A DAG and the nodes whose first step throws. */
  record Throwing(RandomDag dag, List<Integer> throwing) {}

  @Test
  void shutdownAndRecovery_onAPool_respectEveryEdge() {
    Gen<Throwing> inputs = source -> {
      RandomDag dag = source.draw(RandomDag.dags(1, 300, 4));
      return new Throwing(dag, pick(source.draw(Gen.randoms()), dag, 8));
    };

    forAll(inputs).tries(1000).check(input -> {
      RandomDag dag = input.dag();
      int size = dag.size;
      AtomicLong clock = new AtomicLong();
      long[] stopBegin = new long[size];
      long[] stopEnd = new long[size];
      long[] startBegin = new long[size];
      long[] startEnd = new long[size];
      boolean[] throwing = new boolean[size];
      input.throwing().forEach(i -> throwing[i] = true);
      DependencyGraph graph = dag.build(i -> Component.builder(RandomDag.name(i)).tier(dag.tiers[i])
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
          violations.add(RandomDag.name(b) + " began to stop before its dependent " + RandomDag.name(a)
              + " had stopped");
        }
        if (startEnd[b] >= startBegin[a]) {
          violations.add(RandomDag.name(a) + " began to start before its dependency " + RandomDag.name(b)
              + " had started");
        }
      }
      assertThat(violations).isEmpty();
    });
  }

  /** A DAG, the nodes whose drain throws, and those whose drain hangs. */
  record Misbehaving(RandomDag dag, List<Integer> throwing, List<Integer> hanging) {}

  @Test
  void shutdown_whenComponentsThrowOrHang_stopsEveryComponentExactlyOnce() {
    Gen<Misbehaving> inputs = source -> {
      RandomDag dag = source.draw(RandomDag.dags(1, 200, 3));
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
      RandomDag dag = input.dag();
      int size = dag.size;
      AtomicIntegerArray stops = new AtomicIntegerArray(size);
      CountDownLatch hang = new CountDownLatch(1);
      int[] behaviour = new int[size]; // 0 fine, 1 throws, 2 hangs
      input.throwing().forEach(i -> behaviour[i] = 1);
      input.hanging().forEach(i -> behaviour[i] = 2);
      DependencyGraph graph = dag.build(i -> {
        Component.Builder component = Component.builder(RandomDag.name(i)).tier(dag.tiers[i])
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
          assertThat(stops.get(i)).as("stops of %s", RandomDag.name(i)).isEqualTo(1);
          Outcome expected = behaviour[i] == 0 ? Outcome.STOPPED
              : behaviour[i] == 1 ? Outcome.FAILED : Outcome.TIMED_OUT;
          assertThat(report.component(RandomDag.name(i)).outcome()).isEqualTo(expected);
        }
      } finally {
        hang.countDown();
      }
    });
  }

  /** A DAG and the nodes whose stop hangs. */
  record Hanging(RandomDag dag, List<Integer> hanging) {}

  @Test
  void shutdown_withHangingComponents_returnsWhenTheTickerPassesTheDeadline() {
    Gen<Hanging> inputs = source -> {
      RandomDag dag = source.draw(RandomDag.dags(1, 200, 3));
      return new Hanging(dag, pick(source.draw(Gen.randoms()), dag, 10));
    };

    forAll(inputs).tries(1000).check(input -> {
      RandomDag dag = input.dag();
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
      IntFunction<Component> components = i -> Component.of(RandomDag.name(i), dag.tiers[i], () -> {
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
          ComponentReport component = report.component(RandomDag.name(i));
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
    forAll(RandomDag.dags(0, 300, 5)).tries(1000).check(dag -> {
      int size = dag.size;
      DependencyGraph graph = dag.build(i -> Component.of(RandomDag.name(i), dag.tiers[i]));
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
          if (above[RandomDag.index(name)] != w) {
            violations.add(name + " is in wave " + w + ", its longest chain of dependents is "
                + above[RandomDag.index(name)]);
          }
        }
      }
      for (int[] edge : dag.edges) { // no edge inside a wave: each wave is an antichain
        if (plan.waveOf(RandomDag.name(edge[0])) >= plan.waveOf(RandomDag.name(edge[1]))) {
          violations.add(
              RandomDag.name(edge[0]) + " does not stop in a wave before " + RandomDag.name(edge[1]));
        }
      }
      assertThat(violations).isEmpty();
      assertThat(seen).hasSize(size);
    });
  }

  @Test
  void recovery_effectiveTiersNeverStartADependencyAfterItsDependent() {
    forAll(RandomDag.dags(1, 300, 4)).tries(1000).check(dag -> {
      int size = dag.size;
      AtomicLong clock = new AtomicLong();
      long[] started = new long[size];
      DependencyGraph graph = dag.build(i -> Component.builder(RandomDag.name(i)).tier(dag.tiers[i])
          .onStart(() -> started[i] = clock.incrementAndGet()).build());
      RecoverySequencer recovery = RecoverySequencer.builder(graph).executor(Runnable::run).build();
      RecoveryPlan plan = recovery.plan();

      RecoveryReport report = recovery.recover();

      assertThat(report.succeeded()).isTrue();
      List<String> violations = new ArrayList<>();
      for (int[] edge : dag.edges) {
        String dependent = RandomDag.name(edge[0]);
        String dependency = RandomDag.name(edge[1]);
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
        Tier phase = plan.phaseOf(RandomDag.name(i));
        if (phase.compareTo(dag.tiers[i]) > 0) {
          violations.add(RandomDag.name(i) + " starts in a phase after its own tier");
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
  record Shuffled(RandomDag dag, Random order) {
    @Override
    public String toString() {
      return "Shuffled[" + dag + ", declared in an order drawn from the same source]";
    }
  }

  @Test
  void plan_sameGraphInAnyDeclarationOrder_yieldsTheSamePlan() {
    Gen<Shuffled> inputs = source ->
        new Shuffled(source.draw(RandomDag.dags(0, 300, 4)), source.draw(Gen.randoms()));

    forAll(inputs).tries(1000).check(input -> {
      RandomDag dag = input.dag();
      IntFunction<Component> component = i -> Component.of(RandomDag.name(i), dag.tiers[i]);
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
  record Isolation(RandomDag dag, int isolated) {}

  @Test
  void isolate_stopsExactlyTheComponentAndItsTransitiveDependents() {
    Gen<Isolation> inputs = source -> {
      RandomDag dag = source.draw(RandomDag.dags(1, 300, 4));
      return new Isolation(dag, source.draw(Gen.ints(0, dag.size - 1)));
    };

    forAll(inputs).tries(1000).check(input -> {
      RandomDag dag = input.dag();
      int size = dag.size;
      int isolated = input.isolated();
      List<String> stopped = Collections.synchronizedList(new ArrayList<>());
      DependencyGraph graph = dag.build(i -> Component.of(RandomDag.name(i), dag.tiers[i],
          () -> stopped.add(RandomDag.name(i))));
      ShutdownSequencer sequencer =
          ShutdownSequencer.builder(graph).executor(Runnable::run).build();

      ShutdownReport report = sequencer.isolate(RandomDag.name(isolated));

      Set<String> expected = dag.transitiveDependents(isolated);
      expected.add(RandomDag.name(isolated));
      assertThat(new HashSet<>(stopped)).isEqualTo(expected);
      assertThat(stopped).hasSize(expected.size());
      assertThat(report.components()).hasSize(expected.size());

      sequencer.shutdown(); // the rest, and nothing twice

      assertThat(stopped).hasSize(size).doesNotHaveDuplicates();
    });
  }
}
