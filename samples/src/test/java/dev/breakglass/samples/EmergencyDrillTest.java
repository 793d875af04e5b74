package dev.breakglass.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmergencyDrillTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return EmergencyDrill.run(args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void run_fast_goesThroughTheIncidentInOrderAndSucceeds() {
    int status = run("--fast");

    String timeline = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as("exit status; stderr:%n%s", err.toString(StandardCharsets.UTF_8))
        .isZero();
    assertThat(timeline).containsSubsequence(
        "release 2026.11.3 marked known-stable",
        "release 2026.11.4 applied",
        "payment-client     transition   CLOSED -> OPEN",
        "cascade            severity     NORMAL -> MAJOR: payment-client (CRITICAL) DOWN",
        "STANDARD shed at MAJOR: recommendations",
        "cascade            deferring    STANDARD work deferred at MAJOR",
        "front-door   at MAJOR: limit 6 of 10, STANDARD refused",
        "~ payment.timeoutMillis: 800 -> 1",
        "rollback           restore      succeeded",
        "rollback           validate     succeeded",
        "payment-client     transition   HALF_OPEN -> CLOSED",
        "cascade            severity     MAJOR -> MINOR",
        "STANDARD deferral ended at MINOR",
        "cascade            severity     MINOR -> NORMAL",
        "http-front         stopped",
        "checkout-handler   stopped",
        "payment-client     stopped",
        "incident journal:",
        "drill passed: 27 expectations held");
    assertThat(timeline).containsSubsequence(
        "payment-client     transition   CLOSED -> OPEN",
        "payment-client     transition   OPEN -> HALF_OPEN",
        "payment-client     transition   HALF_OPEN -> CLOSED");
    assertThat(timeline).doesNotContain("FAIL");
  }

  @Test
  void run_fast_derivesTheIncidentAndWritesTheReport(@TempDir Path reports) throws IOException {
    int status = run("--fast", "--report-dir", reports.toString());

    String output = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as("exit status; stderr:%n%s", err.toString(StandardCharsets.UTF_8))
        .isZero();
    assertThat(output).contains(
        "  ok    the journal makes one incident, resolved",
        "  ok    the incident is detected when the payment breaker trips, not before",
        "  ok    it is mitigated no later than the first shed or fallback",
        "  ok    it recovers once the breaker is CLOSED again (HALF_OPEN -> CLOSED)",
        "  ok    it resolves after severity is back to NORMAL",
        "incident #1 RESOLVED: peak MAJOR; time to detect ",
        "post-incident report: " + reports.toAbsolutePath().normalize()
            + "/report.{md,json,html}");
    String markdown = Files.readString(reports.resolve("report.md"));
    assertThat(markdown).startsWith("# Incident #1: MAJOR, resolved")
        .contains("payment-client (worst DOWN)", "| fallback | payment-client |",
            "| shed | cascade | STANDARD |", "| rollback | rollback |", "**TO FILL IN**");
    assertThat(Files.readString(reports.resolve("report.json")))
        .startsWith("{\"schema\":\"breakglass.incident/1\"")
        .contains("\"peakSeverity\":\"MAJOR\"", "\"status\":\"RESOLVED\"");
    assertThat(Files.readString(reports.resolve("report.html")))
        .contains("<g class=\"lane\" data-component=\"payment-client\">",
            "<g class=\"lane\" data-component=\"cascade\">",
            "class=\"milestone\" data-milestone=\"detected\"",
            "class=\"milestone\" data-milestone=\"resolved\"", "data-marker=\"rollback\"");
  }

  @Test
  void run_badFlag_exitsWithTwoAndSaysWhich() {
    assertThat(run("--seconds", "-3")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--seconds must be > 0, was -3");
    assertThat(run("--seconds", "x")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--seconds must be a whole number, was 'x'");
    assertThat(run("--bogus")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown flag '--bogus'");
    assertThat(run("--report-dir")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--report-dir needs a value");
  }
}
