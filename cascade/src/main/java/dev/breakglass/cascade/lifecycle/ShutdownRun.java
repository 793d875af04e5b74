package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.internal.DurationFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One run of a {@link ShutdownSequencer}: a shutdown or an isolation, following its plan on an
 * {@link Engine} in the dependents-first direction, and the shutdown's side of the engine's
 * {@link Engine.Callbacks callbacks}: stop steps, budgets, journal entries, the report.
 *
 * <p>Not thread-safe: confined to the coordinating thread, which holds the sequencer's run
 * lock for the whole run.
 */
final class ShutdownRun implements Engine.Callbacks {

  /*
   * Design: a component's budget is its own stop timeout, else the sequencer's component
   * timeout, else a fair share of the time left when it begins: the remaining time divided by
   * one plus the number of components with stop steps that must still stop after it on its
   * longest chain of dependencies (stopsBelow, one pass over the graph's topological order).
   * The ticker is read for the journal's budget figures only when a journal records them.
   */

  private final ShutdownSequencer owner;
  private final RunSettings settings;
  private final @Nullable Duration componentTimeout;
  /** By graph index: stopped by an earlier run; guarded by the owner's run lock. */
  private final boolean[] stopped;
  private final ShutdownPlan plan;
  private final long begin;
  private final int[] stopsBelow;
  private final long[] budgets;

  ShutdownRun(ShutdownSequencer owner, RunSettings settings, @Nullable Duration componentTimeout,
      boolean[] stopped, ShutdownPlan plan, long begin) {
    this.owner = owner;
    this.settings = settings;
    this.componentTimeout = componentTimeout;
    this.stopped = stopped;
    this.plan = plan;
    this.begin = begin;
    this.stopsBelow = stopsBelow(settings.graph(), plan.positions());
    this.budgets = new long[settings.graph().size()];
  }

  /**
   * The report of a run that never began: every component skipped for {@code reason} (another
   * run held the sequencer until the deadline, say).
   */
  static ShutdownReport skipped(RunSettings settings, ShutdownPlan plan, long begin,
      String reason) {
    Instant startedAt = settings.clock().instant();
    List<ComponentReport> reports = new ArrayList<>(plan.size());
    for (int node : plan.orderIndices()) {
      reports.add(report(settings.graph(), plan, NodeResult.skipped(node, reason)));
    }
    return finish(settings, plan, startedAt, begin, reports);
  }

  /** Runs the plan until {@code deadlineNanos}, a reading of the ticker. Run lock held. */
  ShutdownReport run(long deadlineNanos) {
    Instant startedAt = settings.clock().instant();
    RunJournal journal = settings.journal();
    Duration deadline = settings.deadline();
    if (journal.isOn()) {
      String isolated = plan.isolated();
      String components = TextLayout.plural(plan.size(), "component", "components");
      journal.record(isolated == null ? EventCategory.INFO : EventCategory.MITIGATION,
          RunKind.SHUTDOWN.label(), isolated == null ? "plan" : "isolate", null, null,
          (isolated == null ? components : "isolating " + isolated + ": " + components)
              + " in " + TextLayout.plural(plan.waveCount(), "wave", "waves") + ", deadline "
              + DurationFormat.format(deadline));
    }
    NodeResult[] results;
    try (RunExecutor executor = RunExecutor.of(settings.executor(), "breakglass-shutdown-")) {
      results = new Engine(
          new Engine.Slice(settings.graph(), Engine.Direction.DEPENDENTS_FIRST,
              plan.orderIndices(), 0, plan.size(), plan.positions()),
          new Engine.Run(executor.executor(), settings.ticker(), begin, deadlineNanos,
              "the shutdown deadline (" + DurationFormat.format(deadline) + ") was reached"),
          this).run();
    }
    List<ComponentReport> reports = new ArrayList<>(results.length);
    for (NodeResult result : results) {
      if (result.ran()) { // a step began: never run its stop steps again
        stopped[result.node()] = true;
      }
      reports.add(report(settings.graph(), plan, result));
    }
    return finish(settings, plan, startedAt, begin, reports);
  }

  private static ShutdownReport finish(RunSettings settings, ShutdownPlan plan,
      Instant startedAt, long begin, List<ComponentReport> reports) {
    ShutdownReport report = new ShutdownReport(plan, startedAt, settings.deadline(),
        Duration.ofNanos(settings.ticker().read() - begin), reports);
    settings.journal().record(RunKind.SHUTDOWN.label(), "done", report.summary());
    RunFlightEvent.shutdown(report);
    return report;
  }

  private static ComponentReport report(DependencyGraph graph, ShutdownPlan plan,
      NodeResult result) {
    Component c = graph.componentAt(result.node());
    return new ComponentReport(c.name(), c.tier(), graph.effectiveTierAt(result.node()),
        plan.waveAt(result.node()), result.outcome(), result.start(), result.end(),
        result.steps(), result.failure(), result.detail(), null);
  }

  /**
   * For each member of a run (position >= 0), how many members with stop steps must still stop
   * after it along its longest chain of dependencies: the divisor of its fair share. One pass
   * over the graph's topological order, dependencies first: O(V + E).
   */
  static int[] stopsBelow(DependencyGraph graph, int[] positions) {
    int[] topo = graph.dependentsFirstOrder();
    int[] below = new int[positions.length];
    int[] chain = new int[positions.length]; // below[v], plus one if v has stop steps
    for (int i = topo.length - 1; i >= 0; i--) {
      int v = topo[i];
      if (positions[v] < 0) {
        continue;
      }
      int h = 0;
      for (int d : graph.dependencyIndices(v)) {
        if (positions[d] >= 0 && chain[d] > h) {
          h = chain[d];
        }
      }
      below[v] = h;
      chain[v] = graph.componentAt(v).stopSteps().length > 0 ? h + 1 : h;
    }
    return below;
  }

  // ---- Engine.Callbacks ----

  @Override
  public Object[] stepOwners() {
    return new Object[] {owner};
  }

  @Override
  public Job newJob(int node) {
    DependencyGraph graph = settings.graph();
    int dependents = 0;
    if (settings.journal().isOn()) {
      for (int d : graph.dependentIndices(node)) {
        dependents += plan.positions()[d] >= 0 ? 1 : 0;
      }
    }
    return new StopJob(node, settings.ticker(), graph.componentAt(node), settings.journal(),
        plan.waveAt(node), dependents);
  }

  @Override
  public @Nullable String skipReason(int node) {
    return stopped[node] ? ShutdownReport.ALREADY_STOPPED : null;
  }

  @Override
  public long budgetNanos(int node, long startNanos, long remainingNanos) {
    Duration own = settings.graph().componentAt(node).stopTimeout();
    if (own == null) {
      own = componentTimeout;
    }
    if (own != null) {
      return DurationFormat.saturatedNanos(own);
    }
    return remainingNanos / (stopsBelow[node] + 1L);
  }

  @Override
  public String budgetLabel(int node, long budgetNanos) {
    if (settings.graph().componentAt(node).stopTimeout() != null) {
      return "stop timeout " + DurationFormat.format(budgetNanos);
    }
    if (componentTimeout != null) {
      return "component timeout " + DurationFormat.format(budgetNanos);
    }
    return "its share of the remaining deadline, " + DurationFormat.format(budgetNanos);
  }

  @Override
  public void onBegin(int node, long budgetNanos) {
    // the "stop" entry is written by the job itself, before its first step (see StopJob);
    // the budget kept here serves only the "stopped" entry: no journal, no clock read
    if (!settings.journal().isOn()) {
      return;
    }
    long remaining = DurationFormat.saturatedNanos(settings.deadline())
        - (settings.ticker().read() - begin);
    budgets[node] = Math.min(budgetNanos, remaining);
  }

  @Override
  public void onEnd(int node, NodeResult result) {
    StepFlightEvent.shutdown(settings.graph().componentAt(node), result);
    RunJournal journal = settings.journal();
    if (journal.isOn()) {
      journal.recordOutcome(settings.graph().componentAt(node).name(), result, "stopped",
          result.steps().isEmpty()
              ? "no stop steps"
              : StepReport.describe(result.steps()) + " ("
                  + DurationFormat.format(result.durationNanos()) + " of a "
                  + DurationFormat.format(budgets[node]) + " budget)");
    }
  }
}
