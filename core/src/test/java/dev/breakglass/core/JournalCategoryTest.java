package dev.breakglass.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JournalCategoryTest {

  private final ManualTicker ticker = new ManualTicker(1_000);
  private final IncidentJournal journal = IncidentJournal.builder().ticker(ticker)
      .clock(Clock.fixed(Instant.parse("2026-11-21T09:14:03.120Z"), ZoneOffset.UTC)).build();

  @Test
  void record_withoutCategory_isInfoWithNoFacts() {
    JournalEntry entry = journal.record("drill", "config", "release applied");

    assertThat(entry.category()).isEqualTo(EventCategory.INFO);
    assertThat(entry.severity()).isNull();
    assertThat(entry.tier()).isNull();
    assertThat(entry.health()).isNull();
  }

  @Test
  void record_withCategoryAndFacts_keepsThem() {
    JournalEntry shed = journal.record(EventCategory.MITIGATION, "cascade", "shed", null,
        Tier.ENHANCED, null, "ENHANCED shed at MAJOR");
    JournalEntry fallback =
        journal.record(EventCategory.MITIGATION, "payments", "fallback", "deferring charges");

    assertThat(shed.category()).isEqualTo(EventCategory.MITIGATION);
    assertThat(shed.tier()).isEqualTo(Tier.ENHANCED);
    assertThat(fallback.category()).isEqualTo(EventCategory.MITIGATION);
    assertThat(fallback.tier()).isNull();
  }

  @Test
  void recordAt_withCategoryAndFacts_keepsThemAndTheTime() {
    long happened = ticker.read();
    ticker.advanceNanos(500);

    JournalEntry entry = journal.recordAt(ticker, happened, EventCategory.DETECTION, "payments",
        "transition", null, null, Health.DOWN, "CLOSED -> OPEN");

    assertThat(entry.nanoTime()).isEqualTo(happened);
    assertThat(entry.category()).isEqualTo(EventCategory.DETECTION);
    assertThat(entry.health()).isEqualTo(Health.DOWN);
  }

  @Test
  void record_nullCategory_throwsNamingIt() {
    assertThatThrownBy(() -> journal.record(null, "s", "k", "d"))
        .isInstanceOf(NullPointerException.class).hasMessage("category");
  }

  @Test
  void toJson_typedEntry_addsCategoryAndFactsOnly() {
    journal.record("drill", "config", "applied");
    journal.record(EventCategory.DETECTION, "cascade", "severity", Severity.MAJOR, null, null,
        "NORMAL -> MAJOR");
    journal.record(EventCategory.MITIGATION, "cascade", "shed", null, Tier.STANDARD,
        Health.DEGRADED, "STANDARD shed");

    String json = journal.toJson();

    assertThat(json).contains("\"kind\":\"config\",\"detail\":\"applied\"}");
    assertThat(json).contains(
        "\"detail\":\"NORMAL -> MAJOR\",\"category\":\"DETECTION\",\"severity\":\"MAJOR\"}");
    assertThat(json).contains("\"detail\":\"STANDARD shed\",\"category\":\"MITIGATION\","
        + "\"tier\":\"STANDARD\",\"health\":\"DEGRADED\"}");
    assertThat(StrictJson.parse(json)).isNotNull();
  }

  @Test
  void isTrouble_signalDetectionMitigationOnly() {
    assertThat(EventCategory.values()).filteredOn(EventCategory::isTrouble).containsExactly(
        EventCategory.SIGNAL, EventCategory.DETECTION, EventCategory.MITIGATION);
  }
}
