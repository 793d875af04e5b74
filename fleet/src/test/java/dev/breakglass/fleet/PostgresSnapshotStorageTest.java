package dev.breakglass.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.fingerprint.Fingerprint;
import dev.breakglass.fingerprint.SnapshotInfo;
import dev.breakglass.fingerprint.SnapshotIntegrityException;
import dev.breakglass.fingerprint.SnapshotStorage;
import dev.breakglass.fingerprint.SnapshotStore;
import dev.breakglass.fingerprint.StableMark;
import dev.breakglass.fingerprint.StorageConflictException;
import dev.breakglass.fingerprint.Value;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the PostgreSQL storage adds to the contract: tampering, and stores racing. */
class PostgresSnapshotStorageTest {

  private static final AtomicInteger STORES = new AtomicInteger();
  private static TestDataSource dataSource;
  private static Fleet fleet;
  private static ExecutorService pool;

  private final String store = "payments-" + STORES.incrementAndGet();

  @BeforeAll
  static void database() {
    dataSource = TestDatabases.create("storage");
    fleet = Fleet.builder(dataSource, "storage").build();
    pool = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  private static Value config(int timeout) {
    return Value.from(Map.of("payments", Map.of("timeout", timeout, "retries", 3)));
  }

  private SnapshotStore open() throws IOException {
    return SnapshotStore.builder(fleet.snapshotStorage(store)).name("config").open();
  }

  private static int sql(String statement, Object... parameters) throws SQLException {
    try (Connection connection = DriverManager.getConnection(dataSource.url());
        PreparedStatement update = connection.prepareStatement(statement)) {
      for (int i = 0; i < parameters.length; i++) {
        update.setObject(i + 1, parameters[i]);
      }
      return update.executeUpdate();
    }
  }

  // ------------------------------------------------------------------------ tampering

  @Test
  void load_contentChangedBehindTheStore_failsOnTheFingerprintAndIsJournalled()
      throws Exception {
    IncidentJournal journal = IncidentJournal.create(64);
    try (SnapshotStore store = SnapshotStore.builder(fleet.snapshotStorage(this.store))
        .journal(journal).open()) {
      SnapshotInfo v1 = store.append("deploy 41", config(30));
      store.markStable(v1.fingerprint());
      // same length, canonical, but another value: only the fingerprint can tell
      int changed = sql("UPDATE breakglass_snapshots SET content = ? WHERE store = ?",
          config(31).encode(), this.store);
      assertThat(changed).isEqualTo(1);

      assertThatThrownBy(() -> store.load(v1.fingerprint()))
          .isInstanceOf(SnapshotIntegrityException.class)
          .hasMessageContaining("#0 'deploy 41' " + v1.fingerprint().toShortString())
          .hasMessageContaining("hashes to " + config(31).fingerprint());
      assertThatThrownBy(store::lastKnownStable).isInstanceOf(SnapshotIntegrityException.class);
      assertThatThrownBy(() -> store.markStable(v1.fingerprint()))
          .isInstanceOf(SnapshotIntegrityException.class);
      assertThat(journal.entries()).extracting(JournalEntry::kind).contains("integrity");
    }
  }

  @Test
  void load_contentReplacedByGarbage_failsOnDecoding() throws Exception {
    try (SnapshotStore store = open()) {
      SnapshotInfo v1 = store.append("deploy 41", config(30));
      byte[] garbage = new byte[(int) v1.size()];
      garbage[0] = 0x7f;
      sql("UPDATE breakglass_snapshots SET content = ? WHERE store = ?", garbage, this.store);

      assertThatThrownBy(() -> store.load(v1.fingerprint()))
          .isInstanceOf(SnapshotIntegrityException.class)
          .hasMessageContaining("not a canonical encoding");
    }
  }

  @Test
  void read_rowMetadataChangedBehindTheStore_isReportedAsChangedOutsideBreakglass()
      throws Exception {
    try (SnapshotStore store = open()) {
      SnapshotInfo v1 = store.append("deploy 41", config(30));
      sql("UPDATE breakglass_snapshots SET label = ? WHERE store = ?",
          "deploy 666".getBytes(java.nio.charset.StandardCharsets.UTF_8), this.store);

      assertThatThrownBy(() -> store.load(v1.fingerprint()))
          .isInstanceOf(SnapshotIntegrityException.class)
          .hasMessageContaining("its row says #0 'deploy 666'")
          .hasMessageContaining("changed outside breakglass");
    }
  }

  @Test
  void load_fingerprintColumnOfTheWrongLength_isAnIntegrityFailure() throws Exception {
    try (SnapshotStore store = open()) {
      store.append("deploy 41", config(30));
    }
    sql("ALTER TABLE breakglass_snapshots DROP CONSTRAINT IF EXISTS"
        + " breakglass_snapshots_fingerprint_check");
    try {
      sql("UPDATE breakglass_snapshots SET fingerprint = ? WHERE store = ?", new byte[5],
          this.store);
      assertThatThrownBy(this::open)
          .isInstanceOf(SnapshotIntegrityException.class)
          .hasMessageContaining("is 5 bytes, not 32");
    } finally {
      sql("DELETE FROM breakglass_snapshots WHERE store = ?", this.store);
      sql("ALTER TABLE breakglass_snapshots ADD CONSTRAINT breakglass_snapshots_fingerprint_check"
          + " CHECK (octet_length(fingerprint) = 32)");
    }
  }

  // ------------------------------------------------------------------- compare-and-set

  @Test
  void appendMark_twoStoragesReadTheSameVersion_oneCommitsTheOtherConflictsAndWritesNothing()
      throws Exception {
    try (SnapshotStore setup = open()) {
      setup.append("v1", config(1));
    }
    SnapshotStorage first = fleet.snapshotStorage(store);
    SnapshotStorage second = fleet.snapshotStorage(store);
    first.load();
    second.load();
    StableMark a = new StableMark(1, config(1).fingerprint(), Instant.parse("2026-01-01T00:00:00Z"));
    StableMark b = new StableMark(1, config(1).fingerprint(), Instant.parse("2026-01-01T00:00:01Z"));

    first.appendMark(a);

    assertThatThrownBy(() -> second.appendMark(b))
        .isInstanceOf(StorageConflictException.class)
        .hasMessageContaining("another store sharing it wrote since this one read version");
    assertThat(second.refresh()).hasValueSatisfying(
        contents -> assertThat(contents.marks()).containsExactly(a));
    assertThat(second.refresh()).isEmpty();
    assertThat(first.refresh()).isEmpty(); // its own write is no news to it
  }

  @Test
  void markStable_twoInstancesRacingDifferentContent_bothRecordedAndEveryStoreAgreesOnTheTarget()
      throws Exception {
    try (SnapshotStore a = open(); SnapshotStore b = open()) {
      for (int round = 0; round < 20; round++) {
        SnapshotInfo mine = a.append("a" + round, config(1000 + round));
        SnapshotInfo theirs = b.append("b" + round, config(2000 + round));
        a.refresh();
        b.refresh();

        race(() -> a.markStable(mine.fingerprint()), () -> b.markStable(theirs.fingerprint()));

        a.refresh();
        b.refresh();
        assertThat(a.isStable(mine.fingerprint())).isTrue();
        assertThat(a.isStable(theirs.fingerprint())).isTrue();
        assertThat(a.lastKnownStableInfo()).isEqualTo(b.lastKnownStableInfo());
        Fingerprint target = a.lastKnownStableInfo().orElseThrow().fingerprint();
        assertThat(target).isEqualTo(newestMark());
        assertThat(target).isIn(mine.fingerprint(), theirs.fingerprint());
      }
      assertThat(marks()).hasSize(40);
    }
  }

  @Test
  void markStable_twoInstancesRacingTheSameContent_leaveOneMark() throws Exception {
    try (SnapshotStore a = open(); SnapshotStore b = open()) {
      for (int round = 0; round < 20; round++) {
        SnapshotInfo release = a.append("release " + round, config(round));
        b.refresh();
        int before = marks().size();

        race(() -> a.markStable(release.fingerprint()), () -> b.markStable(release.fingerprint()));

        assertThat(marks()).hasSize(before + 1);
        assertThat(a.lastKnownStable().orElseThrow().fingerprint())
            .isEqualTo(release.fingerprint());
        assertThat(b.lastKnownStable().orElseThrow().fingerprint())
            .isEqualTo(release.fingerprint());
      }
    }
  }

  @Test
  void append_fromThreeInstancesAtOnce_losesNoAcknowledgedSnapshot() throws Exception {
    List<SnapshotStore> stores = List.of(open(), open(), open());
    try {
      ConcurrentLinkedQueue<SnapshotInfo> acknowledged = new ConcurrentLinkedQueue<>();
      CyclicBarrier start = new CyclicBarrier(stores.size());
      List<Future<?>> work = new ArrayList<>();
      for (int s = 0; s < stores.size(); s++) {
        SnapshotStore store = stores.get(s);
        int instance = s;
        work.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 15; i++) {
            acknowledged.add(store.append("i" + instance + "-" + i, config(instance * 100 + i)));
          }
          return null;
        }));
      }
      for (Future<?> future : work) {
        future.get(120, TimeUnit.SECONDS);
      }

      Set<Long> sequences = new HashSet<>();
      for (SnapshotInfo info : acknowledged) {
        assertThat(sequences.add(info.sequence())).isTrue();
      }
      try (SnapshotStore fresh = open()) {
        assertThat(fresh.history()).containsExactlyInAnyOrderElementsOf(acknowledged);
        for (SnapshotInfo info : acknowledged) {
          assertThat(fresh.load(info.fingerprint()).info()).isEqualTo(info);
        }
      }
    } finally {
      for (SnapshotStore store : stores) {
        store.close();
      }
    }
  }

  @Test
  void storeName_withQuotesAndSql_isStoredVerbatimAndKeptApart() throws Exception {
    String hostile = "x'; DROP TABLE breakglass_snapshots; -- \"quoted\" $$";
    try (SnapshotStore store = SnapshotStore.builder(fleet.snapshotStorage(hostile)).open();
        SnapshotStore other = open()) {
      SnapshotInfo v1 = store.append("v1", config(1));
      other.append("v1", config(2));

      assertThat(store.load(v1.fingerprint()).value()).isEqualTo(config(1));
      assertThat(count("SELECT count(*) FROM breakglass_snapshots WHERE store = ?", hostile))
          .isEqualTo(1);
      assertThat(fleet.snapshotStorage(hostile).describe()).contains(hostile);
    }
  }

  // ------------------------------------------------------------------------- helpers

  private static void race(Callable<?> one, Callable<?> two) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(2);
    Future<?> first = pool.submit(() -> {
      barrier.await();
      return one.call();
    });
    Future<?> second = pool.submit(() -> {
      barrier.await();
      return two.call();
    });
    first.get(60, TimeUnit.SECONDS);
    second.get(60, TimeUnit.SECONDS);
  }

  private List<Fingerprint> marks() throws SQLException {
    List<Fingerprint> marks = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(dataSource.url());
        PreparedStatement select = connection.prepareStatement("SELECT fingerprint FROM"
            + " breakglass_stable_marks WHERE store = ? ORDER BY sequence")) {
      select.setString(1, store);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          marks.add(Fingerprint.ofBytes(rows.getBytes(1)));
        }
      }
    }
    return marks;
  }

  private Fingerprint newestMark() throws SQLException {
    List<Fingerprint> marks = marks();
    return marks.get(marks.size() - 1);
  }

  private static long count(String query, Object parameter) throws SQLException {
    try (Connection connection = DriverManager.getConnection(dataSource.url());
        PreparedStatement select = connection.prepareStatement(query)) {
      select.setObject(1, parameter);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
