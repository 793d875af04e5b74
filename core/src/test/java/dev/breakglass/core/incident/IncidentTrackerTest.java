package dev.breakglass.core.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class IncidentTrackerTest {

  private static final Instant BASE = Instant.parse("2026-12-02T09:00:00Z");
  private static final long SECOND = 1_000_000_000L;

  private final ManualTicker ticker = new ManualTicker();
  private final IncidentJournal journal = IncidentJournal.builder().ticker(ticker)
      .clock(() -> BASE.plusNanos(ticker.read())).build();
  private final IncidentTracker tracker =
      IncidentTracker.builder(journal).window(Duration.ofMinutes(5)).build();
  private final List<String> changes = new ArrayList<>();

  IncidentTrackerTest() {
    tracker.onChange(change -> changes.add(change.type() + " #" + change.incident().number()
        + " " + change.incident().peakSeverity()));
  }

  private void at(long seconds) {
    ticker.advanceNanos(seconds * SECOND - ticker.read());
  }

  private void breaker(String name, Health health, EventCategory category) {
    journal.record(category, name, "transition", null, null, health, "-> " + health);
  }

  private void severity(Severity severity, EventCategory category) {
    journal.record(category, "cascade", "severity", severity, null, null, "-> " + severity);
  }

  /** The drill's shape: open, escalate, shed, fallback, half-open, closed, step down. */
  private void typicalIncident() {
    journal.record("drill", "config", "release applied"); // before: belongs to none
    at(10);
    breaker("payments", Health.DOWN, EventCategory.DETECTION);
    at(11);
    severity(Severity.MAJOR, EventCategory.DETECTION);
    journal.record(EventCategory.MITIGATION, "cascade", "shed", null, Tier.ENHANCED, null,
        "ENHANCED shed");
    at(12);
    journal.record(EventCategory.MITIGATION, "payments", "fallback", "deferring charges");
    at(40);
    breaker("payments", Health.DEGRADED, EventCategory.RECOVERY);
    at(41);
    breaker("payments", Health.UP, EventCategory.RECOVERY);
    at(60);
    severity(Severity.MINOR, EventCategory.RECOVERY);
    at(90);
    severity(Severity.NORMAL, EventCategory.RESOLUTION);
    journal.record(EventCategory.RECOVERY, "cascade", "restored", null, Tier.ENHANCED, null,
        "ENHANCED restored");
  }

  @Test
  void retain_moreIncidentsResolved_keepsTheLatestAndNumbersGoOn() {
    IncidentTracker small = IncidentTracker.builder(journal).retain(2).build();
    assertThat(small.last()).isEmpty();
    for (int i = 1; i <= 3; i++) {
      at(i * 10L);
      small.openIncident("alice", "drill " + i);
      at(i * 10L + 5);
      small.closeIncident("alice", "over " + i);
    }
    assertThat(small.incidents()).extracting(Incident::number).containsExactly(2, 3);
    assertThat(small.last()).hasValueSatisfying(last -> {
      assertThat(last.number()).isEqualTo(3);
      assertThat(last.status()).isEqualTo(Incident.Status.RESOLVED);
    });

    at(50);
    small.openIncident("bob", "again");
    assertThat(small.last()).hasValueSatisfying(last -> {
      assertThat(last.number()).isEqualTo(4);
      assertThat(last.status()).isEqualTo(Incident.Status.OPEN);
    });
    assertThat(small.incidents()).extracting(Incident::number).containsExactly(2, 3, 4);
    small.close();
  }

  @Test
  void retain_lessThanOne_isRefusedNamingTheValue() {
    assertThatThrownBy(() -> IncidentTracker.builder(journal).retain(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retain must be at least 1, was 0");
  }

  @Test
  void tracker_typicalIncident_milestonesAndDurations() {
    typicalIncident();
    at(90 + 299);
    assertThat(tracker.refresh()).isFalse();
    at(90 + 300);
    assertThat(tracker.refresh()).isTrue();

    Incident incident = tracker.incidents().get(0);
    assertThat(incident.status()).isEqualTo(Incident.Status.RESOLVED);
    assertThat(incident.nanos(Milestone.STARTED)).hasValue(10 * SECOND);
    assertThat(incident.nanos(Milestone.DETECTED)).hasValue(10 * SECOND);
    assertThat(incident.nanos(Milestone.MITIGATED)).hasValue(11 * SECOND);
    assertThat(incident.nanos(Milestone.RECOVERED)).hasValue(41 * SECOND);
    assertThat(incident.nanos(Milestone.RESOLVED)).hasValue(90 * SECOND);
    assertThat(incident.time(Milestone.RECOVERED)).hasValue(BASE.plusSeconds(41));
    assertThat(incident.timeToDetect()).hasValue(Duration.ZERO);
    assertThat(incident.timeToMitigate()).hasValue(Duration.ofSeconds(1));
    assertThat(incident.timeToRecover()).hasValue(Duration.ofSeconds(31));
    assertThat(incident.timeToResolve()).hasValue(Duration.ofSeconds(80));
    assertThat(incident.peakSeverity()).isEqualTo(Severity.MAJOR);
    assertThat(incident.timeAtSeverity()).containsEntry(Severity.NORMAL, Duration.ofSeconds(1))
        .containsEntry(Severity.MAJOR, Duration.ofSeconds(49))
        .containsEntry(Severity.MINOR, Duration.ofSeconds(30))
        .containsEntry(Severity.CRITICAL, Duration.ZERO);
    assertThat(changes).containsExactly("OPENED #1 NORMAL", "ESCALATED #1 MAJOR",
        "RESOLVED #1 MAJOR");
  }

  @Test
  void tracker_typicalIncident_impactAndMitigations() {
    typicalIncident();
    at(400);
    tracker.refresh();

    Incident incident = tracker.incidents().get(0);
    assertThat(incident.entries()).extracting(JournalEntry::sequence)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(incident.components()).extracting(ComponentImpact::name)
        .containsExactly("payments", "cascade");
    ComponentImpact payments = incident.components().get(0);
    assertThat(payments.worst()).isEqualTo(Health.DOWN);
    assertThat(payments.spans()).containsExactly(
        new ComponentImpact.HealthSpan(Health.DOWN, 10 * SECOND, 40 * SECOND),
        new ComponentImpact.HealthSpan(Health.DEGRADED, 40 * SECOND, 41 * SECOND),
        new ComponentImpact.HealthSpan(Health.UP, 41 * SECOND, 90 * SECOND));
    assertThat(incident.mitigations()).extracting(m -> m.source() + " " + m.kind() + " "
            + m.tier() + " " + m.duration().toSeconds() + "s " + m.ended())
        .containsExactly("cascade shed ENHANCED 79s true", "payments fallback null 29s true");
  }

  @Test
  void tracker_breakerStillOpen_neverResolves() {
    breaker("payments", Health.DOWN, EventCategory.DETECTION);
    severity(Severity.NORMAL, EventCategory.RESOLUTION);
    at(3600);

    assertThat(tracker.refresh()).isFalse();
    assertThat(tracker.current()).isPresent();
  }

  @Test
  void tracker_troubleWithinTheWindow_joinsTheSameIncident() {
    journal.record(EventCategory.SIGNAL, "inventory", "error", "timeout");
    at(200);
    journal.record(EventCategory.SIGNAL, "payments", "error", "timeout");
    at(499);
    tracker.refresh();
    at(500);
    tracker.refresh();
    at(501);
    journal.record(EventCategory.SIGNAL, "search", "error", "timeout");

    List<Incident> incidents = tracker.incidents();
    assertThat(incidents).hasSize(2);
    assertThat(incidents.get(0).components()).extracting(ComponentImpact::name)
        .containsExactly("inventory", "payments");
    assertThat(incidents.get(0).nanos(Milestone.RESOLVED)).hasValue(200 * SECOND);
    assertThat(incidents.get(1).status()).isEqualTo(Incident.Status.OPEN);
  }

  @Test
  void openIncident_byHand_staysOpenUntilClosedByHand() {
    tracker.openIncident("alice", "checkout reports from support");
    at(3600);
    assertThat(tracker.refresh()).isFalse();

    tracker.closeIncident("bob", "false alarm");

    Incident incident = tracker.incidents().get(0);
    assertThat(incident.openedBy()).hasValueSatisfying(d -> {
      assertThat(d.by()).isEqualTo("alice");
      assertThat(d.reason()).isEqualTo("checkout reports from support");
    });
    assertThat(incident.closedBy()).hasValueSatisfying(d -> {
      assertThat(d.by()).isEqualTo("bob");
      assertThat(d.nanoTime()).isEqualTo(3600 * SECOND);
    });
    assertThat(incident.nanos(Milestone.RESOLVED)).hasValue(3600 * SECOND);
    assertThat(incident.nanos(Milestone.DETECTED)).hasValue(0L);
    assertThat(incident.nanos(Milestone.RECOVERED)).isEmpty();
  }

  @Test
  void closeIncident_noneOpen_throws() {
    assertThatThrownBy(() -> tracker.closeIncident("bob", "tidy"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no incident is open");
  }

  @Test
  void builder_negativeWindow_throwsNamingIt() {
    assertThatThrownBy(() -> IncidentTracker.builder(journal).window(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window must not be negative, was PT-1S");
  }

  @Test
  void analyse_afterTheFact_equalsLive() {
    typicalIncident();
    at(400);
    tracker.refresh();

    List<Incident> after = IncidentTracker.analyse(journal, Duration.ofMinutes(5));

    assertThat(after).hasSize(1);
    assertThat(IncidentReport.json(after.get(0)))
        .isEqualTo(IncidentReport.json(tracker.incidents().get(0)));
  }

  @Test
  void analyse_outOfOrderEntries_milestonesStillMonotonic() {
    IncidentJournal other = IncidentJournal.builder().ticker(ticker).build();
    at(100);
    other.recordAt(ticker, 90 * SECOND, EventCategory.MITIGATION, "cascade", "shed", null,
        Tier.STANDARD, null, "late");
    other.recordAt(ticker, 95 * SECOND, EventCategory.DETECTION, "payments", "transition", null,
        null, Health.DOWN, "opened");

    Incident incident =
        IncidentTracker.analyse(other.entries(), Duration.ofMinutes(1), 100 * SECOND)
        .get(0);

    assertThat(incident.nanos(Milestone.STARTED)).hasValue(90 * SECOND);
    assertThat(incident.nanos(Milestone.DETECTED)).hasValue(95 * SECOND);
    assertThat(incident.nanos(Milestone.MITIGATED)).hasValue(95 * SECOND);
  }

  @Test
  void close_stopsWatching() {
    tracker.close();
    breaker("payments", Health.DOWN, EventCategory.DETECTION);

    assertThat(tracker.incidents()).isEmpty();
  }

  @Test
  void tracker_concurrentRecorders_everyEntryInOneIncidentOnce() throws Exception {
    int threads = 4;
    int each = 500;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String source = "component-" + t;
      Thread worker = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < each; i++) {
          journal.record(i % 2 == 0 ? EventCategory.SIGNAL : EventCategory.INFO, source,
              "error", Integer.toString(i));
        }
      });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    List<Incident> incidents = tracker.incidents();
    assertThat(incidents).hasSize(1);
    // each thread's first entry is a signal, applied before its next: every entry belongs
    assertThat(incidents.get(0).entries()).extracting(JournalEntry::sequence)
        .doesNotHaveDuplicates().hasSize(threads * each);
    assertThat(changes).containsExactly("OPENED #1 NORMAL");
  }
}
