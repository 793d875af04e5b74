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
 *     wave 1  checkout            CRITICAL                  started    +0.101s  400us    start 400us
 *   phase ENHANCED: not run
 *     wave 0  analytics-exporter  ENHANCED                  skipped
 *   left running: payment-client, checkout
 *   details:
 *     ...
 * </pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RecoveryReport extends RunReport<RecoveryPlan> {

  private final List<Phase> phases;
  private final @Nullable Tier failedPhase;
  private final String failureReason;

  RecoveryReport(RecoveryPlan plan, Instant startedAt, Duration deadline, Duration elapsed,
      List<ComponentReport> components, List<Phase> phases, @Nullable Tier failedPhase,
      String failureReason) {
    super(plan, startedAt, deadline, elapsed, components);
    this.phases = List.copyOf(phases);
    this.failedPhase = failedPhase;
    this.failureReason = Objects.requireNonNull(failureReason, "failureReason");
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
   * Returns the components this run started: their start step returned normally (or they
   * have none), healthy or not. They stay running whatever became of the recovery.
   *
   * @return an immutable list of names, in plan order
   */
  public List<String> started() {
    List<String> started = new ArrayList<>();
    for (ComponentReport c : components()) {
      if (wasStarted(c)) {
        started.add(c.name());
      }
    }
    return List.copyOf(started);
  }

  private static boolean wasStarted(ComponentReport c) {
    return c.outcome() == Outcome.STARTED || c.outcome() == Outcome.UNHEALTHY;
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
  @Override
  public String toText() {
    List<ComponentReport> components = components();
    StringBuilder out = new StringBuilder(200 + components.size() * 112);
    out.append("recovery");
    String isolated = plan().isolated();
    if (isolated != null) {
      PlainText.append(out.append(" of "), isolated).append(" and its dependents");
    }
    out.append(" at ").append(startedAt().truncatedTo(ChronoUnit.MILLIS)).append(' ')
        .append(summary()).append('\n');
    String[] names = printableNames();
    int[] widths = widths(names);
    int waveWidth = 1;
    for (ComponentReport c : components) {
      waveWidth = Math.max(waveWidth, Integer.toString(c.wave()).length());
    }
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
        ComponentReport c = components.get(i);
        out.append("    ");
        TextLayout.pad(out, c.wave() != wave ? "wave " + c.wave() : "", 5 + waveWidth);
        wave = c.wave();
        out.append("  ");
        appendRow(out, i, names, widths);
      }
    }
    if (!succeeded()) {
      out.append("  left running: ");
      boolean any = false;
      for (int k = 0; k < names.length; k++) {
        if (wasStarted(components.get(k))) {
          out.append(any ? ", " : "").append(names[k]);
          any = true;
        }
      }
      out.append(any ? "" : "nothing").append('\n');
    }
    appendDetails(out, names);
    return out.toString();
  }

  /** "completed: 6 components started in 3 phases; took ..." or "stopped in phase X: ...". */
  @Override
  String summary() {
    StringBuilder out = new StringBuilder(128);
    if (succeeded()) {
      out.append("completed: ")
          .append(TextLayout.plural(components().size(), "component", "components"))
          .append(" started in ").append(TextLayout.plural(phases.size(), "phase", "phases"));
    } else {
      PlainText.append(out.append("stopped in phase ").append(failedPhase).append(": "),
          failureReason);
    }
    return appendTook(out).toString();
  }

  /**
   * One phase of a recovery run: the components of one effective tier, started and then
   * gated on health.
   *
   * <p>Immutable and thread-safe.
   *
   * @param tier the tier this phase starts
   * @param ran whether the phase ran; it does not once an earlier phase failed, or once a
   *     shutdown began (see {@link RecoverySequencer#recoverIsolated(ShutdownSequencer, String)})
   * @param passed whether the phase passed: every component started and passed the health gate
   * @param reason why the phase failed; empty if it passed or did not run
   * @param start when the phase began, measured from the start of the run; null if it did not
   *     run
   * @param duration how long the phase took, health gate included; zero if it did not run
   * @param components the components of the phase, in start order
   */
  public record Phase(Tier tier, boolean ran, boolean passed, String reason,
      @Nullable Duration start, Duration duration, List<String> components) {

    /**
     * Validates the components and copies the list of names.
     *
     * @param tier the tier this phase starts
     * @param ran whether it ran
     * @param passed whether it passed
     * @param reason why it failed, or empty
     * @param start when it began, or null
     * @param duration how long it took
     * @param components its components, in start order
     * @throws NullPointerException if a component that may not be null is null
     */
    public Phase {
      Objects.requireNonNull(tier, "tier");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(duration, "duration");
      components = List.copyOf(components);
    }

    /**
     * Describes the phase in one line, its reason escaped as {@link PlainText} does.
     *
     * @return e.g. {@code "Phase[CRITICAL, failed: payment-client not healthy: DOWN ...]"}
     */
    @Override
    public String toString() {
      return "Phase[" + tier + ", "
          + (!ran ? "not run" : passed ? "passed" : "failed: " + PlainText.escape(reason)) + "]";
    }
  }
}
