package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What opening a directory store does with a log it did not write, or whose end is damaged:
 * a file that is not a snapshot log is refused and left as it is; a cut tail is kept in a
 * {@code snapshots.log.discarded-<time>} file beside the log, so that no acknowledged record is
 * destroyed without a copy.
 */
class LogRecoveryTest {

  @TempDir
  Path dir;

  private Path logPath;
  private byte[] log;
  private List<LogRecords.Span> spans;

  @BeforeEach
  void writeStore() throws IOException {
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      for (int i = 0; i < 3; i++) {
        store.append("v" + i, Value.from(Map.of("version", i)));
      }
    }
    logPath = dir.resolve("snapshots.log");
    log = Files.readAllBytes(logPath);
    spans = LogRecords.spans(log);
    Files.delete(dir.resolve("lock"));
  }

  private List<Path> discardedFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("snapshots.log.discarded-"))
          .sorted().toList();
    }
  }

  private void assertRefusedAndUntouched(byte[] content, String... messageParts)
      throws IOException {
    Files.write(logPath, content);
    assertThatThrownBy(() -> SnapshotStore.open(dir))
        .isInstanceOf(SnapshotIntegrityException.class)
        .hasMessageContaining(logPath.toString())
        .hasMessageContaining("leaving")
        .hasMessageContainingAll(messageParts);
    assertThat(Files.readAllBytes(logPath)).isEqualTo(content);
    assertThat(discardedFiles()).isEmpty();
    // and a read-only open refuses it just the same
    assertThatThrownBy(() -> SnapshotStore.openReadOnly(dir))
        .isInstanceOf(SnapshotIntegrityException.class);
    assertThat(Files.readAllBytes(logPath)).isEqualTo(content);
  }

  /** Regression: a log of random bytes was truncated to 0 bytes, with only a recovery note. */
  @Test
  void open_logOfRandomBytes_isRefusedAndLeftUntouched() throws IOException {
    byte[] random = new byte[4096];
    new Random(17).nextBytes(random);
    random[0] = 0x17; // not the magic's first byte, nor zero
    assertRefusedAndUntouched(random, "is not a breakglass snapshot log", "17 ",
        "not with the record magic 42 47 53 52");
  }

  /** Regression: a text file was truncated to 0 bytes. */
  @Test
  void open_textFile_isRefusedAndLeftUntouched() throws IOException {
    byte[] text = "timeout=30\nretries=3\n".getBytes(StandardCharsets.US_ASCII);
    assertRefusedAndUntouched(text, "is not a breakglass snapshot log",
        "74 69 6d 65 6f 75 74 3d ... (\"timeout=\")");
  }

  @Test
  void open_logWhoseFirstRecordLostItsMagic_isRefusedAsDamagedAtByteZero() throws IOException {
    byte[] damaged = log.clone();
    damaged[0] ^= 0x01;
    assertRefusedAndUntouched(damaged, "is damaged at byte 0",
        "a valid record follows at byte " + spans.get(1).start());
  }

  /** Regression: text appended to a log was cut off as if it were a torn append. */
  @Test
  void open_foreignBytesAfterTheLastRecord_areRefusedAndLeftUntouched() throws IOException {
    byte[] appended = concat(log, "# edited by hand\n".getBytes(StandardCharsets.US_ASCII));
    assertRefusedAndUntouched(appended, "is damaged at byte " + log.length,
        "neither the record magic nor the zeros an interrupted append can leave");
  }

  @Test
  void open_zerosAfterTheLastRecord_areATornAppend_keptInADiscardedFile() throws IOException {
    // blocks of an interrupted append that never reached the disk read as zeros
    Files.write(logPath, concat(log, new byte[100]));
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      assertThat(store.history()).hasSize(3);
      Path copy = onlyDiscardedFile();
      assertThat(Files.readAllBytes(copy)).isEqualTo(new byte[100]);
      assertThat(store.recoveryNotes()).singleElement().asString()
          .startsWith("torn tail: discarded 100 bytes at byte " + log.length + " of " + logPath)
          .contains("they are kept in " + copy);
    }
    assertThat(Files.readAllBytes(logPath)).isEqualTo(log);
  }

  /**
   * Regression: a damaged header on the last, acknowledged record (bit rot, not a crash)
   * dropped it as a torn tail, and its bytes were gone.
   */
  @Test
  void open_damagedHeaderOfTheLastRecord_keepsItsBytesBesideTheLog() throws IOException {
    LogRecords.Span last = spans.get(spans.size() - 1);
    byte[] damaged = log.clone();
    damaged[(int) last.start() + 20] ^= 0x40; // inside the timestamp: the header checksum fails
    Files.write(logPath, damaged);
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      assertThat(store.history()).extracting(SnapshotInfo::label).containsExactly("v0", "v1");
      Path copy = onlyDiscardedFile();
      assertThat(Files.readAllBytes(copy))
          .isEqualTo(Arrays.copyOfRange(damaged, (int) last.start(), damaged.length));
      assertThat(store.recoveryNotes()).singleElement().asString()
          .startsWith("torn tail: discarded " + (log.length - last.start()) + " bytes at byte "
              + last.start())
          .contains("header checksum mismatch", "they are kept in " + copy);
    }
    assertThat(Files.readAllBytes(logPath))
        .isEqualTo(Arrays.copyOf(log, (int) last.start()));
  }

  @Test
  void open_tornLastRecord_keepsTheTornBytes_andTwoRecoveriesKeepTwoFiles() throws IOException {
    LogRecords.Span last = spans.get(spans.size() - 1);
    int cut = (int) last.payloadStart() + 2;
    Files.write(logPath, Arrays.copyOf(log, cut));
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      assertThat(store.history()).hasSize(2);
      store.append("again", Value.of(1));
    }
    Files.write(logPath, concat(Files.readAllBytes(logPath), new byte[] {0x42, 0x47}));
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      assertThat(store.history()).hasSize(3);
    }
    List<Path> copies = discardedFiles();
    assertThat(copies).hasSize(2);
    assertThat(copies).extracting(p -> p.getFileName().toString())
        .allMatch(name -> name.matches(
            "snapshots\\.log\\.discarded-\\d{8}T\\d{6}\\.\\d{3}Z(-\\d+)?"));
    byte[] first = Files.readAllBytes(copies.get(0));
    byte[] second = Files.readAllBytes(copies.get(1));
    assertThat(List.of(first.length, second.length))
        .containsExactlyInAnyOrder(cut - (int) last.start(), 2);
  }

  @Test
  void openReadOnly_tornTail_isIgnoredInMemory_andTheFileIsLeftAsItIs() throws IOException {
    LogRecords.Span last = spans.get(spans.size() - 1);
    byte[] torn = Arrays.copyOf(log, (int) last.payloadStart() + 2);
    Files.write(logPath, torn);
    try (SnapshotStore store = SnapshotStore.openReadOnly(dir)) {
      assertThat(store.history()).extracting(SnapshotInfo::label).containsExactly("v0", "v1");
      assertThat(store.load(store.history().get(1).fingerprint()).value())
          .isEqualTo(Value.from(Map.of("version", 1)));
      assertThat(store.recoveryNotes()).singleElement().asString()
          .startsWith("torn tail: ignored " + (torn.length - last.start()) + " bytes at byte "
              + last.start())
          .endsWith("left them in place: the store is open read-only");
    }
    assertThat(Files.readAllBytes(logPath)).isEqualTo(torn);
    assertThat(discardedFiles()).isEmpty();
  }

  @Test
  void open_tailThatCannotBeSaved_isNotCut() throws IOException {
    LogRecords.Span last = spans.get(spans.size() - 1);
    byte[] torn = Arrays.copyOf(log, (int) last.payloadStart() + 2);
    Files.write(logPath, torn);
    FaultyIo io = new FaultyIo();
    io.diskFullFor = p -> p.getFileName().toString().contains(".discarded-");
    assertThatThrownBy(() -> SnapshotStore.builder(new DirectoryStorage(dir, false, io)).open())
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("snapshot store " + dir + ": saving the torn tail of " + logPath
            + " to " + dir.resolve("snapshots.log.discarded-"))
        .hasMessageEndingWith("failed: No space left on device");
    assertThat(Files.readAllBytes(logPath)).isEqualTo(torn);
    assertThat(discardedFiles()).isEmpty();
  }

  private Path onlyDiscardedFile() throws IOException {
    List<Path> copies = discardedFiles();
    assertThat(copies).hasSize(1);
    Matcher m = Pattern.compile("snapshots\\.log\\.discarded-\\d{8}T\\d{6}\\.\\d{3}Z")
        .matcher(copies.get(0).getFileName().toString());
    assertThat(m.matches()).as(copies.get(0).toString()).isTrue();
    return copies.get(0);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
