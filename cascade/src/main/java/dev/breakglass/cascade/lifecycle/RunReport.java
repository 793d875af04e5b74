package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.internal.DurationFormat;
import dev.breakglass.core.internal.PlainText;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link ShutdownReport} and a {@link RecoveryReport} have in common: the plan a run
 * followed, when it began, its deadline and how long it took, and one {@link ComponentReport}
 * per component of the plan, in plan order. {@link #toText()} renders it for a person.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <P> the kind of plan the run followed
 */
public abstract sealed class RunReport<P extends Plan> permits ShutdownReport, RecoveryReport {

  private static final Outcome[] OUTCOMES = Outcome.values();

  private final P plan;
  private final Instant startedAt;
  private final Duration deadline;
  private final Duration elapsed;
  private final List<ComponentReport> components;
  private final Map<String, ComponentReport> byName;
  private final int[] counts = new int[OUTCOMES.length];

  RunReport(P plan, Instant startedAt, Duration deadline, Duration elapsed,
      List<ComponentReport> components) {
    this.plan = Objects.requireNonNull(plan, "plan");
    this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    this.components = List.copyOf(components);
    this.byName = new HashMap<>(Math.max(16, this.components.size() * 4 / 3 + 1));
    for (ComponentReport component : this.components) {
      byName.put(component.name(), component);
      counts[component.outcome().ordinal()]++;
    }
  }

  /**
   * Returns the plan the run followed: the whole graph, or the isolating plan of a run that
   * isolated a component (or undid its isolation).
   *
   * @return the plan
   */
  public P plan() {
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
    return components;
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
    Objects.requireNonNull(name, "name");
    ComponentReport report = byName.get(name);
    if (report == null) {
      throw new IllegalArgumentException("component '" + name + "' is not in this report");
    }
    return report;
  }

  /**
   * Counts the components with a given outcome; zero for an outcome that does not
   * {@linkplain Outcome#occursIn(RunKind) occur} in this kind of run.
   *
   * @param outcome an outcome
   * @return how many components of the plan ended so
   * @throws NullPointerException if {@code outcome} is null
   */
  public int count(Outcome outcome) {
    return counts[Objects.requireNonNull(outcome, "outcome").ordinal()];
  }

  /**
   * Renders the report for a person: a summary line, then one line per component (outcome,
   * start offset, duration, steps with their durations), then the details of every component
   * that did not simply stop or start.
   *
   * <p>Names, details and exception messages are escaped so that each stays on its line and
   * no control character reaches a terminal: a newline prints as {@code \n}, other control
   * characters (ESC among them) and lone surrogates as {@code \}{@code uXXXX} escapes, a
   * backslash as two. The accessors keep the raw text.
   *
   * @return the report as text, ending with a line break
   */
  public abstract String toText();

  /** The summary line, also the journal's last entry of the run. */
  abstract String summary();

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + summary() + "]";
  }

  /** "; took 5.016s of a 25.000s deadline": the end of every summary. */
  final StringBuilder appendTook(StringBuilder out) {
    return out.append("; took ").append(DurationFormat.format(elapsed)).append(" of a ")
        .append(DurationFormat.format(deadline)).append(" deadline");
  }

  // ---- the table of toText() ----

  /** The components' names, escaped for a text rendering. */
  final String[] printableNames() {
    String[] names = new String[components.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = PlainText.escape(components.get(i).name());
    }
    return names;
  }

  /** The tier column of a component. */
  static String tierText(ComponentReport report) {
    return TextLayout.tier(report.tier(), report.effectiveTier());
  }

  /** The widths of the name, tier, outcome and duration columns, in that order. */
  final int[] widths(String[] names) {
    int[] widths = new int[4];
    for (int i = 0; i < names.length; i++) {
      ComponentReport report = components.get(i);
      widths[0] = Math.max(widths[0], names[i].length());
      widths[1] = Math.max(widths[1], tierText(report).length());
      widths[2] = Math.max(widths[2], report.outcome().label().length());
      if (report.start() != null) {
        widths[3] = Math.max(widths[3], DurationFormat.format(report.duration()).length());
      }
    }
    return widths;
  }

  /**
   * Appends a component's row from its name on: name, tier, outcome, start offset, duration,
   * steps, in columns, and ends the line.
   */
  final void appendRow(StringBuilder out, int i, String[] names, int[] widths) {
    ComponentReport report = components.get(i);
    TextLayout.pad(out, names[i], widths[0]);
    out.append("  ");
    TextLayout.pad(out, tierText(report), widths[1]);
    out.append("  ");
    TextLayout.pad(out, report.outcome().label(), widths[2]);
    Duration start = report.start();
    if (start != null) {
      out.append("  ").append(TextLayout.offset(start)).append("  ");
      TextLayout.pad(out, DurationFormat.format(report.duration()), widths[3]);
      out.append("  ").append(StepReport.describe(report.steps()));
    }
    TextLayout.endLine(out);
  }

  /** The "details:" section: every component whose report has a detail, with it. */
  final void appendDetails(StringBuilder out, String[] names) {
    boolean any = false;
    for (int i = 0; i < names.length; i++) {
      ComponentReport report = components.get(i);
      if (report.detail().isEmpty()) {
        continue;
      }
      if (!any) {
        out.append("  details:\n");
        any = true;
      }
      PlainText.append(out.append("    ").append(names[i]).append(": "), report.detail())
          .append('\n');
    }
  }
}
