package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.internal.PlainText;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What a {@link ShutdownSequencer} run did: the plan it followed, and for each component the
 * steps that ran, when, for how long, and how it ended. {@link #toText()} renders it for a
 * person:
 *
 * <pre>
 * shutdown at 2026-11-21T09:14:03.120Z: 3 components in 3 waves, 2 stopped, 1 timed out; took 5.016s of a 25.000s deadline
 *   wave 0
 *     http-front      CRITICAL                  stopped    +0.000s  12ms    stop-intake 400us, drain 11ms, release 200us
 *   wave 1
 *     checkout        CRITICAL                  timed out  +0.012s  5.000s  drain abandoned after 5.000s
 *   wave 2
 *     payment-client  CRITICAL (from STANDARD)  stopped    +5.012s  4.0ms   flush 3.1ms, release 800us
 *   details:
 *     checkout: abandoned in drain after 5.000s (stop timeout 5.000s)
 * </pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ShutdownReport extends RunReport<ShutdownPlan> {

  /** The detail of a component skipped because an earlier run of the sequencer stopped it. */
  static final String ALREADY_STOPPED = "already stopped by an earlier run";

  ShutdownReport(ShutdownPlan plan, Instant startedAt, Duration deadline, Duration elapsed,
      List<ComponentReport> components) {
    super(plan, startedAt, deadline, elapsed, components);
  }

  /**
   * Tells whether every component stopped cleanly: none failed, timed out, or was skipped,
   * except those an earlier run had already stopped.
   *
   * @return {@code true} if the shutdown went entirely to plan
   */
  public boolean isClean() {
    for (ComponentReport component : components()) {
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
  @Override
  public String toText() {
    List<ComponentReport> components = components();
    StringBuilder out = new StringBuilder(160 + components.size() * 112);
    out.append("shutdown");
    String isolated = plan().isolated();
    if (isolated != null) {
      PlainText.append(out.append(" isolating "), isolated);
    }
    out.append(" at ").append(startedAt().truncatedTo(ChronoUnit.MILLIS)).append(": ")
        .append(summary()).append('\n');
    String[] names = printableNames();
    int[] widths = widths(names);
    int wave = -1;
    for (int i = 0; i < names.length; i++) {
      ComponentReport c = components.get(i);
      if (c.wave() != wave) {
        wave = c.wave();
        out.append("  wave ").append(wave).append('\n');
      }
      out.append("    ");
      appendRow(out, i, names, widths);
    }
    appendDetails(out, names);
    return out.toString();
  }

  /** "3 components in 3 waves, 2 stopped, 1 timed out; took 5.016s of a 25.000s deadline". */
  @Override
  String summary() {
    StringBuilder out = new StringBuilder(96);
    out.append(TextLayout.plural(components().size(), "component", "components")).append(" in ")
        .append(TextLayout.plural(plan().waveCount(), "wave", "waves"));
    for (Outcome outcome : Outcome.values()) {
      int count = count(outcome);
      if (count > 0) {
        out.append(", ").append(count).append(' ').append(outcome.label());
      }
    }
    return appendTook(out).toString();
  }
}
