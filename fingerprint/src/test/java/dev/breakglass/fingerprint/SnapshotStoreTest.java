package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SnapshotStoreTest {

  @TempDir
  Path dir;

  static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T10:00:00Z"), ZoneOffset.UTC);

  static Value config(int timeout) {
    return Value.from(Map.of("pools", List.of(Map.of("name", "db", "timeout", timeout)),
        "owner", "payments"));
  }

  /** The same scenarios against both storages that come with the library. */
  static Stream<Arguments> storages() {
    return Stream.of(
        Arguments.of("directory", (Function<Path, SnapshotStorage>) SnapshotStorage::directory),
        Arguments.of("memory", (Function<Path, SnapshotStorage>) d -> SnapshotStorage.inMemory()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("storages")
  void append_thenHistoryAndLoad_returnVerifiedSnapshots(
      String name, Function<Path, SnapshotStorage> storage) throws IOException {
    try (SnapshotStore store = SnapshotStore.builder(storage.apply(dir)).clock(CLOCK).open()) {
      assertThat(store.history()).isEmpty();
      assertThat(store.latest()).isEmpty();
      SnapshotInfo v1 = store.append("deploy 41", config(30));
      SnapshotInfo v2 = store.append("deploy 42", config(5));
      assertThat(store.history()).containsExactly(v1, v2);
      assertThat(store.latest()).contains(v2);
      assertThat(v1.sequence()).isLessThan(v2.sequence());
      assertThat(v1.timestamp()).isEqualTo(CLOCK.instant());
      assertThat(v1.size()).isEqualTo(config(30).encode().length);
      assertThat(v1.describe()).isEqualTo("#0 'deploy 41' " + config(30).fingerprint().toShortString());
      Snapshot loaded = store.load(v1.fingerprint());
      assertThat(loaded.value()).isEqualTo(config(30));
      assertThat(loaded.info()).isEqualTo(v1);
      assertThat(loaded.label()).isEqualTo("deploy 41");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("storages")
  void markStable_makesTheNewestMarkTheRollbackTarget(
      String name, Function<Path, SnapshotStorage> storage) throws IOException {
    try (SnapshotStore store = SnapshotStore.builder(storage.apply(dir)).open()) {
      SnapshotInfo v1 = store.append("v1", config(1));
      SnapshotInfo v2 = store.append("v2", config(2));
      store.append("v3", config(3));
      assertThat(store.lastKnownStable()).isEmpty();
      assertThat(store.lastKnownStableInfo()).isEmpty();
      store.markStable(v2.fingerprint());
      store.markStable(v1.fingerprint());
      assertThat(store.lastKnownStable().orElseThrow().value()).isEqualTo(config(1));
      assertThat(store.lastKnownStableInfo()).contains(v1);
      assertThat(store.isStable(v2.fingerprint())).isTrue();
      assertThat(store.isStable(config(3).fingerprint())).isFalse();
      // stability belongs to content: the same content appended again is stable too
      SnapshotInfo again = store.append("v2 again", config(2));
      assertThat(store.isStable(again.fingerprint())).isTrue();
      store.markStable(again.fingerprint());
      assertThat(store.lastKnownStableInfo()).contains(again);
    }
  }

  @Test
  void load_andMarkStable_unknownFingerprint_sayWhatIsMissing() throws IOException {
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      store.append("v1", config(1));
      Fingerprint unknown = config(9).fingerprint();
      assertThatThrownBy(() -> store.load(unknown))
          .isInstanceOf(NoSuchElementException.class)
          .hasMessage("snapshot store 'snapshots' holds no snapshot with fingerprint " + unknown
              + " in its history of 1");
      assertThatThrownBy(() -> store.markStable(unknown))
          .isInstanceOf(NoSuchElementException.class);
      assertThat(store.lastKnownStable()).isEmpty();
    }
  }

  @Test
  void reopen_keepsSnapshotsAndMarks_withNoRecoveryNotes() throws IOException {
    SnapshotInfo v1;
    SnapshotInfo v2;
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      v1 = store.append("v1", config(1));
      v2 = store.append("v2 \u00e9\uD83D\uDE00", config(2));
      store.markStable(v1.fingerprint());
    }
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      assertThat(store.history()).containsExactly(v1, v2);
      assertThat(store.lastKnownStableInfo()).contains(v1);
      assertThat(store.recoveryNotes()).isEmpty();
      SnapshotInfo v3 = store.append("v3", config(3));
      assertThat(v3.sequence()).isGreaterThan(v2.sequence());
    }
  }

  @Test
  void retention_keepsTheLastN_andNeverDropsTheRollbackTarget() throws IOException {
    IncidentJournal journal = IncidentJournal.create(100);
    SnapshotInfo stable;
    try (SnapshotStore store = SnapshotStore.builder(SnapshotStorage.directory(dir))
        .retain(3).journal(journal).open()) {
      stable = store.append("stable", config(0));
      store.markStable(stable.fingerprint());
      for (int i = 1; i <= 5; i++) {
        store.append("v" + i, config(i));
      }
      assertThat(store.history()).extracting(SnapshotInfo::label)
          .containsExactly("stable", "v3", "v4", "v5");
      assertThat(store.lastKnownStable().orElseThrow().value()).isEqualTo(config(0));
      assertThatThrownBy(() -> store.load(config(1).fingerprint()))
          .isInstanceOf(NoSuchElementException.class);
      long before = Files.size(dir.resolve("snapshots.log"));
      store.compact();
      assertThat(Files.size(dir.resolve("snapshots.log"))).isLessThan(before);
      assertThat(store.history()).extracting(SnapshotInfo::label)
          .containsExactly("stable", "v3", "v4", "v5");
    }
    try (SnapshotStore store = SnapshotStore.builder(SnapshotStorage.directory(dir))
        .retain(3).open()) {
      assertThat(store.history()).extracting(SnapshotInfo::label)
          .containsExactly("stable", "v3", "v4", "v5");
      assertThat(store.lastKnownStableInfo()).contains(stable);
      assertThat(store.isStable(stable.fingerprint())).isTrue();
      // a new target lets the old one go
      SnapshotInfo v5 = store.history().get(3);
      store.markStable(v5.fingerprint());
      assertThat(store.history()).extracting(SnapshotInfo::label).containsExactly("v3", "v4", "v5");
      assertThat(store.isStable(stable.fingerprint())).isTrue(); // the mark itself is kept
    }
    assertThat(journal.entries()).extracting(JournalEntry::kind).contains("append", "stable",
        "compact");
  }

  @Test
  void retention_compactsOnItsOwn_onceNMoreAreDropped() throws IOException {
    try (SnapshotStore store = SnapshotStore.builder(SnapshotStorage.directory(dir))
        .retain(2).open()) {
      for (int i = 0; i < 7; i++) {
        store.append("v" + i, config(i));
      }
      long records = LogRecords.spans(Files.readAllBytes(dir.resolve("snapshots.log"))).size();
      assertThat(records).isLessThanOrEqualTo(4);
      assertThat(store.history()).extracting(SnapshotInfo::label).containsExactly("v5", "v6");
    }
  }

  @Test
  void append_badLabel_isRejectedWithTheValue() throws IOException {
    try (SnapshotStore store = SnapshotStore.inMemory()) {
      assertThatThrownBy(() -> store.append(" ", config(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("label must not be blank, was ' '");
      assertThatThrownBy(() -> store.append("x".repeat(1001), config(1)))
          .hasMessage("label must be at most 1000 chars, was 1001");
      assertThatThrownBy(() -> store.append("\uD800", config(1)))
          .hasMessage("label has an unpaired high surrogate U+D800 at index 0");
      assertThat(store.history()).isEmpty();
    }
  }

  @Test
  void builder_badSettings_areRejectedWithTheValue() {
    SnapshotStore.Builder builder = SnapshotStore.builder(SnapshotStorage.inMemory());
    assertThatThrownBy(() -> builder.retain(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retain must be >= 1, was 0");
    assertThatThrownBy(() -> builder.name(""))
        .hasMessage("name must not be blank, was ''");
  }

  @Test
  void closedStore_rejectsUse_andCloseIsIdempotent() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    SnapshotInfo v1 = store.append("v1", config(1));
    store.close();
    store.close();
    assertThatThrownBy(() -> store.append("v2", config(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("snapshot store 'snapshots' is closed");
    assertThatThrownBy(() -> store.load(v1.fingerprint())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(store::lastKnownStable).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.markStable(v1.fingerprint()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(store::compact).isInstanceOf(IllegalStateException.class);
    // what the store knows in memory stays readable, as close() documents
    assertThat(store.history()).containsExactly(v1);
    assertThat(store.latest()).contains(v1);
    assertThat(store.isStable(v1.fingerprint())).isFalse();
    assertThat(store.lastKnownStableInfo()).isEmpty();
  }

  @Test
  void open_missingParentDirectories_createsThemAndKeepsWhatIsAppended() throws IOException {
    Path nested = dir.resolve("var/lib/payments/snapshots");
    SnapshotInfo v1;
    try (SnapshotStore store = SnapshotStore.open(nested)) {
      v1 = store.append("v1", config(1));
    }
    try (SnapshotStore store = SnapshotStore.open(nested)) {
      assertThat(store.history()).containsExactly(v1);
      assertThat(store.recoveryNotes()).isEmpty();
    }
  }

  @Test
  void open_sameDirectoryTwice_isRefused() throws IOException {
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      assertThatThrownBy(() -> SnapshotStore.open(dir))
          .isInstanceOf(IOException.class)
          .hasMessage("snapshot store " + dir + " is already open in this JVM");
      assertThat(store.history()).isEmpty();
    }
    try (SnapshotStore reopened = SnapshotStore.open(dir)) {
      assertThat(reopened.history()).isEmpty();
    }
  }

  @Test
  void load_tamperedContentWithFixedChecksums_failsOnTheFingerprint() throws IOException {
    SnapshotInfo v1;
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      v1 = store.append("v1", Value.from(Map.of("owner", "payments")));
      store.append("v2", config(2));
    }
    Path log = dir.resolve("snapshots.log");
    byte[] bytes = Files.readAllBytes(log);
    LogRecords.Span first = LogRecords.spans(bytes).get(0);
    int at = indexOf(bytes, "payments".getBytes(StandardCharsets.UTF_8));
    bytes[at] = 'P'; // "Payments": still a valid canonical encoding, with fresh checksums
    LogRecords.reseal(bytes, first);
    Files.write(log, bytes);
    IncidentJournal journal = IncidentJournal.create(10);
    try (SnapshotStore store = SnapshotStore.builder(SnapshotStorage.directory(dir))
        .journal(journal).open()) {
      assertThatThrownBy(() -> store.load(v1.fingerprint()))
          .isInstanceOf(SnapshotIntegrityException.class)
          .hasMessage("snapshot " + v1.describe() + " in directory " + dir + ": the stored"
              + " content hashes to " + Value.from(Map.of("owner", "Payments")).fingerprint()
              + ", not to its fingerprint " + v1.fingerprint());
      assertThatThrownBy(() -> store.markStable(v1.fingerprint()))
          .isInstanceOf(SnapshotIntegrityException.class);
      assertThat(store.lastKnownStable()).isEmpty();
      assertThat(store.load(config(2).fingerprint()).value()).isEqualTo(config(2));
      assertThat(journal.entries()).extracting(JournalEntry::kind).contains("integrity");
    }
  }

  @Test
  void load_tamperedIntoNonCanonicalEncoding_failsOnDecoding() throws IOException {
    SnapshotInfo v1;
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      v1 = store.append("v1", Value.from(Map.of("a", 1, "b", 2)));
    }
    Path log = dir.resolve("snapshots.log");
    byte[] bytes = Files.readAllBytes(log);
    LogRecords.Span first = LogRecords.spans(bytes).get(0);
    bytes[indexOf(bytes, new byte[] {0, 0, 0, 1, 'b'}) + 4] = 'a'; // a duplicate key
    LogRecords.reseal(bytes, first);
    Files.write(log, bytes);
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      assertThatThrownBy(() -> store.load(v1.fingerprint()))
          .isInstanceOf(SnapshotIntegrityException.class)
          .hasMessageContaining("the stored content is not a canonical encoding (malformed"
              + " canonical encoding at byte")
          .hasMessageContaining("map keys not in strictly ascending order");
    }
  }

  @Test
  void load_flippedPayloadBit_failsOnTheChecksum_namingTheSnapshot() throws IOException {
    SnapshotInfo v1;
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      v1 = store.append("v1", config(1));
      store.append("v2", config(2));
    }
    Path log = dir.resolve("snapshots.log");
    byte[] bytes = Files.readAllBytes(log);
    LogRecords.Span first = LogRecords.spans(bytes).get(0);
    bytes[(int) first.payloadStart() + 3] ^= 0x10;
    Files.write(log, bytes);
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      assertThatThrownBy(() -> store.load(v1.fingerprint()))
          .isInstanceOf(SnapshotIntegrityException.class)
          .hasMessageStartingWith("snapshot " + v1.describe() + " in " + log + " at byte 0:"
              + " payload checksum mismatch (stored crc32c 0x");
    }
  }

  @Test
  void open_lostStableMarkAtTheTail_isRestoredFromThePointer() throws IOException {
    SnapshotInfo v2;
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      store.append("v1", config(1));
      v2 = store.append("v2", config(2));
      store.markStable(v2.fingerprint());
    }
    Path log = dir.resolve("snapshots.log");
    byte[] bytes = Files.readAllBytes(log);
    List<LogRecords.Span> spans = LogRecords.spans(bytes);
    LogRecords.Span mark = spans.get(spans.size() - 1);
    Files.write(log, Arrays.copyOf(bytes, (int) mark.start() + 10)); // a torn mark record
    IncidentJournal journal = IncidentJournal.create(10);
    try (SnapshotStore store = SnapshotStore.builder(SnapshotStorage.directory(dir))
        .journal(journal).open()) {
      assertThat(store.recoveryNotes()).hasSize(2);
      assertThat(store.recoveryNotes().get(0)).startsWith("torn tail: discarded 10 bytes at byte "
          + mark.start());
      assertThat(store.recoveryNotes().get(1)).startsWith("the log had lost stable mark #2 of "
          + v2.fingerprint().toShortString());
      assertThat(store.lastKnownStableInfo()).contains(v2);
      assertThat(journal.entries()).extracting(JournalEntry::kind)
          .containsExactly("recovery", "recovery");
    }
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      assertThat(store.recoveryNotes()).isEmpty(); // repaired for good
      assertThat(store.lastKnownStableInfo()).contains(v2);
    }
  }

  @Test
  void open_damagedPointer_isIgnoredInFavourOfTheLog() throws IOException {
    SnapshotInfo v1;
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      v1 = store.append("v1", config(1));
      store.markStable(v1.fingerprint());
    }
    Files.write(dir.resolve("stable"), new byte[] {1, 2, 3});
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      assertThat(store.recoveryNotes()).containsExactly(dir.resolve("stable")
          + " is damaged (size 3, expected 61); ignored it: the log's stable marks are used");
      assertThat(store.lastKnownStableInfo()).contains(v1);
    }
  }

  @Test
  void open_leftoverTemporaryFiles_areRemovedAndReported() throws IOException {
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      store.append("v1", config(1));
    }
    Files.write(dir.resolve("snapshots.log.tmp"), new byte[] {1});
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      assertThat(store.recoveryNotes()).containsExactly("removed "
          + dir.resolve("snapshots.log.tmp") + ", left by an interrupted write");
      assertThat(Files.exists(dir.resolve("snapshots.log.tmp"))).isFalse();
      assertThat(store.history()).hasSize(1);
    }
  }

  @Test
  void journal_recordsAppendsAndMarks() throws IOException {
    IncidentJournal journal = IncidentJournal.create(10);
    try (SnapshotStore store = SnapshotStore.builder(SnapshotStorage.inMemory())
        .name("payments-config").journal(journal).open()) {
      SnapshotInfo v1 = store.append("v1", config(1));
      store.markStable(v1.fingerprint());
      assertThat(journal.entries()).extracting(e -> e.source() + " " + e.kind() + " " + e.detail())
          .containsExactly(
              "payments-config append " + v1.describe() + ", " + v1.size() + " bytes",
              "payments-config stable " + v1.describe() + " marked known-stable: it is the"
                  + " rollback target");
      assertThat(store.toString()).contains("payments-config", "1 snapshots", "target #0");
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
