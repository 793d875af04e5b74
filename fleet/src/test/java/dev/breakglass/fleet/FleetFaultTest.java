package dev.breakglass.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Severity;
import dev.breakglass.fingerprint.SnapshotInfo;
import dev.breakglass.fingerprint.SnapshotStore;
import dev.breakglass.fingerprint.Value;
import dev.breakglass.testing.LocalPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The database dies or drops connections: nothing acknowledged is lost, everyone catches up. */
class FleetFaultTest {

  @Test
  void server_killedWithSigkillDuringAppends_keepsEveryAcknowledgedSnapshot() throws Exception {
    try (LocalPostgres server = LocalPostgres.start()) {
      TestDataSource dataSource = TestDatabases.create(server);
      Fleet fleet = Fleet.builder(dataSource, "shop").build();
      IncidentJournal journal = IncidentJournal.create(1024);
      CascadeManager manager = Instances.manager(journal);
      FleetInstance listening = Instances.fast(fleet, "shop-1").declarationsTo(manager)
          .journal(journal).start();
      List<SnapshotStore> stores = List.of(
          SnapshotStore.builder(fleet.snapshotStorage()).retain(10_000).open(),
          SnapshotStore.builder(fleet.snapshotStorage()).retain(10_000).open());
      try {
        Await.until("connected", () -> listening.status().connected());
        Map<String, SnapshotInfo> acknowledged = new ConcurrentHashMap<>();
        Set<String> failed = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicBoolean killed = new AtomicBoolean();
        CountDownLatch writersDone = new CountDownLatch(stores.size());
        for (int s = 0; s < stores.size(); s++) {
          SnapshotStore store = stores.get(s);
          int writer = s;
          Thread thread = new Thread(() -> {
            int failuresInARow = 0;
            try {
              for (int i = 0; failuresInARow < 3; i++) {
                String label = "w" + writer + "-" + i;
                try {
                  acknowledged.put(label, store.append(label, config(writer, i)));
                  failuresInARow = 0;
                } catch (IOException e) {
                  failed.add(label);
                  if (killed.get()) {
                    failuresInARow++;
                  }
                }
              }
            } catch (RuntimeException | Error e) {
              unexpected.add(e);
            } finally {
              writersDone.countDown();
            }
          }, "writer-" + s);
          thread.setDaemon(true);
          thread.start();
        }
        Await.until("some appends acknowledged", () -> acknowledged.size() >= 20);

        server.kill();
        killed.set(true);
        assertThat(writersDone.await(Await.LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(unexpected).isEmpty();
        Await.until("the listener noticed", () -> !listening.status().connected());
        server.restart();

        try (SnapshotStore after = SnapshotStore.builder(fleet.snapshotStorage())
            .retain(10_000).open()) {
          Set<String> present = new HashSet<>();
          for (SnapshotInfo info : after.history()) {
            present.add(info.label());
          }
          for (SnapshotInfo info : acknowledged.values()) {
            assertThat(after.history()).as("acknowledged %s", info.label()).contains(info);
            assertThat(after.load(info.fingerprint()).info().fingerprint())
                .isEqualTo(info.fingerprint());
          }
          Set<String> attempted = new HashSet<>(acknowledged.keySet());
          attempted.addAll(failed);
          assertThat(attempted).containsAll(present); // in flight: present or reported failed
          assertThat(failed).isNotEmpty();
          long failedButPresent = failed.stream().filter(present::contains).count();
          System.out.printf("SIGKILL during appends: %d acknowledged, all present and verified;"
              + " %d reported failed, %d of them present after the restart%n",
              acknowledged.size(), failed.size(), failedButPresent);
        }
        // the stores that lived through it go on: they re-read, and append after the rest
        for (SnapshotStore store : stores) {
          SnapshotInfo next = store.append("after restart", config(9, stores.indexOf(store)));
          assertThat(store.load(next.fingerprint()).info()).isEqualTo(next);
        }
        Await.until("the listener is back", () -> listening.status().connected());
        fleet.declare(Severity.MAJOR, "alice", "after the restart");
        Await.until("adopted", () -> manager.severity() == Severity.MAJOR);
        assertThat(listening.status().reconnects()).isGreaterThanOrEqualTo(1);
      } finally {
        listening.close();
        for (SnapshotStore store : stores) {
          store.close();
        }
      }
    }
  }

  @Test
  void listener_connectionTerminated_reconnectsAndAdoptsWhatWasDeclaredMeanwhile()
      throws Exception {
    TestDataSource admin = TestDatabases.create("terminate");
    Fleet asAdmin = Fleet.builder(admin, "shop").build();
    asAdmin.createSchema();
    String role = "fleet_listener_" + TestDatabases.RUN;
    sql(admin, "DROP ROLE IF EXISTS " + role);
    sql(admin, "CREATE ROLE " + role + " LOGIN");
    for (String grant : asAdmin.grantSql(role).split(";\n")) {
      sql(admin, grant);
    }
    // the tables are in the connection's current schema: the role needs to reach it
    sql(admin, "DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(),"
        + " '" + role + "'); END $$");
    Fleet fleet = Fleet.builder(admin.as(role), "shop").createSchema(false).build();
    IncidentJournal journal = IncidentJournal.create(1024);
    CascadeManager manager = Instances.manager(journal);
    FleetInstance instance = Instances.fast(fleet, "shop-1").declarationsTo(manager)
        .journal(journal).reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
        .start();
    try {
      Await.until("connected", () -> instance.status().connected());

      // the instance's role may not connect any more, and its sessions are ended
      sql(admin, "DO $$ BEGIN EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC',"
          + " current_database()); END $$");
      sql(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '"
          + role + "'");
      Await.until("disconnected", () -> !instance.status().connected());
      FleetDeclaration meanwhile = asAdmin.declare(Severity.CRITICAL, "alice", "declared while"
          + " the instance was away: its notification is lost");
      assertThat(manager.declaration()).isEmpty();

      sql(admin, "DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO PUBLIC',"
          + " current_database()); END $$");

      Await.until("adopted on reconnecting", () -> manager.severity() == Severity.CRITICAL);
      Await.until("journalled", () -> journal.entries().stream().anyMatch(e -> e.detail()
          .contains("(declaration #" + meanwhile.id() + "); adopted on reconnecting")));
      assertThat(instance.status().reconnects()).isGreaterThanOrEqualTo(1);
      List<String> kinds = new ArrayList<>();
      for (JournalEntry entry : journal.entries()) {
        if (entry.source().equals("fleet")) {
          kinds.add(entry.kind());
        }
      }
      assertThat(kinds).containsSubsequence("joined", "unreachable", "reconnected", "adopted");
    } finally {
      sql(admin, "DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO PUBLIC',"
          + " current_database()); END $$");
      instance.close();
    }
  }

  private static Value config(int writer, int i) {
    return Value.from(Map.of("writer", writer, "i", i));
  }

  private static void sql(TestDataSource dataSource, String statement) throws SQLException {
    try (Connection connection = DriverManager.getConnection(dataSource.url());
        PreparedStatement run = connection.prepareStatement(statement)) {
      run.execute();
    }
  }
}
