package dev.breakglass.core.incident;

import static dev.breakglass.core.incident.Texts.markdown;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Severity;
import dev.breakglass.core.internal.DurationFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Markdown rendering: the SRE postmortem template's headings. */
final class MarkdownReport {

  static final String BLANK = "**TO FILL IN**";

  private final Incident incident;
  private final StringBuilder out = new StringBuilder(4096);
  private final long origin;

  MarkdownReport(Incident incident) {
    this.incident = incident;
    this.origin = incident.startNanos();
  }

  String render() {
    Incident i = incident;
    line("# Incident #" + i.number() + ": " + i.peakSeverity() + ", "
        + i.status().name().toLowerCase(java.util.Locale.ROOT));
    line("");
    line("_A draft post-incident review, written from the incident journal. Sections marked "
        + BLANK + " need the people who were there._");
    section("Summary");
    line(markdown(Texts.summaryLine(i)) + ".");
    line("");
    line("| milestone | time (UTC) | from start |");
    line("|---|---|---|");
    for (Milestone m : Milestone.values()) {
      Optional<java.time.Instant> time = i.time(m);
      line("| " + m.label() + " | " + time.map(Texts::time).orElse("not reached") + " | "
          + (time.isPresent() ? Texts.offset(i.nanos(m).getAsLong() - origin) : "") + " |");
    }
    section("Impact");
    line("Lasted " + DurationFormat.format(i.duration()) + "; peak severity "
        + i.peakSeverity() + ".");
    line("");
    line("| severity | time |");
    line("|---|---|");
    for (Map.Entry<Severity, Duration> e : i.timeAtSeverity().entrySet()) {
      line("| " + e.getKey() + " | " + DurationFormat.format(e.getValue()) + " |");
    }
    line("");
    StringBuilder affected = new StringBuilder();
    for (ComponentImpact c : i.components()) {
      if (c.affected()) {
        affected.append(affected.length() == 0 ? "" : ", ")
            .append(markdown(c.name())).append(" (worst ").append(c.worst()).append(')');
      }
    }
    line("Affected components (blast radius): "
        + (affected.length() == 0 ? "none reported unhealthy" : affected) + ".");
    line("");
    line("Users affected, requests failed or degraded: " + BLANK + ".");
    section("Trigger");
    line(BLANK + ": what set it off.");
    section("Detection");
    Optional<Declaration> openedBy = i.openedBy();
    if (openedBy.isPresent()) {
      line("Opened by hand by " + markdown(openedBy.get().by()) + ": "
          + markdown(openedBy.get().reason()) + ".");
      line("");
    }
    JournalEntry first = first(EventCategory.DETECTION);
    line(first == null
        ? "No detection was recorded."
        : "Detected " + Texts.duration(i.timeToDetect()) + " after the first signal: "
            + describe(first) + ".");
    section("Resolution");
    List<Mitigation> mitigations = i.mitigations();
    if (mitigations.isEmpty()) {
      line("No mitigation was recorded.");
    } else {
      line("| mitigation | source | tier | from start | for | detail |");
      line("|---|---|---|---|---|---|");
      for (Mitigation m : mitigations) {
        line("| " + markdown(m.kind()) + " | " + markdown(m.source()) + " | "
            + (m.tier() == null ? "" : m.tier()) + " | " + Texts.offset(m.startNanos() - origin)
            + " | " + DurationFormat.format(m.duration()) + (m.ended() ? "" : " (still in force)")
            + " | " + markdown(m.detail()) + " |");
      }
    }
    line("");
    for (JournalEntry run : i.runs()) {
      line("- " + describe(run));
    }
    if (!i.runs().isEmpty()) {
      line("");
    }
    Optional<Declaration> closedBy = i.closedBy();
    if (closedBy.isPresent()) {
      line("Closed by hand by " + markdown(closedBy.get().by()) + ": "
          + markdown(closedBy.get().reason()) + ".");
    } else if (i.status() == Incident.Status.RESOLVED) {
      line("Resolved: severity NORMAL, every component involved healthy, then "
          + DurationFormat.format(i.window()) + " without a new signal.");
    } else {
      line("Still open.");
    }
    section("Root cause and contributing factors");
    line(BLANK);
    section("Timeline");
    line("| from start | time (UTC) | source | kind | category | detail |");
    line("|---|---|---|---|---|---|");
    for (JournalEntry e : i.entries()) {
      line("| " + Texts.offset(e.nanoTime() - origin) + " | " + Texts.time(e.time()) + " | "
          + markdown(e.source()) + " | " + markdown(e.kind()) + " | " + e.category() + " | "
          + markdown(e.detail()) + " |");
    }
    section("Lessons learned");
    line("### What went well");
    line("");
    line(BLANK);
    line("");
    line("### What went wrong");
    line("");
    line(BLANK);
    line("");
    line("### Where we got lucky");
    line("");
    line(BLANK);
    section("Action items");
    line("| action | type | owner | status |");
    line("|---|---|---|---|");
    line("| " + BLANK + " | | | |");
    return out.toString();
  }

  private @org.jspecify.annotations.Nullable JournalEntry first(EventCategory category) {
    for (JournalEntry e : incident.entries()) {
      if (e.category() == category) {
        return e;
      }
    }
    return null;
  }

  private String describe(JournalEntry e) {
    return markdown(e.source()) + " " + markdown(e.kind())
        + (e.detail().isEmpty() ? "" : " (" + markdown(e.detail()) + ")")
        + " at " + Texts.offset(e.nanoTime() - origin);
  }

  private void section(String title) {
    out.append("\n## ").append(title).append("\n\n");
  }

  private void line(CharSequence text) {
    out.append(text).append('\n');
  }
}
