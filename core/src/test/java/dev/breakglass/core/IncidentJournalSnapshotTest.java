package dev.breakglass.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A rendering taken while other threads record must agree with itself: its counts and its
 * entries come from one view of the journal.
 */
class IncidentJournalSnapshotTest {

  private static final int CAPACITY = 64;
  private static final int SNAPSHOTS = 300;
  private static final Pattern HEADER = Pattern.compile(
      "incident journal: (\\d+) entr(?:y|ies) \\((\\d+) evicted, (?:(\\d+) in flight, )?"
          + "capacity (\\d+)\\)");

  @Test
  void toText_whileOneThreadRecords_headerAgreesWithTheEntries() throws Exception {
    IncidentJournal journal = IncidentJournal.create(CAPACITY);
    List<String> disagreements = new ArrayList<>();
    // one writer: its i-th entry has sequence i, and says so in its detail
    whileRecording(journal, 1, () -> {
      for (int i = 0; i < SNAPSHOTS; i++) {
        String text = journal.toText();
        List<String> lines = text.lines().toList();
        Matcher header = HEADER.matcher(lines.get(0));
        assertThat(header.matches()).as(lines.get(0)).isTrue();
        long listed = Long.parseLong(header.group(1));
        long evicted = Long.parseLong(header.group(2));
        long inFlight = header.group(3) == null ? 0 : Long.parseLong(header.group(3));
        long end = evicted + listed + inFlight; // the recorded count of the view
        assertThat(lines).hasSize(1 + (int) listed);
        if (listed + inFlight > CAPACITY || (evicted > 0 && listed + inFlight != CAPACITY)) {
          disagreements.add(lines.get(0));
        }
        for (String line : lines.subList(1, lines.size())) {
          long sequence = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
          if (sequence < evicted || sequence >= end) {
            disagreements.add(lines.get(0) + " lists entry " + sequence);
            break;
          }
        }
      }
    });

    assertThat(disagreements).as("%d of %d snapshots", disagreements.size(), SNAPSHOTS)
        .isEmpty();
  }

  @Test
  void toJson_whileManyThreadsRecord_countsAgreeWithTheEntries() throws Exception {
    IncidentJournal journal = IncidentJournal.create(CAPACITY);
    List<String> disagreements = new ArrayList<>();
    whileRecording(journal, 4, () -> {
      for (int i = 0; i < SNAPSHOTS; i++) {
        Map<String, Object> json = StrictJson.object(StrictJson.parse(journal.toJson()));
        long recorded = (Long) json.get("recorded");
        long evicted = (Long) json.get("evicted");
        List<Object> entries = StrictJson.array(json.get("entries"));
        if (evicted != Math.max(0, recorded - CAPACITY)
            || entries.size() > recorded - evicted) {
          disagreements.add("recorded " + recorded + ", evicted " + evicted + ", "
              + entries.size() + " entries");
        }
        long previous = -1;
        for (Object entry : entries) {
          long sequence = (Long) StrictJson.object(entry).get("sequence");
          if (sequence < evicted || sequence >= recorded || sequence <= previous) {
            disagreements.add("recorded " + recorded + ", evicted " + evicted
                + ", lists entry " + sequence);
            break;
          }
          previous = sequence;
        }
      }
    });

    assertThat(disagreements).as("%d of %d snapshots", disagreements.size(), SNAPSHOTS)
        .isEmpty();
  }

  private interface Reader {
    void read() throws Exception;
  }

  /** Runs {@code reader} on this thread while {@code writers} threads record non-stop. */
  private static void whileRecording(IncidentJournal journal, int writers, Reader reader)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(writers);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < writers; t++) {
      Thread writer = new Thread(() -> {
        started.countDown();
        for (long i = 0; !stop.get(); i++) {
          journal.record("writer", "step", Long.toString(i));
        }
      });
      writer.start();
      threads.add(writer);
    }
    try {
      started.await();
      while (journal.recordedCount() <= 2 * CAPACITY) {
        Thread.onSpinWait(); // the writers are running: let them fill the ring and evict
      }
      reader.read();
    } finally {
      stop.set(true);
      for (Thread writer : threads) {
        writer.join();
      }
    }
    assertThat(journal.recordedCount()).isGreaterThan(CAPACITY);
  }
}
