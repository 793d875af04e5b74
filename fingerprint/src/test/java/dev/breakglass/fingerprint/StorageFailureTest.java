package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filesystem failures of the directory store: messages that name the store, the file and the
 * operation; a full disk (simulated through {@link FaultyIo}: tests run as root, and a real
 * full disk is no test fixture); and a read-only filesystem (simulated the same way, since
 * permissions do not stop root), which the read-only mode reads.
 */
class StorageFailureTest {

  @TempDir
  Path dir;

  private final FaultyIo io = new FaultyIo();
  private final List<LogRecord> logged = new ArrayList<>();
  private final Logger logger = Logger.getLogger("dev.breakglass.fingerprint");
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      synchronized (logged) {
        logged.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void captureLog() {
    logger.addHandler(capture);
  }

  @AfterEach
  void releaseLog() {
    logger.removeHandler(capture);
  }

  private SnapshotStore open(boolean readOnly) throws IOException {
    return SnapshotStore.builder(new DirectoryStorage(dir, readOnly, io)).open();
  }

  private static Value value(int i) {
    return Value.from(Map.of("version", i, "note", "x".repeat(100)));
  }

  // ------------------------------------------------------------------------------- messages

  /** Regression: a directory named like the pointer file failed with a bare "Is a directory". */
  @Test
  void open_pointerFileIsADirectory_namesTheStoreTheFileAndTheOperation() throws IOException {
    Files.createDirectories(dir.resolve("stable"));
    assertThatThrownBy(() -> SnapshotStore.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessage("snapshot store " + dir + ": reading the stable pointer "
            + dir.resolve("stable") + " failed: Is a directory")
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void open_logIsADirectory_saysSo() throws IOException {
    Files.createDirectories(dir.resolve("snapshots.log"));
    assertThatThrownBy(() -> SnapshotStore.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessage("snapshot store " + dir + ": " + dir.resolve("snapshots.log")
            + " is a directory, not a snapshot log");
  }

  @Test
  void open_storePathIsAFile_namesTheStoreAndTheOperation() throws IOException {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    Path store = file.resolve("snapshots");
    assertThatThrownBy(() -> SnapshotStore.open(store))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("snapshot store " + store + ": creating the directory " + store
            + " failed: ");
  }

  /** Regression: a full disk failed an append with a bare "No space left on device". */
  @Test
  void append_onAFullDisk_namesTheStoreTheFileAndTheOperation_andLeavesNoTrace()
      throws IOException {
    try (SnapshotStore store = open(false)) {
      store.append("before", value(0));
      io.diskFullFor = p -> p.getFileName().toString().equals("snapshots.log");
      // the channel was opened before the disk filled: reopen to get a failing one
    }
    try (SnapshotStore store = open(false)) {
      long size = Files.size(dir.resolve("snapshots.log"));
      Value v = value(1);
      assertThatThrownBy(() -> store.append("deploy 42", v))
          .isInstanceOf(IOException.class)
          .hasMessage("snapshot store " + dir + ": appending snapshot #1 'deploy 42' "
              + v.fingerprint().toShortString() + " (" + v.encode().length + " bytes) to "
              + dir.resolve("snapshots.log") + " failed: No space left on device");
      assertThat(store.history()).hasSize(1);
      assertThat(Files.size(dir.resolve("snapshots.log"))).isEqualTo(size);
    }
    io.diskFullFor = p -> false;
    try (SnapshotStore store = open(false)) {
      assertThat(store.recoveryNotes()).isEmpty();
      assertThat(store.append("deploy 42", value(1)).sequence()).isEqualTo(1);
    }
  }

  // ----------------------------------------------------------------------------- compaction

  /**
   * Regression: with compaction due and no room for the compacted copy, every append tried to
   * compact, failed, and logged a stack trace. Now the store checks the room first, says
   * "compaction needs N bytes, M free" once, keeps appending, and compacts once there is room.
   */
  @Test
  void compaction_withoutRoom_isDeferred_reportedOnce_andRunsOnceThereIsRoom()
      throws IOException {
    IncidentJournal journal = IncidentJournal.create(100);
    io.usableSpace = 100;
    try (SnapshotStore store = SnapshotStore.builder(new DirectoryStorage(dir, false, io))
        .retain(2).journal(journal).open()) {
      for (int i = 0; i < 10; i++) {
        store.append("v" + i, value(i)); // compaction is due from the 4th append on
      }
      assertThat(store.history()).hasSize(2);
      List<String> compactions = details(journal, "compact");
      assertThat(compactions).singleElement().asString()
          .matches("deferred: snapshot store " + java.util.regex.Pattern.quote(dir.toString())
              + ": compaction needs \\d+ bytes, 100 free; retrying on later appends");
      assertThat(logged).singleElement().satisfies(r -> {
        assertThat(r.getMessage()).contains("compaction needs ", " bytes, 100 free",
            "reported once");
        assertThat(r.getThrown()).isNull();
      });
      // history stays as retention says, and nothing was rewritten
      assertThat(tempFiles()).isEmpty();
      io.usableSpace = Long.MAX_VALUE;
      store.append("v10", value(10));
      assertThat(details(journal, "compact")).hasSize(2).last().asString()
          .isEqualTo("dropped 9 snapshots beyond the last 2; kept 2 snapshots and 0 stable"
              + " marks; after 7 failed attempts");
    }
    try (SnapshotStore reopened = SnapshotStore.open(dir)) {
      assertThat(reopened.history()).extracting(SnapshotInfo::label).containsExactly("v9", "v10");
    }
  }

  /** Regression: each failed compaction logged a full stack trace, on every append. */
  @Test
  void compaction_failingOnEveryAppend_logsOnce_andSaysWhenItRecovers() throws IOException {
    IncidentJournal journal = IncidentJournal.create(100);
    io.diskFullFor = p -> p.getFileName().toString().equals("snapshots.log.tmp");
    try (SnapshotStore store = SnapshotStore.builder(new DirectoryStorage(dir, false, io))
        .retain(2).journal(journal).open()) {
      for (int i = 0; i < 8; i++) {
        store.append("v" + i, value(i));
      }
      assertThat(logged).singleElement().satisfies(r -> {
        assertThat(r.getThrown()).isInstanceOf(IOException.class)
            .hasMessage("snapshot store " + dir + ": writing the compacted log "
                + dir.resolve("snapshots.log.tmp") + " failed: No space left on device");
      });
      assertThat(details(journal, "compact")).singleElement().asString()
          .startsWith("failed, will retry: java.io.IOException: snapshot store " + dir
              + ": writing the compacted log");
      assertThat(tempFiles()).isEmpty();
      io.diskFullFor = p -> false;
      store.append("v8", value(8));
      assertThat(details(journal, "compact")).last().asString()
          .endsWith("; after 5 failed attempts");
      assertThat(logged).hasSize(1);
    }
  }

  private static List<String> details(IncidentJournal journal, String kind) {
    return journal.entries().stream().filter(e -> e.kind().equals(kind))
        .map(JournalEntry::detail).toList();
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".tmp")).toList();
    }
  }

  // ------------------------------------------------------------------------------ read-only

  private void writeStoreWithAStableMark() throws IOException {
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      SnapshotInfo v0 = store.append("v0", value(0));
      store.markStable(v0.fingerprint());
      store.append("v1", value(1));
    }
  }

  /**
   * Regression: a store on a read-only filesystem could not be opened at all, not even to read
   * it: opening it failed creating the lock file.
   */
  @Test
  void readOnlyFileSystem_normalOpenFailsClearly_readOnlyOpenReadsEverything()
      throws IOException {
    writeStoreWithAStableMark();
    byte[] log = Files.readAllBytes(dir.resolve("snapshots.log"));
    io.readOnlyFileSystem = true;
    assertThatThrownBy(() -> open(false))
        .isInstanceOf(IOException.class)
        .hasMessage("snapshot store " + dir + ": opening the lock file " + dir.resolve("lock")
            + " failed: Read-only file system; a store on a read-only filesystem can be opened"
            + " with SnapshotStore.openReadOnly or SnapshotStorage.readOnlyDirectory");
    io.writeOperations.clear();

    try (SnapshotStore store = open(true)) {
      assertThat(store.history()).extracting(SnapshotInfo::label).containsExactly("v0", "v1");
      assertThat(store.lastKnownStable().orElseThrow().value()).isEqualTo(value(0));
      assertThat(store.load(store.history().get(1).fingerprint()).value()).isEqualTo(value(1));
      assertThat(store.recoveryNotes()).isEmpty();
      assertThat(store.toString()).contains("(read-only)");

      assertThatThrownBy(() -> store.append("v2", value(2)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("snapshot store " + dir + " is open read-only: cannot append"
              + " snapshot #3 'v2'");
      assertThatThrownBy(() -> store.markStable(store.history().get(1).fingerprint()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("snapshot store " + dir + " is open read-only: cannot append stable"
              + " mark #3");
      assertThatThrownBy(store::compact)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("snapshot store " + dir + " is open read-only: cannot compact");
      assertThat(store.history()).hasSize(2);
    }
    assertThat(io.writeOperations()).isEmpty();
    assertThat(Files.readAllBytes(dir.resolve("snapshots.log"))).isEqualTo(log);
  }

  @Test
  void openReadOnly_readsAStoreThatAnotherStoreHoldsOpen() throws IOException {
    writeStoreWithAStableMark();
    try (SnapshotStore writer = SnapshotStore.open(dir);
        SnapshotStore reader = SnapshotStore.openReadOnly(dir)) {
      assertThat(reader.history()).isEqualTo(writer.history());
      assertThat(reader.lastKnownStable().orElseThrow().info())
          .isEqualTo(writer.lastKnownStableInfo().orElseThrow());
    }
  }

  @Test
  void openReadOnly_missingDirectory_failsAndCreatesNothing() {
    Path missing = dir.resolve("nowhere");
    assertThatThrownBy(() -> SnapshotStore.openReadOnly(missing))
        .isInstanceOf(IOException.class)
        .hasMessage("snapshot store " + missing + ": opening it read-only failed: no such"
            + " directory");
    assertThat(missing).doesNotExist();
  }

  @Test
  void openReadOnly_lostStableMark_isTakenFromThePointer_inMemoryOnly() throws IOException {
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      store.append("v0", value(0));
      store.markStable(store.history().get(0).fingerprint());
    }
    byte[] log = Files.readAllBytes(dir.resolve("snapshots.log"));
    List<LogRecords.Span> spans = LogRecords.spans(log);
    byte[] withoutMark = java.util.Arrays.copyOf(log, (int) spans.get(1).start());
    Files.write(dir.resolve("snapshots.log"), withoutMark);
    io.readOnlyFileSystem = true;
    try (SnapshotStore store = open(true)) {
      assertThat(store.lastKnownStableInfo()).isPresent();
      assertThat(store.recoveryNotes()).singleElement().asString()
          .contains("the log has lost stable mark #1", "without writing it back");
    }
    assertThat(Files.readAllBytes(dir.resolve("snapshots.log"))).isEqualTo(withoutMark);
  }
}
