package dev.breakglass.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The fleet drill, as the README runs it: three JVMs and one PostgreSQL. */
class FleetDrillTest {

  @Test
  void run_threeInstancesOneDeclarationOneRollbackOrder_succeeds() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = FleetDrill.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    String story = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as("exit status; output:%n%s%nstderr:%n%s", story,
        err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(story).containsSubsequence(
        "1/6 the fleet's known-stable configuration",
        "ready shop-1", "ready shop-2", "ready shop-3",
        "2/6 a bad change reaches every instance",
        "3 of 3 members drifted from",
        "3/6 one declaration for the whole fleet",
        "MAJOR declared for the whole fleet by alice (on call)",
        "4/6 one rollback order",
        "3 succeeded, 0 failed, 0 running, 0 not reporting",
        "5/6 the declaration is cleared",
        "0 of 3 members drifted from",
        "fleet timeline 'shop': ",
        "fleet drill passed: 15 expectations held");
    assertThat(story).doesNotContain("FAIL");
  }
}
