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
  void run_fast_printsTheSeverityTimelineAndSucceeds() {
    assertThat(run("--fast")).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("NORMAL -> MINOR", "MINOR -> MAJOR", "MAJOR -> MINOR", "MINOR -> NORMAL");
    assertThat(text.indexOf("NORMAL -> MINOR")).isLessThan(text.indexOf("MINOR -> MAJOR"));
    assertThat(text).contains("incident journal: 4 entries");
  }

  @Test
  void run_badFlag_exitsWithTwoAndSaysWhich() {
    assertThat(run("--seconds", "-3")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--seconds must be > 0, was -3");
    assertThat(run("--bogus")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown flag '--bogus'");
  }
}
