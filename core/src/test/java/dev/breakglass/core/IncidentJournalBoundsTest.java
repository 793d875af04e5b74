package dev.breakglass.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The journal's size limits: capacity, and the length of what one entry may hold. */
class IncidentJournalBoundsTest {

  @Test
  void create_capacityAboveMaximum_throwsNamingTheValue() {
    assertThatThrownBy(() -> IncidentJournal.create(Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be <= 1048576 (IncidentJournal.MAX_CAPACITY), was 2147483647");
    assertThatThrownBy(() -> IncidentJournal.builder().capacity(IncidentJournal.MAX_CAPACITY + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be <= 1048576 (IncidentJournal.MAX_CAPACITY), was 1048577");
  }

  @Test
  void create_maximumCapacity_keepsThatManyEntries() {
    IncidentJournal journal = IncidentJournal.create(IncidentJournal.MAX_CAPACITY);
    journal.record("s", "k", "d");

    assertThat(journal.capacity()).isEqualTo(1 << 20);
    assertThat(journal.entries()).hasSize(1);
  }

  @Test
  void record_hugeDetail_isCutWithAMarkerSayingHowMuch() {
    IncidentJournal journal = IncidentJournal.create(4);
    String huge = "x".repeat(64 * 1024 * 1024);

    JournalEntry entry = journal.record("s", "k", huge);

    int max = IncidentJournal.MAX_DETAIL_LENGTH;
    assertThat(max).isEqualTo(4096);
    assertThat(entry.detail())
        .isEqualTo("x".repeat(max) + "\u2026 [cut " + (huge.length() - max) + " chars]")
        .endsWith("\u2026 [cut 67104768 chars]");
    assertThat(journal.entries()).containsExactly(entry);
  }

  @Test
  void record_detailAtTheLimit_isKeptWhole() {
    IncidentJournal journal = IncidentJournal.create(4);
    String detail = "y".repeat(IncidentJournal.MAX_DETAIL_LENGTH);

    assertThat(journal.record("s", "k", detail).detail()).isSameAs(detail);
  }

  @Test
  void record_cutInsideASurrogatePair_keepsThePairWhole() {
    IncidentJournal journal = IncidentJournal.create(4);
    int max = IncidentJournal.MAX_DETAIL_LENGTH;
    String detail = "z".repeat(max - 1) + "\ud83d\ude00" + "tail";

    assertThat(journal.record("s", "k", detail).detail())
        .isEqualTo("z".repeat(max - 1) + "\u2026 [cut 6 chars]");
  }

  @Test
  void record_longSourceAndKind_areCutWithAMarker() {
    IncidentJournal journal = IncidentJournal.create(4);
    int max = IncidentJournal.MAX_NAME_LENGTH;
    String source = "s".repeat(max + 10);
    String kind = "k".repeat(max + 1);

    JournalEntry entry = journal.record(source, kind, "d");

    assertThat(max).isEqualTo(256);
    assertThat(entry.source()).isEqualTo("s".repeat(max) + "\u2026 [cut 10 chars]");
    assertThat(entry.kind()).isEqualTo("k".repeat(max) + "\u2026 [cut 1 char]");
    assertThat(entry.detail()).isEqualTo("d");
  }

  @Test
  void recordAt_hugeDetail_isCutToo() {
    ManualTicker ticker = new ManualTicker();
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();

    JournalEntry entry = journal.recordAt(ticker, 0L, "s", "k",
        "w".repeat(IncidentJournal.MAX_DETAIL_LENGTH + 7));

    assertThat(entry.detail()).endsWith("w\u2026 [cut 7 chars]");
  }
}
