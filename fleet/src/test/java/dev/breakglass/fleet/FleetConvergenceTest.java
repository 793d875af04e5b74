package dev.breakglass.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.Severity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Three JVMs, each an instance of one fleet, converge on every declared severity. The test
 * also measures the delay from a declaration's commit to each instance's adoption (by the
 * database's clock: the declaration's timestamp and the adoption's, both taken by PostgreSQL)
 * and prints it; it asserts convergence, never a time.
 */
class FleetConvergenceTest {

  private static final int INSTANCES = 3;
  private static final int DECLARATIONS = 100;

  /** A child JVM and the lines it printed. */
  private record Child(Process process, PrintWriter in, BlockingQueue<String> out) {
    String next(String expected) throws InterruptedException {
      String line = out.poll(Await.LIMIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(line).as("%s from %s", expected, process).isNotNull().startsWith(expected);
      return line;
    }
  }

  @Test
  void threeJvms_convergeOnEveryDeclaredSeverity() throws Exception {
    TestDataSource dataSource = TestDatabases.create("converge");
    Fleet fleet = Fleet.builder(dataSource, "shop").build();
    fleet.createSchema();
    List<Child> children = new ArrayList<>();
    try {
      for (int i = 1; i <= INSTANCES; i++) {
        children.add(start(dataSource.url(), "shop", "shop-" + i));
      }
      for (Child child : children) {
        child.next("ready ");
      }

      List<Long> delays = new ArrayList<>();
      Severity[] cycle = {Severity.MAJOR, Severity.CRITICAL, Severity.MINOR, Severity.NORMAL};
      FleetDeclaration last = null;
      try (Connection connection = DriverManager.getConnection(dataSource.url());
          PreparedStatement adopted = connection.prepareStatement("SELECT adopted_at FROM"
              + " breakglass_fleet_members WHERE fleet = 'shop' AND adopted_declaration = ?")) {
        for (int n = 0; n < DECLARATIONS; n++) {
          last = fleet.declare(cycle[n % cycle.length], "load test", "declaration " + n);
          adopted.setLong(1, last.id());
          List<OffsetDateTime> times = new ArrayList<>();
          long deadline = System.nanoTime() + Await.LIMIT.toNanos();
          while (times.size() < INSTANCES) {
            assertThat(System.nanoTime() - deadline).as("all adopted #%s", last.id())
                .isNegative();
            times.clear();
            try (ResultSet rows = adopted.executeQuery()) {
              while (rows.next()) {
                times.add(rows.getObject(1, OffsetDateTime.class));
              }
            }
            if (times.size() < INSTANCES) {
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
          }
          for (OffsetDateTime time : times) {
            delays.add(Duration.between(last.at(), time.toInstant()).toNanos());
          }
        }
      }

      for (Child child : children) {
        child.in().println("report");
        child.in().flush();
        assertThat(child.next("severity ")).isEqualTo("severity " + last.severity() + " "
            + last.id());
      }
      report(delays);
    } finally {
      for (Child child : children) {
        child.in().println("stop");
        child.in().flush();
      }
      for (Child child : children) {
        if (!child.process().waitFor(30, TimeUnit.SECONDS)) {
          child.process().destroyForcibly();
        }
      }
    }
    for (Child child : children) {
      assertThat(child.process().exitValue()).as("exit status of %s", child.process()).isZero();
    }
  }

  private static Child start(String url, String fleet, String id) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Xmx128m", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
        FleetMemberProcess.class.getName(), url, fleet, id)
        .redirectErrorStream(true)
        .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith("ready ") || line.startsWith("severity ")
              || line.startsWith("stopped ")) {
            lines.add(line);
          } else {
            System.out.println(id + ": " + line); // logging, stack traces: into the report
          }
        }
      } catch (IOException e) {
        lines.add("output closed: " + e);
      }
    }, "output-" + id);
    reader.setDaemon(true);
    reader.start();
    return new Child(process, new PrintWriter(new OutputStreamWriter(process.getOutputStream(),
        StandardCharsets.UTF_8)), lines);
  }

  private static void report(List<Long> delays) throws IOException {
    List<Long> sorted = new ArrayList<>(delays);
    Collections.sort(sorted);
    String table = String.format(Locale.ROOT, "commit-to-adoption delay, %d instances (JVMs),"
            + " %d declarations, %d adoptions, by PostgreSQL's clock%n"
            + "| p50 | p90 | p99 | max |%n|---|---|---|---|%n| %.1f ms | %.1f ms | %.1f ms"
            + " | %.1f ms |%n",
        INSTANCES, DECLARATIONS, sorted.size(), percentile(sorted, 50), percentile(sorted, 90),
        percentile(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
    System.out.print(table);
    Files.writeString(Path.of("target", "fleet-convergence.md"), table);
  }

  private static double percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index)) / 1e6;
  }
}
