package dev.breakglass.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Shipping instances' journals to one fleet timeline, also while the database is away. */
class FleetJournalTest {

  private static final AtomicInteger FLEETS = new AtomicInteger();

  private static String url;

  /** Its own, so that taking it down affects this test's instances only. */
  private final TestDataSource dataSource = new TestDataSource(url);
  private final Fleet fleet = Fleet.builder(dataSource, "shop-" + FLEETS.incrementAndGet())
      .build();
  private final List<FleetInstance> started = new ArrayList<>();

  @BeforeAll
  static void database() {
    url = TestDatabases.create("journal").url();
  }

  @AfterEach
  void leave() {
    started.forEach(FleetInstance::close);
  }

  /** A clock a test sets by hand, for wall-clock times it chooses. */
  private static final class SetClock implements InstantSource {
    final AtomicReference<Instant> now;

    SetClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void timeline_mergesTheInstancesJournalsAndTheFleetsOwnEntriesByTime() throws Exception {
    Instant t0 = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS); // before the declaration
    SetClock clockA = new SetClock(t0);
    SetClock clockB = new SetClock(t0);
    IncidentJournal a = IncidentJournal.builder().clock(clockA).ticker(new ManualTicker())
        .build();
    IncidentJournal b = IncidentJournal.builder().clock(clockB).ticker(new ManualTicker())
        .build();
    FleetInstance one = Instances.fast(fleet, "shop-1").journal(a).start();
    FleetInstance two = Instances.fast(fleet, "shop-2").journal(b).start();
    started.add(one);
    started.add(two);
    Await.until("connected", () -> one.status().connected() && two.status().connected());

    clockA.now.set(t0.plusMillis(100));
    a.record("payment-client", "transition", "CLOSED -> OPEN");
    clockB.now.set(t0.plusMillis(50));
    b.record("payment-client", "transition", "CLOSED -> OPEN");
    clockB.now.set(t0.plusMillis(300));
    b.record("cascade", "severity", "NORMAL -> MAJOR");
    clockA.now.set(t0.plusMillis(200));
    a.record("cascade", "severity", "NORMAL -> MAJOR");
    FleetDeclaration declared = fleet.declare(Severity.MAJOR, "alice", "INC-7");

    Await.until("shipped", () -> one.status().backlog() == 0 && two.status().backlog() == 0
        && fleet.timeline().entries().stream().filter(e -> e.instance() != null
            && e.entry().source().equals("cascade")).count() == 2);
    FleetTimeline timeline = fleet.timeline(t0.plusMillis(1), t0.plus(1, ChronoUnit.DAYS));

    List<String> ours = timeline.entries().stream()
        .filter(e -> e.instance() == null || !e.entry().source().equals("fleet"))
        .map(e -> (e.instance() == null ? "(fleet)" : e.instance()) + " "
            + e.entry().source() + " " + e.entry().detail())
        .toList();
    assertThat(ours).containsExactly(
        "shop-2 payment-client CLOSED -> OPEN",
        "shop-1 payment-client CLOSED -> OPEN",
        "shop-1 cascade NORMAL -> MAJOR",
        "shop-2 cascade NORMAL -> MAJOR",
        "(fleet) fleet " + declared.describe());
    assertThat(timeline.instances()).containsExactly("shop-1", "shop-2");
    assertThat(timeline.entries()).isSortedAccordingTo(FleetTimeline.ORDER);
    String text = timeline.toText();
    assertThat(text).startsWith("fleet timeline '" + fleet.name() + "': ")
        .contains("  +0.000s  ", "shop-2   payment-client  transition  CLOSED -> OPEN")
        .contains("  +0.050s  ", "shop-1   payment-client  transition  CLOSED -> OPEN")
        .contains("(fleet)  fleet           declared    MAJOR declared for the whole fleet");
    assertThat(timeline.toJson()).contains("{\"instance\":\"shop-2\",\"sequence\":2,",
        "\"source\":\"payment-client\",\"kind\":\"transition\",\"detail\":\"CLOSED -> OPEN\"}",
        "{\"instance\":null,");
  }

  @Test
  void shipping_databaseAway_backlogStaysBoundedAndDropsAreCountedAndJournalled()
      throws Exception {
    IncidentJournal journal = IncidentJournal.create(4096);
    FleetInstance instance = Instances.fast(fleet, "shop-1").journal(journal)
        .journalShipping(50, 20, java.time.Duration.ofMillis(20)).start();
    started.add(instance);
    Await.until("connected", () -> instance.status().connected());
    Await.until("caught up", () -> instance.status().backlog() == 0);
    long shippedBefore = instance.status().shipped();
    dataSource.down(true);
    terminate(); // the listener's connection goes too

    Await.until("the outage noticed", () -> !instance.status().connected());
    for (int i = 0; i < 200; i++) {
      journal.record("load", "request", "request " + i);
    }

    FleetInstance.Status during = instance.status();
    assertThat(during.backlog()).isEqualTo(50);
    assertThat(during.dropped()).isGreaterThanOrEqualTo(150);
    long dropped = during.dropped();

    dataSource.down(false);
    String backlogFull = " not shipped to the fleet timeline: the backlog of 50 entries was full"
        + " while the database was unreachable";
    try {
      Await.until("reconnected and shipped", () -> instance.status().connected()
          && instance.status().backlog() == 0 && fleet.timeline().entries().stream()
              .anyMatch(e -> e.entry().detail().contains(backlogFull)));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the timeline: " + fleet.timeline().toText()
          + "; the journal: " + journal.toText(), e);
    }
    FleetTimeline timeline = fleet.timeline();
    List<String> requests = timeline.entries().stream()
        .filter(e -> e.entry().source().equals("load")).map(e -> e.entry().detail()).toList();
    assertThat(requests).hasSizeLessThanOrEqualTo(50).contains("request 0");
    assertThat(requests).doesNotContain("request 199");
    // entries recorded while reconnecting (the instance's own "reconnected") may add to it
    String report = timeline.entries().stream().map(e -> e.entry().detail())
        .filter(d -> d.contains(backlogFull)).findFirst().orElseThrow();
    assertThat(Long.parseLong(report.substring(0, report.indexOf(' '))))
        .isGreaterThanOrEqualTo(dropped);
    assertThat(journal.entries()).extracting(JournalEntry::kind)
        .contains("unreachable", "reconnected", "dropped");
    assertThat(instance.status().shipped()).isGreaterThan(shippedBefore);
  }

  @Test
  void record_whileTheDatabaseHangs_neverWaitsForIt() throws Exception {
    IncidentJournal journal = IncidentJournal.create(64);
    CountDownLatch hung = new CountDownLatch(1);
    dataSource.hang(hung); // every new connection waits until the test lets go
    FleetInstance instance = Instances.fast(fleet, "shop-1").journal(journal)
        .journalShipping(1_000, 100, java.time.Duration.ofMillis(10)).start();
    started.add(instance);
    CountDownLatch recorded = new CountDownLatch(1);
    Thread recorder = new Thread(() -> {
      for (int i = 0; i < 20_000; i++) {
        journal.record("load", "request", "request " + i);
      }
      recorded.countDown();
    });
    try {
      recorder.start();

      // the database still hangs: recording finishes anyway, and the excess is counted
      assertThat(recorded.await(Await.LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(hung.getCount()).isEqualTo(1);
      assertThat(instance.status().backlog()).isEqualTo(1_000);
      assertThat(instance.status().dropped()).isEqualTo(20_001 - 1_000);
    } finally {
      dataSource.hang(null);
      hung.countDown();
    }
    Await.until("shipped once the database answers", () -> instance.status().backlog() == 0);
  }

  private void terminate() throws Exception {
    try (var connection = java.sql.DriverManager.getConnection(dataSource.url());
        var kill = connection.prepareStatement("SELECT pg_terminate_backend(pid) FROM"
            + " pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            + " AND application_name = ?")) {
      kill.setString(1, "breakglass-fleet shop-1");
      kill.execute();
    }
  }
}
