package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How a store behaves on a storage that other stores write to at the same time. */
class SharedStorageTest {

  private final SharedMemoryStorage.Log log = new SharedMemoryStorage.Log();

  private static Value config(int n) {
    return Value.from(Map.of("n", n));
  }

  private SnapshotStore open(SharedMemoryStorage storage) throws IOException {
    return SnapshotStore.builder(storage).open();
  }

  @Test
  void append_overtakenByAnotherStore_refreshesAndLandsAfterIt() throws IOException {
    SharedMemoryStorage first = log.open();
    try (SnapshotStore a = open(first); SnapshotStore b = open(log.open())) {
      SnapshotInfo b1 = b.append("b1", config(1));
      assertThat(a.history()).isEmpty(); // a has not refreshed yet

      SnapshotInfo a1 = a.append("a1", config(2));

      assertThat(log.conflicts()).isEqualTo(1);
      assertThat(a1.sequence()).isGreaterThan(b1.sequence());
      assertThat(a.history()).containsExactly(b1, a1);
      assertThat(b.refresh()).isTrue();
      assertThat(b.history()).containsExactly(b1, a1);
      assertThat(b.refresh()).isFalse();
    }
  }

  @Test
  void markStable_racingAnotherFingerprint_bothRecordedAndTheLaterIsTheTarget() throws IOException {
    SharedMemoryStorage aStorage = log.open();
    try (SnapshotStore a = open(aStorage); SnapshotStore b = open(log.open())) {
      SnapshotInfo v1 = a.append("v1", config(1));
      SnapshotInfo v2 = a.append("v2", config(2));
      b.refresh();
      aStorage.beforeNextWrite(() -> markQuietly(b, v2.fingerprint()));

      a.markStable(v1.fingerprint());

      assertThat(log.marks()).extracting(StableMark::fingerprint)
          .containsExactly(v2.fingerprint(), v1.fingerprint());
      assertThat(a.lastKnownStableInfo()).contains(v1);
      assertThat(b.lastKnownStable().orElseThrow().info()).isEqualTo(v1);
      assertThat(a.isStable(v2.fingerprint())).isTrue();
    }
  }

  @Test
  void markStable_racingTheSameFingerprint_marksOnceAndSaysSo() throws IOException {
    IncidentJournal journal = IncidentJournal.create(64);
    SharedMemoryStorage aStorage = log.open();
    try (SnapshotStore a = SnapshotStore.builder(aStorage).name("a").journal(journal).open();
        SnapshotStore b = open(log.open())) {
      SnapshotInfo v1 = a.append("v1", config(1));
      b.refresh();
      aStorage.beforeNextWrite(() -> markQuietly(b, v1.fingerprint()));

      SnapshotInfo marked = a.markStable(v1.fingerprint());

      assertThat(marked).isEqualTo(v1);
      assertThat(log.marks()).hasSize(1);
      assertThat(a.lastKnownStableInfo()).contains(v1);
      assertThat(journal.entries()).extracting(JournalEntry::detail).last().asString()
          .contains("was marked known-stable by another store sharing the storage");
    }
  }

  @Test
  void append_overtakenOnEveryAttempt_givesUpWithTheConflictAndChangesNothing()
      throws IOException {
    SharedMemoryStorage aStorage = log.open();
    try (SnapshotStore a = open(aStorage); SnapshotStore b = open(log.open())) {
      int[] others = {0};
      Runnable[] interloper = new Runnable[1];
      interloper[0] = () -> {
        others[0]++;
        try {
          b.append("other " + others[0], config(1000 + others[0]));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        aStorage.beforeNextWrite(interloper[0]);
      };
      aStorage.beforeNextWrite(interloper[0]);

      assertThatThrownBy(() -> a.append("mine", config(1)))
          .isInstanceOf(StorageConflictException.class);

      assertThat(log.conflicts()).isEqualTo(64);
      assertThat(log.snapshots()).extracting(SnapshotInfo::label).doesNotContain("mine");
    }
  }

  @Test
  void lastKnownStable_onASharedStorage_seesWhatAnotherStoreMarked() throws IOException {
    try (SnapshotStore a = open(log.open()); SnapshotStore b = open(log.open())) {
      SnapshotInfo v1 = a.append("v1", config(1));
      a.markStable(v1.fingerprint());

      assertThat(b.lastKnownStableInfo()).isEmpty(); // from memory, before a refresh
      assertThat(b.lastKnownStable().orElseThrow().value()).isEqualTo(config(1));
      assertThat(b.lastKnownStableInfo()).contains(v1);
      assertThat(b.load(v1.fingerprint()).info()).isEqualTo(v1);
    }
  }

  @Test
  void compaction_overtakenByAnotherStore_isNotReportedAsAFailure() throws IOException {
    IncidentJournal journal = IncidentJournal.create(256);
    SharedMemoryStorage aStorage = log.open();
    try (SnapshotStore a = SnapshotStore.builder(aStorage).retain(2).journal(journal).open();
        SnapshotStore b = open(log.open())) {
      a.append("v1", config(1));
      a.append("v2", config(2));
      a.append("v3", config(3));
      // the fourth append makes compaction due; another store writes just before the rewrite
      Runnable other = () -> {
        try {
          b.refresh();
          b.append("other", config(99));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
      aStorage.beforeNextWrite(() -> aStorage.beforeNextWrite(other));
      a.append("v4", config(4));
      assertThat(log.snapshots()).hasSize(5); // the compaction was overtaken and wrote nothing
      a.append("v5", config(5)); // refreshes, appends, and compacts

      assertThat(journal.entries()).extracting(JournalEntry::detail)
          .noneMatch(detail -> detail.contains("failed"));
      assertThat(journal.entries()).filteredOn(e -> e.kind().equals("compact")).isNotEmpty();
      assertThat(a.history()).extracting(SnapshotInfo::label).containsExactly("other", "v5");
      assertThat(log.snapshots()).extracting(SnapshotInfo::label)
          .containsExactly("other", "v5");
    }
  }

  @Test
  void appendAndMark_fromManyStoresAtOnce_loseNothingAndAgreeOnTheOrder() throws Exception {
    int stores = 3;
    int perThread = 60;
    List<SnapshotStore> opened = new ArrayList<>();
    for (int i = 0; i < stores; i++) {
      opened.add(SnapshotStore.builder(log.open()).retain(1000).open()); // no compaction here
    }
    ExecutorService pool = Executors.newFixedThreadPool(stores * 2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      ConcurrentLinkedQueue<SnapshotInfo> acknowledged = new ConcurrentLinkedQueue<>();
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < stores * 2; t++) {
        SnapshotStore store = opened.get(t % stores);
        int thread = t;
        work.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            SnapshotInfo info = store.append("t" + thread + "-" + i, config(thread * 1000 + i));
            acknowledged.add(info);
            if (i % 10 == 0) {
              store.markStable(info.fingerprint());
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : work) {
        future.get(60, TimeUnit.SECONDS);
      }

      assertThat(acknowledged).hasSize(stores * 2 * perThread);
      Set<Long> sequences = new HashSet<>();
      for (SnapshotInfo info : log.snapshots()) {
        assertThat(sequences.add(info.sequence())).as("sequence %s", info.sequence()).isTrue();
      }
      assertThat(log.snapshots()).containsExactlyInAnyOrderElementsOf(acknowledged);
      for (SnapshotStore store : opened) {
        store.refresh();
        assertThat(store.history()).isEqualTo(opened.get(0).history());
        assertThat(store.lastKnownStableInfo()).isEqualTo(opened.get(0).lastKnownStableInfo());
      }
      assertThat(log.marks()).hasSize(stores * 2 * (perThread / 10));
    } finally {
      pool.shutdownNow();
      for (SnapshotStore store : opened) {
        store.close();
      }
    }
  }

  @Test
  void unsharedStorages_refreshNothing() throws IOException {
    try (SnapshotStore store = SnapshotStore.inMemory()) {
      store.append("v1", config(1));
      assertThat(store.refresh()).isFalse();
      assertThat(SnapshotStorage.inMemory().isShared()).isFalse();
      assertThat(SnapshotStorage.inMemory().refresh()).isEmpty();
    }
  }

  private static void markQuietly(SnapshotStore store, Fingerprint fingerprint) {
    try {
      store.markStable(fingerprint);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
