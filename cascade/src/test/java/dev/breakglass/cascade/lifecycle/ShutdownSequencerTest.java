package dev.breakglass.cascade.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Subscription;
import dev.breakglass.core.Tier;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShutdownSequencerTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T09:14:03.120Z"), ZoneOffset.UTC);

  private final ManualTicker ticker = new ManualTicker();
  private final Log log = new Log();
  private final CountDownLatch hang = new CountDownLatch(1);
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void releaseHungStepsAndThreads() throws InterruptedException {
    hang.countDown();
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** The emergency-drill service, each step logging itself and taking ticker time. */
  private DependencyGraph service() {
    return DependencyGraph.builder()
        .add(Component.builder("http-front").tier(Tier.CRITICAL)
            .onStopIntake(log.step("http-front:stop-intake", ticker, 1))
            .onDrain(log.step("http-front:drain", ticker, 120))
            .onRelease(log.step("http-front:release", ticker, 2))
            .build(), "checkout-handler", "recommendations")
        .add(Component.builder("checkout-handler").tier(Tier.CRITICAL)
            .onDrain(log.step("checkout-handler:drain", ticker, 40))
            .onRelease(log.step("checkout-handler:release", ticker, 1))
            .build(), "payment-client", "inventory-store")
        .add(Component.builder("payment-client").tier(Tier.STANDARD)
            .onDrain(log.step("payment-client:drain", ticker, 15))
            .onRelease(log.step("payment-client:release", ticker, 5))
            .build())
        .add(Component.builder("inventory-store").tier(Tier.ESSENTIAL)
            .onFlush(() -> {
              log.add("inventory-store:flush");
              ticker.advance(3, TimeUnit.MILLISECONDS);
              throw new IOException("disk full");
            })
            .onRelease(log.step("inventory-store:release", ticker, 1))
            .build())
        .add(Component.builder("recommendations").tier(Tier.STANDARD)
            .onRelease(log.step("recommendations:release", ticker, 7))
            .build(), "inventory-store")
        .add(Component.builder("analytics-exporter").tier(Tier.ENHANCED)
            .onFlush(log.step("analytics-exporter:flush", ticker, 250))
            .onRelease(log.step("analytics-exporter:release", ticker, 1))
            .build())
        .build();
  }

  /**
   * Polls, with a deadline, until {@code caller} waits for the sequencer's run lock: its run
   * waits for the one under way. (A thread parked in {@code ReentrantLock.tryLock} within
   * {@code ShutdownSequencer}.)
   */
  static void awaitWaitingRun(Thread caller) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!waitsForRunLock(caller) && System.nanoTime() - deadline < 0) {
      Thread.yield();
    }
    assertThat(waitsForRunLock(caller)).as("a run waits for the one under way").isTrue();
  }

  private static boolean waitsForRunLock(Thread thread) {
    Thread.State state = thread.getState();
    if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
      return false;
    }
    boolean inLock = false;
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().equals(ReentrantLock.class.getName())
          && frame.getMethodName().equals("tryLock")) {
        inLock = true;
      } else if (inLock && frame.getClassName().equals(ShutdownSequencer.class.getName())) {
        return true;
      }
    }
    return false;
  }

  private ShutdownSequencer.Builder inline(DependencyGraph graph) {
    return ShutdownSequencer.builder(graph).executor(Runnable::run).ticker(ticker).clock(CLOCK);
  }

  @Test
  void shutdown_inlineExecutor_stopsDependentsFirstWithStepsInDataSafeOrder() {
    ShutdownReport report = inline(service()).build().shutdown();

    assertThat(log.events()).containsExactly(
        "http-front:stop-intake", "http-front:drain", "http-front:release",
        "analytics-exporter:flush", "analytics-exporter:release",
        "checkout-handler:drain", "checkout-handler:release",
        "recommendations:release",
        "inventory-store:flush", "inventory-store:release",
        "payment-client:drain", "payment-client:release");
    assertThat(report.components()).extracting(ComponentReport::name)
        .containsExactlyElementsOf(report.plan().order());
    assertThat(report.count(Outcome.STOPPED)).isEqualTo(5);
    assertThat(report.count(Outcome.FAILED)).isEqualTo(1);
    assertThat(report.isClean()).isFalse();
    assertThat(report.elapsed()).isEqualTo(Duration.ofMillis(446));
  }

  @Test
  void shutdown_stepThrows_reportsCauseRunsRemainingStepsAndCountsAsStopped() {
    ShutdownReport report = inline(service()).build().shutdown();

    ComponentReport inventory = report.component("inventory-store");
    assertThat(inventory.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(inventory.failure()).isInstanceOf(IOException.class).hasMessage("disk full");
    assertThat(inventory.detail()).isEqualTo("flush threw java.io.IOException: disk full");
    assertThat(inventory.steps()).extracting(StepReport::kind)
        .containsExactly(StepKind.FLUSH, StepKind.RELEASE);
    assertThat(inventory.steps().get(0).succeeded()).isFalse();
    assertThat(inventory.steps().get(1).succeeded()).isTrue();
    assertThat(report.component("payment-client").outcome()).isEqualTo(Outcome.STOPPED);
  }

  @Test
  void shutdown_manualTicker_reportsExactStartEndAndStepDurations() {
    ShutdownReport report = inline(service()).build().shutdown();

    ComponentReport http = report.component("http-front");
    assertThat(http.start()).isEqualTo(Duration.ZERO);
    assertThat(http.end()).isEqualTo(Duration.ofMillis(123));
    assertThat(http.duration()).isEqualTo(Duration.ofMillis(123));
    assertThat(http.steps()).extracting(StepReport::kind, StepReport::start, StepReport::duration)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(StepKind.STOP_INTAKE, Duration.ZERO, Duration.ofMillis(1)),
            org.assertj.core.groups.Tuple.tuple(StepKind.DRAIN, Duration.ofMillis(1), Duration.ofMillis(120)),
            org.assertj.core.groups.Tuple.tuple(StepKind.RELEASE, Duration.ofMillis(121), Duration.ofMillis(2)));
    assertThat(http.effectiveTier()).isEqualTo(Tier.CRITICAL);
    assertThat(http.wave()).isZero();
    assertThat(http.health()).isNull();
    assertThat(report.component("payment-client").tier()).isEqualTo(Tier.STANDARD);
    assertThat(report.component("payment-client").effectiveTier()).isEqualTo(Tier.CRITICAL);
    assertThat(report.startedAt()).isEqualTo(CLOCK.instant());
    assertThat(report.deadline()).isEqualTo(ShutdownSequencer.DEFAULT_DEADLINE);
  }

  @Test
  void toText_service_readsAsATimelineWithDetails() {
    ShutdownReport report = inline(service()).build().shutdown();

    assertThat(report.toText()).isEqualTo(String.join("\n",
        "shutdown at 2026-11-21T09:14:03.120Z: 6 components in 3 waves, 5 stopped, 1 failed; took 446ms of a 25.000s deadline",
        "  wave 0",
        "    http-front          CRITICAL                   stopped  +0.000s  123ms  stop-intake 1.0ms, drain 120ms, release 2.0ms",
        "    analytics-exporter  ENHANCED                   stopped  +0.123s  251ms  flush 250ms, release 1.0ms",
        "  wave 1",
        "    checkout-handler    CRITICAL                   stopped  +0.374s  41ms   drain 40ms, release 1.0ms",
        "    recommendations     CRITICAL (from STANDARD)   stopped  +0.415s  7.0ms  release 7.0ms",
        "  wave 2",
        "    inventory-store     CRITICAL (from ESSENTIAL)  failed   +0.422s  4.0ms  flush failed after 3.0ms, release 1.0ms",
        "    payment-client      CRITICAL (from STANDARD)   stopped  +0.426s  20ms   drain 15ms, release 5.0ms",
        "  details:",
        "    inventory-store: flush threw java.io.IOException: disk full",
        ""));
    assertThat(report.toString()).isEqualTo("ShutdownReport[6 components in 3 waves, 5 stopped, "
        + "1 failed; took 446ms of a 25.000s deadline]");
  }

  @Test
  void shutdown_withJournal_recordsPlanEachComponentAndSummary() {
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).clock(CLOCK).build();
    inline(service()).journal(journal).build().shutdown();

    List<String> lines = journal.entries().stream()
        .map(e -> e.source() + " | " + e.kind() + " | " + e.detail())
        .collect(Collectors.toList());
    assertThat(lines).startsWith("shutdown | plan | 6 components in 3 waves, deadline 25.000s");
    assertThat(lines).contains(
        "http-front | stop | wave 0: nothing depends on it",
        "checkout-handler | stop | wave 1: its dependent has finished",
        "inventory-store | stop | wave 2: its 2 dependents have finished",
        "http-front | stopped | stop-intake 1.0ms, drain 120ms, release 2.0ms (123ms of a 8.333s"
            + " budget)",
        "inventory-store | failed | flush threw java.io.IOException: disk full; "
            + "flush failed after 3.0ms, release 1.0ms",
        "payment-client | stopped | drain 15ms, release 5.0ms (20ms of a 24.554s budget)");
    assertThat(lines).endsWith("shutdown | done | 6 components in 3 waves, 5 stopped, 1 failed; "
        + "took 446ms of a 25.000s deadline");
  }

  @Test
  void shutdown_hangingStep_isAbandonedAtItsStopTimeoutAndItsDependencyStillStops()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch late = new CountDownLatch(1);
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
    journal.onRecord(entry -> {
      if (entry.kind().equals("late")) {
        late.countDown();
      }
    });
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("payment-client").tier(Tier.CRITICAL)
            .stopTimeout(Duration.ofSeconds(5))
            .onStopIntake(log.step("payment-client:stop-intake"))
            .onDrain(() -> {
              entered.countDown();
              hang.await();
            })
            .onRelease(log.step("payment-client:release"))
            .build(), "connection-pool")
        .add(Component.of("connection-pool", Tier.CRITICAL, log.step("connection-pool:release")))
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph)
        .executor(pool).ticker(ticker).journal(journal).build();

    Future<ShutdownReport> running = pool.submit(sequencer::shutdown);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    ticker.advance(Duration.ofSeconds(5));
    ShutdownReport report = running.get(10, TimeUnit.SECONDS);

    ComponentReport payment = report.component("payment-client");
    assertThat(payment.outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(payment.detail()).isEqualTo("abandoned in drain after 5.000s (stop timeout 5.000s)");
    assertThat(payment.duration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(payment.steps()).extracting(StepReport::kind)
        .containsExactly(StepKind.STOP_INTAKE, StepKind.DRAIN);
    assertThat(payment.steps().get(1).abandoned()).isTrue();
    assertThat(payment.steps().get(1).duration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(report.component("connection-pool").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(late.await(10, TimeUnit.SECONDS)).as("the hung drain was interrupted").isTrue();
    assertThat(log.events()).containsExactly(
        "payment-client:stop-intake", "connection-pool:release");
    assertThat(journal.entries()).extracting(JournalEntry::kind).contains("timed-out", "late");
  }

  @Test
  void shutdown_noOwnTimeout_hangingComponentGetsItsFairShareOfTheDeadline() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("front", Tier.CRITICAL, () -> {
          entered.countDown();
          hang.await();
        }), "handler")
        .add(Component.of("handler", Tier.CRITICAL, log.step("handler")), "store")
        .add(Component.of("store", Tier.CRITICAL, log.step("store")))
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph)
        .deadline(Duration.ofSeconds(30)).executor(pool).ticker(ticker).build();

    Future<ShutdownReport> running = pool.submit(sequencer::shutdown);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    ticker.advance(Duration.ofSeconds(10)); // 30 s shared by front and the two below it
    ShutdownReport report = running.get(10, TimeUnit.SECONDS);

    assertThat(report.component("front").detail()).isEqualTo(
        "abandoned in release after 10.000s (its share of the remaining deadline, 10.000s)");
    assertThat(report.component("handler").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(report.component("store").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(log.events()).containsExactly("handler", "store");
  }

  @Test
  void shutdown_sequencerComponentTimeout_appliesToComponentsWithoutTheirOwn() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("front", Tier.CRITICAL, () -> {
          entered.countDown();
          hang.await();
        }))
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph)
        .componentTimeout(Duration.ofSeconds(2)).executor(pool).ticker(ticker).build();

    Future<ShutdownReport> running = pool.submit(sequencer::shutdown);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    ticker.advance(Duration.ofSeconds(2));

    assertThat(running.get(10, TimeUnit.SECONDS).component("front").detail())
        .isEqualTo("abandoned in release after 2.000s (component timeout 2.000s)");
  }

  @Test
  void shutdown_overallDeadline_abandonsWhatRunsAndSkipsWhatDidNotGetItsTurn() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("front").tier(Tier.CRITICAL).stopTimeout(Duration.ofMinutes(1))
            .onDrain(() -> {
              entered.countDown();
              hang.await();
            }).build(), "store")
        .add(Component.of("store", Tier.CRITICAL, log.step("store")))
        .add(Component.of("exporter", Tier.ENHANCED, log.step("exporter")))
        .build();
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
    CountDownLatch exporterSettled = new CountDownLatch(1);
    journal.onRecord(entry -> {
      if (entry.source().equals("exporter") && entry.kind().equals("stopped")) {
        exporterSettled.countDown();
      }
    });
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph)
        .deadline(Duration.ofSeconds(10)).executor(pool).ticker(ticker).journal(journal).build();

    Future<ShutdownReport> running = pool.submit(sequencer::shutdown);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(exporterSettled.await(10, TimeUnit.SECONDS)).isTrue();
    ticker.advance(Duration.ofSeconds(10));
    ShutdownReport report = running.get(10, TimeUnit.SECONDS);

    assertThat(report.component("front").outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(report.component("front").detail()).isEqualTo(
        "abandoned in drain after 10.000s: the shutdown deadline (10.000s) was reached");
    assertThat(report.component("store").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(report.component("store").detail())
        .isEqualTo("the shutdown deadline (10.000s) was reached before its turn");
    assertThat(report.component("store").start()).isNull();
    assertThat(report.component("store").duration()).isEqualTo(Duration.ZERO);
    assertThat(report.component("exporter").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(report.elapsed()).isEqualTo(Duration.ofSeconds(10));
    assertThat(log.events()).containsExactly("exporter");
  }

  @Test
  void shutdown_calledAgain_runsOnceAndReturnsTheSameReport() {
    ShutdownSequencer sequencer = inline(service()).build();

    assertThat(sequencer.isShutdown()).isFalse();
    ShutdownReport first = sequencer.shutdown();
    ShutdownReport second = sequencer.shutdown();

    assertThat(second).isSameAs(first);
    assertThat(sequencer.isShutdown()).isTrue();
    assertThat(log.count("http-front:drain")).isEqualTo(1);
    assertThat(log.events()).hasSize(12);
  }

  @Test
  void shutdown_firstRunThrows_laterCallsThrowTheSameExceptionUnwrapped() {
    // a step's exception never escapes a run (see Issue11ShutdownTest); the sequencer's own
    // machinery can still fail, here its ticker on its second read
    IllegalStateException broken = new IllegalStateException("the ticker broke");
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("db", Tier.CRITICAL, log.step("db")))
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph).executor(Runnable::run)
        .ticker(() -> {
          if (reads.incrementAndGet() == 2) {
            throw broken;
          }
          return 0L;
        }).build();

    assertThatThrownBy(sequencer::shutdown).isSameAs(broken);
    assertThatThrownBy(sequencer::shutdown).isSameAs(broken);
    assertThat(sequencer.isShutdown()).isTrue();
  }

  @Test
  void shutdown_manyConcurrentCallers_stopEachComponentOnceAndShareOneReport() throws Exception {
    DependencyGraph graph = service();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph).ticker(ticker).build();
    int callers = 16;
    ExecutorService threads = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch ready = new CountDownLatch(callers);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ShutdownReport>> reports = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        reports.add(threads.submit(() -> {
          ready.countDown();
          go.await();
          return sequencer.shutdown();
        }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      ShutdownReport first = reports.get(0).get(10, TimeUnit.SECONDS);
      for (Future<ShutdownReport> report : reports) {
        assertThat(report.get(10, TimeUnit.SECONDS)).isSameAs(first);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(log.events()).hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  void shutdownHook_runThenManualShutdown_stopsOnceAndHandsOverTheReport() throws Exception {
    ShutdownSequencer sequencer = inline(service()).build();
    List<ShutdownReport> handed = new CopyOnWriteArrayList<>();

    Thread hook = sequencer.newShutdownHook(handed::add);
    hook.start();
    hook.join(10_000);
    ShutdownReport manual = sequencer.shutdown();

    assertThat(hook.isAlive()).isFalse();
    assertThat(hook.getName()).isEqualTo("breakglass-shutdown-hook");
    assertThat(handed).containsExactly(manual);
    assertThat(log.events()).hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  void shutdownHook_manualShutdownThenHook_hookReturnsTheSameReport() {
    ShutdownSequencer sequencer = inline(service()).build();
    AtomicReference<ShutdownReport> handed = new AtomicReference<>();

    ShutdownReport manual = sequencer.shutdown();
    sequencer.newShutdownHook(handed::set).run();

    assertThat(handed.get()).isSameAs(manual);
    assertThat(log.events()).hasSize(12);
  }

  @Test
  void installShutdownHook_twice_throwsAndCloseAllowsANewOne() {
    ShutdownSequencer sequencer = inline(service()).build();

    Subscription hook = sequencer.installShutdownHook();
    try {
      assertThatThrownBy(sequencer::installShutdownHook)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("a shutdown hook of this sequencer is already installed");
    } finally {
      hook.close();
    }
    hook.close(); // idempotent
    Subscription again = sequencer.installShutdownHook(report -> { });
    again.close();
    assertThat(log.events()).isEmpty();
  }

  @Test
  void isolate_stopsTheComponentAndItsDependentsAndLaterShutdownSkipsThem() {
    ShutdownSequencer sequencer = inline(service()).build();

    ShutdownReport isolated = sequencer.isolate("inventory-store");

    assertThat(isolated.plan().isolated()).isEqualTo("inventory-store");
    assertThat(isolated.components()).extracting(ComponentReport::name).containsExactly(
        "http-front", "checkout-handler", "recommendations", "inventory-store");
    assertThat(log.events()).noneMatch(e -> e.startsWith("payment-client")
        || e.startsWith("analytics-exporter"));
    assertThat(isolated.toText()).startsWith("shutdown isolating inventory-store at ");

    ShutdownReport rest = sequencer.shutdown();

    assertThat(rest.component("inventory-store").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(rest.component("inventory-store").detail())
        .isEqualTo("already stopped by an earlier run");
    assertThat(rest.component("payment-client").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(rest.isClean()).isTrue();
    assertThat(log.events()).hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  void shutdown_whileAnIsolateRuns_waitsForItThenStopsTheRest() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("front", Tier.CRITICAL, log.step("front")), "cache", "db")
        .add(Component.of("cache", Tier.STANDARD, () -> {
          entered.countDown();
          hang.await();
          log.add("cache");
        }))
        .add(Component.of("db", Tier.CRITICAL, log.step("db")))
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph).executor(pool).build();

    Future<ShutdownReport> isolating = pool.submit(() -> sequencer.isolate("cache"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Thread> caller = new CompletableFuture<>();
    Future<ShutdownReport> shuttingDown = pool.submit(() -> {
      caller.complete(Thread.currentThread());
      return sequencer.shutdown();
    });
    // the shutdown waits for the isolate's run to end
    awaitWaitingRun(caller.get(10, TimeUnit.SECONDS));
    assertThat(log.events()).containsExactly("front");
    hang.countDown();
    ShutdownReport isolated = isolating.get(10, TimeUnit.SECONDS);
    ShutdownReport rest = shuttingDown.get(10, TimeUnit.SECONDS);

    assertThat(log.events()).containsExactly("front", "cache", "db");
    assertThat(isolated.components()).extracting(ComponentReport::name)
        .containsExactly("front", "cache");
    assertThat(rest.component("front").detail()).isEqualTo("already stopped by an earlier run");
    assertThat(rest.component("db").outcome()).isEqualTo(Outcome.STOPPED);
  }

  @Test
  void shutdown_interruptedWhileAnIsolateRuns_skipsEverythingAndKeepsTheInterrupt()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("cache", Tier.STANDARD, () -> {
          entered.countDown();
          hang.await();
        }))
        .add(Component.of("db", Tier.CRITICAL, log.step("db")))
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph).executor(pool).build();
    Future<ShutdownReport> isolating = pool.submit(() -> sequencer.isolate("cache"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<ShutdownReport> report = new CompletableFuture<>();
    CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      report.complete(sequencer.shutdown());
      interruptKept.complete(Thread.currentThread().isInterrupted());
    });
    caller.start();
    awaitWaitingRun(caller); // interrupt the shutdown while it waits for the isolate
    caller.interrupt();

    assertThat(interruptKept.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(report.get().count(Outcome.SKIPPED)).isEqualTo(2);
    assertThat(report.get().component("db").detail())
        .isEqualTo("the shutdown was interrupted while another run held the sequencer");
    assertThat(sequencer.shutdown()).isSameAs(report.get());
    hang.countDown();
    assertThat(isolating.get(10, TimeUnit.SECONDS).component("cache").outcome())
        .isEqualTo(Outcome.STOPPED);
    assertThat(log.events()).isEmpty();
  }

  @Test
  void shutdown_calledFromAStepOnTheCoordinatingThread_throwsInsteadOfDeadlocking() {
    AtomicReference<ShutdownSequencer> self = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("exit-on-stop", Tier.CRITICAL, () -> {
          try {
            self.get().shutdown();
          } catch (IllegalStateException e) {
            thrown.set(e);
            throw e;
          }
        }))
        .build();
    self.set(inline(graph).build());

    ShutdownReport report = self.get().shutdown();

    assertThat(thrown.get()).hasMessage("shutdown() called from a step of its own run");
    assertThat(report.component("exit-on-stop").outcome()).isEqualTo(Outcome.FAILED);
  }

  @Test
  void shutdown_calledFromAStepOfAnIsolateOnTheCoordinatingThread_throwsAndLeavesShutdownUsable() {
    AtomicReference<ShutdownSequencer> self = new AtomicReference<>();
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("exit-on-stop", Tier.CRITICAL, () -> self.get().shutdown()))
        .add(Component.of("db", Tier.CRITICAL, log.step("db")))
        .build();
    self.set(inline(graph).build());

    ShutdownReport isolated = self.get().isolate("exit-on-stop");
    ShutdownReport rest = self.get().shutdown();

    assertThat(isolated.component("exit-on-stop").detail()).isEqualTo("release threw "
        + "java.lang.IllegalStateException: shutdown() called from a step of its own run");
    assertThat(rest.component("db").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(log.events()).containsExactly("db");
  }

  @Test
  void isolate_afterShutdownOrUnknown_throws() {
    ShutdownSequencer sequencer = inline(service()).build();
    assertThatThrownBy(() -> sequencer.isolate("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown component 'nope'");

    sequencer.shutdown();

    assertThatThrownBy(() -> sequencer.isolate("http-front"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot isolate 'http-front': shutdown() has already been called");
  }

  private static final Executor REFUSING = task -> {
    throw new RejectedExecutionException("pool is shut down");
  };

  private static final String REFUSED = "the executor refused it "
      + "(java.util.concurrent.RejectedExecutionException: pool is shut down), so it ran on the "
      + "calling thread";

  @Test
  void shutdown_executorRejects_runsEachComponentOnTheCallingThreadAndOrderHolds() {
    ShutdownReport report = ShutdownSequencer.builder(service()).executor(REFUSING)
        .ticker(ticker).clock(CLOCK).build().shutdown();

    assertThat(log.events()).containsExactly(
        "http-front:stop-intake", "http-front:drain", "http-front:release",
        "analytics-exporter:flush", "analytics-exporter:release",
        "checkout-handler:drain", "checkout-handler:release",
        "recommendations:release",
        "inventory-store:flush", "inventory-store:release",
        "payment-client:drain", "payment-client:release");
    assertThat(report.count(Outcome.STOPPED)).isEqualTo(5);
    assertThat(report.count(Outcome.FAILED)).isEqualTo(1);
    assertThat(report.component("payment-client").detail()).isEqualTo(REFUSED);
    assertThat(report.component("payment-client").failure()).isNull();
    assertThat(report.component("inventory-store").detail())
        .isEqualTo("flush threw java.io.IOException: disk full; " + REFUSED);
  }

  /**
   * Regression: a component the executor refused was reported FAILED without running, yet its
   * dependencies were released, and a later shutdown() skipped it as already stopped.
   */
  @Test
  void isolate_executorRejects_stopsThemOnTheCallingThreadAndShutdownStopsTheRestOnce() {
    ShutdownSequencer sequencer = ShutdownSequencer.builder(service()).executor(REFUSING)
        .ticker(ticker).build();

    ShutdownReport isolated = sequencer.isolate("inventory-store");
    ShutdownReport rest = sequencer.shutdown();

    assertThat(isolated.components()).extracting(ComponentReport::outcome)
        .containsExactly(Outcome.STOPPED, Outcome.STOPPED, Outcome.STOPPED, Outcome.FAILED);
    assertThat(rest.component("inventory-store").detail())
        .isEqualTo(ShutdownReport.ALREADY_STOPPED);
    assertThat(rest.component("payment-client").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(log.events()).hasSize(12).doesNotHaveDuplicates();
    assertThat(log.events().indexOf("inventory-store:flush"))
        .isGreaterThan(log.events().indexOf("recommendations:release"));
  }

  /**
   * Regression: the worker checked that its component was still running and then began the
   * next step; a timeout landing in between let the component's dependencies stop while it ran
   * its release step.
   */
  @Test
  void shutdown_abandonedBetweenTwoSteps_runsNoFurtherStepOfThatComponent() throws Exception {
    // reads on the worker: the job gets its thread (1), drain begins (2), drain has returned
    // (3), release is about to begin (4): hold the worker there
    PausingTicker paused = new PausingTicker("stopper", 4);
    ExecutorService stopper = Executors.newSingleThreadExecutor(task -> new Thread(task, "stopper"));
    IncidentJournal journal = IncidentJournal.builder().ticker(paused.time).build();
    CountDownLatch late = new CountDownLatch(1);
    List<String> lateDetails = new CopyOnWriteArrayList<>();
    journal.onRecord(entry -> {
      if (entry.source().equals("front") && entry.kind().equals("timed-out")) {
        paused.resume(); // the coordinator has abandoned front and released store
      }
      if (entry.kind().equals("late")) {
        lateDetails.add(entry.detail());
        late.countDown();
      }
    });
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("front").tier(Tier.CRITICAL).stopTimeout(Duration.ofSeconds(5))
            .onDrain(log.step("front:drain"))
            .onRelease(log.step("front:release"))
            .build(), "store")
        .add(Component.of("store", Tier.CRITICAL, log.step("store:release")))
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph)
        .executor(stopper).ticker(paused).journal(journal).build();
    try {
      Future<ShutdownReport> running = pool.submit(sequencer::shutdown);
      paused.awaitPaused();
      assertThat(log.events()).containsExactly("front:drain");
      paused.time.advance(Duration.ofSeconds(5)); // front's stop timeout
      ShutdownReport report = running.get(10, TimeUnit.SECONDS);
      assertThat(late.await(10, TimeUnit.SECONDS)).isTrue();

      assertThat(log.events()).containsExactly("front:drain", "store:release");
      assertThat(report.component("front").outcome()).isEqualTo(Outcome.TIMED_OUT);
      assertThat(report.component("front").detail())
          .isEqualTo("abandoned between drain and release after 5.000s (stop timeout 5.000s)");
      assertThat(report.component("front").steps()).extracting(StepReport::abandoned)
          .containsExactly(false);
      assertThat(report.component("store").outcome()).isEqualTo(Outcome.STOPPED);
      assertThat(lateDetails).containsExactly(
          "drain returned just before the component was abandoned; release did not run");
    } finally {
      paused.resume();
      stopper.shutdownNow();
      assertThat(stopper.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * Regression: a component abandoned before its first step began was counted as stopped, so
   * a later shutdown() skipped it although none of its steps ever ran.
   */
  @Test
  void shutdown_afterAnIsolateAbandonedAComponentBeforeItsFirstStep_stopsIt() throws Exception {
    // reads on the worker: the job gets its thread (1), drain is about to begin (2)
    PausingTicker paused = new PausingTicker("stopper", 2);
    ExecutorService stopper = Executors.newSingleThreadExecutor(task -> new Thread(task, "stopper"));
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("cache").onDrain(log.step("cache:drain")).build())
        .add(Component.of("db", Tier.CRITICAL, log.step("db")))
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph).executor(stopper)
        .ticker(paused).deadline(Duration.ofSeconds(1)).build();
    try {
      Future<ShutdownReport> isolating = pool.submit(() -> sequencer.isolate("cache"));
      paused.awaitPaused();
      paused.time.advance(Duration.ofSeconds(1)); // the isolate's deadline
      ShutdownReport isolated = isolating.get(10, TimeUnit.SECONDS);
      paused.resume();
      ShutdownReport rest = sequencer.shutdown();

      assertThat(isolated.component("cache").outcome()).isEqualTo(Outcome.TIMED_OUT);
      assertThat(isolated.component("cache").detail()).isEqualTo("abandoned before its first "
          + "step after 1.000s: the shutdown deadline (1.000s) was reached");
      assertThat(rest.component("cache").outcome()).isEqualTo(Outcome.STOPPED);
      assertThat(log.events()).containsExactlyInAnyOrder("cache:drain", "db");
    } finally {
      paused.resume();
      stopper.shutdownNow();
      assertThat(stopper.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void shutdown_callerInterrupted_abandonsRunningComponentsAndKeepsTheInterrupt()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("front", Tier.CRITICAL, () -> {
          entered.countDown();
          hang.await();
        }), "store")
        .add(Component.of("store", Tier.CRITICAL, log.step("store")))
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph).executor(pool).build();
    CompletableFuture<ShutdownReport> report = new CompletableFuture<>();
    CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      report.complete(sequencer.shutdown());
      interruptKept.complete(Thread.currentThread().isInterrupted());
    });
    caller.start();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    caller.interrupt();

    assertThat(interruptKept.get(10, TimeUnit.SECONDS)).isTrue();
    ShutdownReport result = report.get();
    assertThat(result.component("front").outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(result.component("front").detail()).endsWith(": the run was interrupted");
    assertThat(result.component("store").detail())
        .isEqualTo("the run was interrupted before its turn");
  }

  @Test
  void shutdown_defaultExecutor_runsIndependentComponentsInParallel() throws Exception {
    int width = 8;
    CountDownLatch allIn = new CountDownLatch(width);
    DependencyGraph.Builder builder = DependencyGraph.builder();
    for (int i = 0; i < width; i++) {
      builder.add(Component.of("worker-" + i, Tier.STANDARD, () -> {
        allIn.countDown();
        if (!allIn.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("not run in parallel");
        }
      }));
    }
    ShutdownReport report = ShutdownSequencer.builder(builder.build()).build().shutdown();

    assertThat(report.count(Outcome.STOPPED)).isEqualTo(width);
  }

  @Test
  void builder_badValues_throwNamingThem() {
    DependencyGraph graph = service();
    assertThatThrownBy(() -> ShutdownSequencer.builder(graph).deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("deadline must be positive, was PT0S");
    assertThatThrownBy(() -> ShutdownSequencer.builder(graph).componentTimeout(Duration.ofSeconds(-1)))
        .hasMessage("componentTimeout must be positive, was PT-1S");
    assertThatThrownBy(() -> ShutdownSequencer.builder(graph).deadline(Duration.ofSeconds(5))
            .componentTimeout(Duration.ofSeconds(5)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("componentTimeout must be shorter than the deadline (PT5S), was PT5S");
    assertThatThrownBy(() -> ShutdownSequencer.builder(null)).hasMessage("graph");
    assertThatThrownBy(() -> ShutdownSequencer.builder(graph).executor(null)).hasMessage("executor");
    assertThatThrownBy(() -> ShutdownSequencer.builder(graph).journal(null)).hasMessage("journal");
    assertThatThrownBy(() -> Component.builder("a").stopTimeout(Duration.ofMillis(-5)))
        .hasMessage("stopTimeout must be positive, was PT-0.005S");
    assertThatThrownBy(() -> inline(graph).build().installShutdownHook(null))
        .hasMessage("onReport");
  }

  @Test
  void report_unknownComponent_throwsNamingIt() {
    ShutdownReport report = inline(service()).build().shutdown();

    assertThatThrownBy(() -> report.component("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("component 'nope' is not in this report");
  }
}
