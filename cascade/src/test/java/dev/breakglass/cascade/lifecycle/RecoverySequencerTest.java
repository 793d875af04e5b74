package dev.breakglass.cascade.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Tier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecoverySequencerTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T09:20:00Z"), ZoneOffset.UTC);

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

  /** A health check that reports DOWN {@code downs} times, each taking a second, then UP. */
  private HealthCheck upAfter(String name, int downs) {
    AtomicInteger calls = new AtomicInteger();
    return () -> {
      log.add(name + ":health");
      if (calls.getAndIncrement() < downs) {
        ticker.advance(1, TimeUnit.SECONDS);
        return Health.DOWN;
      }
      return Health.UP;
    };
  }

  private DependencyGraph service(HealthCheck paymentHealth) {
    return DependencyGraph.builder()
        .add(Component.builder("http-front").tier(Tier.CRITICAL)
            .onStart(log.step("http-front:start", ticker, 30)).build(),
            "checkout-handler", "recommendations")
        .add(Component.builder("checkout-handler").tier(Tier.CRITICAL)
            .onStart(log.step("checkout-handler:start", ticker, 20)).build(), "payment-client")
        .add(Component.builder("payment-client").tier(Tier.STANDARD)
            .onStart(log.step("payment-client:start", ticker, 100))
            .healthCheck(paymentHealth).build())
        .add(Component.builder("recommendations").tier(Tier.STANDARD)
            .onStart(log.step("recommendations:start", ticker, 50)).build())
        .add(Component.builder("analytics-exporter").tier(Tier.ENHANCED)
            .onStart(log.step("analytics-exporter:start", ticker, 5)).build())
        .build();
  }

  private RecoverySequencer.Builder inline(DependencyGraph graph) {
    return RecoverySequencer.builder(graph).executor(Runnable::run).ticker(ticker).clock(CLOCK)
        .healthCheckInterval(Duration.ofNanos(1));
  }

  @Test
  void recover_startsDependenciesFirstPhaseByPhaseGatedOnHealth() {
    RecoveryReport report = inline(service(upAfter("payment-client", 2))).build().recover();

    assertThat(log.events()).containsExactly(
        "payment-client:start", "recommendations:start", "checkout-handler:start",
        "http-front:start",
        "payment-client:health", "payment-client:health", "payment-client:health",
        "analytics-exporter:start");
    assertThat(report.succeeded()).isTrue();
    assertThat(report.failedPhase()).isNull();
    assertThat(report.failureReason()).isEmpty();
    assertThat(report.count(Outcome.STARTED)).isEqualTo(5);
    assertThat(report.phases()).extracting(RecoveryReport.Phase::tier)
        .containsExactly(Tier.CRITICAL, Tier.ENHANCED);
    assertThat(report.phases()).allMatch(p -> p.ran() && p.passed() && p.reason().isEmpty());
    ComponentReport payment = report.component("payment-client");
    assertThat(payment.health()).isEqualTo(Health.UP);
    assertThat(payment.steps()).extracting(StepReport::kind)
        .containsExactly(StepKind.START, StepKind.HEALTH_CHECK);
    assertThat(payment.steps().get(1).duration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(report.started()).containsExactly("payment-client", "recommendations",
        "checkout-handler", "http-front", "analytics-exporter");
  }

  @Test
  void toText_completedRecovery_readsAsATimeline() {
    RecoveryReport report = inline(service(upAfter("payment-client", 2))).build().recover();

    assertThat(report.toText()).isEqualTo(String.join("\n",
        "recovery at 2026-11-21T09:20:00Z completed: 5 components started in 2 phases; took 2.205s of a 5m00.000s deadline",
        "  phase CRITICAL: passed in 2.200s",
        "    wave 0  payment-client      CRITICAL (from STANDARD)  started  +0.000s  2.200s  start 100ms, health 2.000s",
        "            recommendations     CRITICAL (from STANDARD)  started  +0.100s  50ms    start 50ms",
        "    wave 1  checkout-handler    CRITICAL                  started  +0.150s  20ms    start 20ms",
        "    wave 2  http-front          CRITICAL                  started  +0.170s  30ms    start 30ms",
        "  phase ENHANCED: passed in 5.0ms",
        "    wave 0  analytics-exporter  ENHANCED                  started  +2.200s  5.0ms   start 5.0ms",
        ""));
  }

  @Test
  void recover_unhealthyComponent_stopsTheRecoveryAndReportsWhatIsLeftRunning() {
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).clock(CLOCK).build();
    RecoveryReport report = inline(service(upAfter("payment-client", 1_000)))
        .healthTimeout(Duration.ofSeconds(30)).journal(journal).build().recover();

    assertThat(report.succeeded()).isFalse();
    assertThat(report.failedPhase()).isEqualTo(Tier.CRITICAL);
    assertThat(report.failureReason()).isEqualTo(
        "payment-client not healthy: DOWN after 30 checks in 30.000s (health timeout 30.000s)");
    ComponentReport payment = report.component("payment-client");
    assertThat(payment.outcome()).isEqualTo(Outcome.UNHEALTHY);
    assertThat(payment.health()).isEqualTo(Health.DOWN);
    assertThat(report.component("analytics-exporter").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(report.component("analytics-exporter").detail())
        .isEqualTo("not started: phase CRITICAL failed");
    assertThat(report.phases().get(1).ran()).isFalse();
    assertThat(report.started()).containsExactly(
        "payment-client", "recommendations", "checkout-handler", "http-front");
    assertThat(log.count("analytics-exporter:start")).isZero();
    assertThat(report.toText()).contains(
        "  phase ENHANCED: not run\n",
        "  left running: payment-client, recommendations, checkout-handler, http-front\n",
        "    analytics-exporter: not started: phase CRITICAL failed\n");
    List<String> lines = journal.entries().stream()
        .map(e -> e.source() + " | " + e.kind() + " | " + e.detail())
        .collect(Collectors.toList());
    assertThat(lines).contains(
        "recovery | plan | 5 components in 2 phases (CRITICAL 4, ENHANCED 1)",
        "recovery | phase | CRITICAL: starting 4 components",
        "payment-client | start | phase CRITICAL, wave 0",
        "payment-client | started | start 100ms",
        "payment-client | unhealthy | DOWN after 30 checks in 30.000s (health timeout 30.000s)",
        "recovery | phase-failed | CRITICAL: " + report.failureReason());
    assertThat(lines.get(lines.size() - 1)).startsWith("recovery | stopped | stopped in phase CRITICAL");
  }

  @Test
  void recover_acceptDegraded_passesADegradedComponent() {
    RecoveryReport report = inline(service(() -> Health.DEGRADED)).acceptDegraded(true).build()
        .recover();

    assertThat(report.succeeded()).isTrue();
    assertThat(report.component("payment-client").health()).isEqualTo(Health.DEGRADED);
  }

  @Test
  void recover_healthCheckThrows_keepsPollingAndReportsTheLastCause() {
    AtomicInteger calls = new AtomicInteger();
    HealthCheck flaky = () -> {
      ticker.advance(1, TimeUnit.SECONDS);
      throw new IllegalStateException("not ready " + calls.incrementAndGet());
    };
    RecoveryReport report = inline(service(flaky)).healthTimeout(Duration.ofSeconds(3)).build()
        .recover();

    ComponentReport payment = report.component("payment-client");
    assertThat(payment.outcome()).isEqualTo(Outcome.UNHEALTHY);
    assertThat(payment.failure()).hasMessage("not ready 3");
    assertThat(payment.detail()).isEqualTo("no health reported after 3 checks in 3.000s "
        + "(health timeout 3.000s); last check threw java.lang.IllegalStateException: not ready 3");
  }

  @Test
  void recover_startThrows_haltsThePhaseAndSkipsItsDependents() {
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("front").tier(Tier.CRITICAL).onStart(log.step("front")).build(),
            "db")
        .add(Component.builder("db").tier(Tier.CRITICAL).onStart(() -> {
          throw new IllegalStateException("port 5432 in use");
        }).build())
        .add(Component.builder("reports").tier(Tier.STANDARD).onStart(log.step("reports")).build())
        .build();

    RecoveryReport report = inline(graph).build().recover();

    assertThat(report.failureReason())
        .isEqualTo("db failed to start: start threw java.lang.IllegalStateException: port 5432 in use");
    assertThat(report.component("db").outcome()).isEqualTo(Outcome.FAILED);
    assertThat(report.component("db").failure()).hasMessage("port 5432 in use");
    assertThat(report.component("front").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(report.component("front").detail()).isEqualTo("not started: db failed to start");
    assertThat(report.component("reports").detail()).isEqualTo("not started: phase CRITICAL failed");
    assertThat(report.started()).isEmpty();
    assertThat(report.toText()).contains("  left running: nothing\n");
    assertThat(log.events()).isEmpty();
  }

  @Test
  void recover_startHangs_isAbandonedAtItsStartTimeout() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("front").tier(Tier.CRITICAL).onStart(log.step("front")).build(),
            "db")
        .add(Component.builder("db").tier(Tier.CRITICAL).startTimeout(Duration.ofSeconds(20))
            .onStart(() -> {
              entered.countDown();
              hang.await();
            }).build())
        .build();
    RecoverySequencer recovery = RecoverySequencer.builder(graph).executor(pool).ticker(ticker)
        .build();

    Future<RecoveryReport> running = pool.submit(recovery::recover);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    ticker.advance(Duration.ofSeconds(20));
    RecoveryReport report = running.get(10, TimeUnit.SECONDS);

    assertThat(report.component("db").outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(report.failureReason()).isEqualTo(
        "db timed out starting: abandoned in start after 20.000s (start timeout 20.000s)");
    assertThat(report.component("front").detail()).isEqualTo("not started: db timed out starting");
  }

  @Test
  void recover_hungHealthCheck_isAbandonedAfterTheHealthTimeout() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    HealthCheck hung = () -> {
      entered.countDown();
      hang.await();
      return Health.UP;
    };
    RecoverySequencer recovery = RecoverySequencer.builder(service(hung)).executor(pool)
        .ticker(ticker).healthTimeout(Duration.ofSeconds(10))
        .healthCheckInterval(Duration.ofSeconds(1)).build();

    Future<RecoveryReport> running = pool.submit(recovery::recover);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    ticker.advance(Duration.ofSeconds(11));
    RecoveryReport report = running.get(10, TimeUnit.SECONDS);

    ComponentReport payment = report.component("payment-client");
    assertThat(payment.outcome()).isEqualTo(Outcome.UNHEALTHY);
    assertThat(payment.detail()).isEqualTo(
        "abandoned while checking health after 11.000s (health timeout 10.000s)");
    assertThat(payment.steps().get(1).abandoned()).isTrue();
  }

  @Test
  void recoverIsolated_startsTheComponentAndItsDependentsOnly() {
    RecoveryReport report = inline(service(upAfter("payment-client", 0))).build()
        .recoverIsolated("payment-client");

    assertThat(report.plan().isolated()).isEqualTo("payment-client");
    assertThat(log.events()).containsExactly("payment-client:start", "checkout-handler:start",
        "http-front:start", "payment-client:health");
    assertThat(report.succeeded()).isTrue();
    assertThat(report.toText()).startsWith("recovery of payment-client and its dependents at ");
  }

  /**
   * Regression: the health gate slept in real time between checks while its deadline followed
   * the ticker, so with a ManualTicker every check cost a real interval.
   */
  @Test
  void recover_manualTicker_pollsHealthOnTheTickersTimeWithoutSleeping() throws Exception {
    Semaphore checked = new Semaphore(0);
    AtomicInteger calls = new AtomicInteger();
    HealthCheck upOnTheThirdCheck = () -> {
      checked.release();
      return calls.incrementAndGet() < 3 ? Health.DOWN : Health.UP;
    };
    RecoverySequencer recovery = RecoverySequencer.builder(service(upOnTheThirdCheck))
        .executor(pool).ticker(ticker).healthCheckInterval(Duration.ofSeconds(30))
        .healthTimeout(Duration.ofMinutes(5)).deadline(Duration.ofMinutes(10)).build();

    Future<RecoveryReport> running = pool.submit(recovery::recover);
    assertThat(checked.tryAcquire(10, TimeUnit.SECONDS)).as("first check").isTrue();
    ticker.advance(Duration.ofSeconds(30));
    assertThat(checked.tryAcquire(10, TimeUnit.SECONDS)).as("second check").isTrue();
    ticker.advance(Duration.ofSeconds(30));
    RecoveryReport report = running.get(10, TimeUnit.SECONDS);

    assertThat(calls).hasValue(3);
    assertThat(report.succeeded()).isTrue();
    ComponentReport payment = report.component("payment-client");
    assertThat(payment.health()).isEqualTo(Health.UP);
    assertThat(payment.steps().get(1).duration()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void recover_manualTickerPastTheHealthTimeout_checksOnceMoreAtTheDeadlineThenFails()
      throws Exception {
    Semaphore jobsDone = new Semaphore(0);
    Executor counting = task -> pool.execute(() -> {
      task.run();
      jobsDone.release(); // the job has ended: its check returned and its times are taken
    });
    RecoverySequencer recovery = RecoverySequencer.builder(service(() -> Health.DOWN))
        .executor(counting).ticker(ticker).healthCheckInterval(Duration.ofSeconds(30))
        .healthTimeout(Duration.ofMinutes(5)).deadline(Duration.ofMinutes(10)).build();

    Future<RecoveryReport> running = pool.submit(recovery::recover);
    // four start steps, then the first health check
    assertThat(jobsDone.tryAcquire(5, 10, TimeUnit.SECONDS)).isTrue();
    ticker.advance(Duration.ofMinutes(5)); // while the gate waits for its next check
    RecoveryReport report = running.get(10, TimeUnit.SECONDS);

    assertThat(report.failureReason()).isEqualTo("payment-client not healthy: DOWN after 2 "
        + "checks in 5m00.000s (health timeout 5m00.000s)");
  }

  /**
   * Regression: after isolate(x) and recoverIsolated(x), the shutdown sequencer (and so its
   * shutdown hook) still counted x as stopped and skipped it at shutdown.
   */
  @Test
  void recoverIsolated_withItsShutdownSequencer_handsTheComponentsBackToItsShutdown() {
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("front").onStart(log.step("front:start"))
            .onRelease(log.step("front:stop")).build(), "cache", "db")
        .add(Component.builder("cache").onStart(log.step("cache:start"))
            .onRelease(log.step("cache:stop")).build())
        .add(Component.builder("db").onStart(log.step("db:start"))
            .onRelease(log.step("db:stop")).build())
        .build();
    ShutdownSequencer shutdown = ShutdownSequencer.builder(graph).executor(Runnable::run)
        .ticker(ticker).build();
    RecoverySequencer recovery = inline(graph).build();

    shutdown.isolate("cache");
    RecoveryReport recovered = recovery.recoverIsolated(shutdown, "cache");
    ShutdownReport stopped = shutdown.shutdown();

    assertThat(recovered.succeeded()).isTrue();
    assertThat(stopped.components()).extracting(ComponentReport::outcome)
        .containsOnly(Outcome.STOPPED);
    assertThat(log.events()).containsExactly("front:stop", "cache:stop",
        "cache:start", "front:start",
        "front:stop", "cache:stop", "db:stop");
  }

  @Test
  void recoverIsolated_withAShutdownSequencerThatDidNotStopIt_throws() {
    DependencyGraph graph = service(() -> Health.UP);
    ShutdownSequencer shutdown = ShutdownSequencer.builder(graph).executor(Runnable::run)
        .ticker(ticker).build();
    RecoverySequencer recovery = inline(graph).build();

    assertThatThrownBy(() -> recovery.recoverIsolated(shutdown, "payment-client"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot recover 'payment-client': its shutdown sequencer has not stopped it");
    assertThatThrownBy(() -> recovery.recoverIsolated(
            ShutdownSequencer.builder(service(() -> Health.UP)).build(), "payment-client"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stoppedBy must stop this sequencer's graph, was ");
    shutdown.isolate("payment-client");
    shutdown.shutdown();
    assertThatThrownBy(() -> recovery.recoverIsolated(shutdown, "payment-client"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot recover 'payment-client': shutdown() of its shutdown sequencer has "
            + "been called");
    assertThat(log.events()).isEmpty();
  }

  @Test
  void recoverIsolated_shutdownBeginsMeanwhile_endsTheRecoveryThenStopsWhatBeganToStart()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("front").onStart(log.step("front:start"))
            .onRelease(log.step("front:stop")).build(), "db")
        .add(Component.builder("db").onStart(() -> {
          entered.countDown();
          hang.await();
        }).onRelease(log.step("db:stop")).build())
        .build();
    ShutdownSequencer shutdown = ShutdownSequencer.builder(graph).executor(pool).ticker(ticker)
        .build();
    RecoverySequencer recovery = RecoverySequencer.builder(graph).executor(pool).ticker(ticker)
        .build();
    shutdown.isolate("db");

    Future<RecoveryReport> recovering = pool.submit(() -> recovery.recoverIsolated(shutdown, "db"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    Future<ShutdownReport> shuttingDown = pool.submit(shutdown::shutdown);
    RecoveryReport recovered = recovering.get(10, TimeUnit.SECONDS);
    ShutdownReport stopped = shuttingDown.get(10, TimeUnit.SECONDS);

    assertThat(recovered.failureReason()).isEqualTo(RecoverySequencer.SHUTDOWN_BEGAN);
    assertThat(recovered.component("db").detail())
        .isEqualTo("abandoned in start after 0us: a shutdown began");
    assertThat(recovered.component("front").detail())
        .isEqualTo("a shutdown began before its turn");
    assertThat(stopped.component("db").outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(stopped.component("front").detail()).isEqualTo(ShutdownReport.ALREADY_STOPPED);
    assertThat(log.events()).containsExactly("front:stop", "db:stop", "db:stop");
  }

  @Test
  void recover_whileAnotherRecoveryRuns_throws() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("db").onStart(() -> {
          entered.countDown();
          hang.await();
        }).build())
        .build();
    RecoverySequencer recovery = RecoverySequencer.builder(graph).executor(pool).build();

    Future<RecoveryReport> first = pool.submit(recovery::recover);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(recovery::recover)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a recovery of this sequencer is already running");
    hang.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS).succeeded()).isTrue();
  }

  @Test
  void recover_overallDeadline_stopsTheRecovery() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("db").tier(Tier.CRITICAL).onStart(() -> {
          entered.countDown();
          hang.await();
        }).build())
        .add(Component.builder("reports").tier(Tier.ENHANCED).onStart(log.step("reports")).build())
        .build();
    RecoverySequencer recovery = RecoverySequencer.builder(graph).executor(pool).ticker(ticker)
        .deadline(Duration.ofMinutes(2)).build();

    Future<RecoveryReport> running = pool.submit(recovery::recover);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    ticker.advance(Duration.ofMinutes(2));
    RecoveryReport report = running.get(10, TimeUnit.SECONDS);

    assertThat(report.failureReason()).isEqualTo("db timed out starting: abandoned in start "
        + "after 2m00.000s: the recovery deadline (2m00.000s) was reached");
    assertThat(report.component("reports").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(log.events()).isEmpty();
  }

  @Test
  void builder_badValues_throwNamingThem() {
    DependencyGraph graph = service(() -> Health.UP);
    assertThatThrownBy(() -> RecoverySequencer.builder(graph).healthTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthTimeout must be positive, was PT0S");
    assertThatThrownBy(() -> RecoverySequencer.builder(graph).startTimeout(Duration.ofSeconds(-2)))
        .hasMessage("startTimeout must be positive, was PT-2S");
    assertThatThrownBy(() -> RecoverySequencer.builder(graph)
            .healthCheckInterval(Duration.ofSeconds(30)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthCheckInterval must be shorter than the healthTimeout (PT30S, the "
            + "default: set healthTimeout(...) to change it), was PT30S");
    assertThatThrownBy(() -> RecoverySequencer.builder(graph).deadline(Duration.ofSeconds(10))
            .healthTimeout(Duration.ofSeconds(30)).build())
        .hasMessage("healthTimeout must be shorter than the deadline (PT10S), was PT30S");
    assertThatThrownBy(() -> Component.builder("a").healthCheck(null)).hasMessage("check");
    assertThatThrownBy(() -> RecoverySequencer.builder(graph).build().recoverIsolated("nope"))
        .hasMessage("unknown component 'nope'");
  }
}
