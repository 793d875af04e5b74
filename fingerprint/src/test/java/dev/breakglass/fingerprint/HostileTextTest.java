package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.IncidentJournal;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys, values, labels, names and failure messages with line breaks, terminal escapes and
 * bidirectional controls: every text rendering of the module prints them escaped, so that they
 * cannot forge a line of a diff, a report or a message, nor reach a terminal as an escape
 * sequence.
 */
class HostileTextTest {

  @TempDir
  Path dir;

  /** Text that breaks lines or drives a terminal when printed raw. */
  static final List<String> HOSTILE = List.of(
      "a\nb",
      "a\r\n~ forged: 1 -> 2",
      "red\u001b[31mRED\u001b[0m",
      "next\u0085line", // NEL, a C1 control
      "csi\u009b31m",
      "line\u2028separator",
      "para\u2029graph",
      "bidi\u202eesrever\u202c",
      "isolate\u2066x\u2069",
      "del\u007f",
      "tab\tand\bbackspace\fform");

  /** No character that could break a line or drive a terminal, and no line break at all. */
  static void assertOneSafeLine(String text) {
    assertThat(text.lines().count()).as(text).isEqualTo(1);
    assertSafe(text);
  }

  static void assertSafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean unsafe = (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f)
          || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
          || (c >= '\u2066' && c <= '\u2069');
      assertThat(unsafe).as("U+%04X at %d in %s", (int) c, i, text).isFalse();
    }
  }

  /** Regression: C1, line-separator and bidi controls in keys or values reached the diff. */
  @Test
  void diffAndChangeTexts_escapeHostileKeysAndValues_oneLinePerChange() {
    Map<String, Object> before = new LinkedHashMap<>();
    Map<String, Object> after = new LinkedHashMap<>();
    for (int i = 0; i < HOSTILE.size(); i++) {
      before.put(HOSTILE.get(i), "old " + HOSTILE.get(i));
      after.put(HOSTILE.get(i), "new " + HOSTILE.get(i));
      after.put("added " + HOSTILE.get(i), List.of(HOSTILE.get(i)));
    }
    Diff diff = Diff.between(Value.from(before), Value.from(after));
    assertThat(diff.changes()).hasSize(2 * HOSTILE.size());
    String text = diff.toString();
    assertThat(text.lines().count()).isEqualTo(1 + diff.changes().size());
    assertSafe(text);
    for (Change change : diff.changes()) {
      assertOneSafeLine(change.toString());
      // the escaped path is still a path: it reads back as the same one
      String rendered = change.toString();
      String pathText = rendered.substring(2, rendered.indexOf(": ", rendered.indexOf("\"]")));
      assertThat(ValuePath.parse(pathText)).isEqualTo(change.path());
    }
    assertThat(text).contains("[\"a\\nb\"]", "\\u001b[31m", "\\u2028", "\\u202e", "\\u0085");
  }

  @Test
  void valueToString_escapesWhatPlainTextEscapes_inStringsAndKeys() {
    for (String hostile : HOSTILE) {
      Value value = Value.from(Map.of(hostile, List.of(hostile, Map.of("k", hostile))));
      assertOneSafeLine(value.toString());
    }
    // quotes and backslashes stay unambiguous
    assertThat(Value.of("say \"hi\" \\ bye").toString()).isEqualTo("\"say \\\"hi\\\" \\\\ bye\"");
    assertThat(Value.of("\u2028").toString()).isEqualTo("\"\\u2028\"");
  }

  @Test
  void pathToString_isUnchanged_itsTextFormForMessagesIsEscaped() {
    ValuePath path = ValuePath.root().key("x\u2028y");
    assertThat(path.toString()).isEqualTo("[\"x\u2028y\"]"); // the format of section 4
    assertThat(path.toText()).isEqualTo("[\"x\\u2028y\"]");
    assertThat(ValuePath.parse(path.toText())).isEqualTo(path);
    assertThatThrownBy(() -> Value.from(Map.of("a", 1)).get(path.toString()))
        .hasMessage("no value at [\"x\\u2028y\"]");
  }

  /** Regression: a label with a line break forged lines of the rollback report. */
  @Test
  void rollbackReport_escapesLabelsAndFailureMessages() throws IOException {
    IncidentJournal journal = IncidentJournal.create(100);
    try (SnapshotStore store = SnapshotStore.builder(SnapshotStorage.inMemory())
        .name("config\n  validate: succeeded in 1ms").journal(journal).open()) {
      Value stable = Value.from(Map.of("v", 1));
      Value bad = Value.from(Map.of("v", 2));
      store.markStable(store.append("deploy 41\n  restore: succeeded", stable).fingerprint());
      store.append("deploy 42\u001b]0;pwned\u0007", bad);
      RollbackReport report = RollbackPlan.builder(store)
          .restore(ctx -> {
            throw new IllegalStateException("boom\n  validate: succeeded in 1ms\u001b[2J");
          })
          .journal(journal)
          .build()
          .rollBack(bad);
      String text = report.toString();
      assertThat(text.lines().count()).isEqualTo(1 + RollbackStage.values().length);
      assertSafe(text);
      assertThat(text).contains("'deploy 41\\n  restore: succeeded'",
          "boom\\n  validate: succeeded in 1ms\\u001b[2J");
      assertThat(report.preRollback().describe()).isEqualTo("#3 'pre-rollback to #0 \"deploy"
          + " 41\\n  restore: succeeded\"' " + bad.fingerprint().toShortString());
      assertOneSafeLine(store.toString());
      assertThat(store.toString())
          .startsWith("SnapshotStore[config\\n  validate: succeeded in 1ms,");
      // the journal keeps the text as it was given: it escapes when it renders
      assertThat(journal.entries()).anySatisfy(e -> assertThat(e.detail())
          .contains("deploy 41\n  restore: succeeded"));
    }
  }

  /**
   * Regression: a rollback labels its snapshots after the target's label, cut to 200 chars; a
   * cut inside a surrogate pair made an invalid label, and the rollback failed to start.
   */
  @Test
  void rollBack_targetLabelWithASurrogatePairAtTheCut_isCutBeforeThePair() throws IOException {
    try (SnapshotStore store = SnapshotStore.inMemory()) {
      String label = "a".repeat(196) + "\uD83D\uDE00" + "b".repeat(20);
      Value stable = Value.of(1);
      store.markStable(store.append(label, stable).fingerprint());
      RollbackReport report = RollbackPlan.builder(store).restore(ctx -> { }).build()
          .rollBack(Value.of(2));
      assertThat(report.succeeded()).isTrue();
      assertThat(report.preRollback().label())
          .isEqualTo("pre-rollback to #0 \"" + "a".repeat(196) + "...\"");
    }
  }

  @Test
  void snapshotInfoDescribe_escapesTheLabel() {
    SnapshotInfo info = new SnapshotInfo(7, "a\nb\u001b[31m\\", Instant.EPOCH,
        Value.of(1).fingerprint(), 3);
    assertThat(info.describe()).isEqualTo("#7 'a\\nb\\u001b[31m\\\\' "
        + Value.of(1).fingerprint().toShortString());
    assertOneSafeLine(info.describe());
  }

  @Test
  void storeMessages_escapeLabelsNamesAndPaths() throws IOException {
    Path hostileDir = dir.resolve("snap\nshots");
    try (SnapshotStore store = SnapshotStore.builder(SnapshotStorage.directory(hostileDir))
        .name("n\u2028m").open()) {
      assertThatThrownBy(() -> store.append("\n\n", Value.of(1)))
          .hasMessage("label must not be blank, was '\\n\\n'");
      assertThatThrownBy(() -> store.load(Value.of(2).fingerprint()))
          .hasMessageStartingWith("snapshot store 'n\\u2028m' holds no snapshot");
      assertOneSafeLine(store.toString());
      assertThat(store.toString()).contains("snap\\nshots");
    }
    assertThatThrownBy(() -> SnapshotStore.builder(SnapshotStorage.inMemory()).name("\n "))
        .hasMessage("name must not be blank, was '\\n '");
    Map<Object, Object> badKey = Map.of(new Object() {
      @Override
      public String toString() {
        return "k\ney";
      }
    }, 1);
    assertThatThrownBy(() -> Value.from(badKey)).hasMessageContaining("map key 'k\\ney'");
  }
}
