package dev.breakglass.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Entries stamped with the moment something happened rather than the moment of recording. */
class IncidentJournalRecordAtTest {

  /** The wall-clock time when {@link #ticker} reads 1000: the clock runs with the ticker. */
  private static final Instant BASE = Instant.parse("2026-12-02T09:14:04.500Z");

  private final ManualTicker ticker = new ManualTicker(1_000);
  private final IncidentJournal journal = IncidentJournal.builder()
      .ticker(ticker).clock(() -> BASE.plusNanos(ticker.read() - 1_000)).build();

  @Test
  void recordAt_journalsOwnTicker_keepsTheTimeAndBackdatesTheWallClockAlike() {
    long happened = ticker.read();
    ticker.advance(Duration.ofMillis(1_250));

    JournalEntry entry = journal.recordAt(ticker, happened, "cascade", "severity", "MAJOR");

    assertThat(entry.nanoTime()).isEqualTo(happened);
    assertThat(entry.time()).isEqualTo(BASE);
    assertThat(entry.sequence()).isZero();
  }

  @Test
  void recordAt_otherTicker_translatesTheAgeIntoTheJournalsClocks() {
    ManualTicker recorders = new ManualTicker(-7_000_000_000L); // unrelated origin
    long happened = recorders.read();
    recorders.advance(Duration.ofMillis(202));
    long second = recorders.read();
    recorders.advance(Duration.ofSeconds(3));

    JournalEntry first = journal.recordAt(recorders, happened, "cascade", "severity", "one");
    JournalEntry then = journal.recordAt(recorders, second, "cascade", "severity", "two");

    // ages by the recorder's ticker: 3.202 s and 3 s; the journal's ticker reads 1000 ns
    assertThat(first.nanoTime()).isEqualTo(1_000L - 3_202_000_000L);
    assertThat(then.nanoTime()).isEqualTo(1_000L - 3_000_000_000L);
    assertThat(then.nanoTime() - first.nanoTime()).isEqualTo(202_000_000L);
    assertThat(first.time()).isEqualTo(BASE.minusMillis(3_202));
    assertThat(then.time()).isEqualTo(BASE.minusMillis(3_000));
  }

  @Test
  void recordAt_recordersTickerHasNotAdvanced_stampsTheMomentOfRecording() {
    ManualTicker frozen = new ManualTicker();
    ticker.advance(Duration.ofSeconds(9));

    JournalEntry entry = journal.recordAt(frozen, frozen.read(), "cascade", "severity", "x");

    assertThat(entry.nanoTime()).isEqualTo(ticker.read());
    assertThat(entry.time()).isEqualTo(BASE.plusSeconds(9));
  }

  @Test
  void recordAt_aMomentStillToCome_throwsNamingBothReadings() {
    assertThatThrownBy(() -> journal.recordAt(ticker, 1_001L, "s", "k", "d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nanoTime must not be later than the ticker's reading now (1000), was 1001");
    assertThat(journal.recordedCount()).isZero();
  }

  @Test
  void recordAt_badInput_throwsNamingTheParameter() {
    assertThatThrownBy(() -> journal.recordAt(null, 0L, "s", "k", "d"))
        .isInstanceOf(NullPointerException.class).hasMessage("ticker");
    assertThatThrownBy(() -> journal.recordAt(ticker, 0L, null, "k", "d"))
        .isInstanceOf(NullPointerException.class).hasMessage("source");
    assertThatThrownBy(() -> journal.recordAt(ticker, 0L, "s", "\n", "d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kind must not be blank, was '\\n'");
    assertThatThrownBy(() -> journal.recordAt(ticker, 0L, "s", "k", null))
        .isInstanceOf(NullPointerException.class).hasMessage("detail");
    assertThat(journal.recordedCount()).isZero();
  }

  @Test
  void recordAt_backdatedEntry_keepsSequenceOrderAndTimelineOffsetsFromTheEarliest() {
    long early = ticker.read();
    ticker.advance(Duration.ofSeconds(2));
    journal.record("payments", "transition", "recorded as it happened");
    ticker.advance(Duration.ofMillis(500));
    journal.recordAt(ticker, early, "cascade", "severity", "happened first, recorded last");

    List<JournalEntry> entries = journal.entries();

    assertThat(entries).extracting(JournalEntry::sequence).containsExactly(0L, 1L);
    assertThat(entries).extracting(JournalEntry::nanoTime)
        .containsExactly(early + 2_000_000_000L, early);
    assertThat(journal.toText()).isEqualTo(
        "incident journal: 2 entries (0 evicted, capacity 1024)\n"
            + "  +2.000s  2026-12-02T09:14:06.500Z  payments  transition  recorded as it happened\n"
            + "  +0.000s  2026-12-02T09:14:04.500Z  cascade   severity    happened first, recorded last\n");
  }

  @Test
  void recordAt_listener_seesTheBackdatedEntry() {
    List<JournalEntry> seen = new java.util.ArrayList<>();
    journal.onRecord(seen::add);
    long happened = ticker.read();
    ticker.advance(Duration.ofSeconds(1));

    JournalEntry entry = journal.recordAt(ticker, happened, "s", "k", "d");

    assertThat(seen).containsExactly(entry);
  }
}
