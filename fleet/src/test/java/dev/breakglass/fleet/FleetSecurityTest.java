package dev.breakglass.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Declaration;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Severity;
import dev.breakglass.fingerprint.RollbackPlan;
import dev.breakglass.fingerprint.SnapshotInfo;
import dev.breakglass.fingerprint.SnapshotStore;
import dev.breakglass.fingerprint.Value;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Text from people and programs is stored verbatim and never executed; table names are quoted;
 * and the module works with no more than the privileges its documentation grants.
 */
class FleetSecurityTest {

  /** Quotes, semicolons, comments, dollar quoting, backslashes, SQL: all stored as text. */
  private static final String HOSTILE = "x'); DROP TABLE canary; -- \"; DELETE FROM canary;"
      + " $$ $q$ \\' \\\\ /* */ %s {0} \u00e9\u202e\uD83D\uDE80 \n\tOR 1=1";

  private static TestDataSource dataSource;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void database() throws SQLException {
    dataSource = TestDatabases.create("security");
    admin("CREATE TABLE canary (alive boolean)");
    admin("INSERT INTO canary VALUES (true)");
  }

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    assertThat(canaryAlive()).as("the canary table survived").isTrue();
  }

  @Test
  void hostileNamesAndReasons_areStoredVerbatimAndNeverExecuted() throws Exception {
    Fleet fleet = Fleet.builder(dataSource, "fleet " + HOSTILE.substring(0, 60)).build()
        .group("group " + HOSTILE.substring(0, 40));
    IncidentJournal journal = IncidentJournal.create(256);
    CascadeManager manager = Instances.manager(journal);
    FleetInstance instance = Instances.fast(fleet, "instance " + HOSTILE.substring(0, 50))
        .host("host " + HOSTILE.substring(0, 30)).declarationsTo(manager).journal(journal)
        .start();
    opened.add(instance);
    Await.until("connected", () -> instance.status().connected());

    FleetDeclaration declared = fleet.declare(Severity.MAJOR, "by " + HOSTILE.substring(0, 80),
        "reason " + HOSTILE);
    journal.record("source " + HOSTILE, "kind " + HOSTILE, "detail " + HOSTILE);

    assertThat(fleet.declaration()).contains(declared);
    Await.until("adopted", () -> manager.declaration().isPresent());
    Declaration adopted = manager.declaration().orElseThrow();
    assertThat(adopted.by()).isEqualTo("by " + HOSTILE.substring(0, 80));
    assertThat(adopted.reason()).isEqualTo("reason " + HOSTILE + " (fleet declaration #"
        + declared.id() + ")");
    assertThat(fleet.members()).singleElement().satisfies(member -> {
      assertThat(member.instance()).isEqualTo("instance " + HOSTILE.substring(0, 50));
      assertThat(member.group()).isEqualTo("group " + HOSTILE.substring(0, 40));
      assertThat(member.host()).isEqualTo("host " + HOSTILE.substring(0, 30));
    });
    Await.until("shipped", () -> fleet.timeline().entries().stream()
        .anyMatch(e -> e.entry().detail().equals("detail " + HOSTILE)));
    FleetTimeline.Entry shipped = fleet.timeline().entries().stream()
        .filter(e -> e.entry().detail().equals("detail " + HOSTILE)).findFirst().orElseThrow();
    assertThat(shipped.entry().source()).isEqualTo("source " + HOSTILE);
    assertThat(shipped.entry().kind()).isEqualTo("kind " + HOSTILE);
    assertThat(shipped.instance()).isEqualTo("instance " + HOSTILE.substring(0, 50));
    // rendered one entry to a line, whatever the text holds (one snapshot: the instance may
    // ship more entries, such as its adoption of the declaration, between two reads)
    FleetTimeline timeline = fleet.timeline();
    String text = timeline.toText();
    assertThat(text.lines().count()).isEqualTo(timeline.entries().size() + 1);
    assertThat(text).doesNotContain("\u202e").contains("\\u202e", "\\n\\tOR 1=1");
  }

  @Test
  void journalText_postgresCannotHold_isShippedWithAVisibleReplacement() throws Exception {
    Fleet fleet = Fleet.builder(dataSource, "nul-journal").build();
    IncidentJournal journal = IncidentJournal.create(64);
    FleetInstance instance = Instances.fast(fleet, "shop-1").journal(journal).start();
    opened.add(instance);

    journal.record("parser", "error", "byte \u0000 and lone \uD800 surrogate");

    Await.until("shipped", () -> fleet.timeline().entries().stream()
        .anyMatch(e -> e.entry().source().equals("parser")));
    assertThat(fleet.timeline().entries()).filteredOn(e -> e.entry().source().equals("parser"))
        .singleElement().satisfies(e -> assertThat(e.entry().detail())
            .isEqualTo("byte \u2400 and lone \uFFFD surrogate"));
    assertThat(instance.status().dropped()).isZero();
  }

  @Test
  void hostileSchemaAndTablePrefix_areQuotedEverywhere() throws Exception {
    Fleet fleet = Fleet.builder(dataSource, "quoted")
        .schema("s\"; DROP TABLE canary; --")
        .tablePrefix("p'\"; DELETE FROM canary; ")
        .build();
    IncidentJournal journal = IncidentJournal.create(64);
    CascadeManager manager = Instances.manager(journal);
    FleetInstance instance = Instances.fast(fleet, "shop-1").declarationsTo(manager)
        .journal(journal).start();
    opened.add(instance);
    try (SnapshotStore store = SnapshotStore.builder(fleet.snapshotStorage()).open()) {
      SnapshotInfo v1 = store.append("v1", Value.from(Map.of("a", 1)));
      store.markStable(v1.fingerprint());
      assertThat(store.lastKnownStable().orElseThrow().info()).isEqualTo(v1);
    }
    fleet.declare(Severity.MINOR, "alice", "quoted tables");
    Await.until("adopted through the quoted channel", () -> manager.severity() == Severity.MINOR);

    assertThat(count("SELECT count(*) FROM \"s\"\"; DROP TABLE canary; --\"."
        + "\"p'\"\"; DELETE FROM canary; snapshots\"")).isEqualTo(1);
    assertThat(fleet.schemaSql()).contains("CREATE TABLE IF NOT EXISTS \"s\"\"; DROP TABLE"
        + " canary; --\".\"p'\"\"; DELETE FROM canary; snapshots\"");
  }

  @Test
  void builder_namesPostgresWouldCutOrRefuse_areRejectedWithTheValue() {
    assertThatThrownBy(() -> Fleet.builder(dataSource, "x").tablePrefix("p".repeat(42)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tablePrefix must be at most 41 bytes of UTF-8 (PostgreSQL"
            + " identifiers hold 63), was 42");
    assertThatThrownBy(() -> Fleet.builder(dataSource, "x").schema("s\u0000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("schema must not contain U+0000, which PostgreSQL text cannot hold;"
            + " found at index 1");
    assertThatThrownBy(() -> Fleet.builder(dataSource, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank, was ''");
    Fleet fleet = Fleet.builder(dataSource, "x").build();
    assertThatThrownBy(() -> fleet.instance("a\u0000b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("instanceId must not contain U+0000");
    assertThatThrownBy(() -> fleet.group(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("group must not be blank, was ' '");
  }

  @Test
  void tablePrefix_ofTheLongestLength_namesEveryTableAndIndexInFull() throws Exception {
    String prefix = "p".repeat(40) + "_"; // 41 bytes, the most a prefix may hold
    Fleet fleet = Fleet.builder(dataSource, "long").tablePrefix(prefix).build();

    fleet.createSchema();

    List<String> names = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(dataSource.url());
        PreparedStatement select = connection.prepareStatement("SELECT relname FROM pg_class"
            + " WHERE relname LIKE ? AND relkind IN ('r', 'i') ORDER BY relname")) {
      select.setString(1, prefix + "%");
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1).substring(prefix.length()));
        }
      }
    }
    assertThat(names).contains("snapshot_stores", "snapshots", "stable_marks", "fleet_members",
        "fleet_declarations", "fleet_declarations_ix", "fleet_rollback_orders",
        "fleet_orders_ix", "fleet_rollback_results", "fleet_rollback_stages", "fleet_journal",
        "fleet_journal_ix");
  }

  @Test
  void grantedPrivilegesOnly_everyFleetOperationWorks() throws Exception {
    String role = "fleet_app_" + TestDatabases.RUN;
    admin("DROP ROLE IF EXISTS " + role);
    admin("CREATE ROLE " + role + " LOGIN");
    Fleet asAdmin = Fleet.builder(dataSource, "least").schema("ops").build();
    for (String statement : asAdmin.schemaSql().split(";\n")) {
      admin(statement);
    }
    for (String statement : asAdmin.grantSql(role).split(";\n")) {
      admin(statement);
    }
    Fleet fleet = Fleet.builder(dataSource.as(role), "least").schema("ops")
        .createSchema(false).build();

    // an instance with everything: store, plan, manager, journal
    AtomicReference<Value> running = new AtomicReference<>(Value.from(Map.of("v", 2)));
    IncidentJournal journal = IncidentJournal.create(256);
    CascadeManager manager = Instances.manager(journal);
    SnapshotStore store = SnapshotStore.builder(fleet.snapshotStorage()).retain(1).open();
    opened.add(store);
    SnapshotInfo v1 = store.append("v1", Value.from(Map.of("v", 1)));
    store.markStable(v1.fingerprint());
    store.append("v2", running.get());
    store.append("v3", Value.from(Map.of("v", 3)));
    store.compact(); // DELETE
    RollbackPlan plan = RollbackPlan.builder(store)
        .restore(context -> running.set(context.target().value())).build();
    FleetInstance instance = Instances.fast(fleet, "shop-1").declarationsTo(manager)
        .state(running::get).rollback(plan, store).journal(journal).start();
    opened.add(instance);
    Await.until("connected", () -> instance.status().connected());

    fleet.declare(Severity.MAJOR, "alice", "least privilege");
    Await.until("adopted", () -> manager.severity() == Severity.MAJOR);
    RollbackOrder order = fleet.orderRollback("alice", "least privilege");
    Await.until("rolled back", () -> fleet.rollbackStatus(order).succeeded() == 1);
    assertThat(running.get()).isEqualTo(Value.from(Map.of("v", 1)));
    assertThat(fleet.drift().isConverged()).isTrue();
    Await.until("shipped", () -> fleet.timeline().entries().stream()
        .anyMatch(e -> e.entry().kind().equals("adopted")));
    fleet.clearDeclaration("alice", "done");

    // and nothing beyond: the role cannot drop, truncate, or create
    assertThatThrownBy(() -> fleet.createSchema()).isInstanceOf(IOException.class)
        .hasMessageContaining("permission denied");
    try (Connection connection = dataSource.as(role).getConnection();
        PreparedStatement truncate = connection.prepareStatement(
            "TRUNCATE ops.breakglass_fleet_journal")) {
      assertThatThrownBy(truncate::execute).isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void missingTables_withoutCreateSchema_sayWhatToDo() {
    Fleet fleet = Fleet.builder(dataSource, "nowhere").schema("absent").createSchema(false)
        .build();

    assertThatThrownBy(fleet::members).isInstanceOf(IOException.class)
        .hasMessageContaining("are missing: build the fleet with createSchema(true), or run"
            + " Fleet.schemaSql() first");
  }

  // ------------------------------------------------------------------------- helpers

  private static void admin(String statement) throws SQLException {
    try (Connection connection = DriverManager.getConnection(dataSource.url());
        PreparedStatement run = connection.prepareStatement(statement)) {
      run.execute();
    }
  }

  private static boolean canaryAlive() throws SQLException {
    try (Connection connection = DriverManager.getConnection(dataSource.url());
        PreparedStatement select = connection.prepareStatement("SELECT alive FROM canary");
        ResultSet rows = select.executeQuery()) {
      return rows.next() && rows.getBoolean(1);
    }
  }

  private static long count(String query) throws SQLException {
    try (Connection connection = DriverManager.getConnection(dataSource.url());
        PreparedStatement select = connection.prepareStatement(query);
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
