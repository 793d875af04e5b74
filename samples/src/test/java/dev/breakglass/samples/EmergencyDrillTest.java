package dev.breakglass.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
        "drill passed: 22 expectations held");
    assertThat(timeline).containsSubsequence(
        "payment-client     transition   CLOSED -> OPEN",
        "payment-client     transition   OPEN -> HALF_OPEN",
        "payment-client     transition   HALF_OPEN -> CLOSED");
    assertThat(timeline).doesNotContain("FAIL");
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
  }
}
