package dev.breakglass.cascade;

import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Formatting shared by plans, reports and journal entries. Stateless. */
final class Texts {

  private Texts() {}

  /** "0.4ms", "12ms", "1.250s": short, and precise where it matters. */
  static String duration(long nanos) {
    if (nanos < 0) {
      nanos = 0;
    }
    if (nanos < 10_000_000L) {
      return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
    }
    if (nanos < 1_000_000_000L) {
      return (nanos / 1_000_000L) + "ms";
    }
    if (nanos < 60_000_000_000L) {
      return String.format(Locale.ROOT, "%.3fs", nanos / 1e9);
    }
    long minutes = nanos / 60_000_000_000L;
    return String.format(Locale.ROOT, "%dm%06.3fs", minutes, (nanos - minutes * 60_000_000_000L) / 1e9);
  }

  static String duration(Duration duration) {
    return duration(saturatedNanos(duration));
  }

  /** "+1.250s": an offset from the start of a run. */
  static String offset(Duration offset) {
    return String.format(Locale.ROOT, "+%.3fs", saturatedNanos(offset) / 1e9);
  }

  static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static String cause(Throwable failure) {
    return failure.toString();
  }

  /** "drain 12ms", "flush failed after 2.0ms", "drain abandoned after 5.000s". */
  static String step(StepReport step) {
    String label = step.kind().label();
    String took = duration(step.duration());
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
      pad(out, duration(report.duration()), durationWidth);
      out.append("  ").append(steps(report.steps()));
    }
  }

  /** The "details:" section: every component whose report has a detail, with its cause. */
  static void details(StringBuilder out, List<ComponentReport> reports) {
    boolean any = false;
    for (ComponentReport report : reports) {
      if (report.detail().isEmpty()) {
        continue;
      }
      if (!any) {
        out.append("  details:\n");
        any = true;
      }
      out.append("    ").append(report.name()).append(": ").append(report.detail()).append('\n');
    }
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
        width = Math.max(width, duration(report.duration()).length());
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
