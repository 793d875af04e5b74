package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Ticker;
import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.DurationFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Brings the components of a {@link DependencyGraph} back after an emergency: dependencies
 * first, most important tier first, each phase gated on health.
 *
 * <pre>{@code
 * RecoverySequencer recovery = RecoverySequencer.builder(graph)
 *     .healthTimeout(Duration.ofSeconds(30))
 *     .journal(journal)
 *     .build();
 * RecoveryReport report = recovery.recover();
 * if (!report.succeeded()) {
 *   alert(report.toText());
 * }
 * }</pre>
 *
 * <p><b>Phases.</b> The {@link #plan() plan} has one phase per {@link Tier}, CRITICAL first;
 * a component starts in the phase of its {@linkplain DependencyGraph#effectiveTier(String)
 * effective tier}, so everything it depends on starts in the same phase or an earlier one.
 * Within a phase, a component's start step runs as soon as the start steps of its
 * dependencies in the phase have returned; independent components start in parallel. Once
 * every start of the phase has returned, the phase's <b>health gate</b> polls the {@link
 * Component.Builder#healthCheck(HealthCheck) health check} of each component started in it,
 * one check every {@link Builder#healthCheckInterval(Duration) interval} of the ticker's time
 * (no thread sleeps between checks), until each reports
 * {@link Health#UP} (or {@link Health#DEGRADED}, if {@link Builder#acceptDegraded(boolean)
 * accepted}) or the {@link Builder#healthTimeout(Duration) health timeout} passes. A
 * component without a health check passes once started. Only then does the next phase begin.
 *
 * <p><b>Failure.</b> A start step that throws or outlives its {@link
 * Component.Builder#startTimeout(Duration) start timeout} (or the {@link
 * Builder#startTimeout(Duration) default}), a component that stays unhealthy, or the
 * {@link Builder#deadline(Duration) deadline} stops the recovery: nothing more is started, the
 * starts already under way are awaited, and the report says which phase failed and why.
 * What was started stays as it is (nothing is stopped again); {@link
 * RecoveryReport#started()} lists it. What a start step or a health check throws, even a
 * {@link VirtualMachineError}, is reported, never thrown out of the run: a start that throws
 * fails, a check that throws a {@code VirtualMachineError} is not called again and leaves its
 * component unhealthy. A step that calls {@code recover} on this sequencer, or {@code
 * shutdown()} on the shutdown sequencer a {@link #recoverIsolated(ShutdownSequencer, String)}
 * hands back to, gets an {@link IllegalStateException} at once: the run waits for the step.
 *
 * <p><b>Reports.</b> Each run returns a {@link RecoveryReport} and, when a {@link
 * Builder#journal(IncidentJournal) journal} is set, records the plan, each phase, each
 * component's start, health and outcome, and a summary in it.
 *
 * <p>Thread-safe. One recovery runs at a time, on the calling thread, which coordinates while
 * the executor runs the start steps and health checks.
 */
public final class RecoverySequencer {

  /*
   * Design: the plan is computed once in the builder (RecoveryPlan, O(V + E)). A run walks the
   * phases in order; for each, one Engine runs the start steps in dependency order (halting on
   * the first failure) and, if they all returned, a second Engine runs the health checks in
   * parallel: each job makes one check and, if not healthy before the gate's deadline, asks
   * the engine to run it again one interval after it began, so polling follows the ticker and
   * no executor thread sleeps. Both engines run on the calling thread; runs are serialized by
   * a ReentrantLock taken with tryLock, so a concurrent recover() fails fast instead of
   * queueing behind a long recovery. recoverIsolated(ShutdownSequencer, name) also holds the
   * shutdown sequencer's run lock (tryLock as well) and polls its isShutdown() through the
   * engines' cancelReason(), so that a shutdown beginning meanwhile ends the recovery within
   * one engine slice and then takes the lock; the report's reason is then SHUTDOWN_BEGAN,
   * whatever the cancellation made of the components under way.
   */

  /** The deadline {@link Builder} uses unless told otherwise. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(5);

  /**
   * The health timeout {@link Builder} uses unless told otherwise, or half the deadline if that
   * is shorter.
   */
  public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The interval between health checks {@link Builder} uses unless told otherwise, or a tenth
   * of the health timeout if that is shorter.
   */
  public static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofMillis(200);

  /**
   * Why a {@link #recoverIsolated(ShutdownSequencer, String)} ended early: the shutdown
   * sequencer's {@code shutdown()} began. It is the report's {@link
   * RecoveryReport#failureReason() failure reason} whenever that happens, between phases or in
   * the middle of one.
   */
  public static final String SHUTDOWN_BEGAN = "a shutdown began";

  private static final Tier[] TIERS = Tier.values();

  private final DependencyGraph graph;
  private final RecoveryPlan plan;
  private final Duration deadline;
  private final @Nullable Duration startTimeout;
  private final Duration healthTimeout;
  private final Duration healthCheckInterval;
  private final boolean acceptDegraded;
  private final @Nullable Executor executor;
  private final Ticker ticker;
  private final InstantSource clock;
  private final @Nullable IncidentJournal journal;
  private final ReentrantLock runLock = new ReentrantLock();

  private RecoverySequencer(Builder builder, Duration deadline, Duration healthTimeout,
      Duration healthCheckInterval) {
    this.graph = builder.graph;
    this.plan = RecoveryPlan.of(graph);
    this.deadline = deadline;
    this.startTimeout = builder.startTimeout;
    this.healthTimeout = healthTimeout;
    this.healthCheckInterval = healthCheckInterval;
    this.acceptDegraded = builder.acceptDegraded;
    this.executor = builder.executor;
    this.ticker = builder.ticker;
    this.clock = builder.clock;
    this.journal = builder.journal;
  }

  /**
   * Returns a builder for a recovery of the given graph.
   *
   * @param graph the components to start and their dependencies
   * @return a new builder with a 5-minute deadline, no default start timeout, a 30 s health
   *     timeout (or half the deadline, if that is shorter) polled every 200 ms (or every tenth
   *     of the health timeout, if that is shorter), only {@link Health#UP} accepted, a private
   *     executor, the system ticker and clock, and no journal
   * @throws NullPointerException if {@code graph} is null
   */
  public static Builder builder(DependencyGraph graph) {
    return new Builder(graph);
  }

  /**
   * Returns the plan that {@link #recover()} follows. Printing its {@link RecoveryPlan#toText()
   * text} is a dry run.
   *
   * @return the plan for the whole graph
   */
  public RecoveryPlan plan() {
    return plan;
  }

  /**
   * Returns the graph this sequencer starts.
   *
   * @return the graph
   */
  public DependencyGraph graph() {
    return graph;
  }

  /**
   * Starts every component, phase by phase, each phase gated on health.
   *
   * @return the report of this run
   * @throws IllegalStateException if another recovery of this sequencer is running, or if
   *     called from a step of this sequencer's own run
   */
  public RecoveryReport recover() {
    return run(plan, null);
  }

  /**
   * Starts again a component that {@link ShutdownSequencer#isolate(String)} stopped, and
   * everything that depends on it, following {@link RecoveryPlan#isolating}: the same phases
   * and health gates, restricted to those components. Its dependencies are assumed to be
   * running.
   *
   * <p>No {@link ShutdownSequencer} learns that these components run again: one that stopped
   * them still counts them as stopped, and its {@code shutdown()} (and shutdown hook) skips
   * them. When a shutdown sequencer isolated the component, use {@link
   * #recoverIsolated(ShutdownSequencer, String)} instead.
   *
   * @param name the isolated component
   * @return the report of this run
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the graph has no component of that name
   * @throws IllegalStateException if another recovery of this sequencer is running, or if
   *     called from a step of this sequencer's own run
   */
  public RecoveryReport recoverIsolated(String name) {
    return run(RecoveryPlan.isolating(graph, name), null);
  }

  /**
   * Starts again a component that {@code stoppedBy} {@linkplain ShutdownSequencer#isolate
   * isolated}, and everything that depends on it, as {@link #recoverIsolated(String)} does,
   * and hands them back to {@code stoppedBy}: every component whose start began counts as
   * running there again, so its later {@link ShutdownSequencer#shutdown() shutdown()}, and the
   * shutdown hook that calls it, stops them again in order, and {@code isolate} can stop them
   * again.
   *
   * <p>The recovery and the runs of {@code stoppedBy} never overlap. This method fails if a run
   * of {@code stoppedBy} is going on. A {@code shutdown()} of {@code stoppedBy} that begins
   * during the recovery (SIGTERM, say) ends it at once, as its deadline would: nothing more is
   * started, starts and health checks under way are abandoned, and the report gives {@value
   * #SHUTDOWN_BEGAN} as the reason. The shutdown then runs, within its own deadline, and stops
   * everything whose start began, including a component whose start was abandoned (its stop
   * steps release what the start had taken).
   *
   * @param stoppedBy the shutdown sequencer, of this sequencer's graph, that isolated the
   *     component
   * @param name the isolated component
   * @return the report of this run
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code stoppedBy} stops another graph, or the graph
   *     has no component of that name
   * @throws IllegalStateException if another recovery of this sequencer is running, if a run
   *     of {@code stoppedBy} is going on or its {@code shutdown()} has been called, if
   *     {@code stoppedBy} has not stopped the component, or if called from a step of this
   *     sequencer's own run
   */
  public RecoveryReport recoverIsolated(ShutdownSequencer stoppedBy, String name) {
    Objects.requireNonNull(stoppedBy, "stoppedBy");
    if (stoppedBy.graph() != graph) {
      throw new IllegalArgumentException("stoppedBy must stop this sequencer's graph, was "
          + stoppedBy + " of another graph");
    }
    return run(RecoveryPlan.isolating(graph, name), stoppedBy);
  }

  @Override
  public String toString() {
    return "RecoverySequencer[" + plan + ", deadline " + DurationFormat.format(deadline) + "]";
  }

  // ---- a run ----

  private RecoveryReport run(RecoveryPlan runPlan, @Nullable ShutdownSequencer stoppedBy) {
    long begin = ticker.read();
    if (runLock.isHeldByCurrentThread() || Job.inStepOf(this)) {
      // a step of this sequencer's own run: on the coordinating thread the (reentrant) lock
      // would let a nested run in, on an executor thread the call would fail below anyway
      throw new IllegalStateException((runPlan.isolated() == null ? "recover()"
          : "recoverIsolated()") + " called from a step of its own run");
    }
    if (!runLock.tryLock()) {
      throw new IllegalStateException("a recovery of this sequencer is already running");
    }
    try {
      if (stoppedBy == null) {
        return runLocked(runPlan, begin, null);
      }
      stoppedBy.beginRecovery(Objects.requireNonNull(runPlan.isolated()));
      try {
        return runLocked(runPlan, begin, stoppedBy);
      } finally {
        stoppedBy.endRecovery();
      }
    } finally {
      runLock.unlock();
    }
  }

  private RecoveryReport runLocked(RecoveryPlan runPlan, long begin,
      @Nullable ShutdownSequencer stoppedBy) {
    Instant startedAt = clock.instant();
    long deadlineNanos = begin + DurationFormat.saturatedNanos(deadline);
    String deadlineLabel = "the recovery deadline (" + DurationFormat.format(deadline) + ") was reached";
    if (journal != null) {
      StringBuilder phases = new StringBuilder();
      for (Tier tier : runPlan.phases()) {
        phases.append(phases.length() == 0 ? "" : ", ").append(tier).append(' ')
            .append(runPlan.components(tier).size());
      }
      journal.record("recovery", runPlan.isolated() == null ? "plan" : "recover-isolated",
          (runPlan.isolated() == null ? "" : runPlan.isolated() + " and its dependents: ")
              + Texts.plural(runPlan.size(), "component", "components") + " in "
              + Texts.plural(runPlan.phases().size(), "phase", "phases")
              + (phases.length() == 0 ? "" : " (" + phases + ")"));
    }
    Runs.RunExecutor threads = Runs.RunExecutor.of(executor, "breakglass-recovery-");
    Engine.Run run = new Engine.Run(threads.executor, ticker, begin, deadlineNanos,
        deadlineLabel);
    int[] order = runPlan.orderIndices();
    NodeResult[] starts = new NodeResult[order.length];
    NodeResult[] gates = new NodeResult[order.length];
    List<RecoveryReport.Phase> phases = new ArrayList<>();
    Tier failedPhase = null;
    String failure = "";
    String notStarted = "";
    try {
      for (Tier tier : TIERS) {
        int from = runPlan.phaseStart(tier.ordinal());
        int to = runPlan.phaseStart(tier.ordinal() + 1);
        if (from == to) {
          continue;
        }
        List<String> names = runPlan.components(tier);
        if (failedPhase == null && stoppedBy != null && stoppedBy.isShutdown()) {
          failedPhase = tier; // a shutdown began between two phases: start nothing more
          failure = SHUTDOWN_BEGAN;
          notStarted = "not started: " + SHUTDOWN_BEGAN;
          record("recovery", "phase-failed", tier + ": " + SHUTDOWN_BEGAN);
        }
        if (failedPhase != null) {
          for (int i = from; i < to; i++) {
            starts[i] = NodeResult.skipped(order[i], notStarted);
          }
          phases.add(new RecoveryReport.Phase(tier, false, false, "", null, null, names));
          continue;
        }
        long phaseBegin = ticker.read();
        record("recovery", "phase", tier + ": starting "
            + Texts.plural(to - from, "component", "components"));
        StartSpec startSpec = new StartSpec(runPlan, tier, stoppedBy);
        Engine starting = new Engine(new Engine.Slice(graph, Engine.Direction.DEPENDENCIES_FIRST,
            order, from, to, runPlan.positions()), run, startSpec);
        NodeResult[] started = starting.run();
        System.arraycopy(started, 0, starts, from, started.length);
        // a shutdown that ended the phase is the reason, whatever it made of the components
        String reason = starting.cancelled() != null ? starting.cancelled()
            : startFailure(started);
        if (reason == null) {
          long gateDeadline = ticker.read() + DurationFormat.saturatedNanos(healthTimeout);
          Engine gate = new Engine(
              new Engine.Slice(graph, Engine.Direction.NONE, order, from, to, runPlan.positions()),
              run, new GateSpec(gateDeadline, stoppedBy));
          NodeResult[] gated = gate.run();
          System.arraycopy(gated, 0, gates, from, gated.length);
          reason = gate.cancelled() != null ? gate.cancelled() : gateFailure(gated);
        }
        long phaseEnd = ticker.read();
        Duration phaseStart = Duration.ofNanos(phaseBegin - begin);
        Duration phaseDuration = Duration.ofNanos(phaseEnd - phaseBegin);
        if (reason == null) {
          phases.add(new RecoveryReport.Phase(
              tier, true, true, "", phaseStart, phaseDuration, names));
          record("recovery", "phase-passed",
              tier + " in " + DurationFormat.format(phaseDuration));
        } else {
          failedPhase = tier;
          failure = reason;
          notStarted = reason.equals(SHUTDOWN_BEGAN) ? "not started: " + SHUTDOWN_BEGAN
              : "not started: phase " + tier + " failed";
          phases.add(new RecoveryReport.Phase(
              tier, true, false, reason, phaseStart, phaseDuration, names));
          record("recovery", "phase-failed", tier + ": " + reason);
        }
      }
    } finally {
      threads.close();
      if (stoppedBy != null) {
        for (NodeResult start : starts) {
          if (start != null && start.ran()) {
            stoppedBy.markRunning(start.node());
          }
        }
      }
    }
    List<ComponentReport> reports = new ArrayList<>(order.length);
    for (int i = 0; i < order.length; i++) {
      reports.add(merge(runPlan, starts[i], gates[i], failedPhase));
    }
    RecoveryReport report = new RecoveryReport(runPlan, startedAt, deadline,
        Duration.ofNanos(ticker.read() - begin), reports, phases, failedPhase, failure);
    record("recovery", report.succeeded() ? "done" : "stopped", report.summary());
    return report;
  }

  /** Why the starts of a phase failed, or null if every start returned normally. */
  private @Nullable String startFailure(NodeResult[] started) {
    for (NodeResult result : started) {
      String name = graph.componentAt(result.node()).name();
      if (result.outcome() == Outcome.FAILED) {
        return name + " failed to start: " + result.detail();
      }
      if (result.outcome() == Outcome.TIMED_OUT) {
        return name + " timed out starting: " + result.detail();
      }
    }
    for (NodeResult result : started) {
      if (result.outcome() == Outcome.SKIPPED) {
        return graph.componentAt(result.node()).name() + " not started: " + result.detail();
      }
    }
    return null;
  }

  /** Why the health gate failed, or null if every component passed it. */
  private @Nullable String gateFailure(NodeResult[] gated) {
    String first = null;
    int failed = 0;
    for (NodeResult result : gated) {
      if (result.outcome() != Outcome.STARTED) {
        failed++;
        if (first == null) {
          first = graph.componentAt(result.node()).name() + " not healthy: " + result.detail();
        }
      }
    }
    if (first == null) {
      return null;
    }
    return failed == 1 ? first : first + " (and " + (failed - 1) + " more)";
  }

  private ComponentReport merge(RecoveryPlan runPlan, NodeResult start,
      @Nullable NodeResult gate, @Nullable Tier failedPhase) {
    int node = start.node();
    Component c = graph.componentAt(node);
    Tier phase = graph.effectiveTierAt(node);
    int wave = runPlan.waveAt(node);
    if (start.outcome() != Outcome.STARTED || gate == null) {
      String detail = start.detail();
      if (start.outcome() == Outcome.STARTED && phase == failedPhase) {
        detail = "started, but its health was not checked: the phase failed";
      }
      return new ComponentReport(c.name(), c.tier(), phase, wave, start.outcome(), start.start(),
          start.end(), start.steps(), start.failure(), detail, null);
    }
    List<StepReport> steps = new ArrayList<>(start.steps().size() + gate.steps().size());
    steps.addAll(start.steps());
    steps.addAll(gate.steps());
    Outcome outcome = gate.outcome() == Outcome.STARTED ? Outcome.STARTED : Outcome.UNHEALTHY;
    String detail = outcome == Outcome.STARTED ? "" : gate.detail(); // the journal has the rest
    if (gate.outcome() == Outcome.SKIPPED || gate.outcome() == Outcome.FAILED) {
      detail = "health not checked: " + detail;
    }
    Throwable failure = start.failure() != null ? start.failure() : gate.failure();
    return new ComponentReport(c.name(), c.tier(), phase, wave, outcome, start.start(),
        gate.steps().isEmpty() || gate.end() == null ? start.end() : gate.end(), steps, failure, detail,
        gate.health());
  }

  private void record(String source, String kind, String detail) {
    Runs.record(journal, source, kind, detail);
  }

  /**
   * What the engines of a recovery share: nothing is skipped, and a run that hands its
   * components back to a shutdown sequencer ends once that sequencer's shutdown begins.
   */
  private abstract class PhaseSpec implements Engine.Callbacks {
    private final @Nullable ShutdownSequencer stoppedBy;

    PhaseSpec(@Nullable ShutdownSequencer stoppedBy) {
      this.stoppedBy = stoppedBy;
    }

    @Override
    public Object[] stepOwners() {
      // a recovery that hands back to stoppedBy holds its run lock: its shutdown() and
      // isolate() would wait for this run, which waits for the step
      return stoppedBy == null ? new Object[] {RecoverySequencer.this}
          : new Object[] {RecoverySequencer.this, stoppedBy};
    }

    @Override
    public @Nullable String cancelReason() {
      return stoppedBy != null && stoppedBy.isShutdown() ? SHUTDOWN_BEGAN : null;
    }

    @Override
    public boolean cancellable() {
      return stoppedBy != null;
    }

    @Override
    public @Nullable String skipReason(int node) {
      return null;
    }
  }

  /** Start steps in dependency order, halting on the first failure. */
  private final class StartSpec extends PhaseSpec {
    private final RecoveryPlan runPlan;
    private final Tier phase;
    private @Nullable NodeResult lastFailure;

    StartSpec(RecoveryPlan runPlan, Tier phase, @Nullable ShutdownSequencer stoppedBy) {
      super(stoppedBy);
      this.runPlan = runPlan;
      this.phase = phase;
    }

    @Override
    public Job newJob(int node) {
      Step start = graph.componentAt(node).start();
      return start == null
          ? Job.trivial(node, ticker, Outcome.STARTED)
          : new StepsJob(node, ticker, new StepKind[] {StepKind.START},
              new Step[] {start}, Outcome.STARTED, journalStart(node));
    }

    @Override
    public long budgetNanos(int node, long startNanos, long remainingNanos) {
      Duration own = graph.componentAt(node).startTimeout();
      if (own == null) {
        own = startTimeout;
      }
      return own == null ? Long.MAX_VALUE : DurationFormat.saturatedNanos(own);
    }

    @Override
    public String budgetLabel(int node, long budgetNanos) {
      return "start timeout " + DurationFormat.format(budgetNanos);
    }

    @Override
    public boolean haltsOnFailure() {
      return true;
    }

    @Override
    public String haltReason(int culprit) {
      NodeResult failed = lastFailure;
      String what = failed != null && failed.outcome() == Outcome.TIMED_OUT
          ? " timed out starting" : " failed to start";
      return "not started: " + graph.componentAt(culprit).name() + what;
    }

    @Override
    public void onBegin(int node, long budgetNanos) {
      // the "start" entry is written by the job itself, before its step (see journalStart)
    }

    private @Nullable Runnable journalStart(int node) {
      IncidentJournal journal = RecoverySequencer.this.journal;
      if (journal == null) {
        return null;
      }
      String name = graph.componentAt(node).name();
      String detail = "phase " + phase + ", wave " + runPlan.waveAt(node);
      return () -> journal.record(name, "start", detail);
    }

    @Override
    public void onEnd(int node, NodeResult result) {
      if (result.outcome() == Outcome.FAILED || result.outcome() == Outcome.TIMED_OUT) {
        lastFailure = result;
      }
      if (journal != null) {
        Runs.recordOutcome(journal, graph.componentAt(node).name(), result, "started",
            result.steps().isEmpty() ? "no start step" : Texts.steps(result.steps()));
      }
    }
  }

  /** Health checks of the components a phase started, in parallel, until the gate's deadline. */
  private final class GateSpec extends PhaseSpec {
    private final long gateDeadline;
    private final @Nullable HealthJob[] lastChecks = new HealthJob[graph.size()];

    GateSpec(long gateDeadline, @Nullable ShutdownSequencer stoppedBy) {
      super(stoppedBy);
      this.gateDeadline = gateDeadline;
    }

    @Override
    public Job newJob(int node) {
      HealthCheck check = graph.componentAt(node).healthCheck();
      if (check == null) {
        return Job.trivial(node, ticker, Outcome.STARTED);
      }
      HealthJob job = new HealthJob(node, ticker, check, gateDeadline,
          DurationFormat.saturatedNanos(healthCheckInterval), acceptDegraded,
          "health timeout " + DurationFormat.format(healthTimeout), lastChecks[node]);
      lastChecks[node] = job;
      return job;
    }

    @Override
    public long budgetNanos(int node, long startNanos, long remainingNanos) {
      // a check that returns on time reports its last health itself; only a hung check is
      // abandoned, one interval after the gate's deadline
      return Math.max(0L, gateDeadline - startNanos) + DurationFormat.saturatedNanos(healthCheckInterval);
    }

    @Override
    public String budgetLabel(int node, long budgetNanos) {
      return "health timeout " + DurationFormat.format(healthTimeout);
    }

    @Override
    public void onBegin(int node, long budgetNanos) {}

    @Override
    public void onEnd(int node, NodeResult result) {
      IncidentJournal journal = RecoverySequencer.this.journal;
      if (journal == null || graph.componentAt(node).healthCheck() == null) {
        return;
      }
      journal.record(graph.componentAt(node).name(),
          result.outcome() == Outcome.STARTED ? "healthy" : "unhealthy", result.detail());
    }
  }

  /**
   * One call of a component's health check. A check that does not report healthy before the
   * gate's deadline asks to run again one interval after it began (at once if it took longer),
   * so the coordinator polls on the ticker's time and no thread sleeps; each check carries on
   * the count, start and last results of the checks before it. A check that is interrupted or
   * throws a VirtualMachineError is not called again: the component is reported unhealthy,
   * with that exception.
   */
  static final class HealthJob extends Job {
    private static final StepKind[] KINDS = {StepKind.HEALTH_CHECK};

    private final HealthCheck check;
    private final long gateDeadline;
    private final long intervalNanos;
    private final boolean acceptDegraded;
    private final String timeoutLabel;
    private final boolean continued;
    private volatile @Nullable Health lastHealth;
    private int checks;
    private @Nullable Throwable lastFailure;
    private boolean healthy;

    /** The first check of a gate ({@code previous} null) or the next one after it. */
    HealthJob(int node, Ticker ticker, HealthCheck check, long gateDeadline, long intervalNanos,
        boolean acceptDegraded, String timeoutLabel, @Nullable HealthJob previous) {
      super(node, ticker, KINDS);
      this.check = check;
      this.gateDeadline = gateDeadline;
      this.intervalNanos = intervalNanos;
      this.acceptDegraded = acceptDegraded;
      this.timeoutLabel = timeoutLabel;
      this.continued = previous != null;
      if (previous != null) {
        stepStarts[0] = previous.stepStarts[0];
        carried = 1;
        checks = previous.checks;
        lastHealth = previous.lastHealth;
        lastFailure = previous.lastFailure;
      }
    }

    @Override
    void body() {
      long checkStart = ticker.read();
      if (!beginStep(0, continued ? stepStarts[0] : checkStart)) {
        return; // abandoned
      }
      checks++;
      boolean again = true;
      Throwable thrown = null;
      try {
        Health health = check.check();
        if (health == null) {
          throw new NullPointerException("the health check returned null");
        }
        lastHealth = health;
        healthy = health == Health.UP || (acceptDegraded && health == Health.DEGRADED);
      } catch (Throwable t) {
        thrown = t;
        lastFailure = t;
        // interrupted, or a VirtualMachineError: no further check
        again = !(t instanceof InterruptedException || t instanceof VirtualMachineError);
      }
      long end = ticker.read();
      if (again && !healthy && end - gateDeadline < 0) { // decided before the end is published
        long next = checkStart + intervalNanos;
        runAgainAt(next - gateDeadline > 0 ? gateDeadline : next);
      }
      endStep(0, healthy ? null : lastFailure, end);
      if (thrown instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    Outcome outcome() {
      return healthy ? Outcome.STARTED : Outcome.UNHEALTHY;
    }

    @Override
    Outcome successOutcome() {
      return Outcome.STARTED;
    }

    @Override
    @Nullable Throwable failure() {
      return healthy ? null : lastFailure;
    }

    @Override
    String detail() {
      Health health = lastHealth;
      String took = DurationFormat.format(endNanos - stepStarts[0]);
      String tries = Texts.plural(checks, "check", "checks");
      if (healthy) {
        return health + " after " + tries + " in " + took;
      }
      Throwable failure = lastFailure;
      return (health == null ? "no health reported" : health.toString()) + " after " + tries
          + " in " + took + " (" + timeoutLabel + ")"
          + (failure == null ? "" : "; last check threw " + Job.cause(failure));
    }

    @Override
    @Nullable Health health() {
      return lastHealth;
    }
  }

  /**
   * Builds a {@link RecoverySequencer}. Not thread-safe; reusable: each {@link #build()}
   * creates an independent sequencer.
   */
  public static final class Builder {
    private final DependencyGraph graph;
    // null: not set, the default applies (adapted to what was set, see build())
    private @Nullable Duration deadline;
    private @Nullable Duration startTimeout;
    private @Nullable Duration healthTimeout;
    private @Nullable Duration healthCheckInterval;
    private boolean acceptDegraded;
    private @Nullable Executor executor;
    private Ticker ticker = Ticker.system();
    private InstantSource clock = Clock.systemUTC();
    private @Nullable IncidentJournal journal;

    private Builder(DependencyGraph graph) {
      this.graph = Objects.requireNonNull(graph, "graph");
    }

    /**
     * Sets the overall deadline of a run, counted from the call to {@link #recover()}.
     *
     * @param deadline the deadline, positive; 5 minutes by default
     * @return this builder
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalArgumentException if {@code deadline} is zero or negative
     */
    public Builder deadline(Duration deadline) {
      this.deadline = Component.Builder.requirePositive(deadline, "deadline");
      return this;
    }

    /**
     * Sets how long a start step may take, for components without a {@link
     * Component.Builder#startTimeout(Duration) start timeout} of their own. Without it, only
     * the deadline bounds them.
     *
     * @param timeout the start timeout, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Component.Builder.requirePositive(timeout, "startTimeout");
      return this;
    }

    /**
     * Sets how long a phase's health gate waits for the components it started to be
     * healthy, counted from the moment the last start of the phase returned.
     *
     * @param timeout the health timeout, positive, shorter than the deadline; by default 30 s,
     *     or half the deadline if that is shorter
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder healthTimeout(Duration timeout) {
      this.healthTimeout = Component.Builder.requirePositive(timeout, "healthTimeout");
      return this;
    }

    /**
     * Sets how often a health check that did not report healthy is called again: each call
     * begins one interval after the previous one began, or at once if that one took longer.
     * The interval is measured with the {@linkplain #ticker(Ticker) ticker}: with a {@code
     * ManualTicker}, the next check comes once the ticker has moved on by the interval.
     *
     * @param interval the interval, positive, shorter than the health timeout; by default
     *     200 ms, or a tenth of the health timeout if that is shorter
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     */
    public Builder healthCheckInterval(Duration interval) {
      this.healthCheckInterval =
          Component.Builder.requirePositive(interval, "healthCheckInterval");
      return this;
    }

    /**
     * Sets whether {@link Health#DEGRADED} passes a health gate. Accept it when a component's
     * health comes from a circuit breaker, which stays half-open (DEGRADED) until traffic
     * flows, and traffic may need a later phase.
     *
     * @param accept {@code true} to accept DEGRADED as well as UP; {@code false} by default
     * @return this builder
     */
    public Builder acceptDegraded(boolean accept) {
      this.acceptDegraded = accept;
      return this;
    }

    /**
     * Sets the executor that runs start steps and health checks. An executor that runs tasks
     * on the calling thread works, but then nothing runs in parallel and a hanging step cannot
     * be abandoned. A task the executor refuses runs on the calling thread. By default each run
     * uses a private pool of daemon threads, shut down when the run ends, that starts a thread
     * whenever every thread it has is busy: a start or check that hangs holds one thread and
     * never delays another.
     *
     * @param executor the executor
     * @return this builder
     * @throws NullPointerException if {@code executor} is null
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets the time source for durations, timeouts and the deadline.
     *
     * @param ticker the ticker, e.g. a {@code ManualTicker} in tests; the system ticker by
     *     default
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Sets the wall clock for the report's {@link RecoveryReport#startedAt() start time}.
     *
     * @param clock the clock; the system UTC clock by default
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the journal that records each run: the plan, phases, each component's start,
     * health and outcome, and a summary.
     *
     * @param journal the journal
     * @return this builder
     * @throws NullPointerException if {@code journal} is null
     */
    public Builder journal(IncidentJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * Creates the sequencer and computes its plan. A value left unset adapts to those that
     * were set: the health timeout is at most half the deadline, the health check interval at
     * most a tenth of the health timeout.
     *
     * @return a new sequencer
     * @throws IllegalArgumentException if the health check interval is not shorter than the
     *     health timeout, or the health timeout is not shorter than the deadline; when one of
     *     the two is a default, the message says which setter changes it
     */
    public RecoverySequencer build() {
      Duration deadline = this.deadline != null ? this.deadline : DEFAULT_DEADLINE;
      Duration healthTimeout = this.healthTimeout != null ? this.healthTimeout
          : atLeastOneNano(min(DEFAULT_HEALTH_TIMEOUT, deadline.dividedBy(2)));
      Duration interval = healthCheckInterval != null ? healthCheckInterval
          : atLeastOneNano(min(DEFAULT_HEALTH_CHECK_INTERVAL, healthTimeout.dividedBy(10)));
      if (interval.compareTo(healthTimeout) >= 0) {
        throw new IllegalArgumentException("healthCheckInterval must be shorter than the "
            + "healthTimeout (" + Texts.setting(healthTimeout, this.healthTimeout == null,
                "healthTimeout") + "), was "
            + Texts.setting(interval, healthCheckInterval == null, "healthCheckInterval"));
      }
      if (healthTimeout.compareTo(deadline) >= 0) {
        throw new IllegalArgumentException("healthTimeout must be shorter than the deadline ("
            + Texts.setting(deadline, this.deadline == null, "deadline") + "), was "
            + Texts.setting(healthTimeout, this.healthTimeout == null, "healthTimeout"));
      }
      return new RecoverySequencer(this, deadline, healthTimeout, interval);
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration atLeastOneNano(Duration duration) {
      return duration.isZero() ? Duration.ofNanos(1) : duration;
    }
  }
}
