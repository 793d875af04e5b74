package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.internal.DurationFormat;
import dev.breakglass.core.internal.PlainText;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ShutdownSequencer} run did: the plan it followed, and for each component the
 * steps that ran, when, for how long, and how it ended. {@link #toText()} renders it for a
 * person:
 *
 * <pre>
 * shutdown at 2026-11-21T09:14:03.120Z: 3 components in 3 waves, 2 stopped, 1 timed out; took 5.016s of a 25.000s deadline
 *   wave 0
 *     http-front      CRITICAL                  stopped    +0.000s  12ms    stop-intake 0.4ms, drain 11ms, release 0.2ms
 *   wave 1
 *     checkout        CRITICAL                  timed out  +0.012s  5.000s  drain abandoned after 5.000s
 *   wave 2
 *     payment-client  CRITICAL (from STANDARD)  stopped    +5.012s  4.0ms   flush 3.1ms, release 0.8ms
 *   details:
 *     checkout: abandoned in drain after 5.000s (stop timeout 5.000s)
 * </pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ShutdownReport {

  /** The detail of a component skipped because an earlier run of the sequencer stopped it. */
  static final String ALREADY_STOPPED = "already stopped by an earlier run";

  private final ShutdownPlan plan;
  private final Instant startedAt;
  private final Duration deadline;
  private final Duration elapsed;
  private final ComponentReports reports;

  ShutdownReport(ShutdownPlan plan, Instant startedAt, Duration deadline, Duration elapsed,
      List<ComponentReport> components) {
    this.plan = Objects.requireNonNull(plan, "plan");
    this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    this.reports = new ComponentReports(components);
  }

  /**
   * Returns the plan the run followed: the whole graph for {@link ShutdownSequencer#shutdown()},
   * or the isolating plan for {@link ShutdownSequencer#isolate(String)}.
   *
   * @return the plan
   */
  public ShutdownPlan plan() {
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
   * Returns how long the run took, from the call to its end.
   *
   * @return the elapsed time, measured with the sequencer's ticker
   */
  public Duration elapsed() {
    return elapsed;
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
   * Tells whether every component stopped cleanly: none failed, timed out, or was skipped,
   * except those an earlier run had already stopped.
   *
   * @return {@code true} if the shutdown went entirely to plan
   */
  public boolean isClean() {
    for (ComponentReport component : reports.list) {
      if (component.outcome() != Outcome.STOPPED
          && !(component.outcome() == Outcome.SKIPPED
              && component.detail().equals(ALREADY_STOPPED))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Renders the report for a person: a summary line, then one line per component, wave by
   * wave (outcome, start offset, duration, steps with their durations), then the details of
   * every component that did not simply stop.
   *
   * <p>Names, details and exception messages are escaped so that each stays on its line and
   * no control character reaches a terminal: a newline prints as {@code \n}, other control
   * characters (ESC among them) and lone surrogates as {@code \}{@code uXXXX} escapes, a
   * backslash as two. The accessors keep the raw text.
   *
   * @return the report as text, ending with a line break
   */
  public String toText() {
    StringBuilder out = new StringBuilder(160 + reports.list.size() * 112);
    out.append("shutdown");
    String isolated = plan.isolated();
    if (isolated != null) {
      PlainText.append(out.append(" isolating "), isolated);
    }
    out.append(" at ").append(startedAt.truncatedTo(ChronoUnit.MILLIS)).append(": ")
        .append(summary()).append('\n');
    String[] names = Texts.printableNames(reports.list);
    int nameWidth = 0;
    int tierWidth = 0;
    for (int i = 0; i < names.length; i++) {
      ComponentReport c = reports.list.get(i);
      nameWidth = Math.max(nameWidth, names[i].length());
      tierWidth = Math.max(tierWidth, Texts.tier(c.tier(), c.effectiveTier()).length());
    }
    int outcomeWidth = Texts.outcomeWidth(reports.list);
    int durationWidth = Texts.durationWidth(reports.list);
    int wave = -1;
    for (int i = 0; i < names.length; i++) {
      ComponentReport c = reports.list.get(i);
      if (c.wave() != wave) {
        wave = c.wave();
        out.append("  wave ").append(wave).append('\n');
      }
      out.append("    ");
      Texts.pad(out, names[i], nameWidth);
      out.append("  ");
      Texts.pad(out, Texts.tier(c.tier(), c.effectiveTier()), tierWidth);
      out.append("  ");
      Texts.componentColumns(out, c, outcomeWidth, durationWidth);
      Texts.trimTrailing(out);
      out.append('\n');
    }
    Texts.details(out, reports.list, names);
    return out.toString();
  }

  /** "3 components in 3 waves, 2 stopped, 1 timed out; took 5.016s of a 25.000s deadline". */
  String summary() {
    StringBuilder out = new StringBuilder(96);
    out.append(Texts.plural(reports.list.size(), "component", "components")).append(" in ")
        .append(Texts.plural(plan.waveCount(), "wave", "waves"));
    for (Outcome outcome : Outcome.values()) {
      int count = count(outcome);
      if (count > 0) {
        out.append(", ").append(count).append(' ').append(outcome.label());
      }
    }
    return out.append("; took ").append(DurationFormat.format(elapsed)).append(" of a ")
        .append(DurationFormat.format(deadline)).append(" deadline").toString();
  }

  @Override
  public String toString() {
    return "ShutdownReport[" + summary() + "]";
  }
}
