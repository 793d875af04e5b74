package dev.breakglass.cascade.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Tier;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regression tests for issue 11, "what independent verification found", items 1 to 7 (shutdown
 * and recovery) and item 11 for the cascade module's own texts. Each test failed before its fix.
 */
class Issue11ShutdownTest {

  private final ManualTicker ticker = new ManualTicker();
  private final Log log = new Log();
  private final CountDownLatch hang = new CountDownLatch(1);
  /** Runs the calls under test, so that a call that waits on itself fails the test in time. */
  private final ExecutorService callers = Executors.newCachedThreadPool();
  /** A caller-supplied pool that tells whether a task ever threw into it. */
  private final WatchedPool userPool = new WatchedPool(8);

  @AfterEach
  void releaseEverything() throws InterruptedException {
    hang.countDown();
    ticker.advance(Duration.ofDays(1)); // ends any run still waiting for its ticker
    callers.shutdownNow();
    userPool.shutdownNow();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(userPool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** A fixed pool that records anything a task threw into it. */
  static final class WatchedPool extends ThreadPoolExecutor {
    final List<Throwable> thrown = new CopyOnWriteArrayList<>();

    WatchedPool(int threads) {
      super(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
        Thread thread = new Thread(task, "user-pool");
        thread.setDaemon(true);
        return thread;
      });
    }

    @Override
    protected void afterExecute(Runnable task, @Nullable Throwable failure) {
      if (failure != null) {
        thrown.add(failure);
      }
    }
  }

  private static final Executor REFUSING = task -> {
    throw new RejectedExecutionException("pool is shut down");
  };

  /** The ways a sequencer can run steps: every one must behave the same. */
  enum ExecutorPath {
    DEFAULT_POOL,
    CALLING_THREAD,
    REFUSING_EXECUTOR,
    USER_POOL
  }

  private ShutdownSequencer.Builder shutdownOn(ExecutorPath path, DependencyGraph graph) {
    ShutdownSequencer.Builder builder = ShutdownSequencer.builder(graph);
    switch (path) {
      case CALLING_THREAD:
        return builder.executor(Runnable::run);
      case REFUSING_EXECUTOR:
        return builder.executor(REFUSING);
      case USER_POOL:
        return builder.executor(userPool);
      default:
        return builder;
    }
  }

  private RecoverySequencer.Builder recoveryOn(ExecutorPath path, DependencyGraph graph) {
    RecoverySequencer.Builder builder = RecoverySequencer.builder(graph);
    switch (path) {
      case CALLING_THREAD:
        return builder.executor(Runnable::run);
      case REFUSING_EXECUTOR:
        return builder.executor(REFUSING);
      case USER_POOL:
        return builder.executor(userPool);
      default:
        return builder;
    }
  }

  private static List<String> lines(IncidentJournal journal) {
    return journal.entries().stream()
        .map(e -> e.source() + " | " + e.kind() + " | " + e.detail())
        .collect(Collectors.toList());
  }

  // ---- item 1: re-entry fails fast on every thread, never waits on itself ----

  @ParameterizedTest
  @EnumSource(value = ExecutorPath.class, names = {"DEFAULT_POOL", "USER_POOL"})
  void shutdown_calledFromAStepOnAPoolThread_throwsAtOnceInsteadOfWaitingOnItself(
      ExecutorPath path) throws Exception {
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
        }), "db")
        .add(Component.of("db", Tier.CRITICAL, log.step("db")))
        .build();
    self.set(shutdownOn(path, graph).ticker(ticker).build());

    // the ticker never moves: a step that waited for its own run would wait forever
    ShutdownReport report = callers.submit(self.get()::shutdown).get(10, TimeUnit.SECONDS);

    assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
        .hasMessage("shutdown() called from a step of its own run");
    assertThat(report.component("exit-on-stop").outcome()).isEqualTo(Outcome.FAILED);
    assertThat(report.component("db").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(report.elapsed()).isZero();
    assertThat(self.get().shutdown()).isSameAs(report);
  }

  @Test
  void shutdown_calledFromAStepOfAnIsolateOnAPoolThread_throwsAndLeavesShutdownUsable()
      throws Exception {
    AtomicReference<ShutdownSequencer> self = new AtomicReference<>();
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("exit-on-stop", Tier.CRITICAL, () -> self.get().shutdown()))
        .add(Component.of("db", Tier.CRITICAL, log.step("db")))
        .build();
    self.set(ShutdownSequencer.builder(graph).executor(userPool).ticker(ticker).build());

    ShutdownReport isolated = callers.submit(() -> self.get().isolate("exit-on-stop"))
        .get(10, TimeUnit.SECONDS);
    ShutdownReport rest = callers.submit(self.get()::shutdown).get(10, TimeUnit.SECONDS);

    assertThat(isolated.component("exit-on-stop").detail()).isEqualTo("release threw "
        + "java.lang.IllegalStateException: shutdown() called from a step of its own run");
    assertThat(rest.component("db").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(rest.component("exit-on-stop").detail()).isEqualTo(ShutdownReport.ALREADY_STOPPED);
    assertThat(log.events()).containsExactly("db");
  }

  @Test
  void isolate_calledFromAStepOnAPoolThread_throwsAtOnce() throws Exception {
    AtomicReference<ShutdownSequencer> self = new AtomicReference<>();
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("front", Tier.CRITICAL, () -> self.get().isolate("db")), "db")
        .add(Component.of("db", Tier.CRITICAL, log.step("db")))
        .build();
    self.set(ShutdownSequencer.builder(graph).ticker(ticker).build());

    ShutdownReport report = callers.submit(self.get()::shutdown).get(10, TimeUnit.SECONDS);

    assertThat(report.component("front").detail()).isEqualTo("release threw "
        + "java.lang.IllegalStateException: isolate() called from a step of its own run");
    assertThat(report.component("db").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(log.events()).containsExactly("db");
  }

  @Test
  void recover_calledFromAStepOnTheCallingThread_throwsInsteadOfRunningNested() {
    AtomicReference<RecoverySequencer> self = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("db").onStart(() -> {
          log.add("db:start");
          try {
            self.get().recover();
          } catch (IllegalStateException e) {
            thrown.set(e);
          }
        }).build())
        .build();
    self.set(RecoverySequencer.builder(graph).executor(Runnable::run).ticker(ticker).build());

    RecoveryReport report = self.get().recover();

    assertThat(thrown.get()).hasMessage("recover() called from a step of its own run");
    assertThat(report.succeeded()).isTrue();
    assertThat(log.events()).containsExactly("db:start");
  }

  @Test
  void shutdown_calledFromAStepOfARecoveryThatHandsBackToIt_throwsAndLeavesShutdownUsable()
      throws Exception {
    AtomicReference<ShutdownSequencer> shutdown = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("db").onStart(() -> {
          try {
            shutdown.get().shutdown();
          } catch (IllegalStateException e) {
            thrown.set(e);
          }
        }).onRelease(log.step("db:stop")).build())
        .build();
    shutdown.set(ShutdownSequencer.builder(graph).executor(userPool).ticker(ticker).build());
    RecoverySequencer recovery = RecoverySequencer.builder(graph).executor(userPool)
        .ticker(ticker).build();
    shutdown.get().isolate("db");

    RecoveryReport recovered = callers.submit(() -> recovery.recoverIsolated(shutdown.get(), "db"))
        .get(10, TimeUnit.SECONDS);
    ShutdownReport stopped = callers.submit(shutdown.get()::shutdown).get(10, TimeUnit.SECONDS);

    assertThat(thrown.get()).hasMessage("shutdown() called from a step of its own run");
    assertThat(recovered.succeeded()).isTrue();
    assertThat(stopped.component("db").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(log.events()).containsExactly("db:stop", "db:stop");
  }

  @Test
  void recoverIsolated_calledFromAStepOfItsShutdownSequencersRun_throwsInsteadOfRunningNested() {
    AtomicReference<ShutdownSequencer> shutdown = new AtomicReference<>();
    AtomicReference<RecoverySequencer> recovery = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("front").onStart(log.step("front:start"))
            .onRelease(log.step("front:stop")).build(), "db")
        .add(Component.builder("db").onStart(log.step("db:start"))
            .onRelease(log.step("db:stop")).build())
        .add(Component.of("other", Tier.CRITICAL, () -> {
          try {
            recovery.get().recoverIsolated(shutdown.get(), "db");
          } catch (IllegalStateException e) {
            thrown.set(e);
          }
        }))
        .build();
    shutdown.set(ShutdownSequencer.builder(graph).executor(Runnable::run).ticker(ticker).build());
    recovery.set(RecoverySequencer.builder(graph).executor(Runnable::run).ticker(ticker)
        .build());
    shutdown.get().isolate("db");

    shutdown.get().isolate("other"); // its step asks for a recovery handing back to this run

    assertThat(thrown.get()).hasMessage(
        "cannot recover 'db': called from a step of a run of its shutdown sequencer");
    assertThat(log.events()).containsExactly("front:stop", "db:stop");
  }

  @Test
  void shutdown_calledByAnAbandonedStepAfterItsRunEnded_runsTheShutdown() throws Exception {
    AtomicReference<ShutdownSequencer> self = new AtomicReference<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    java.util.concurrent.CompletableFuture<ShutdownReport> fromStep =
        new java.util.concurrent.CompletableFuture<>();
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("cache").tier(Tier.STANDARD).stopTimeout(Duration.ofSeconds(1))
            .onRelease(() -> {
              entered.countDown();
              awaitIgnoringInterrupts(finish);
              Thread.interrupted(); // the abandonment's interrupt would end the shutdown at once
              try {
                fromStep.complete(self.get().shutdown()); // no run waits for this step now
              } catch (RuntimeException e) {
                fromStep.completeExceptionally(e);
              }
            }).build())
        .add(Component.of("db", Tier.CRITICAL, log.step("db")))
        .build();
    self.set(ShutdownSequencer.builder(graph).executor(userPool).ticker(ticker).build());

    Future<ShutdownReport> isolating = callers.submit(() -> self.get().isolate("cache"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    ticker.advance(Duration.ofSeconds(1));
    ShutdownReport isolated = isolating.get(10, TimeUnit.SECONDS);
    finish.countDown();
    ShutdownReport report = fromStep.get(10, TimeUnit.SECONDS);

    assertThat(isolated.component("cache").outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(report.component("db").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(report.component("cache").detail()).isEqualTo(ShutdownReport.ALREADY_STOPPED);
    assertThat(self.get().shutdown()).isSameAs(report);
  }

  // ---- item 2: a VirtualMachineError in a step ----

  /**
   * api depends on deep, deep on db; other is independent. deep's drain throws {@code fatal}:
   * its flush and release must not run, everything else must.
   */
  private DependencyGraph fatalGraph(Throwable fatal) {
    return DependencyGraph.builder()
        .add(Component.of("api", Tier.CRITICAL, log.step("api")), "deep")
        .add(Component.builder("deep").tier(Tier.CRITICAL)
            .onStopIntake(log.step("deep:stop-intake"))
            .onDrain(() -> {
              log.add("deep:drain");
              if (fatal instanceof Error) {
                throw (Error) fatal;
              }
              throw (Exception) fatal;
            })
            .onFlush(log.step("deep:flush"))
            .onRelease(log.step("deep:release"))
            .build(), "db")
        .add(Component.builder("db").tier(Tier.CRITICAL)
            .onFlush(log.step("db:flush")).onRelease(log.step("db:release")).build())
        .add(Component.of("other", Tier.ENHANCED, log.step("other")))
        .build();
  }

  @ParameterizedTest
  @EnumSource(ExecutorPath.class)
  void shutdown_stepThrowsStackOverflowError_stopsTheRestAndReportsTheSkippedSteps(
      ExecutorPath path) throws Exception {
    StackOverflowError fatal = new StackOverflowError("simulated");
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
    ShutdownSequencer sequencer = shutdownOn(path, fatalGraph(fatal)).ticker(ticker)
        .journal(journal).build();

    ShutdownReport report = callers.submit(sequencer::shutdown).get(10, TimeUnit.SECONDS);

    ComponentReport deep = report.component("deep");
    assertThat(deep.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(deep.failure()).isSameAs(fatal);
    assertThat(deep.steps()).extracting(StepReport::kind)
        .containsExactly(StepKind.STOP_INTAKE, StepKind.DRAIN);
    assertThat(deep.steps().get(1).failure()).isSameAs(fatal);
    assertThat(deep.detail()).startsWith("drain threw java.lang.StackOverflowError: simulated; "
        + "flush, release skipped after this VirtualMachineError");
    assertThat(report.component("db").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(report.component("api").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(report.component("other").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(log.events()).contains("api", "deep:stop-intake", "deep:drain", "db:flush",
        "db:release", "other").doesNotContain("deep:flush", "deep:release");
    assertThat(log.events().indexOf("db:flush")).isGreaterThan(log.events().indexOf("deep:drain"));
    assertThat(lines(journal)).anyMatch(line -> line.startsWith("deep | failed | drain threw "
        + "java.lang.StackOverflowError: simulated; flush, release skipped after this "
        + "VirtualMachineError"));
    assertThat(lines(journal)).last().asString().startsWith("shutdown | done | 4 components");
    assertThat(sequencer.shutdown()).isSameAs(report); // later calls (the hook's) get the report
    assertThat(userPool.thrown).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ExecutorPath.class)
  void shutdown_stepThrowsOutOfMemoryError_isReportedAndNothingEscapes(ExecutorPath path)
      throws Exception {
    OutOfMemoryError fatal = new OutOfMemoryError("simulated");
    ShutdownSequencer sequencer = shutdownOn(path, fatalGraph(fatal)).ticker(ticker).build();

    ShutdownReport report = callers.submit(sequencer::shutdown).get(10, TimeUnit.SECONDS);

    assertThat(report.component("deep").failure()).isSameAs(fatal);
    assertThat(report.component("deep").detail()).startsWith("drain threw "
        + "java.lang.OutOfMemoryError: simulated; flush, release skipped after this "
        + "VirtualMachineError");
    assertThat(report.count(Outcome.STOPPED)).isEqualTo(3);
    assertThat(userPool.thrown).isEmpty();
  }

  @Test
  void shutdown_stepThrowsAnOrdinaryError_stillRunsTheComponentsLaterSteps() {
    ShutdownReport report = ShutdownSequencer.builder(fatalGraph(new AssertionError("bug")))
        .executor(Runnable::run).ticker(ticker).build().shutdown();

    assertThat(report.component("deep").detail())
        .isEqualTo("drain threw java.lang.AssertionError: bug");
    assertThat(log.events()).contains("deep:flush", "deep:release");
  }

  @ParameterizedTest
  @EnumSource(ExecutorPath.class)
  void recover_startThrowsOutOfMemoryError_stopsTheRecoveryAndReturnsItsReport(
      ExecutorPath path) throws Exception {
    OutOfMemoryError fatal = new OutOfMemoryError("simulated");
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("front").onStart(log.step("front:start")).build(), "db")
        .add(Component.builder("db").onStart(() -> {
          throw fatal;
        }).build())
        .build();
    RecoverySequencer recovery = recoveryOn(path, graph).ticker(ticker).build();

    RecoveryReport report = callers.submit(recovery::recover).get(10, TimeUnit.SECONDS);

    assertThat(report.succeeded()).isFalse();
    assertThat(report.failureReason())
        .startsWith("db failed to start: start threw java.lang.OutOfMemoryError: simulated");
    assertThat(report.component("db").failure()).isSameAs(fatal);
    assertThat(report.component("front").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(log.events()).isEmpty();
    assertThat(userPool.thrown).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ExecutorPath.class)
  void recover_healthCheckThrowsStackOverflowError_failsTheGateWithoutCheckingAgain(
      ExecutorPath path) throws Exception {
    StackOverflowError fatal = new StackOverflowError("deep health");
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("db").onStart(log.step("db:start")).healthCheck(() -> {
          log.add("db:health");
          ticker.advance(1, TimeUnit.SECONDS);
          throw fatal;
        }).build())
        .build();
    RecoverySequencer recovery = recoveryOn(path, graph).ticker(ticker).build();

    RecoveryReport report = callers.submit(recovery::recover).get(10, TimeUnit.SECONDS);

    assertThat(report.component("db").outcome()).isEqualTo(Outcome.UNHEALTHY);
    assertThat(report.component("db").failure()).isSameAs(fatal);
    assertThat(report.component("db").detail()).startsWith("no health reported after 1 check in "
        + "1.000s (health timeout 30.000s); last check threw java.lang.StackOverflowError: "
        + "deep health");
    assertThat(log.events()).containsExactly("db:start", "db:health");
    assertThat(userPool.thrown).isEmpty();
  }

  // ---- item 3: the "late" entry says what the abandoned step did ----

  private IncidentJournal lateJournal(List<String> late, CountDownLatch lateSeen) {
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
    journal.onRecord(entry -> {
      if (entry.kind().equals("late")) {
        late.add(entry.detail());
        lateSeen.countDown();
      }
    });
    return journal;
  }

  @Test
  void shutdown_abandonedStepThrowsInterruptedException_lateEntrySaysTheInterruptEndedIt()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    List<String> late = new CopyOnWriteArrayList<>();
    CountDownLatch lateSeen = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("front").tier(Tier.CRITICAL).stopTimeout(Duration.ofSeconds(5))
            .onDrain(() -> {
              entered.countDown();
              hang.await();
            })
            .onRelease(log.step("front:release"))
            .build())
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph).executor(userPool)
        .ticker(ticker).journal(lateJournal(late, lateSeen)).build();

    Future<ShutdownReport> running = callers.submit(sequencer::shutdown);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    ticker.advance(Duration.ofSeconds(5));
    ShutdownReport report = running.get(10, TimeUnit.SECONDS);

    assertThat(lateSeen.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(report.component("front").detail())
        .isEqualTo("abandoned in drain after 5.000s (stop timeout 5.000s)");
    assertThat(late).containsExactly("drain was interrupted as the component was abandoned, "
        + "5.000s after the step began: java.lang.InterruptedException; release did not run");
    assertThat(log.events()).isEmpty();
  }

  @Test
  void shutdown_abandonedStepReturnsMuchLater_lateEntrySaysHowLongAfter() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    List<String> late = new CopyOnWriteArrayList<>();
    CountDownLatch lateSeen = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("front").tier(Tier.CRITICAL).stopTimeout(Duration.ofSeconds(5))
            .onDrain(() -> {
              entered.countDown();
              awaitIgnoringInterrupts(finish);
            })
            .onFlush(log.step("front:flush"))
            .onRelease(log.step("front:release"))
            .build())
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph).executor(userPool)
        .ticker(ticker).journal(lateJournal(late, lateSeen)).build();

    Future<ShutdownReport> running = callers.submit(sequencer::shutdown);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    ticker.advance(Duration.ofSeconds(5));
    ShutdownReport report = running.get(10, TimeUnit.SECONDS);
    ticker.advance(Duration.ofMillis(18_600));
    finish.countDown();

    assertThat(lateSeen.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(report.component("front").outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(late).containsExactly("drain returned 18.600s after the component was abandoned, "
        + "23.600s after the step began; flush, release did not run");
    assertThat(log.events()).isEmpty();
  }

  @Test
  void shutdown_abandonedLastStepThrows_lateEntrySaysWhatItThrew() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    List<String> late = new CopyOnWriteArrayList<>();
    CountDownLatch lateSeen = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("front").tier(Tier.CRITICAL).stopTimeout(Duration.ofSeconds(5))
            .onRelease(() -> {
              entered.countDown();
              awaitIgnoringInterrupts(finish);
              throw new IOException("socket closed");
            })
            .build())
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph).executor(userPool)
        .ticker(ticker).journal(lateJournal(late, lateSeen)).build();

    Future<ShutdownReport> running = callers.submit(sequencer::shutdown);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    ticker.advance(Duration.ofSeconds(5));
    running.get(10, TimeUnit.SECONDS);
    ticker.advance(Duration.ofSeconds(1));
    finish.countDown();

    assertThat(lateSeen.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(late).containsExactly("release threw 1.000s after the component was abandoned, "
        + "6.000s after the step began: java.io.IOException: socket closed");
  }

  private static void awaitIgnoringInterrupts(CountDownLatch latch) {
    boolean interrupted = false;
    try {
      for (;;) {
        try {
          if (!latch.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("never released");
          }
          return;
        } catch (InterruptedException e) {
          interrupted = true; // a step that ignores interrupts
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---- item 4: a shutdown ends recoverIsolated mid-phase with SHUTDOWN_BEGAN ----

  @Test
  void recoverIsolated_shutdownBeginsWhileAStartRuns_failureReasonIsShutdownBegan()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("front").onStart(log.step("front:start"))
            .onRelease(log.step("front:stop")).build(), "db")
        .add(Component.builder("db").onStart(() -> {
          entered.countDown();
          hang.await();
        }).onRelease(log.step("db:stop")).build())
        .build();
    ShutdownSequencer shutdown = ShutdownSequencer.builder(graph).executor(userPool)
        .ticker(ticker).build();
    RecoverySequencer recovery = RecoverySequencer.builder(graph).executor(userPool)
        .ticker(ticker).journal(journal).build();
    shutdown.isolate("db");

    Future<RecoveryReport> recovering =
        callers.submit(() -> recovery.recoverIsolated(shutdown, "db"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    ticker.advance(Duration.ofMillis(701));
    Future<ShutdownReport> shuttingDown = callers.submit(shutdown::shutdown);
    RecoveryReport recovered = recovering.get(10, TimeUnit.SECONDS);
    shuttingDown.get(10, TimeUnit.SECONDS);

    assertThat(recovered.failureReason()).isEqualTo(RecoverySequencer.SHUTDOWN_BEGAN);
    assertThat(recovered.failedPhase()).isEqualTo(Tier.STANDARD);
    assertThat(recovered.phases().get(0).reason()).isEqualTo(RecoverySequencer.SHUTDOWN_BEGAN);
    assertThat(recovered.component("db").detail())
        .isEqualTo("abandoned in start after 701ms: a shutdown began");
    assertThat(recovered.component("front").detail())
        .isEqualTo("a shutdown began before its turn");
    assertThat(lines(journal)).contains("recovery | phase-failed | STANDARD: a shutdown began");
  }

  @Test
  void recoverIsolated_shutdownBeginsDuringAHealthGate_failureReasonIsShutdownBegan()
      throws Exception {
    CountDownLatch checked = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("db").onStart(log.step("db:start")).healthCheck(() -> {
          checked.countDown();
          return Health.DOWN; // the ticker does not move: the gate waits for its next check
        }).onRelease(log.step("db:stop")).build())
        .build();
    ShutdownSequencer shutdown = ShutdownSequencer.builder(graph).executor(userPool)
        .ticker(ticker).build();
    RecoverySequencer recovery = RecoverySequencer.builder(graph).executor(userPool)
        .ticker(ticker).build();
    shutdown.isolate("db");

    Future<RecoveryReport> recovering =
        callers.submit(() -> recovery.recoverIsolated(shutdown, "db"));
    assertThat(checked.await(10, TimeUnit.SECONDS)).isTrue();
    ShutdownReport stopped = callers.submit(shutdown::shutdown).get(10, TimeUnit.SECONDS);
    RecoveryReport recovered = recovering.get(10, TimeUnit.SECONDS);

    assertThat(recovered.failureReason()).isEqualTo(RecoverySequencer.SHUTDOWN_BEGAN);
    assertThat(stopped.component("db").outcome()).isEqualTo(Outcome.STOPPED);
  }

  // ---- item 5: builder defaults adapt to what the user set ----

  @Test
  void recoveryBuilder_deadlineShorterThanTheDefaultHealthTimeout_healthTimeoutAdapts()
      throws Exception {
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("db").onStart(log.step("db:start")).healthCheck(() -> {
          ticker.advance(1, TimeUnit.SECONDS);
          return Health.DOWN;
        }).build())
        .build();

    RecoveryReport report = RecoverySequencer.builder(graph).deadline(Duration.ofSeconds(20))
        .executor(Runnable::run).ticker(ticker).build().recover();

    assertThat(report.component("db").detail())
        .isEqualTo("DOWN after 10 checks in 10.000s (health timeout 10.000s)");
  }

  @Test
  void recoveryBuilder_shortHealthTimeout_checkIntervalAdapts() {
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("db").onStart(log.step("db:start")).healthCheck(() -> {
          ticker.advance(10, TimeUnit.MILLISECONDS);
          return Health.DOWN;
        }).build())
        .build();

    RecoveryReport report = RecoverySequencer.builder(graph)
        .healthTimeout(Duration.ofMillis(100)).executor(Runnable::run).ticker(ticker).build()
        .recover();

    // a tenth of the health timeout between checks: each check takes that long, so 10 of them
    assertThat(report.component("db").detail())
        .isEqualTo("DOWN after 10 checks in 100ms (health timeout 100ms)");
  }

  @Test
  void builders_userValueClashesWithADefault_messageNamesTheDefaultToChange() {
    DependencyGraph graph = DependencyGraph.builder().add(Component.of("db", Tier.CRITICAL))
        .build();
    assertThatThrownBy(() -> RecoverySequencer.builder(graph)
            .healthTimeout(Duration.ofMinutes(10)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthTimeout must be shorter than the deadline (PT5M, the default: set "
            + "deadline(...) to change it), was PT10M");
    assertThatThrownBy(() -> RecoverySequencer.builder(graph)
            .healthCheckInterval(Duration.ofSeconds(30)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthCheckInterval must be shorter than the healthTimeout (PT30S, the "
            + "default: set healthTimeout(...) to change it), was PT30S");
    assertThatThrownBy(() -> ShutdownSequencer.builder(graph)
            .componentTimeout(Duration.ofSeconds(30)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("componentTimeout must be shorter than the deadline (PT25S, the default: "
            + "set deadline(...) to change it), was PT30S");
    // values the user set both are named as they are
    assertThatThrownBy(() -> RecoverySequencer.builder(graph).deadline(Duration.ofSeconds(20))
            .healthTimeout(Duration.ofSeconds(30)).build())
        .hasMessage("healthTimeout must be shorter than the deadline (PT20S), was PT30S");
  }

  // ---- item 6: the plan, the docs and the journal say when a component stops ----

  @Test
  void planText_saysAComponentStopsOnceItsDependentsHaveFinished() {
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("a", Tier.CRITICAL), "b")
        .add(Component.of("b", Tier.CRITICAL))
        .build();

    assertThat(ShutdownPlan.of(graph).toText()).startsWith("shutdown plan: 2 components in 2 "
        + "waves (each component stops as soon as everything that depends on it has finished, "
        + "so waves can overlap)\n");
  }

  @Test
  void shutdown_journal_saysEachComponentStopsOnceItsDependentsHaveFinished() {
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("front", Tier.CRITICAL, log.step("front")), "store")
        .add(Component.of("handler", Tier.CRITICAL, log.step("handler")), "store")
        .add(Component.of("store", Tier.CRITICAL, log.step("store")))
        .build();

    ShutdownSequencer.builder(graph).executor(Runnable::run).ticker(ticker).journal(journal)
        .build().shutdown();

    assertThat(lines(journal)).contains(
        "shutdown | plan | 3 components in 2 waves, deadline 25.000s",
        "front | stop | wave 0: nothing depends on it",
        "store | stop | wave 1: its 2 dependents have finished");
  }

  @Test
  void shutdown_aLaterWaveComponent_startsBeforeAnEarlierWaveOneEnds() throws Exception {
    // front -> handler -> store is three waves; slow (wave 1, under exporter) is independent
    CountDownLatch storeStopped = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("front", Tier.CRITICAL, log.step("front")), "handler")
        .add(Component.of("handler", Tier.CRITICAL, log.step("handler")), "store")
        .add(Component.of("store", Tier.CRITICAL, () -> {
          log.add("store");
          storeStopped.countDown();
        }))
        .add(Component.of("exporter", Tier.ENHANCED, log.step("exporter")), "slow")
        .add(Component.of("slow", Tier.ENHANCED, () -> {
          if (!storeStopped.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("store (wave 2) waited for slow (wave 1)");
          }
          log.add("slow");
        }))
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph).executor(userPool).build();

    ShutdownReport report = callers.submit(sequencer::shutdown).get(10, TimeUnit.SECONDS);

    assertThat(report.plan().waveOf("store")).isEqualTo(2);
    assertThat(report.plan().waveOf("slow")).isEqualTo(1);
    assertThat(report.count(Outcome.STOPPED)).isEqualTo(5);
    assertThat(log.events().indexOf("store")).isLessThan(log.events().indexOf("slow"));
  }

  // ---- item 7: hung components do not starve independent ones ----

  @Test
  void shutdown_defaultPool_200HungComponentsDoNotStarve200IndependentOnes() throws Exception {
    int count = 200;
    CountDownLatch hungIn = new CountDownLatch(count);
    CountDownLatch healthyRan = new CountDownLatch(count);
    DependencyGraph.Builder builder = DependencyGraph.builder();
    for (int i = 0; i < count; i++) { // plan order puts every hung component first
      builder.add(Component.of(String.format("a-hung-%03d", i), Tier.CRITICAL, () -> {
        hungIn.countDown();
        hang.await();
      }));
      builder.add(Component.of(String.format("b-healthy-%03d", i), Tier.CRITICAL,
          healthyRan::countDown));
    }
    ShutdownSequencer sequencer = ShutdownSequencer.builder(builder.build()).ticker(ticker)
        .build();

    Future<ShutdownReport> running = callers.submit(sequencer::shutdown);
    assertThat(healthyRan.await(10, TimeUnit.SECONDS)).as("every healthy component ran").isTrue();
    assertThat(hungIn.await(10, TimeUnit.SECONDS)).as("every hung component began").isTrue();
    ticker.advance(ShutdownSequencer.DEFAULT_DEADLINE);
    ShutdownReport report = running.get(10, TimeUnit.SECONDS);

    assertThat(report.count(Outcome.STOPPED)).isEqualTo(count);
    assertThat(report.count(Outcome.TIMED_OUT)).isEqualTo(count);
    assertThat(report.component("b-healthy-199").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(report.component("a-hung-000").detail()).isEqualTo("abandoned in release after "
        + "25.000s: the shutdown deadline (25.000s) was reached");
  }

  // ---- item 11: hostile names and details cannot forge lines or reach the terminal ----

  private static final String FORGED = "evil\n  wave 9\n    forged  CRITICAL  stopped";
  private static final String ANSI = "\u001b[31mred\u001b[0m";
  private static final String LONE = "lone\uD800surrogate";

  private static void assertSafe(String text, int lines) {
    assertThat(text.chars().filter(c -> c == 0x1b || c == '\r' || Character.isSurrogate((char) c)))
        .as("control characters and lone surrogates in %s", text).isEmpty();
    assertThat(text.split("\n", -1)).hasSize(lines + 1); // every line ends with a line break
  }

  private DependencyGraph hostileGraph() {
    return DependencyGraph.builder()
        .add(Component.builder(FORGED).tier(Tier.CRITICAL).onStart(log.step("forged:start"))
            .onRelease(() -> {
              throw new IOException("disk\nfull \u001b[2J");
            }).build(), ANSI)
        .add(Component.builder(ANSI).tier(Tier.CRITICAL).onStart(() -> {
          throw new IllegalStateException("no\r\nway");
        }).onRelease(log.step("ansi:release")).build())
        .add(Component.builder(LONE).tier(Tier.ENHANCED).onRelease(log.step("lone")).build())
        .build();
  }

  @Test
  void planTexts_hostileNames_areEscapedOnTheirOwnLines() {
    DependencyGraph graph = hostileGraph();

    String shutdownPlan = ShutdownPlan.of(graph).toText();
    String recoveryPlan = RecoveryPlan.of(graph).toText();
    String isolating = ShutdownPlan.isolating(graph, ANSI).toText();

    assertSafe(shutdownPlan, 6); // header, wave 0, two components, wave 1, one component
    assertThat(shutdownPlan).contains(
        "    evil\\n  wave 9\\n    forged  CRITICAL  stopped  CRITICAL  release\n",
        "    lone\\ud800surrogate",
        "  wave 1\n    \\u001b[31mred\\u001b[0m");
    assertSafe(recoveryPlan, 6);
    assertThat(recoveryPlan).contains("wave 1  evil\\n  wave 9\\n    forged  CRITICAL  stopped",
        "lone\\ud800surrogate");
    assertSafe(isolating, 5);
    assertThat(isolating).startsWith("shutdown plan isolating \\u001b[31mred\\u001b[0m: ");
    assertThat(ShutdownPlan.isolating(graph, ANSI).toString()).doesNotContain("\u001b");
  }

  @Test
  void reportTexts_hostileNamesAndExceptionMessages_areEscaped() {
    DependencyGraph graph = hostileGraph();
    ShutdownSequencer shutdown = ShutdownSequencer.builder(graph).executor(Runnable::run)
        .ticker(ticker).build();
    RecoverySequencer recovery = RecoverySequencer.builder(graph).executor(Runnable::run)
        .ticker(ticker).build();

    ShutdownReport isolated = shutdown.isolate(ANSI);
    String isolatedText = isolated.toText();
    String stopped = shutdown.shutdown().toText();
    RecoveryReport recovered = recovery.recoverIsolated(ANSI);
    String recoveredText = recovered.toText();

    // summary, wave 0, forged, wave 1, ansi, details:, forged's detail
    assertSafe(isolatedText, 7);
    assertThat(isolatedText).startsWith("shutdown isolating \\u001b[31mred\\u001b[0m at ")
        .contains("    evil\\n  wave 9\\n    forged  CRITICAL  stopped: release threw "
            + "java.io.IOException: disk\\nfull \\u001b[2J\n");
    assertSafe(stopped, 9); // summary, 2 waves, 3 components, details: and its two lines
    assertThat(stopped).contains("lone\\ud800surrogate");
    assertThat(recovered.failureReason()).contains("\r\n"); // the accessor keeps the raw text
    assertThat(recoveredText).startsWith("recovery of \\u001b[31mred\\u001b[0m and its "
        + "dependents at ").contains("\\u001b[31mred\\u001b[0m failed to start: start threw "
        + "java.lang.IllegalStateException: no\\r\\nway");
    // summary (with the failure reason), phase, 2 components, left running, details: and 2
    assertSafe(recoveredText, 8);
    assertThat(recovered.toString()).doesNotContain("\r", "\n", "\u001b");
    assertThat(isolated.component(ANSI).toString()).doesNotContain("\u001b");
  }
}
