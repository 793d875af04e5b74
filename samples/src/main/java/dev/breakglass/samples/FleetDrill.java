package dev.breakglass.samples;

import dev.breakglass.core.Severity;
import dev.breakglass.fingerprint.SnapshotInfo;
import dev.breakglass.fingerprint.SnapshotStore;
import dev.breakglass.fingerprint.Value;
import dev.breakglass.fleet.Fleet;
import dev.breakglass.fleet.FleetDeclaration;
import dev.breakglass.fleet.FleetDrift;
import dev.breakglass.fleet.FleetTimeline;
import dev.breakglass.fleet.RollbackOrder;
import dev.breakglass.fleet.RollbackStatus;
import dev.breakglass.samples.drill.FleetMember;
import dev.breakglass.samples.drill.Shop;
import dev.breakglass.testing.LocalPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The fleet drill: three instances of the emergency drill's shop, each in a JVM of its own,
 * share one PostgreSQL; a bad configuration reaches all three; one operator declaration and one
 * rollback order bring all three back; and the fleet timeline shows all of it.
 *
 * <ol>
 *   <li>the fleet's known-stable configuration is recorded in the shared store, and three
 *       instances start on it, with traffic;
 *   <li>a bad change (the payment client's timeout) is deployed to every instance: each one's
 *       breaker opens and its cascade manager escalates on its own;
 *   <li>the operator declares MAJOR once, for the whole fleet: every instance adopts it;
 *   <li>the operator orders one rollback to the last known-stable configuration: every instance
 *       carries it out through its own hooks and reports each stage;
 *   <li>the operator clears the declaration: every breaker has closed, and every instance steps
 *       back down to NORMAL; the fleet has no drift left;
 *   <li>the instances shut down; the fleet timeline, merged from all three journals.
 * </ol>
 *
 * <pre>
 * mvn -B -q -Pfleet-drill -pl samples -am package
 * </pre>
 *
 * <p>It starts its own PostgreSQL from the machine's binaries (see
 * {@code dev.breakglass.testing.LocalPostgres}), or uses the server that the environment
 * variable {@code BREAKGLASS_PG_URL} names, in a schema of its own. Exit status 0 when every
 * expectation held, 1 when one did not (each is listed at the end).
 */
public final class FleetDrill {

  private static final int INSTANCES = 3;
  private static final String OPERATOR = "alice (on call)";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final PrintStream out;
  private final List<String> failures = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  private final List<Member> members = new ArrayList<>();
  private long origin;

  private FleetDrill(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the drill and exits with its status.
   *
   * @param args none
   */
  public static void main(String[] args) {
    System.exit(run(System.out, System.err));
  }

  /**
   * Runs the drill.
   *
   * @param out where the story goes
   * @param err where errors go
   * @return the exit status: 0 if every expectation held
   */
  public static int run(PrintStream out, PrintStream err) {
    FleetDrill drill = new FleetDrill(out);
    try {
      drill.script();
    } catch (Exception e) {
      drill.failures.add("the drill stopped with " + e);
      e.printStackTrace(err);
    } finally {
      drill.stopMembers();
    }
    return drill.verdict(err);
  }

  private void script() throws Exception {
    origin = System.nanoTime();
    out.println("breakglass fleet drill: " + INSTANCES + " instances, one PostgreSQL");
    LocalPostgres postgres = LocalPostgres.shared();
    String url = schema(postgres);
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(url);
    Fleet fleet = Fleet.builder(dataSource, "shop").build();
    fleet.createSchema();
    out.println("PostgreSQL: " + postgres);

    banner("1/6 the fleet's known-stable configuration; three instances start on it");
    Value stable = Value.from(Shop.initialConfiguration());
    Value bad = stable.with("release", "2026.11.4").with("payment.timeoutMillis", 1);
    SnapshotInfo badInfo;
    try (SnapshotStore store = SnapshotStore.builder(fleet.snapshotStorage()).open()) {
      SnapshotInfo stableInfo = store.append("release 2026.11.3", stable);
      store.markStable(stableInfo.fingerprint());
      say("release 2026.11.3 is the fleet's known-stable configuration, "
          + stableInfo.fingerprint().toShortString());
      badInfo = store.append("release 2026.11.4", bad);
    }
    for (int i = 1; i <= INSTANCES; i++) {
      members.add(Member.start(url, "shop", "shop-" + i, out));
    }
    for (Member member : members) {
      say(member.expect("ready ", WAIT));
    }
    check("three instances joined the fleet", fleet.members().stream()
        .filter(m -> m.isMember()).count() == INSTANCES);
    check("every instance runs the known-stable configuration", fleet.drift().isConverged());

    banner("2/6 a bad change reaches every instance");
    for (Member member : members) {
      member.send("apply " + badInfo.fingerprint().toHex());
      member.expect("applied ", WAIT);
    }
    say("release 2026.11.4 deployed to all " + INSTANCES + ", "
        + badInfo.fingerprint().toShortString() + " (payment timeout 800 ms -> 1 ms)");
    await("every breaker opens and every instance escalates to MAJOR on its own",
        status -> status.contains(" MAJOR OPEN "));
    awaitFleet("the fleet sees all three drift from the known-stable configuration",
        () -> fleet.drift().divergent().size() == INSTANCES);
    out.print(indent(fleet.drift().toString()));

    banner("3/6 one declaration for the whole fleet");
    FleetDeclaration declared = fleet.declare(Severity.MAJOR, OPERATOR,
        "INC-2026-11-21 payments timing out fleet-wide; hold MAJOR while we roll back");
    say(declared.describe());
    awaitFleet("every instance adopts the declaration", () -> fleet.members().stream()
        .allMatch(m -> m.adoptedDeclaration().orElse(-1) == declared.id()));
    await("every cascade manager holds the declared MAJOR",
        status -> status.contains(" MAJOR ") && status.endsWith(" declared"));

    banner("4/6 one rollback order to the last known-stable configuration");
    RollbackOrder order = fleet.orderRollback(OPERATOR,
        "INC-2026-11-21 back to the last known-stable configuration");
    say(order.describe());
    awaitFleet("every instance reports its rollback", () -> fleet.rollbackStatus(order)
        .isComplete());
    RollbackStatus status = fleet.rollbackStatus(order);
    out.print(indent(status.toString()));
    check("all three rolled back, every stage succeeded", status.succeeded() == INSTANCES);
    await("every breaker closes again through half-open trials",
        line -> line.contains(" CLOSED "));

    banner("5/6 the declaration is cleared: every instance steps down with hysteresis");
    FleetDeclaration cleared = fleet.clearDeclaration(OPERATOR,
        "payments healthy on every instance after the rollback");
    say(cleared.describe());
    await("every instance is back to NORMAL", line -> line.contains(" NORMAL CLOSED "));
    FleetDrift after = fleet.drift();
    out.print(indent(after.toString()));
    check("no drift left: every instance runs the known-stable configuration",
        after.isConverged());

    banner("6/6 the instances shut down; the fleet timeline");
    stopMembers();
    FleetTimeline timeline = fleet.timeline();
    out.println();
    out.print(timeline.toText());
    check("the timeline holds all three instances", timeline.instances().size() == INSTANCES);
    for (int i = 1; i <= INSTANCES; i++) {
      String id = "shop-" + i;
      check(id + ": breaker opened, declaration adopted, rolled back, stepped down, stopped",
          inOrder(timeline, id,
              e -> e.entry().detail().startsWith("CLOSED -> OPEN"),
              e -> e.entry().kind().equals("adopted")
                  && e.entry().detail().contains("(declaration #" + declared.id() + ")"),
              e -> e.entry().kind().equals("validate") && e.entry().detail()
                  .startsWith("succeeded"),
              e -> e.entry().detail().startsWith("MAJOR -> MINOR"),
              e -> e.entry().detail().startsWith("MINOR -> NORMAL"),
              e -> e.entry().kind().equals("stopped")));
    }
  }

  // ---- the instances ----

  /** A child JVM running {@link FleetMember}, and the lines it answered. */
  private record Member(String id, Process process, PrintWriter in,
      BlockingQueue<String> answers) {

    static Member start(String url, String fleet, String id, PrintStream out)
        throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          FleetMember.class.getName(), url, fleet, id)
          .redirectErrorStream(true)
          .start();
      BlockingQueue<String> answers = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
            process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = lines.readLine()) != null; ) {
            if (line.startsWith("ready ") || line.startsWith("applied ")
                || line.startsWith("status ") || line.startsWith("stopped ")) {
              answers.add(line);
            } else {
              out.println("    [" + id + "] " + line);
            }
          }
        } catch (IOException e) {
          answers.add("output lost: " + e);
        }
      }, "fleet-drill-" + id);
      reader.setDaemon(true);
      reader.start();
      return new Member(id, process, new PrintWriter(new OutputStreamWriter(
          process.getOutputStream(), StandardCharsets.UTF_8), true), answers);
    }

    void send(String command) {
      in.println(command);
    }

    String expect(String prefix, Duration wait) throws InterruptedException {
      String line = answers.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null || !line.startsWith(prefix)) {
        throw new IllegalStateException(id + " answered " + line + ", expected " + prefix
            + "...");
      }
      return line;
    }

    String status() throws InterruptedException {
      send("status");
      return expect("status ", WAIT);
    }
  }

  private void stopMembers() {
    for (Member member : members) {
      member.send("stop");
    }
    for (Member member : members) {
      try {
        if (!member.process().waitFor(30, TimeUnit.SECONDS)) {
          member.process().destroyForcibly();
          failures.add(member.id() + " did not stop within 30 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        member.process().destroyForcibly();
      }
    }
    members.clear();
  }

  // ---- expectations ----

  /** Polls every instance's status until each line matches, or fails the drill. */
  private void await(String expectation, Predicate<String> each) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> last = new ArrayList<>();
    while (true) {
      last.clear();
      for (Member member : members) {
        last.add(member.status());
      }
      if (last.stream().allMatch(each)) {
        check(expectation, true);
        for (String line : last) {
          out.println("    " + line.substring("status ".length()));
        }
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        check(expectation + " (last: " + last + ")", false);
        throw new IllegalStateException("expected: " + expectation);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  /** A condition on the fleet's tables. */
  @FunctionalInterface
  private interface FleetCondition {
    boolean holds() throws IOException;
  }

  private void awaitFleet(String expectation, FleetCondition condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() - deadline > 0) {
        check(expectation, false);
        throw new IllegalStateException("expected: " + expectation);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    check(expectation, true);
  }

  private void check(String expectation, boolean held) {
    checks.add((held ? "  ok    " : "  FAIL  ") + expectation);
    if (!held) {
      failures.add(expectation);
    }
  }

  @SafeVarargs
  private static boolean inOrder(FleetTimeline timeline, String instance,
      Predicate<FleetTimeline.Entry>... steps) {
    int next = 0;
    for (FleetTimeline.Entry entry : timeline.entries()) {
      if (next < steps.length && instance.equals(entry.instance()) && steps[next].test(entry)) {
        next++;
      }
    }
    return next == steps.length;
  }

  private int verdict(PrintStream err) {
    out.println();
    out.println("expectations:");
    checks.forEach(out::println);
    if (failures.isEmpty()) {
      out.printf(Locale.ROOT, "fleet drill passed: %d expectations held in %.1f s%n",
          checks.size(), (System.nanoTime() - origin) / 1e9);
      return 0;
    }
    err.println("fleet drill FAILED: " + String.join("; ", failures));
    return 1;
  }

  // ---- printing ----

  private void banner(String title) {
    out.println();
    out.println("[" + String.format(Locale.ROOT, "+%.3fs", (System.nanoTime() - origin) / 1e9)
        + "] " + title);
  }

  private void say(String line) {
    out.println("    " + line);
  }

  private static String indent(String text) {
    return text.lines().map(line -> "    " + line + "\n").reduce("", String::concat);
  }

  /** A schema of the drill's own on the server, so that it never meets another run's rows. */
  private static String schema(LocalPostgres postgres) throws Exception {
    String schema = "fleet_drill_" + Long.toString(System.currentTimeMillis(), 36);
    try (Connection connection = DriverManager.getConnection(postgres.adminUrl());
        PreparedStatement create = connection.prepareStatement(
            "CREATE SCHEMA \"" + schema + "\"")) {
      create.execute();
    }
    String admin = postgres.adminUrl();
    return admin + (admin.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
