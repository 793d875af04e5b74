package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.DurationFormat;
import java.time.Duration;
import java.util.Objects;
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
   * Design: the plan is computed once in the builder (RecoveryPlan, O(V + E)). A run is a
   * RecoveryRun that walks the phases in order; for each, one Engine runs the start steps in
   * dependency order (PhaseStart, halting on the first failure) and, if they all returned, a
   * second Engine runs the health checks in parallel (HealthGate), polling on the ticker so
   * that no executor thread sleeps. Both engines run on the calling thread; runs are
   * serialized by a ReentrantLock taken with tryLock, so a concurrent recover() fails fast
   * instead of queueing behind a long recovery. recoverIsolated(ShutdownSequencer, name) also
   * opens a HandBack to the shutdown sequencer, which holds that sequencer's run lock and lets
   * a shutdown that begins meanwhile end the recovery within one engine slice; the report's
   * reason is then SHUTDOWN_BEGAN, whatever the cancellation made of the components under way.
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

  private final RunSettings settings;
  private final RecoveryPlan plan;
  private final @Nullable Duration startTimeout;
  private final Duration healthTimeout;
  private final Duration healthCheckInterval;
  private final boolean acceptDegraded;
  private final ReentrantLock runLock = new ReentrantLock();

  private RecoverySequencer(RunSettings settings, @Nullable Duration startTimeout,
      Duration healthTimeout, Duration healthCheckInterval, boolean acceptDegraded) {
    this.settings = settings;
    this.plan = RecoveryPlan.of(settings.graph());
    this.startTimeout = startTimeout;
    this.healthTimeout = healthTimeout;
    this.healthCheckInterval = healthCheckInterval;
    this.acceptDegraded = acceptDegraded;
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
    return settings.graph();
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
    return run(RecoveryPlan.isolating(settings.graph(), name), null);
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
    if (stoppedBy.graph() != settings.graph()) {
      throw new IllegalArgumentException("stoppedBy must stop this sequencer's graph, was "
          + stoppedBy + " of another graph");
    }
    return run(RecoveryPlan.isolating(settings.graph(), name), stoppedBy);
  }

  @Override
  public String toString() {
    return "RecoverySequencer[" + plan + ", deadline "
        + DurationFormat.format(settings.deadline()) + "]";
  }

  // ---- a run ----

  private RecoveryReport run(RecoveryPlan runPlan, @Nullable ShutdownSequencer stoppedBy) {
    long begin = settings.ticker().read();
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
        return new RecoveryRun(this, settings, runPlan, begin, null).run();
      }
      try (HandBack handBack = stoppedBy.handBack(Objects.requireNonNull(runPlan.isolated()))) {
        return new RecoveryRun(this, settings, runPlan, begin, handBack).run();
      }
    } finally {
      runLock.unlock();
    }
  }

  @Nullable Duration startTimeout() {
    return startTimeout;
  }

  Duration healthTimeout() {
    return healthTimeout;
  }

  Duration healthCheckInterval() {
    return healthCheckInterval;
  }

  boolean acceptsDegraded() {
    return acceptDegraded;
  }

  /**
   * Builds a {@link RecoverySequencer}: the settings every sequencer has (see {@link
   * SequencerBuilder}), the default start timeout and the health gates. Not thread-safe;
   * reusable: each {@link #build()} creates an independent sequencer.
   */
  public static final class Builder extends SequencerBuilder<Builder> {
    // null: not set, the default applies (adapted to what was set, see build())
    private @Nullable Duration startTimeout;
    private @Nullable Duration healthTimeout;
    private @Nullable Duration healthCheckInterval;
    private boolean acceptDegraded;

    private Builder(DependencyGraph graph) {
      super(graph);
    }

    @Override
    Builder self() {
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
      Duration set = deadlineSet();
      Duration deadline = set != null ? set : DEFAULT_DEADLINE;
      Duration healthTimeout = this.healthTimeout != null ? this.healthTimeout
          : atLeastOneNano(min(DEFAULT_HEALTH_TIMEOUT, deadline.dividedBy(2)));
      Duration interval = healthCheckInterval != null ? healthCheckInterval
          : atLeastOneNano(min(DEFAULT_HEALTH_CHECK_INTERVAL, healthTimeout.dividedBy(10)));
      if (interval.compareTo(healthTimeout) >= 0) {
        throw new IllegalArgumentException("healthCheckInterval must be shorter than the "
            + "healthTimeout (" + setting(healthTimeout, this.healthTimeout == null,
                "healthTimeout") + "), was "
            + setting(interval, healthCheckInterval == null, "healthCheckInterval"));
      }
      if (healthTimeout.compareTo(deadline) >= 0) {
        throw new IllegalArgumentException("healthTimeout must be shorter than the deadline ("
            + setting(deadline, set == null, "deadline") + "), was "
            + setting(healthTimeout, this.healthTimeout == null, "healthTimeout"));
      }
      return new RecoverySequencer(settings(deadline), startTimeout, healthTimeout, interval,
          acceptDegraded);
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration atLeastOneNano(Duration duration) {
      return duration.isZero() ? Duration.ofNanos(1) : duration;
    }
  }
}
