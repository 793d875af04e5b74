package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads appending, marking and reading one directory store at once. */
class SnapshotStoreConcurrencyTest {

  @TempDir
  Path dir;

  @Test
  void appendsMarksAndReads_fromManyThreads_loseNothingAndNeverTear() throws Exception {
    int writers = 6;
    int appendsEach = 20;
    ConcurrentLinkedQueue<SnapshotInfo> appended = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    try (SnapshotStore store = SnapshotStore.builder(SnapshotStorage.directory(dir))
        .retain(1000).open()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < appendsEach; i++) {
            SnapshotInfo info = store.append("w" + writer + "-" + i,
                Value.from(Map.of("writer", writer, "i", i)));
            appended.add(info);
            if (i % 7 == 0) {
              store.markStable(info.fingerprint());
            }
          }
          return null;
        }));
      }
      for (int r = 0; r < 2; r++) {
        futures.add(pool.submit(() -> {
          start.await();
          while (writing.get()) {
            try {
              List<SnapshotInfo> history = store.history();
              for (int k = 1; k < history.size(); k++) {
                assertThat(history.get(k).sequence()).isGreaterThan(history.get(k - 1).sequence());
              }
              if (!history.isEmpty()) {
                SnapshotInfo last = history.get(history.size() - 1);
                assertThat(store.load(last.fingerprint()).fingerprint())
                    .isEqualTo(last.fingerprint());
              }
              store.lastKnownStable().ifPresent(s -> assertThat(store.isStable(s.fingerprint()))
                  .isTrue());
            } catch (Throwable t) {
              failures.add(t);
              return null;
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (int w = 0; w < writers; w++) {
        futures.get(w).get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
      assertThat(failures).isEmpty();
      assertThat(appended).hasSize(writers * appendsEach);
      Set<Long> sequences = new HashSet<>();
      appended.forEach(info -> sequences.add(info.sequence()));
      assertThat(sequences).hasSize(writers * appendsEach);
      assertThat(store.history()).containsExactlyInAnyOrderElementsOf(appended);
    } finally {
      pool.shutdownNow();
    }
    try (SnapshotStore reopened = SnapshotStore.open(dir)) {
      assertThat(reopened.recoveryNotes()).isEmpty();
      // the default retention: the last 100, plus the rollback target if it is older
      assertThat(reopened.history()).hasSizeBetween(100, 101);
      for (SnapshotInfo info : reopened.history()) {
        assertThat(reopened.load(info.fingerprint()).info()).isEqualTo(info);
      }
    }
  }
}
