package dev.breakglass.cascade.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.Tier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** A real SIGTERM, in a child JVM: the hook stops the components in order, once. */
class ShutdownHookProcessTest {

  /** The child: installs the hook, says it is ready, and waits to be terminated. */
  public static void main(String[] args) throws InterruptedException {
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("http-front").tier(Tier.CRITICAL)
            .onStopIntake(() -> System.out.println("stop http-front intake"))
            .onDrain(() -> System.out.println("drain http-front"))
            .build(), "database")
        .add(Component.of("database", Tier.CRITICAL, () -> System.out.println("release database")))
        .build();
    ShutdownSequencer sequencer = ShutdownSequencer.builder(graph)
        .deadline(Duration.ofSeconds(5)).build();
    sequencer.installShutdownHook(report -> {
      System.out.print(report.toText());
      System.out.println("same report after the hook: " + (sequencer.shutdown() == report));
      System.out.flush();
    });
    System.out.println("ready");
    System.out.flush();
    new CountDownLatch(1).await();
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void sigterm_runsTheShutdownPlanOnceWithinTheDeadline() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xshare:auto", "-cp",
        System.getProperty("java.class.path"), ShutdownHookProcessTest.class.getName())
        .redirectErrorStream(true)
        .start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> lines = new ArrayList<>();
      String line = out.readLine();
      while (line != null && !line.equals("ready")) {
        lines.add(line);
        line = out.readLine();
      }
      assertThat(line).as("child output before ready: %s", lines).isEqualTo("ready");

      assertThat(child.toHandle().destroy()).isTrue(); // SIGTERM, keeping our end of the pipe open
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      for (line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
      assertThat(lines).startsWith(
          "stop http-front intake", "drain http-front", "release database");
      assertThat(lines.get(3)).matches(
          "shutdown at \\S+: 2 components in 2 waves, 2 stopped; took \\S+ of a 5.000s deadline");
      assertThat(lines).contains("same report after the hook: true");
      assertThat(lines).filteredOn(l -> l.equals("release database")).hasSize(1);
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.exitValue()).isEqualTo(143); // 128 + SIGTERM
  }

}
