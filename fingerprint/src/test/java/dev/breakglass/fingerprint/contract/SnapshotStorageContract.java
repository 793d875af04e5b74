package dev.breakglass.fingerprint.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.fingerprint.Fingerprint;
import dev.breakglass.fingerprint.SnapshotInfo;
import dev.breakglass.fingerprint.SnapshotStorage;
import dev.breakglass.fingerprint.SnapshotStore;
import dev.breakglass.fingerprint.StableMark;
import dev.breakglass.fingerprint.Value;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link SnapshotStorage} keeps, as tests: a subclass says how to make an
 * empty storage and how to open the same one again, and inherits the suite. The directory and
 * memory storages run it here; other modules (the PostgreSQL storage of the fleet module) run it
 * through this module's test jar.
 *
 * <p>What depends on how a storage keeps its bytes (tampering with a file or a row, crashes in
 * the middle of a write) is tested beside each storage.
 */
public abstract class SnapshotStorageContract {

  /** Seeds of the randomized test; a failure names its seed. */
  private static final long[] SEEDS = {1L, 2L, 3L, 0x5eedL};

  private final List<SnapshotStorage> opened = new ArrayList<>();

  /** For subclasses. */
  protected SnapshotStorageContract() {}

  /**
   * Returns a new, empty storage, not yet loaded. Each call starts a new location; the latest
   * one is what {@link #reopen()} opens again.
   *
   * @return the storage
   * @throws IOException if it cannot be made
   */
  protected abstract SnapshotStorage create() throws IOException;

  /**
   * Returns a new storage object over the location of the latest {@link #create()}, not yet
   * loaded, as a process starting again would; the suite has closed the previous one.
   *
   * @return the storage
   * @throws IOException if it cannot be made
   */
  protected abstract SnapshotStorage reopen() throws IOException;

  private SnapshotStorage fresh() throws IOException {
    return track(create());
  }

  private SnapshotStorage again(SnapshotStorage previous) throws IOException {
    previous.close();
    return track(reopen());
  }

  private SnapshotStorage track(SnapshotStorage storage) {
    opened.add(storage);
    return storage;
  }

  /**
   * Closes every storage the test opened.
   *
   * @throws IOException if one fails to close
   */
  @AfterEach
  protected void closeStorages() throws IOException {
    for (SnapshotStorage storage : opened) {
      storage.close();
    }
  }

  private static Value config(int n) {
    return Value.from(Map.of("service", "payments", "timeout", n, "tags", List.of("a", n)));
  }

  private static SnapshotInfo info(long sequence, String label, Value value) {
    return new SnapshotInfo(sequence, label, Instant.ofEpochSecond(1_700_000_000L + sequence,
        123_456_789), value.fingerprint(), value.encode().length);
  }

  private static StableMark mark(long sequence, Value value) {
    return new StableMark(sequence, value.fingerprint(),
        Instant.ofEpochSecond(1_700_000_000L + sequence, 987_654_321));
  }

  // ------------------------------------------------------------------------------ the SPI

  @Test
  void load_newStorage_holdsNothing() throws IOException {
    SnapshotStorage.Contents contents = fresh().load();

    assertThat(contents.snapshots()).isEmpty();
    assertThat(contents.marks()).isEmpty();
    assertThat(contents.recoveryNotes()).isEmpty();
  }

  @Test
  void appendSnapshot_thenRead_returnsTheBytesAsAppended() throws IOException {
    SnapshotStorage storage = fresh();
    storage.load();
    Value value = config(1);
    SnapshotInfo info = info(0, "deploy 41", value);
    byte[] encoding = value.encode();

    storage.appendSnapshot(info, encoding);
    encoding[0] ^= 1; // the storage keeps its own copy

    assertThat(storage.read(info)).isEqualTo(value.encode());
  }

  @Test
  void load_afterReopen_returnsEveryRecordInAppendOrderExactly() throws IOException {
    SnapshotStorage storage = fresh();
    storage.load();
    Value a = config(1);
    Value b = config(2);
    SnapshotInfo first = info(0, "deploy 41", a);
    StableMark stable = mark(1, a);
    SnapshotInfo second = info(5, "deploy 42", b); // sequences may skip
    storage.appendSnapshot(first, a.encode());
    storage.appendMark(stable);
    storage.appendSnapshot(second, b.encode());

    SnapshotStorage reopened = again(storage);
    SnapshotStorage.Contents contents = reopened.load();

    assertThat(contents.snapshots()).containsExactly(first, second); // timestamps to the nano
    assertThat(contents.marks()).containsExactly(stable);
    assertThat(contents.recoveryNotes()).isEmpty();
    assertThat(reopened.read(second)).isEqualTo(b.encode());
  }

  @Test
  void appendSnapshot_hostileLabels_comeBackVerbatim() throws IOException {
    List<String> labels = List.of(
        "it's \"quoted\"; DROP TABLE snapshots; --",
        "line\nbreak\ttab\rreturn \u001b[31mred\u001b[0m",
        "nul \u0000 in the middle",
        "emoji \uD83D\uDE80 and \u00e9\u0301 and \u202Ebidi",
        "$$ $tag$ \\x00 \\' %s %n {0}",
        "x".repeat(SnapshotStore.MAX_LABEL_LENGTH - 2) + "\uD83D\uDE80");
    SnapshotStorage storage = fresh();
    storage.load();
    List<SnapshotInfo> appended = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      Value value = config(i);
      SnapshotInfo info = info(i, labels.get(i), value);
      storage.appendSnapshot(info, value.encode());
      appended.add(info);
    }

    SnapshotStorage reopened = again(storage);

    assertThat(reopened.load().snapshots()).containsExactlyElementsOf(appended);
  }

  @Test
  void read_unknownSnapshot_throwsNoSuchElement() throws IOException {
    SnapshotStorage storage = fresh();
    storage.load();
    storage.appendSnapshot(info(0, "known", config(0)), config(0).encode());

    assertThatThrownBy(() -> storage.read(info(7, "unknown", config(7))))
        .isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void rewrite_keepsExactlyTheGivenRecords_alsoAfterReopen() throws IOException {
    SnapshotStorage storage = fresh();
    storage.load();
    List<SnapshotInfo> snapshots = new ArrayList<>();
    List<StableMark> marks = new ArrayList<>();
    long sequence = 0;
    for (int i = 0; i < 6; i++) {
      SnapshotInfo info = info(sequence++, "v" + i, config(i));
      storage.appendSnapshot(info, config(i).encode());
      snapshots.add(info);
      if (i % 2 == 0) {
        StableMark mark = mark(sequence++, config(i));
        storage.appendMark(mark);
        marks.add(mark);
      }
    }
    List<SnapshotInfo> keep = List.of(snapshots.get(2), snapshots.get(4), snapshots.get(5));
    List<StableMark> keepMarks = List.of(marks.get(1), marks.get(2));

    storage.rewrite(keep, keepMarks);
    SnapshotStorage reopened = again(storage);
    SnapshotStorage.Contents contents = reopened.load();

    assertThat(contents.snapshots()).containsExactlyElementsOf(keep);
    assertThat(contents.marks()).containsExactlyElementsOf(keepMarks);
    for (SnapshotInfo info : keep) {
      assertThat(reopened.read(info)).isEqualTo(config(Integer.parseInt(info.label()
          .substring(1))).encode());
    }
    assertThatThrownBy(() -> reopened.read(snapshots.get(0)))
        .isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void read_fromManyThreadsAtOnce_returnsTheSameBytes() throws Exception {
    SnapshotStorage storage = fresh();
    storage.load();
    List<SnapshotInfo> infos = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      SnapshotInfo info = info(i, "v" + i, config(i));
      storage.appendSnapshot(info, config(i).encode());
      infos.add(info);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> reads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        reads.add(pool.submit(() -> {
          for (int round = 0; round < 25; round++) {
            for (int i = 0; i < infos.size(); i++) {
              if (!java.util.Arrays.equals(storage.read(infos.get(i)), config(i).encode())) {
                return false;
              }
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> read : reads) {
        assertThat(read.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ through a SnapshotStore

  @Test
  void store_appendMarkAndLoad_surviveReopen() throws IOException {
    SnapshotStorage storage = fresh();
    SnapshotInfo v1;
    SnapshotInfo v2;
    try (SnapshotStore store = SnapshotStore.builder(storage).open()) {
      v1 = store.append("deploy 41", config(30));
      store.markStable(v1.fingerprint());
      v2 = store.append("deploy 42", config(1));
      assertThat(store.lastKnownStable().orElseThrow().value()).isEqualTo(config(30));
    }
    try (SnapshotStore store = SnapshotStore.builder(track(reopen())).open()) {
      assertThat(store.history()).containsExactly(v1, v2);
      assertThat(store.isStable(v1.fingerprint())).isTrue();
      assertThat(store.isStable(v2.fingerprint())).isFalse();
      assertThat(store.lastKnownStable().orElseThrow().info()).isEqualTo(v1);
      assertThat(store.load(v2.fingerprint()).value()).isEqualTo(config(1));
      assertThat(store.recoveryNotes()).isEmpty();
      SnapshotInfo v3 = store.append("deploy 43", config(2));
      assertThat(v3.sequence()).isGreaterThan(v2.sequence());
    }
  }

  @Test
  void store_retention_neverDropsTheRollbackTarget_acrossCompactionAndReopen()
      throws IOException {
    SnapshotStorage storage = fresh();
    SnapshotInfo target;
    List<SnapshotInfo> history;
    try (SnapshotStore store = SnapshotStore.builder(storage).retain(3).open()) {
      target = store.append("stable", config(0));
      store.markStable(target.fingerprint());
      for (int i = 1; i <= 10; i++) {
        store.append("v" + i, config(i));
      }
      store.compact();
      history = store.history();
      assertThat(history).first().isEqualTo(target);
      assertThat(history).extracting(SnapshotInfo::label)
          .containsExactly("stable", "v8", "v9", "v10");
    }
    try (SnapshotStore store = SnapshotStore.builder(track(reopen())).retain(3).open()) {
      assertThat(store.history()).isEqualTo(history);
      assertThat(store.lastKnownStable().orElseThrow().info()).isEqualTo(target);
      assertThatThrownBy(() -> store.load(config(1).fingerprint()))
          .isInstanceOf(NoSuchElementException.class);
    }
  }

  @Test
  void store_randomOperations_matchAReferenceModel() throws IOException {
    for (long seed : SEEDS) {
      try {
        randomRun(seed);
      } catch (AssertionError | IOException | RuntimeException e) {
        throw new AssertionError("store_randomOperations_matchAReferenceModel failed with seed "
            + seed + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Appends, marks, compactions and reopens in a random order, checked after each step against
   * a model: the list of every snapshot appended and the marked fingerprints in order.
   */
  private void randomRun(long seed) throws IOException {
    Random random = new Random(seed);
    int retained = 1 + random.nextInt(6);
    List<SnapshotInfo> appended = new ArrayList<>();
    List<Fingerprint> marked = new ArrayList<>();
    SnapshotStore store = SnapshotStore.builder(fresh()).retain(retained).open();
    try {
      for (int step = 0; step < 40; step++) {
        int op = random.nextInt(10);
        if (op < 5 || appended.isEmpty()) {
          appended.add(store.append("s" + step, config(random.nextInt(8))));
        } else if (op < 7) {
          List<SnapshotInfo> history = store.history();
          SnapshotInfo pick = history.get(random.nextInt(history.size()));
          store.markStable(pick.fingerprint());
          marked.add(pick.fingerprint());
        } else if (op < 8) {
          store.compact();
        } else {
          store.close();
          store = SnapshotStore.builder(track(reopen())).retain(retained).open();
        }
        checkAgainstModel(store, appended, marked, retained);
      }
    } finally {
      store.close();
    }
  }

  private static void checkAgainstModel(SnapshotStore store, List<SnapshotInfo> appended,
      List<Fingerprint> marked, int retained) throws IOException {
    List<SnapshotInfo> last = appended.subList(Math.max(0, appended.size() - retained),
        appended.size());
    // the target: the newest mark whose content some retained-or-target snapshot still holds;
    // content is never dropped while it is the newest mark's, so walk the marks from the end
    @Nullable Fingerprint target = null;
    for (int i = marked.size() - 1; i >= 0 && target == null; i--) {
      Fingerprint candidate = marked.get(i);
      if (appended.stream().anyMatch(s -> s.fingerprint().equals(candidate))) {
        target = candidate;
      }
    }
    List<SnapshotInfo> expected = new ArrayList<>();
    if (target != null) {
      Fingerprint t = target;
      SnapshotInfo newestOfTarget = null;
      for (SnapshotInfo info : appended) {
        if (info.fingerprint().equals(t)) {
          newestOfTarget = info;
        }
      }
      if (newestOfTarget != null && !last.contains(newestOfTarget)) {
        expected.add(newestOfTarget);
      }
    }
    expected.addAll(last);
    assertThat(store.history()).isEqualTo(expected);
    if (target == null) {
      assertThat(store.lastKnownStable()).isEmpty();
    } else {
      assertThat(store.lastKnownStable().orElseThrow().fingerprint()).isEqualTo(target);
    }
    Map<Fingerprint, SnapshotInfo> newest = new LinkedHashMap<>();
    for (SnapshotInfo info : expected) {
      newest.put(info.fingerprint(), info);
    }
    for (SnapshotInfo info : newest.values()) {
      assertThat(store.load(info.fingerprint()).info()).isEqualTo(info);
    }
  }
}
