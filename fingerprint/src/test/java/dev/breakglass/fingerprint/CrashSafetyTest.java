package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash or bit rot can do to a directory store, in process: truncation anywhere
 * (a torn append), and flipped bits (corruption). Reopening must keep every complete record,
 * and reads must never return data that differs from what was written.
 */
class CrashSafetyTest {

  @TempDir
  Path pristine;

  @TempDir
  Path work;

  private final Map<Long, Value> written = new LinkedHashMap<>();
  private final List<Fingerprint> marked = new ArrayList<>();
  private byte[] log;
  private byte[] pointer;
  private List<LogRecords.Span> spans;

  @BeforeEach
  void writeStore() throws IOException {
    try (SnapshotStore store = SnapshotStore.open(pristine)) {
      for (int i = 0; i < 6; i++) {
        Value value = Value.from(Map.of("version", i, "pools", List.of(Map.of("size", 10 + i)),
            "note", "x".repeat(i * 7)));
        SnapshotInfo info = store.append("v" + i, value);
        written.put(info.sequence(), value);
        if (i == 1 || i == 3) {
          store.markStable(info.fingerprint());
          marked.add(info.fingerprint());
        }
      }
    }
    log = Files.readAllBytes(pristine.resolve("snapshots.log"));
    pointer = Files.readAllBytes(pristine.resolve("stable"));
    spans = LogRecords.spans(log);
    assertThat(spans.get(spans.size() - 1).kind()).isEqualTo(1); // the last record: a snapshot
  }

  private SnapshotStore reopen(byte[] logBytes, byte[] pointerBytes) throws IOException {
    Files.write(work.resolve("snapshots.log"), logBytes);
    Files.write(work.resolve("stable"), pointerBytes);
    return SnapshotStore.open(work);
  }

  /** The snapshots whose records lie wholly before {@code offset}. */
  private List<Long> completeBefore(long offset) {
    List<Long> complete = new ArrayList<>();
    for (LogRecords.Span span : spans) {
      if (span.kind() == 1 && span.end() <= offset) {
        complete.add(span.sequence());
      }
    }
    return complete;
  }

  @Test
  void truncate_atEveryByteOfTheLastRecord_keepsEveryCompleteRecord() throws IOException {
    LogRecords.Span last = spans.get(spans.size() - 1);
    List<Long> complete = completeBefore(last.start());
    assertThat(complete).hasSize(5);
    for (long offset = last.start(); offset < log.length; offset++) {
      try (SnapshotStore store = reopen(Arrays.copyOf(log, (int) offset), pointer)) {
        assertThat(store.history()).extracting(SnapshotInfo::sequence)
            .as("truncated at %d", offset).containsExactlyElementsOf(complete);
        for (SnapshotInfo info : store.history()) {
          assertThat(store.load(info.fingerprint()).value()).isEqualTo(written.get(info.sequence()));
        }
        assertThat(store.lastKnownStable().orElseThrow().fingerprint()).isEqualTo(marked.get(1));
        if (offset > last.start()) {
          assertThat(store.recoveryNotes()).hasSize(1);
          assertThat(store.recoveryNotes().get(0)).startsWith("torn tail: discarded "
              + (offset - last.start()) + " bytes at byte " + last.start());
        } else {
          assertThat(store.recoveryNotes()).isEmpty();
        }
        // the store goes on: a new append lands after the last complete record
        SnapshotInfo next = store.append("after crash", Value.of(offset));
        assertThat(store.load(next.fingerprint()).value()).isEqualTo(Value.of(offset));
      }
    }
    try (SnapshotStore store = SnapshotStore.open(work)) {
      assertThat(store.recoveryNotes()).isEmpty();
      assertThat(store.history()).hasSize(6);
    }
  }

  @Test
  void truncate_atRandomOffsets_keepsEveryCompleteRecord() throws IOException {
    Random random = new Random(20240601);
    for (int round = 0; round < 60; round++) {
      int offset = random.nextInt(log.length + 1);
      List<Long> complete = completeBefore(offset);
      try (SnapshotStore store = reopen(Arrays.copyOf(log, offset), pointer)) {
        assertThat(store.history()).extracting(SnapshotInfo::sequence)
            .as("truncated at %d", offset).containsExactlyElementsOf(complete);
        for (SnapshotInfo info : store.history()) {
          assertThat(store.load(info.fingerprint()).value()).isEqualTo(written.get(info.sequence()));
        }
        store.lastKnownStable().ifPresent(s -> assertThat(marked).contains(s.fingerprint()));
      }
    }
  }

  @Test
  void flipBits_readsFailWithTheIntegrityError_neverReturnWrongData() throws IOException {
    Random random = new Random(42);
    int opened = 0;
    int refused = 0;
    int integrityErrors = 0;
    int vanished = 0;
    for (int round = 0; round < 250; round++) {
      byte[] damagedLog = log.clone();
      byte[] damagedPointer = pointer.clone();
      int flips = 1 + random.nextInt(3);
      for (int f = 0; f < flips; f++) {
        if (random.nextInt(10) == 0) {
          damagedPointer[random.nextInt(damagedPointer.length)] ^= (byte) (1 << random.nextInt(8));
        } else {
          damagedLog[random.nextInt(damagedLog.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      SnapshotStore store;
      try {
        store = reopen(damagedLog, damagedPointer);
      } catch (SnapshotIntegrityException e) {
        refused++;
        assertThat(e).hasMessageContaining("is damaged at byte");
        continue;
      }
      opened++;
      try (store) {
        List<Long> present = store.history().stream().map(SnapshotInfo::sequence).toList();
        long tornAt = tornTailOffset(store.recoveryNotes());
        for (LogRecords.Span span : spans) {
          if (span.kind() == 1 && !present.contains(span.sequence())) {
            // a record may vanish only into a reported torn tail: damage at the end of the log
            // that no evidence distinguishes from an interrupted append
            assertThat(tornAt).as("round %d: #%d vanished unreported", round, span.sequence())
                .isNotNegative().isLessThanOrEqualTo(span.start());
            vanished++;
          }
        }
        for (SnapshotInfo info : store.history()) {
          Value expected = written.get(info.sequence());
          assertThat(info.fingerprint()).isEqualTo(expected.fingerprint());
          try {
            assertThat(store.load(info.fingerprint()).value()).isEqualTo(expected);
          } catch (SnapshotIntegrityException e) {
            integrityErrors++;
            assertThat(e).hasMessageContaining(info.describe());
          }
        }
        try {
          store.lastKnownStable().ifPresent(s -> assertThat(marked).contains(s.fingerprint()));
        } catch (SnapshotIntegrityException e) {
          integrityErrors++;
        } catch (NoSuchElementException e) {
          fail("lastKnownStable must not point at a missing snapshot", e);
        }
      }
    }
    // the flips landed in all three places: payloads, middle headers, the tail
    assertThat(opened).isPositive();
    assertThat(refused).isPositive();
    assertThat(integrityErrors).isPositive();
    assertThat(vanished).isLessThan(opened);
  }

  private static long tornTailOffset(List<String> notes) {
    for (String note : notes) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("^torn tail: discarded \\d+ bytes at byte (\\d+) ").matcher(note);
      if (m.find()) {
        return Long.parseLong(m.group(1));
      }
    }
    return -1;
  }
}
