package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.DurationFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One run of a {@link RecoverySequencer}: its plan's phases in order, each a {@link PhaseStart}
 * engine and, if every start returned, a {@link HealthGate} engine, until a phase fails; then
 * the report, each component's start and health merged into one {@link ComponentReport}.
 *
 * <p>Not thread-safe: confined to the coordinating thread, which holds the recovery sequencer's
 * run lock (and the {@link HandBack}, if any) for the whole run.
 */
final class RecoveryRun {

  private static final Tier[] TIERS = Tier.values();
  private static final String SOURCE = RunKind.RECOVERY.label();

  private final RecoverySequencer owner;
  private final RunSettings settings;
  private final RecoveryPlan plan;
  private final long begin;
  private final @Nullable HandBack handBack;

  RecoveryRun(RecoverySequencer owner, RunSettings settings, RecoveryPlan plan, long begin,
      @Nullable HandBack handBack) {
    this.owner = owner;
    this.settings = settings;
    this.plan = plan;
    this.begin = begin;
    this.handBack = handBack;
  }

  RecoveryReport run() {
    Instant startedAt = settings.clock().instant();
    Duration deadline = settings.deadline();
    RunJournal journal = settings.journal();
    DependencyGraph graph = settings.graph();
    if (journal.isOn()) {
      StringBuilder phases = new StringBuilder();
      for (Tier tier : plan.phases()) {
        phases.append(phases.length() == 0 ? "" : ", ").append(tier).append(' ')
            .append(plan.components(tier).size());
      }
      String isolated = plan.isolated();
      journal.record(SOURCE, isolated == null ? "plan" : "recover-isolated",
          (isolated == null ? "" : isolated + " and its dependents: ")
              + TextLayout.plural(plan.size(), "component", "components") + " in "
              + TextLayout.plural(plan.phases().size(), "phase", "phases")
              + (phases.length() == 0 ? "" : " (" + phases + ")"));
    }
    RunExecutor threads = RunExecutor.of(settings.executor(), "breakglass-recovery-");
    Engine.Run run = new Engine.Run(threads.executor(), settings.ticker(), begin,
        begin + DurationFormat.saturatedNanos(deadline),
        "the recovery deadline (" + DurationFormat.format(deadline) + ") was reached");
    int[] order = plan.orderIndices();
    NodeResult[] starts = new NodeResult[order.length];
    NodeResult[] gates = new NodeResult[order.length];
    List<RecoveryReport.Phase> phases = new ArrayList<>();
    Tier failedPhase = null;
    String failure = "";
    String notStarted = "";
    try {
      for (Tier tier : TIERS) {
        int from = plan.phaseStart(tier.ordinal());
        int to = plan.phaseStart(tier.ordinal() + 1);
        if (from == to) {
          continue;
        }
        List<String> names = plan.components(tier);
        if (failedPhase == null && handBack != null && handBack.shutdownBegan()) {
          failedPhase = tier; // a shutdown began between two phases: start nothing more
          failure = RecoverySequencer.SHUTDOWN_BEGAN;
          notStarted = "not started: " + RecoverySequencer.SHUTDOWN_BEGAN;
          journal.record(EventCategory.SIGNAL, SOURCE, "phase-failed", tier, null,
              tier + ": " + RecoverySequencer.SHUTDOWN_BEGAN);
        }
        if (failedPhase != null) {
          for (int i = from; i < to; i++) {
            starts[i] = NodeResult.skipped(order[i], notStarted);
          }
          phases.add(new RecoveryReport.Phase(tier, false, false, "", null, Duration.ZERO, names));
          continue;
        }
        long phaseBegin = settings.ticker().read();
        journal.record(SOURCE, "phase", tier + ": starting "
            + TextLayout.plural(to - from, "component", "components"));
        Engine starting = new Engine(
            new Engine.Slice(graph, Engine.Direction.DEPENDENCIES_FIRST, order, from, to,
                plan.positions()),
            run, new PhaseStart(settings, owner, handBack, plan, tier, owner.startTimeout()));
        NodeResult[] started = starting.run();
        System.arraycopy(started, 0, starts, from, started.length);
        // a shutdown that ended the phase is the reason, whatever it made of the components
        String reason = starting.cancelled() != null ? starting.cancelled()
            : startFailure(started);
        if (reason == null) {
          long gateDeadline = settings.ticker().read()
              + DurationFormat.saturatedNanos(owner.healthTimeout());
          Engine gate = new Engine(
              new Engine.Slice(graph, Engine.Direction.NONE, order, from, to, plan.positions()),
              run, new HealthGate(settings, owner, handBack, gateDeadline, owner.healthTimeout(),
                  owner.healthCheckInterval(), owner.acceptsDegraded()));
          NodeResult[] gated = gate.run();
          System.arraycopy(gated, 0, gates, from, gated.length);
          reason = gate.cancelled() != null ? gate.cancelled() : gateFailure(gated);
        }
        long phaseEnd = settings.ticker().read();
        Duration phaseStart = Duration.ofNanos(phaseBegin - begin);
        Duration phaseDuration = Duration.ofNanos(phaseEnd - phaseBegin);
        if (reason == null) {
          phases.add(new RecoveryReport.Phase(
              tier, true, true, "", phaseStart, phaseDuration, names));
          journal.record(EventCategory.RECOVERY, SOURCE, "phase-passed", tier, null,
              tier + " in " + DurationFormat.format(phaseDuration));
        } else {
          failedPhase = tier;
          failure = reason;
          notStarted = reason.equals(RecoverySequencer.SHUTDOWN_BEGAN)
              ? "not started: " + RecoverySequencer.SHUTDOWN_BEGAN
              : "not started: phase " + tier + " failed";
          phases.add(new RecoveryReport.Phase(
              tier, true, false, reason, phaseStart, phaseDuration, names));
          journal.record(EventCategory.SIGNAL, SOURCE, "phase-failed", tier, null,
              tier + ": " + reason);
        }
      }
    } finally {
      threads.close();
      if (handBack != null) {
        for (NodeResult start : starts) {
          if (start != null && start.ran()) {
            handBack.markRunning(start.node());
          }
        }
      }
    }
    List<ComponentReport> reports = new ArrayList<>(order.length);
    for (int i = 0; i < order.length; i++) {
      reports.add(merge(starts[i], gates[i], failedPhase));
    }
    RecoveryReport report = new RecoveryReport(plan, startedAt, deadline,
        Duration.ofNanos(settings.ticker().read() - begin), reports, phases, failedPhase, failure);
    journal.record(report.succeeded() ? EventCategory.RECOVERY : EventCategory.SIGNAL, SOURCE,
        report.succeeded() ? "done" : "stopped", null, null, report.summary());
    RunFlightEvent.recovery(report);
    return report;
  }

  /** Why the starts of a phase failed, or null if every start returned normally. */
  private @Nullable String startFailure(NodeResult[] started) {
    DependencyGraph graph = settings.graph();
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
          first = settings.graph().componentAt(result.node()).name() + " not healthy: "
              + result.detail();
        }
      }
    }
    if (first == null) {
      return null;
    }
    return failed == 1 ? first : first + " (and " + (failed - 1) + " more)";
  }

  /** One report of a component's start and, if it was checked, its health gate. */
  private ComponentReport merge(NodeResult start, @Nullable NodeResult gate,
      @Nullable Tier failedPhase) {
    DependencyGraph graph = settings.graph();
    int node = start.node();
    Component c = graph.componentAt(node);
    Tier phase = graph.effectiveTierAt(node);
    int wave = plan.waveAt(node);
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
        gate.steps().isEmpty() || gate.end() == null ? start.end() : gate.end(), steps,
        failure, detail, gate.health());
  }
}
