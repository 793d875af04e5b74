package dev.breakglass.cascade.degradation;

import static dev.breakglass.core.Health.DOWN;
import static dev.breakglass.core.Health.UP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The journal stamps a severity change with the moment it happened, not its delivery. */
class CascadeManagerJournalTimeTest {

  private static final Instant BASE = Instant.parse("2026-12-02T09:14:04Z");
  private static final long SECOND = 1_000_000_000L;

  private final ManualTicker ticker = new ManualTicker(5 * SECOND);

  private CascadeManager manager(IncidentJournal journal) {
    return CascadeManager.builder()
        .component("payments", Tier.CRITICAL)
        .feature("recommendations", Tier.STANDARD)
        .cooldown(Duration.ofSeconds(30))
        .ticker(ticker)
        .journal(journal)
        .build();
  }

  /**
   * Escalates at +0 s; while the first change is being delivered (its severity listener is
   * slow), the severity steps down at +30 s and +60 s; both step-downs are delivered when the
   * listener returns, at +65 s.
   */
  private void stepDownTwiceDuringASlowDelivery(CascadeManager manager) {
    AtomicBoolean first = new AtomicBoolean(true);
    manager.onSeverityChange(change -> {
      if (first.getAndSet(false)) {
        manager.report("payments", UP); // the rules indicate NORMAL: the cooldown starts
        ticker.advance(Duration.ofSeconds(30));
        manager.evaluate(); // MAJOR -> MINOR, queued behind this delivery
        ticker.advance(Duration.ofSeconds(30));
        manager.evaluate(); // MINOR -> NORMAL, queued too
        ticker.advance(Duration.ofSeconds(5));
      }
    });
    manager.report("payments", DOWN);
    assertThat(manager.severity()).isEqualTo(Severity.NORMAL);
  }

  @Test
  void journal_changesDeliveredLate_stampedWhenTheyHappened() {
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker)
        .clock(() -> BASE.plusNanos(ticker.read() - 5 * SECOND)).build();
    CascadeManager manager = manager(journal);

    stepDownTwiceDuringASlowDelivery(manager);

    List<JournalEntry> entries = journal.entries();
    assertThat(entries).extracting(e -> e.kind() + ": " + e.detail().split(":")[0])
        .containsExactly(
            "severity: NORMAL -> MAJOR",
            "shed: ENHANCED shed at MAJOR",
            "shed: STANDARD shed at MAJOR",
            "severity: MAJOR -> MINOR",
            "restored: STANDARD restored at MINOR",
            "severity: MINOR -> NORMAL",
            "restored: ENHANCED restored at NORMAL");
    assertThat(entries).extracting(e -> (e.nanoTime() - 5 * SECOND) / SECOND)
        .containsExactly(0L, 0L, 0L, 30L, 30L, 60L, 60L);
    assertThat(entries).extracting(JournalEntry::time).containsExactly(BASE, BASE, BASE,
        BASE.plusSeconds(30), BASE.plusSeconds(30), BASE.plusSeconds(60), BASE.plusSeconds(60));
    assertThat(journal.toText()).contains(
        "  +30.000s  2026-12-02T09:14:34.000Z  cascade  severity  MAJOR -> MINOR",
        "  +60.000s  2026-12-02T09:15:04.000Z  cascade  severity  MINOR -> NORMAL");
  }

  @Test
  void journal_severityAndShedEntries_carryCategorySeverityAndTier() {
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).clock(() -> BASE).build();
    CascadeManager manager = manager(journal);

    stepDownTwiceDuringASlowDelivery(manager);

    assertThat(journal.entries())
        .extracting(e -> e.kind() + " " + e.category() + " " + e.severity() + " " + e.tier())
        .containsExactly(
            "severity DETECTION MAJOR null",
            "shed MITIGATION null ENHANCED",
            "shed MITIGATION null STANDARD",
            "severity RECOVERY MINOR null",
            "restored RECOVERY null STANDARD",
            "severity RESOLUTION NORMAL null",
            "restored RECOVERY null ENHANCED");
  }

  @Test
  void journal_otherTicker_placesEntriesByTheAgeTheManagerMeasured() {
    ManualTicker journalTicker = new ManualTicker(-42 * SECOND); // never advanced
    IncidentJournal journal = IncidentJournal.builder().ticker(journalTicker)
        .clock(() -> BASE).build();
    CascadeManager manager = manager(journal);

    stepDownTwiceDuringASlowDelivery(manager);

    // delivered at +0 s (age 0) and at +65 s (ages 35 s and 5 s by the manager's ticker)
    List<JournalEntry> severities =
        journal.entries().stream().filter(e -> e.kind().equals("severity")).toList();
    assertThat(severities).extracting(e -> (e.nanoTime() + 42 * SECOND) / SECOND)
        .containsExactly(0L, -35L, -5L);
    assertThat(severities.get(2).nanoTime() - severities.get(1).nanoTime())
        .isEqualTo(30 * SECOND);
    assertThat(severities).extracting(JournalEntry::time)
        .containsExactly(BASE, BASE.minusSeconds(35), BASE.minusSeconds(5));
  }

  @Test
  void journal_declarationDeliveredLate_stampedWhenDeclared() {
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).clock(() -> BASE).build();
    CascadeManager manager = manager(journal);
    AtomicBoolean first = new AtomicBoolean(true);
    manager.onSeverityChange(change -> {
      if (first.getAndSet(false)) {
        ticker.advance(Duration.ofSeconds(2));
        manager.declare(Severity.CRITICAL, "alice", "INC-4711"); // queued behind this delivery
        ticker.advance(Duration.ofSeconds(3));
      }
    });

    manager.report("payments", DOWN);

    assertThat(journal.entries())
        .filteredOn(e -> e.kind().equals("declared") || e.detail().startsWith("MAJOR -> CRIT"))
        .extracting(e -> (e.nanoTime() - 5 * SECOND) / SECOND)
        .containsExactly(2L, 2L);
  }
}
