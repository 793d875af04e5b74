package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.Health;
import dev.breakglass.core.internal.DurationFormat;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The health gate of one recovery phase: the health checks of the components the phase
 * started, in parallel, each polled on the ticker until it reports healthy ({@link Health#UP},
 * or {@link Health#DEGRADED} if accepted) or the gate's deadline passes. A component without a
 * check passes at once.
 *
 * <p>Not thread-safe: confined to the coordinating thread.
 */
final class HealthGate extends PhaseCallbacks {

  /*
   * Design: each check is a HealthCheckJob of one step. One that is not healthy before the
   * gate's deadline asks the engine to run the node again one interval after it began; the
   * engine sleeps the node on a timer and asks newJob() for the next check, which carries on
   * the count, start and last results of the one before (lastChecks). So polling follows the
   * ticker and no executor thread sleeps. Only a hung check is abandoned: its budget ends one
   * interval after the gate's deadline.
   */

  private final long gateDeadline;
  private final Duration healthTimeout;
  private final long intervalNanos;
  private final boolean acceptDegraded;
  private final @Nullable HealthCheckJob[] lastChecks;

  /**
   * @param gateDeadline the ticker reading at which the gate fails: the health timeout after
   *     the phase's last start returned
   */
  HealthGate(RunSettings settings, RecoverySequencer recovery, @Nullable HandBack handBack,
      long gateDeadline, Duration healthTimeout, Duration interval, boolean acceptDegraded) {
    super(settings, recovery, handBack);
    this.gateDeadline = gateDeadline;
    this.healthTimeout = healthTimeout;
    this.intervalNanos = DurationFormat.saturatedNanos(interval);
    this.acceptDegraded = acceptDegraded;
    this.lastChecks = new HealthCheckJob[settings.graph().size()];
  }

  @Override
  public Job newJob(int node) {
    HealthCheck check = settings.graph().componentAt(node).healthCheck();
    if (check == null) {
      return Job.trivial(node, settings.ticker(), Outcome.STARTED);
    }
    HealthCheckJob job = new HealthCheckJob(node, settings.ticker(), check, gateDeadline,
        intervalNanos, acceptDegraded, budgetLabel(node, 0L), lastChecks[node]);
    lastChecks[node] = job;
    return job;
  }

  @Override
  public long budgetNanos(int node, long startNanos, long remainingNanos) {
    // a check that returns on time reports its last health itself; only a hung check is
    // abandoned, one interval after the gate's deadline
    return Math.max(0L, gateDeadline - startNanos) + intervalNanos;
  }

  @Override
  public String budgetLabel(int node, long budgetNanos) {
    return "health timeout " + DurationFormat.format(healthTimeout);
  }

  @Override
  public void onEnd(int node, NodeResult result) {
    StepFlightEvent.recovery(settings.graph().componentAt(node), result);
    RunJournal journal = settings.journal();
    if (journal.isOn() && settings.graph().componentAt(node).healthCheck() != null) {
      boolean healthy = result.outcome() == Outcome.STARTED;
      journal.record(healthy ? EventCategory.RECOVERY : EventCategory.SIGNAL,
          settings.graph().componentAt(node).name(), healthy ? "healthy" : "unhealthy", null,
          healthy ? Health.UP : Health.DOWN, result.detail());
    }
  }
}
