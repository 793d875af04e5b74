package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.DurationFormat;
import dev.breakglass.core.internal.PlainText;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RecoverySequencer} run did: each phase, whether it passed its health gate, and
 * for each component the steps that ran, when, for how long, and how it ended. When the
 * recovery stopped, {@link #failedPhase()} and {@link #failureReason()} say where and why, and
 * {@link #started()} lists what was started and left running. {@link #toText()} renders it:
 *
 * <pre>
 * recovery at 2026-11-21T09:20:00.000Z stopped in phase CRITICAL: payment-client not healthy: DOWN after 151 checks in 30.000s (health timeout 30.000s); took 30.105s of a 5m00.000s deadline
 *   phase CRITICAL: failed after 30.105s
 *     wave 0  payment-client      CRITICAL (from STANDARD)  unhealthy  +0.000s  30.104s  start 101ms, health 30.000s
 *     wave 1  checkout            CRITICAL                  started    +0.101s  0.4ms    start 0.4ms
 *   phase ENHANCED: not run
 *     wave 0  analytics-exporter  ENHANCED                  skipped
 *   left running: payment-client, checkout
 *   details:
 *     ...
 * </pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RecoveryReport {

  private final RecoveryPlan plan;
  private final Instant startedAt;
  private final Duration deadline;
  private final Duration elapsed;
  private final ComponentReports reports;
  private final List<Phase> phases;
  private final @Nullable Tier failedPhase;
  private final String failureReason;

  RecoveryReport(RecoveryPlan plan, Instant startedAt, Duration deadline, Duration elapsed,
      List<ComponentReport> components, List<Phase> phases, @Nullable Tier failedPhase,
      String failureReason) {
    this.plan = Objects.requireNonNull(plan, "plan");
    this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    this.reports = new ComponentReports(components);
    this.phases = List.copyOf(phases);
    this.failedPhase = failedPhase;
    this.failureReason = Objects.requireNonNull(failureReason, "failureReason");
  }

  /**
   * Returns the plan the run followed.
   *
   * @return the plan
   */
  public RecoveryPlan plan() {
    return plan;
  }

  /**
   * Returns the wall-clock time at which the run began.
   *
   * @return the start time, from the sequencer's clock
   */
  public Instant startedAt() {
    return startedAt;
  }

  /**
   * Returns the overall deadline the run had.
   *
   * @return the deadline
   */
  public Duration deadline() {
    return deadline;
  }

  /**
   * Returns how long the run took.
   *
   * @return the elapsed time, measured with the sequencer's ticker
   */
  public Duration elapsed() {
    return elapsed;
  }

  /**
   * Tells whether every phase passed: every component started and is healthy.
   *
   * @return {@code true} if the recovery completed
   */
  public boolean succeeded() {
    return failedPhase == null;
  }

  /**
   * Returns the phase in which the recovery stopped.
   *
   * @return the failed phase, or null if the recovery succeeded
   */
  public @Nullable Tier failedPhase() {
    return failedPhase;
  }

  /**
   * Returns why the recovery stopped, e.g.
   * {@code "payment-client not healthy: DOWN after 151 checks in 30.000s (health timeout 30.000s)"}.
   *
   * @return the reason; empty if the recovery succeeded
   */
  public String failureReason() {
    return failureReason;
  }

  /**
   * Returns the phases of the plan, in order, with what happened in each.
   *
   * @return an immutable list
   */
  public List<Phase> phases() {
    return phases;
  }

  /**
   * Returns the report of every component of the plan, in plan order.
   *
   * @return an immutable list
   */
  public List<ComponentReport> components() {
    return reports.list;
  }

  /**
   * Returns the report of one component.
   *
   * @param name a component name
   * @return its report
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the component is not in this run's plan
   */
  public ComponentReport component(String name) {
    return reports.get(name);
  }

  /**
   * Counts the components with a given outcome.
   *
   * @param outcome an outcome
   * @return how many components of the plan ended so
   * @throws NullPointerException if {@code outcome} is null
   */
  public int count(Outcome outcome) {
    return reports.count(outcome);
  }

  /**
   * Returns the components this run started: their start step returned normally (or they
   * have none), healthy or not. They stay running whatever became of the recovery.
   *
   * @return an immutable list of names, in plan order
   */
  public List<String> started() {
    List<String> started = new ArrayList<>();
    for (ComponentReport c : reports.list) {
      if (c.outcome() == Outcome.STARTED || c.outcome() == Outcome.UNHEALTHY) {
        started.add(c.name());
      }
    }
    return List.copyOf(started);
  }

  /**
   * Renders the report for a person: a summary line, then phase by phase and wave by wave one
   * line per component (outcome, start offset, duration, steps with their durations), what was
   * left running if the recovery stopped, and the details of every component that did not
   * simply start.
   *
   * <p>Names, details and exception messages are escaped so that each stays on its line and
   * no control character reaches a terminal: a newline prints as {@code \n}, other control
   * characters (ESC among them) and lone surrogates as {@code \}{@code uXXXX} escapes, a
   * backslash as two. The accessors keep the raw text.
   *
   * @return the report as text, ending with a line break
   */
  public String toText() {
    StringBuilder out = new StringBuilder(200 + reports.list.size() * 112);
    out.append("recovery");
    String isolated = plan.isolated();
    if (isolated != null) {
      PlainText.append(out.append(" of "), isolated).append(" and its dependents");
    }
    out.append(" at ").append(startedAt.truncatedTo(ChronoUnit.MILLIS)).append(' ')
        .append(summary()).append('\n');
    String[] names = Texts.printableNames(reports.list);
    int nameWidth = 0;
    int tierWidth = 0;
    int waveWidth = 1;
    for (int k = 0; k < names.length; k++) {
      ComponentReport c = reports.list.get(k);
      nameWidth = Math.max(nameWidth, names[k].length());
      tierWidth = Math.max(tierWidth, Texts.tier(c.tier(), c.effectiveTier()).length());
      waveWidth = Math.max(waveWidth, Integer.toString(c.wave()).length());
    }
    int outcomeWidth = Texts.outcomeWidth(reports.list);
    int durationWidth = Texts.durationWidth(reports.list);
    int i = 0;
    for (Phase phase : phases) {
      out.append("  phase ").append(phase.tier()).append(": ");
      if (!phase.ran()) {
        out.append("not run");
      } else {
        out.append(phase.passed() ? "passed in " : "failed after ")
            .append(DurationFormat.format(phase.duration()));
      }
      out.append('\n');
      int wave = -1;
      for (int k = 0; k < phase.components().size(); k++, i++) {
        ComponentReport c = reports.list.get(i);
        out.append("    ");
        Texts.pad(out, c.wave() != wave ? "wave " + c.wave() : "", 5 + waveWidth);
        wave = c.wave();
        out.append("  ");
        Texts.pad(out, names[i], nameWidth);
        out.append("  ");
        Texts.pad(out, Texts.tier(c.tier(), c.effectiveTier()), tierWidth);
        out.append("  ");
        Texts.componentColumns(out, c, outcomeWidth, durationWidth);
        Texts.trimTrailing(out);
        out.append('\n');
      }
    }
    if (!succeeded()) {
      out.append("  left running: ");
      boolean any = false;
      for (int k = 0; k < names.length; k++) {
        Outcome outcome = reports.list.get(k).outcome();
        if (outcome == Outcome.STARTED || outcome == Outcome.UNHEALTHY) {
          out.append(any ? ", " : "").append(names[k]);
          any = true;
        }
      }
      out.append(any ? "" : "nothing").append('\n');
    }
    Texts.details(out, reports.list, names);
    return out.toString();
  }

  /** "completed: 6 components started in 3 phases; took ..." or "stopped in phase X: ...". */
  String summary() {
    StringBuilder out = new StringBuilder(128);
    if (succeeded()) {
      out.append("completed: ").append(Texts.plural(reports.list.size(), "component", "components"))
          .append(" started in ").append(Texts.plural(phases.size(), "phase", "phases"));
    } else {
      PlainText.append(out.append("stopped in phase ").append(failedPhase).append(": "),
          failureReason);
    }
    return out.append("; took ").append(DurationFormat.format(elapsed)).append(" of a ")
        .append(DurationFormat.format(deadline)).append(" deadline").toString();
  }

  @Override
  public String toString() {
    return "RecoveryReport[" + summary() + "]";
  }

  /**
   * One phase of a recovery run: the components of one effective tier, started and then
   * gated on health.
   *
   * <p>Immutable and thread-safe.
   */
  public static final class Phase {
    private final Tier tier;
    private final boolean ran;
    private final boolean passed;
    private final String reason;
    private final @Nullable Duration start;
    private final @Nullable Duration duration;
    private final List<String> components;

    Phase(Tier tier, boolean ran, boolean passed, String reason, @Nullable Duration start,
        @Nullable Duration duration, List<String> components) {
      this.tier = tier;
      this.ran = ran;
      this.passed = passed;
      this.reason = reason;
      this.start = start;
      this.duration = duration;
      this.components = List.copyOf(components);
    }

    /**
     * Returns the tier this phase starts.
     *
     * @return the phase's tier
     */
    public Tier tier() {
      return tier;
    }

    /**
     * Tells whether the phase ran; it does not once an earlier phase failed, or once a
     * shutdown began (see {@link RecoverySequencer#recoverIsolated(ShutdownSequencer, String)}).
     *
     * @return {@code true} if the phase ran
     */
    public boolean ran() {
      return ran;
    }

    /**
     * Tells whether the phase passed: every component started and passed the health gate.
     *
     * @return {@code true} if the phase passed
     */
    public boolean passed() {
      return passed;
    }

    /**
     * Returns why the phase failed.
     *
     * @return the reason; empty if the phase passed or did not run
     */
    public String reason() {
      return reason;
    }

    /**
     * Returns when the phase began, measured from the start of the run.
     *
     * @return the offset, or null if the phase did not run
     */
    public @Nullable Duration start() {
      return start;
    }

    /**
     * Returns how long the phase took, health gate included.
     *
     * @return the duration; zero if the phase did not run
     */
    public Duration duration() {
      return duration == null ? Duration.ZERO : duration;
    }

    /**
     * Returns the components of the phase, in start order.
     *
     * @return an immutable list of names
     */
    public List<String> components() {
      return components;
    }

    @Override
    public String toString() {
      return "Phase[" + tier + ", "
          + (!ran ? "not run" : passed ? "passed" : "failed: " + PlainText.escape(reason)) + "]";
    }
  }
}
