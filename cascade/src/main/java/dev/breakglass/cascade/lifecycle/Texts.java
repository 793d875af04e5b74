package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.DurationFormat;
import dev.breakglass.core.internal.PlainText;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Formatting shared by plans, reports and journal entries. Stateless.
 *
 * <p>Names, details and exception messages come from user code. Plans and reports keep them
 * raw (in their accessors and in journal entries, which the journal's own renderings escape)
 * and escape them with {@link PlainText#escape} wherever they render text, so that a newline
 * in a component name cannot forge a line and an ANSI escape cannot reach a terminal. Widths
 * for the columns are measured on the escaped text.
 */
final class Texts {

  private Texts() {}

  /** "+1.250s": an offset from the start of a run. */
  static String offset(Duration offset) {
    return String.format(Locale.ROOT, "+%.3fs", DurationFormat.saturatedNanos(offset) / 1e9);
  }

  /**
   * What an exception says: {@code "java.io.IOException: disk full"}, raw (renderings escape
   * it). An exception whose {@code toString()} itself throws is named by its class.
   */
  static String cause(Throwable failure) {
    try {
      return failure.toString();
    } catch (RuntimeException | Error unprintable) { // user code; even a StackOverflowError
      return failure.getClass().getName() + " (its toString() threw "
          + unprintable.getClass().getName() + ")";
    }
  }

  /**
   * A builder setting in a message: "PT25S", or, when the user did not set it, "PT25S, the
   * default: set deadline(...) to change it".
   */
  static String setting(Duration value, boolean isDefault, String setter) {
    return isDefault ? value + ", the default: set " + setter + "(...) to change it"
        : value.toString();
  }

  /** "drain 12ms", "flush failed after 2.0ms", "drain abandoned after 5.000s". */
  static String step(StepReport step) {
    String label = step.kind().label();
    String took = DurationFormat.format(step.duration());
    if (step.abandoned()) {
      return label + " abandoned after " + took;
    }
    if (step.failure() != null) {
      return label + " failed after " + took;
    }
    return label + " " + took;
  }

  static String steps(List<StepReport> steps) {
    StringBuilder out = new StringBuilder();
    for (StepReport step : steps) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(step(step));
    }
    return out.toString();
  }

  /** "CRITICAL", or "CRITICAL (from STANDARD)" when the graph promoted the component. */
  static String tier(Tier declared, Tier effective) {
    return declared == effective ? effective.name() : effective.name() + " (from " + declared + ")";
  }

  static String plural(int count, String singular, String plural) {
    return count + " " + (count == 1 ? singular : plural);
  }

  static void pad(StringBuilder out, String text, int width) {
    out.append(text);
    for (int i = text.length(); i < width; i++) {
      out.append(' ');
    }
  }

  /** A report line's tail: outcome, start, duration and steps, in columns. */
  static void componentColumns(StringBuilder out, ComponentReport report, int outcomeWidth,
      int durationWidth) {
    pad(out, report.outcome().label(), outcomeWidth);
    Duration start = report.start();
    if (start != null) {
      out.append("  ").append(offset(start)).append("  ");
      pad(out, DurationFormat.format(report.duration()), durationWidth);
      out.append("  ").append(steps(report.steps()));
    }
  }

  /**
   * The "details:" section: every component whose report has a detail, with its cause;
   * {@code names} are the reports' names, escaped.
   */
  static void details(StringBuilder out, List<ComponentReport> reports, String[] names) {
    boolean any = false;
    for (int i = 0; i < names.length; i++) {
      ComponentReport report = reports.get(i);
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

  /** The reports' names, escaped for a text rendering. */
  static String[] printableNames(List<ComponentReport> reports) {
    String[] names = new String[reports.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = PlainText.escape(reports.get(i).name());
    }
    return names;
  }

  static void trimTrailing(StringBuilder out) {
    int end = out.length();
    while (end > 0 && out.charAt(end - 1) == ' ') {
      end--;
    }
    out.setLength(end);
  }

  static int durationWidth(List<ComponentReport> reports) {
    int width = 0;
    for (ComponentReport report : reports) {
      if (report.start() != null) {
        width = Math.max(width, DurationFormat.format(report.duration()).length());
      }
    }
    return width;
  }

  static int outcomeWidth(List<ComponentReport> reports) {
    int width = 0;
    for (ComponentReport report : reports) {
      width = Math.max(width, report.outcome().label().length());
    }
    return width;
  }
}
