package dev.breakglass.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class IncidentJournalTest {

  private final ManualTicker ticker = new ManualTicker(1_000);
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T09:14:03.120Z"), ZoneOffset.UTC);

  private IncidentJournal journal(int capacity) {
    return IncidentJournal.builder().capacity(capacity).ticker(ticker).clock(clock).build();
  }

  @Test
  void record_storesAllFieldsInOrder() {
    IncidentJournal journal = journal(10);
    journal.record("payments", "transition", "CLOSED -> OPEN");
    ticker.advance(Duration.ofMillis(250));
    journal.record("cascade", "severity", "NORMAL -> MAJOR");

    List<JournalEntry> entries = journal.entries();

    assertThat(entries).extracting(JournalEntry::sequence).containsExactly(0L, 1L);
    assertThat(entries).extracting(JournalEntry::source).containsExactly("payments", "cascade");
    assertThat(entries).extracting(JournalEntry::kind).containsExactly("transition", "severity");
    assertThat(entries).extracting(JournalEntry::nanoTime).containsExactly(1_000L, 250_001_000L);
    assertThat(entries.get(0).time()).isEqualTo(Instant.parse("2026-11-21T09:14:03.120Z"));
    assertThat(journal.recordedCount()).isEqualTo(2);
    assertThat(journal.evictedCount()).isZero();
  }

  @Test
  void record_beyondCapacity_evictsOldest() {
    IncidentJournal journal = journal(3);
    for (int i = 0; i < 5; i++) {
      journal.record("s", "k", "e" + i);
    }

    assertThat(journal.entries()).extracting(JournalEntry::detail).containsExactly("e2", "e3", "e4");
    assertThat(journal.recordedCount()).isEqualTo(5);
    assertThat(journal.evictedCount()).isEqualTo(2);
  }

  @Test
  void entries_isAnImmutableSnapshot() {
    IncidentJournal journal = journal(3);
    journal.record("s", "k", "a");
    List<JournalEntry> snapshot = journal.entries();
    journal.record("s", "k", "b");

    assertThat(snapshot).hasSize(1);
    assertThatThrownBy(() -> snapshot.add(snapshot.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void badInput_throwsNamingTheValue() {
    IncidentJournal journal = journal(3);
    assertThatThrownBy(() -> IncidentJournal.create(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be > 0, was 0");
    assertThatThrownBy(() -> IncidentJournal.builder().capacity(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be > 0, was -5");
    assertThatThrownBy(() -> journal.record(null, "k", "d"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("source");
    assertThatThrownBy(() -> journal.record(" ", "k", "d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("source must not be blank, was ' '");
    assertThatThrownBy(() -> journal.record("s", null, "d")).hasMessage("kind");
    assertThatThrownBy(() -> journal.record("s", "", "d"))
        .hasMessage("kind must not be blank, was ''");
    assertThatThrownBy(() -> journal.record("s", "k", null)).hasMessage("detail");
    assertThatThrownBy(() -> IncidentJournal.builder().ticker(null)).hasMessage("ticker");
    assertThatThrownBy(() -> IncidentJournal.builder().clock(null)).hasMessage("clock");
    assertThat(journal.recordedCount()).isZero();
  }

  @Test
  void toText_rendersAlignedTimeline() {
    IncidentJournal journal = journal(10);
    journal.record("payments", "transition", "CLOSED -> OPEN: failure rate 62.5%");
    ticker.advance(Duration.ofMillis(1250));
    journal.record("cascade", "severity", "NORMAL -> MAJOR: payments DOWN");
    ticker.advance(Duration.ofSeconds(12));
    journal.record("checkout", "started", "");

    assertThat(journal.toText()).isEqualTo(
        "incident journal: 3 entries (0 evicted, capacity 10)\n"
            + "   +0.000s  2026-11-21T09:14:03.120Z  payments  transition  CLOSED -> OPEN: failure rate 62.5%\n"
            + "   +1.250s  2026-11-21T09:14:03.120Z  cascade   severity    NORMAL -> MAJOR: payments DOWN\n"
            + "  +13.250s  2026-11-21T09:14:03.120Z  checkout  started\n");
  }

  @Test
  void toText_empty_saysSo() {
    assertThat(journal(4).toText()).isEqualTo("incident journal: 0 entries (0 evicted, capacity 4)\n");
  }

  @Test
  void toJson_escapesAndCountsEvictions() {
    IncidentJournal journal = journal(2);
    journal.record("a", "k", "dropped");
    journal.record("a", "k", "quote \" backslash \\ newline \n tab \t bell \u0007");
    journal.record("b\u00e9", "k", "lone \ud800 surrogate, pair \ud83d\ude00");

    assertThat(journal.toJson()).isEqualTo(
        "{\"capacity\":2,\"recorded\":3,\"evicted\":1,\"entries\":[\n"
            + "{\"sequence\":1,\"nanoTime\":1000,\"time\":\"2026-11-21T09:14:03.120Z\",\"source\":\"a\","
            + "\"kind\":\"k\",\"detail\":\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007\"},\n"
            + "{\"sequence\":2,\"nanoTime\":1000,\"time\":\"2026-11-21T09:14:03.120Z\",\"source\":\"b\u00e9\","
            + "\"kind\":\"k\",\"detail\":\"lone \\ud800 surrogate, pair \ud83d\ude00\"}\n"
            + "]}");
  }

  @Test
  void toJson_empty_isAnEmptyArray() {
    assertThat(journal(4).toJson())
        .isEqualTo("{\"capacity\":4,\"recorded\":0,\"evicted\":0,\"entries\":[]}");
  }

  @Test
  void onRecord_listenerSeesEachEntryAfterItIsStored() {
    IncidentJournal journal = journal(4);
    List<String> seen = new ArrayList<>();
    Subscription subscription = journal.onRecord(e -> {
      seen.add(e.detail());
      assertThat(journal.entries()).contains(e);
    });
    journal.record("s", "k", "one");
    subscription.close();
    journal.record("s", "k", "two");

    assertThat(seen).containsExactly("one");
  }

  @Test
  void record_concurrentWritersBelowCapacity_nothingLostAndPerThreadOrderKept() throws Exception {
    int threads = 16;
    int perThread = 2_000;
    IncidentJournal journal = IncidentJournal.create(threads * perThread);
    runWriters(journal, threads, perThread);

    List<JournalEntry> entries = journal.entries();
    assertThat(entries).hasSize(threads * perThread);
    assertThat(entries).extracting(JournalEntry::sequence).isSorted().doesNotHaveDuplicates();
    assertThat(entries.get(entries.size() - 1).sequence()).isEqualTo(threads * perThread - 1);
    assertPerThreadOrder(entries, threads, perThread, 0);
  }

  @Test
  void record_concurrentWritersAboveCapacity_keepsExactlyTheNewest() throws Exception {
    int threads = 16;
    int perThread = 2_000;
    int capacity = 1_000;
    IncidentJournal journal = IncidentJournal.create(capacity);
    runWriters(journal, threads, perThread);

    List<JournalEntry> entries = journal.entries();
    long total = (long) threads * perThread;
    assertThat(entries).hasSize(capacity);
    assertThat(entries).extracting(JournalEntry::sequence)
        .containsExactlyElementsOf(
            java.util.stream.LongStream.range(total - capacity, total).boxed().toList());
    assertThat(journal.evictedCount()).isEqualTo(total - capacity);
    assertPerThreadOrder(entries, threads, perThread, 1);
  }

  private static void runWriters(IncidentJournal journal, int threads, int perThread)
      throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String source = "writer-" + t;
      Thread worker = new Thread(() -> {
        ManualTickerTest.awaitQuietly(start);
        for (int i = 0; i < perThread; i++) {
          journal.record(source, "step", Integer.toString(i));
        }
      });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
  }

  /** Within each writer, details must be strictly increasing (and contiguous below capacity). */
  private static void assertPerThreadOrder(
      List<JournalEntry> entries, int threads, int perThread, int minimumGap) {
    int[] last = new int[threads];
    java.util.Arrays.fill(last, -1);
    int[] count = new int[threads];
    for (JournalEntry entry : entries) {
      int writer = Integer.parseInt(entry.source().substring("writer-".length()));
      int step = Integer.parseInt(entry.detail());
      assertThat(step).isGreaterThan(last[writer]);
      if (minimumGap == 0) {
        assertThat(step).isEqualTo(last[writer] + 1);
      }
      last[writer] = step;
      count[writer]++;
    }
    if (minimumGap == 0) {
      for (int t = 0; t < threads; t++) {
        assertThat(count[t]).isEqualTo(perThread);
      }
    }
  }
}
