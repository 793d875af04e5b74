package dev.breakglass.core.incident;

import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Severity;
import dev.breakglass.core.internal.JsonText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The JSON rendering, schema {@value IncidentReport#JSON_SCHEMA}. Offsets are nanoseconds from
 * the incident's start; durations are nanoseconds; times are ISO-8601 UTC.
 */
final class JsonReport {

  private JsonReport() {}

  static String render(Incident i) {
    long origin = i.startNanos();
    StringBuilder out = new StringBuilder(4096);
    out.append("{\"schema\":");
    JsonText.quote(out, IncidentReport.JSON_SCHEMA);
    out.append(",\n\"number\":").append(i.number());
    out.append(",\n\"status\":\"").append(i.status()).append('"');
    out.append(",\n\"windowNanos\":").append(nanos(i.window()));
    out.append(",\n\"peakSeverity\":\"").append(i.peakSeverity()).append('"');
    out.append(",\n\"durationNanos\":").append(i.endNanos() - origin);
    out.append(",\n\"milestones\":{");
    boolean firstField = true;
    for (Milestone m : Milestone.values()) {
      Optional<Instant> time = i.time(m);
      if (time.isEmpty()) {
        continue;
      }
      out.append(firstField ? "" : ",").append('"').append(m.label()).append("\":{\"time\":");
      JsonText.quote(out, time.get().toString());
      out.append(",\"offsetNanos\":").append(i.nanos(m).getAsLong() - origin).append('}');
      firstField = false;
    }
    out.append('}');
    out.append(",\n\"timeToDetectNanos\":");
    duration(out, i.timeToDetect());
    out.append(",\"timeToMitigateNanos\":");
    duration(out, i.timeToMitigate());
    out.append(",\"timeToRecoverNanos\":");
    duration(out, i.timeToRecover());
    out.append(",\"timeToResolveNanos\":");
    duration(out, i.timeToResolve());
    out.append(",\n\"timeAtSeverityNanos\":{");
    firstField = true;
    for (Map.Entry<Severity, Duration> e : i.timeAtSeverity().entrySet()) {
      out.append(firstField ? "" : ",").append('"').append(e.getKey()).append("\":")
          .append(nanos(e.getValue()));
      firstField = false;
    }
    out.append('}');
    out.append(",\n\"severitySteps\":[");
    List<Incident.SeverityStep> steps = i.severitySteps();
    for (int k = 0; k < steps.size(); k++) {
      Incident.SeverityStep s = steps.get(k);
      out.append(k == 0 ? "" : ",").append("{\"severity\":\"").append(s.severity())
          .append("\",\"startOffsetNanos\":").append(s.startNanos() - origin)
          .append(",\"endOffsetNanos\":").append(s.endNanos() - origin).append('}');
    }
    out.append(']');
    out.append(",\n\"components\":[");
    List<ComponentImpact> components = i.components();
    for (int k = 0; k < components.size(); k++) {
      ComponentImpact c = components.get(k);
      out.append(k == 0 ? "\n" : ",\n").append("{\"name\":");
      JsonText.quote(out, c.name());
      out.append(",\"worstHealth\":\"").append(c.worst()).append('"')
          .append(",\"affected\":").append(c.affected())
          .append(",\"entries\":").append(c.entries())
          .append(",\"health\":[");
      List<ComponentImpact.HealthSpan> spans = c.spans();
      for (int h = 0; h < spans.size(); h++) {
        ComponentImpact.HealthSpan span = spans.get(h);
        out.append(h == 0 ? "" : ",").append("{\"health\":\"").append(span.health())
            .append("\",\"startOffsetNanos\":").append(span.startNanos() - origin)
            .append(",\"endOffsetNanos\":").append(span.endNanos() - origin).append('}');
      }
      out.append("]}");
    }
    out.append(']');
    out.append(",\n\"mitigations\":[");
    List<Mitigation> mitigations = i.mitigations();
    for (int k = 0; k < mitigations.size(); k++) {
      Mitigation m = mitigations.get(k);
      out.append(k == 0 ? "\n" : ",\n").append("{\"source\":");
      JsonText.quote(out, m.source());
      out.append(",\"kind\":");
      JsonText.quote(out, m.kind());
      out.append(",\"tier\":").append(m.tier() == null ? "null" : "\"" + m.tier() + "\"");
      out.append(",\"startOffsetNanos\":").append(m.startNanos() - origin)
          .append(",\"endOffsetNanos\":").append(m.endNanos() - origin)
          .append(",\"durationNanos\":").append(m.endNanos() - m.startNanos())
          .append(",\"ended\":").append(m.ended())
          .append(",\"detail\":");
      JsonText.quote(out, m.detail());
      out.append('}');
    }
    out.append(']');
    out.append(",\n\"openedBy\":");
    declaration(out, i.openedBy().orElse(null), origin);
    out.append(",\n\"closedBy\":");
    declaration(out, i.closedBy().orElse(null), origin);
    out.append(",\n\"runs\":[");
    entries(out, i.runs(), origin);
    out.append("],\n\"entries\":[");
    entries(out, i.entries(), origin);
    out.append("]}\n");
    return out.toString();
  }

  private static void entries(StringBuilder out, List<JournalEntry> entries, long origin) {
    for (int k = 0; k < entries.size(); k++) {
      JournalEntry e = entries.get(k);
      out.append(k == 0 ? "\n" : ",\n").append("{\"sequence\":").append(e.sequence())
          .append(",\"offsetNanos\":").append(e.nanoTime() - origin)
          .append(",\"time\":");
      JsonText.quote(out, e.time().toString());
      out.append(",\"source\":");
      JsonText.quote(out, e.source());
      out.append(",\"kind\":");
      JsonText.quote(out, e.kind());
      out.append(",\"category\":\"").append(e.category()).append('"');
      out.append(",\"severity\":")
          .append(e.severity() == null ? "null" : "\"" + e.severity() + "\"");
      out.append(",\"tier\":").append(e.tier() == null ? "null" : "\"" + e.tier() + "\"");
      out.append(",\"health\":").append(e.health() == null ? "null" : "\"" + e.health() + "\"");
      out.append(",\"detail\":");
      JsonText.quote(out, e.detail());
      out.append('}');
    }
  }

  private static void declaration(StringBuilder out, @Nullable Declaration d, long origin) {
    if (d == null) {
      out.append("null");
      return;
    }
    out.append("{\"by\":");
    JsonText.quote(out, d.by());
    out.append(",\"reason\":");
    JsonText.quote(out, d.reason());
    out.append(",\"time\":");
    JsonText.quote(out, d.time().toString());
    out.append(",\"offsetNanos\":").append(d.nanoTime() - origin).append('}');
  }

  private static void duration(StringBuilder out, Optional<Duration> duration) {
    out.append(duration.isPresent() ? Long.toString(nanos(duration.get())) : "null");
  }

  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
