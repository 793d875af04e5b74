package dev.breakglass.core.incident;

import static dev.breakglass.core.incident.Texts.html;

import dev.breakglass.core.Health;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Severity;
import dev.breakglass.core.internal.DurationFormat;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML rendering: one self-contained page (inline CSS, no scripts, no external resources)
 * with an inline SVG timeline and the report's tables.
 */
final class HtmlReport {

  private static final int WIDTH = 1000;
  private static final int LEFT = 190;
  private static final int RIGHT = 20;
  private static final int TOP = 44; // room for the milestone labels above the bands
  private static final int SEVERITY_HEIGHT = 22;
  private static final int LANE_HEIGHT = 34;
  private static final int AXIS_HEIGHT = 30;

  private final Incident incident;
  private final long origin;
  private final long span;
  private final StringBuilder out = new StringBuilder(16_384);

  HtmlReport(Incident incident) {
    this.incident = incident;
    this.origin = incident.startNanos();
    this.span = Math.max(1_000_000L, incident.endNanos() - origin); // at least 1 ms wide
  }

  String render() {
    Incident i = incident;
    String title = "Incident #" + i.number() + ": " + i.peakSeverity() + ", "
        + i.status().name().toLowerCase(Locale.ROOT);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>").append(html(title)).append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:24px;color:#222}")
        .append("table{border-collapse:collapse;margin:8px 0}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;")
        .append("font-size:13px;vertical-align:top}")
        .append(".blank{background:#fff3c4;font-weight:bold}")
        .append("svg text{font-size:11px;font-family:sans-serif}\n")
        .append("</style>\n</head>\n<body>\n");
    out.append("<h1>").append(html(title)).append("</h1>\n");
    out.append("<p id=\"summary\">").append(html(Texts.summaryLine(i))).append("</p>\n");
    timeline();
    out.append("<h2>Milestones</h2>\n<table id=\"milestones\">")
        .append("<tr><th>milestone</th><th>time (UTC)</th><th>from start</th></tr>\n");
    for (Milestone m : Milestone.values()) {
      if (i.time(m).isPresent()) {
        out.append("<tr><td>").append(m.label()).append("</td><td>")
            .append(Texts.time(i.time(m).get())).append("</td><td>")
            .append(Texts.offset(i.nanos(m).getAsLong() - origin)).append("</td></tr>\n");
      } else {
        out.append("<tr><td>").append(m.label())
            .append("</td><td>not reached</td><td></td></tr>\n");
      }
    }
    out.append("</table>\n<h2>Impact</h2>\n<table id=\"severity-time\">")
        .append("<tr><th>severity</th><th>time</th></tr>\n");
    for (Map.Entry<Severity, Duration> e : i.timeAtSeverity().entrySet()) {
      out.append("<tr><td>").append(e.getKey()).append("</td><td>")
          .append(DurationFormat.format(e.getValue())).append("</td></tr>\n");
    }
    out.append("</table>\n<table id=\"components\"><tr><th>component</th><th>worst health</th>")
        .append("<th>entries</th></tr>\n");
    for (ComponentImpact c : i.components()) {
      out.append("<tr><td>").append(html(c.name())).append("</td><td>").append(c.worst())
          .append("</td><td>").append(c.entries()).append("</td></tr>\n");
    }
    out.append("</table>\n<h2>Mitigations</h2>\n<table id=\"mitigations\"><tr><th>kind</th>")
        .append("<th>source</th><th>tier</th><th>from start</th><th>for</th>")
        .append("<th>detail</th></tr>\n");
    for (Mitigation m : i.mitigations()) {
      out.append("<tr><td>").append(html(m.kind())).append("</td><td>").append(html(m.source()))
          .append("</td><td>").append(m.tier() == null ? "" : m.tier()).append("</td><td>")
          .append(Texts.offset(m.startNanos() - origin)).append("</td><td>")
          .append(DurationFormat.format(m.duration())).append(m.ended() ? "" : " (still in force)")
          .append("</td><td>").append(html(m.detail())).append("</td></tr>\n");
    }
    out.append("</table>\n<h2>Root cause</h2>\n<p class=\"blank\">TO FILL IN</p>\n")
        .append("<h2>Lessons learned</h2>\n<p class=\"blank\">TO FILL IN</p>\n")
        .append("<h2>Action items</h2>\n<p class=\"blank\">TO FILL IN</p>\n");
    out.append("<h2>Timeline</h2>\n<table id=\"entries\"><tr><th>from start</th>")
        .append("<th>time (UTC)</th><th>source</th><th>kind</th><th>category</th>")
        .append("<th>detail</th></tr>\n");
    for (JournalEntry e : i.entries()) {
      out.append("<tr><td>").append(Texts.offset(e.nanoTime() - origin)).append("</td><td>")
          .append(Texts.time(e.time())).append("</td><td>").append(html(e.source()))
          .append("</td><td>").append(html(e.kind())).append("</td><td>").append(e.category())
          .append("</td><td>").append(html(e.detail())).append("</td></tr>\n");
    }
    out.append("</table>\n</body>\n</html>\n");
    return out.toString();
  }

  private void timeline() {
    int lanes = incident.components().size();
    int lanesTop = TOP + SEVERITY_HEIGHT + 8;
    int axisTop = lanesTop + lanes * LANE_HEIGHT + 4;
    int height = axisTop + AXIS_HEIGHT;
    out.append("<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH)
        .append(' ').append(height).append("\" role=\"img\">\n");
    out.append("<title>").append(html(Texts.summaryLine(incident))).append("</title>\n");
    // severity band
    out.append("<g class=\"severity\">\n<text x=\"4\" y=\"").append(TOP + 15)
        .append("\">severity</text>\n");
    for (Incident.SeverityStep s : incident.severitySteps()) {
      rect("severity-step", "data-severity=\"" + s.severity() + "\"", x(s.startNanos()), TOP,
          x(s.endNanos()) - x(s.startNanos()), SEVERITY_HEIGHT, severityColour(s.severity()),
          s.severity() + " " + Texts.offset(s.startNanos() - origin) + " to "
              + Texts.offset(s.endNanos() - origin));
    }
    out.append("</g>\n");
    int y = lanesTop;
    for (ComponentImpact c : incident.components()) {
      String name = html(c.name());
      out.append("<g class=\"lane\" data-component=\"").append(name).append("\">\n");
      out.append("<rect class=\"lane-background\" x=\"").append(LEFT).append("\" y=\"").append(y)
          .append("\" width=\"").append(WIDTH - LEFT - RIGHT).append("\" height=\"")
          .append(LANE_HEIGHT - 6).append("\" fill=\"#f4f4f4\"/>\n");
      out.append("<text x=\"4\" y=\"").append(y + 17).append("\">")
          .append(html(shorten(c.name()))).append("</text>\n");
      for (ComponentImpact.HealthSpan s : c.spans()) {
        rect("state", "data-health=\"" + s.health() + "\"", x(s.startNanos()), y,
            x(s.endNanos()) - x(s.startNanos()), 14, healthColour(s.health()),
            c.name() + ": " + s.health() + " (" + breakerState(s.health()) + ") "
                + Texts.offset(s.startNanos() - origin) + " to "
                + Texts.offset(s.endNanos() - origin));
      }
      for (Mitigation m : incident.mitigations()) {
        if (!m.source().equals(c.name())) {
          continue;
        }
        rect("mitigation", "data-kind=\"" + html(m.kind()) + "\"", x(m.startNanos()), y + 16,
            x(m.endNanos()) - x(m.startNanos()), 10, mitigationColour(m.kind()),
            m.kind() + (m.tier() == null ? "" : " " + m.tier()) + " for "
                + DurationFormat.format(m.duration()) + ": " + m.detail());
      }
      out.append("</g>\n");
      y += LANE_HEIGHT;
    }
    // milestone markers, their labels on staggered rows above the bands so that none overlap
    int row = 0;
    for (Milestone m : Milestone.values()) {
      if (incident.nanos(m).isEmpty()) {
        continue;
      }
      double mx = x(incident.nanos(m).getAsLong());
      marker("milestone", "data-milestone=\"" + m.label() + "\"", mx, 12 + (row++ % 3) * 11,
          axisTop, m.label(), "#333", Texts.offset(incident.nanos(m).getAsLong() - origin));
    }
    for (Mitigation m : incident.mitigations()) {
      if (m.kind().equals("rollback")) {
        marker("marker", "data-marker=\"rollback\"", x(m.startNanos()), 12 + (row++ % 3) * 11,
            axisTop, "rollback", "#7b3fa0", Texts.offset(m.startNanos() - origin));
      }
    }
    // axis: seconds from the start
    out.append("<g class=\"axis\">\n<line x1=\"").append(LEFT).append("\" y1=\"").append(axisTop)
        .append("\" x2=\"").append(WIDTH - RIGHT).append("\" y2=\"").append(axisTop)
        .append("\" stroke=\"#333\"/>\n");
    long step = tickStep(span);
    for (long t = 0; t <= span; t += step) {
      String label = seconds(t);
      double tx = x(origin + t);
      out.append("<line class=\"tick\" x1=\"").append(fmt(tx)).append("\" y1=\"").append(axisTop)
          .append("\" x2=\"").append(fmt(tx)).append("\" y2=\"").append(axisTop + 5)
          .append("\" stroke=\"#333\"/><text x=\"").append(fmt(tx - 8)).append("\" y=\"")
          .append(axisTop + 17).append("\">").append(label).append("</text>\n");
    }
    out.append("<text x=\"4\" y=\"").append(axisTop + 17).append("\">seconds from start</text>\n")
        .append("</g>\n</svg>\n");
    out.append("<p>Bands: health of each component (a breaker: CLOSED green, HALF_OPEN amber, ")
        .append("OPEN red); thin bars: mitigations (shed, deferral, fallback, rollback); ")
        .append("top band: severity.</p>\n");
  }

  private void rect(String cls, String data, double x, int y, double width, int height,
      String fill, String title) {
    out.append("<rect class=\"").append(cls).append("\" ").append(data).append(" x=\"")
        .append(fmt(x)).append("\" y=\"").append(y).append("\" width=\"")
        .append(fmt(Math.max(1.0, width))).append("\" height=\"").append(height)
        .append("\" fill=\"").append(fill).append("\"><title>").append(html(title))
        .append("</title></rect>\n");
  }

  private void marker(String cls, String data, double x, int labelY, int bottom,
      String label, String colour, String offset) {
    boolean nearRight = x > WIDTH - RIGHT - 70;
    out.append("<g class=\"").append(cls).append("\" ").append(data).append(">")
        .append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(labelY + 2)
        .append("\" x2=\"").append(fmt(x)).append("\" y2=\"").append(bottom)
        .append("\" stroke=\"").append(colour).append("\" stroke-dasharray=\"3,2\"/><text x=\"")
        .append(fmt(nearRight ? x - 2 : x + 2)).append("\" y=\"").append(labelY)
        .append(nearRight ? "\" text-anchor=\"end" : "").append("\" fill=\"").append(colour)
        .append("\">").append(label).append("</text><title>").append(label).append(' ')
        .append(offset).append("</title></g>\n");
  }

  private double x(long nanos) {
    long offset = Math.max(0L, Math.min(span, nanos - origin));
    return LEFT + (double) offset / span * (WIDTH - LEFT - RIGHT);
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  /** A tick step of 1, 2 or 5 times a power of ten nanoseconds, for at most ten ticks. */
  static long tickStep(long span) {
    long step = 1_000_000L; // 1 ms
    while (true) {
      for (long factor : new long[] {1, 2, 5}) {
        if (span / (step * factor) <= 10) {
          return step * factor;
        }
      }
      step *= 10;
    }
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e9).replaceAll("0+$", "")
        .replaceAll("\\.$", "") + "s";
  }

  private static String shorten(String name) {
    return name.length() <= 26 ? name : name.substring(0, 24) + "\u2026";
  }

  private static String breakerState(Health health) {
    return switch (health) {
      case UP -> "CLOSED";
      case DEGRADED -> "HALF_OPEN";
      case DOWN -> "OPEN";
    };
  }

  private static String healthColour(Health health) {
    return switch (health) {
      case UP -> "#4caf50";
      case DEGRADED -> "#f5a623";
      case DOWN -> "#d0021b";
    };
  }

  private static String severityColour(Severity severity) {
    return switch (severity) {
      case NORMAL -> "#cfe8cf";
      case MINOR -> "#ffe08a";
      case MAJOR -> "#ff9f43";
      case CRITICAL -> "#c0392b";
    };
  }

  private static String mitigationColour(String kind) {
    return switch (kind) {
      case "rollback" -> "#7b3fa0";
      case "fallback" -> "#2f80ed";
      case "shed", "rejected" -> "#555555";
      default -> "#888888";
    };
  }
}
