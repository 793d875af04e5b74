package dev.breakglass.core.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.StrictJson;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncidentReportTest {

  private static final Instant BASE = Instant.parse("2026-12-02T09:00:00Z");
  private static final long SECOND = 1_000_000_000L;
  /** Newline, an ANSI colour escape, a closing script tag, markup and a lone surrogate. */
  private static final String HOSTILE =
      "pay\nments\u001b[31m</script><b onload=x>&amp;|*_`#\ud800";

  private final ManualTicker ticker = new ManualTicker();

  private Incident incident(String name, String detail) {
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker)
        .clock(() -> BASE.plusNanos(ticker.read())).build();
    journal.record(EventCategory.DETECTION, name, "transition", null, null, Health.DOWN, detail);
    journal.record(EventCategory.DETECTION, "cascade", "severity", Severity.MAJOR, null, null,
        "NORMAL -> MAJOR: " + detail);
    journal.record(EventCategory.MITIGATION, "cascade", "shed", null, Tier.STANDARD, null,
        detail);
    ticker.advance(Duration.ofSeconds(2));
    journal.record(EventCategory.MITIGATION, "rollback", "rollback", "to #0 from #1");
    journal.record(EventCategory.RECOVERY, "rollback", "rollback", "succeeded");
    ticker.advance(Duration.ofSeconds(3));
    journal.record(EventCategory.RECOVERY, name, "transition", null, null, Health.UP, detail);
    journal.record(EventCategory.RESOLUTION, "cascade", "severity", Severity.NORMAL, null, null,
        "MAJOR -> NORMAL");
    journal.record(EventCategory.RECOVERY, "cascade", "restored", null, Tier.STANDARD, null,
        detail);
    ticker.advance(Duration.ofMinutes(6));
    return IncidentTracker.analyse(journal, Duration.ofMinutes(5)).get(0);
  }

  @Test
  void markdown_benignIncident_hasTheTemplateHeadingsAndBlanks() {
    String markdown = IncidentReport.markdown(incident("payments", "failure rate 62.5%"));

    assertThat(markdown).startsWith("# Incident #1: MAJOR, resolved\n");
    assertThat(markdown.lines().filter(line -> line.startsWith("## ")))
        .containsExactly("## Summary", "## Impact", "## Trigger", "## Detection",
            "## Resolution", "## Root cause and contributing factors", "## Timeline",
            "## Lessons learned", "## Action items");
    assertThat(markdown).contains("| detected | 2026-12-02T09:00:00.000Z | +0.000s |",
        "| recovered | 2026-12-02T09:00:05.000Z | +5.000s |", "| MAJOR | 5.000s |",
        "payments (worst DOWN)", "**TO FILL IN**", "to recover 5.000s");
  }

  @Test
  void markdown_hostileNames_cannotForgeLinesOrMarkup() {
    String benign = IncidentReport.markdown(incident("payments", "detail"));
    String hostile = IncidentReport.markdown(incident(HOSTILE, HOSTILE));

    assertThat(hostile.lines().count()).isEqualTo(benign.lines().count());
    assertThat(hostile).doesNotContain("\u001b", "</script>", "<b", "\ud800")
        .contains("pay\\\\nments\\\\u001b\\[31m&lt;/script&gt;&lt;b onload=x&gt;&amp;amp;\\|");
  }

  @Test
  void json_hostileNames_parsesAndRoundTrips() {
    String json = IncidentReport.json(incident(HOSTILE, HOSTILE));

    Map<String, Object> document = StrictJson.object(StrictJson.parse(json));
    assertThat(document.get("schema")).isEqualTo(IncidentReport.JSON_SCHEMA);
    assertThat(document.get("peakSeverity")).isEqualTo("MAJOR");
    List<Object> components = StrictJson.array(document.get("components"));
    assertThat(StrictJson.object(components.get(0)).get("name")).isEqualTo(HOSTILE);
    Map<String, Object> milestones = StrictJson.object(document.get("milestones"));
    assertThat(milestones.keySet())
        .containsExactly("started", "detected", "mitigated", "recovered", "resolved");
    assertThat(StrictJson.object(milestones.get("recovered")).get("offsetNanos"))
        .isEqualTo(5 * SECOND);
    assertThat(document.get("timeToRecoverNanos")).isEqualTo(5 * SECOND);
    assertThat(json).doesNotContain("\u001b", "\n\u001b", "\ud800");
  }

  @Test
  void html_hostileNames_cannotInjectMarkup() {
    String html = IncidentReport.html(incident(HOSTILE, HOSTILE));

    assertThat(html).doesNotContain("</script>", "<b ", "\u001b", "\ud800", "<script")
        .contains("data-component=\"pay\\nments\\u001b[31m&lt;/script&gt;&lt;b onload=x&gt;"
            + "&amp;amp;|*_`#\\ud800\"");
  }

  @Test
  void html_timeline_hasLanesMilestonesAndAxis() {
    String html = IncidentReport.html(incident("payments", "failure rate 62.5%"));

    assertThat(html).contains("<g class=\"lane\" data-component=\"payments\">",
        "<g class=\"lane\" data-component=\"cascade\">",
        "<g class=\"lane\" data-component=\"rollback\">",
        "class=\"milestone\" data-milestone=\"detected\"",
        "class=\"milestone\" data-milestone=\"mitigated\"",
        "class=\"milestone\" data-milestone=\"recovered\"",
        "class=\"milestone\" data-milestone=\"resolved\"",
        "data-marker=\"rollback\"", "class=\"state\" data-health=\"DOWN\"",
        "class=\"mitigation\" data-kind=\"shed\"",
        "class=\"severity-step\" data-severity=\"MAJOR\"",
        "seconds from start");
    assertThat(html).doesNotContain("<script", "<link", "@import", "src=", "href=", "url(");
  }

  @Test
  void summary_namesPeakAndDurations() {
    assertThat(IncidentReport.summary(incident("payments", "x"))).isEqualTo(
        "incident #1 RESOLVED: peak MAJOR; time to detect 0us, to mitigate 0us,"
            + " to recover 5.000s, to resolve 5.000s");
  }
}
