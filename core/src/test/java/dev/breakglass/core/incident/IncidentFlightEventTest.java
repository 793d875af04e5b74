package dev.breakglass.core.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

class IncidentFlightEventTest {

  private static final long SECOND = 1_000_000_000L;

  private final ManualTicker ticker = new ManualTicker();
  private final IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();

  private void at(long seconds) {
    ticker.advanceNanos(seconds * SECOND - ticker.read());
  }

  private static List<RecordedEvent> take(BlockingQueue<RecordedEvent> queue, int count)
      throws InterruptedException {
    List<RecordedEvent> events = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (events.size() < count) {
      RecordedEvent event = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertThat(event).as("event %d of %d within 30 s", events.size() + 1, count).isNotNull();
      events.add(event);
    }
    return events;
  }

  @Test
  void flightRecorder_isAvailableOnTheTestRuntime() {
    assertThat(FlightRecorder.AVAILABLE).isTrue();
  }

  @Test
  void tracker_recordingRuns_oneEventPerChangeWithItsFields() throws Exception {
    IncidentTracker tracker = IncidentTracker.builder(journal).window(Duration.ofSeconds(60))
        .build();
    BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
    try (RecordingStream stream = new RecordingStream()) {
      stream.setReuse(false); // the events are kept after the callback returns
      stream.onEvent("dev.breakglass.Incident", events::add);
      stream.startAsync();

      at(10);
      journal.record(EventCategory.SIGNAL, "payments", "slow-calls", null, null,
          Health.DEGRADED, "slow");
      at(12);
      journal.record(EventCategory.DETECTION, "cascade", "severity", Severity.MAJOR, null,
          null, "-> MAJOR");
      at(15);
      journal.record(EventCategory.MITIGATION, "payments", "fallback", "cached quotes");
      at(40);
      journal.record(EventCategory.RECOVERY, "payments", "transition", null, null, Health.UP,
          "-> UP");
      journal.record(EventCategory.RESOLUTION, "cascade", "severity", Severity.NORMAL, null,
          null, "-> NORMAL");
      at(100);
      assertThat(tracker.refresh()).isTrue();

      List<RecordedEvent> recorded = take(events, 3);
      assertThat(recorded).extracting(e -> e.getString("change"))
          .containsExactly("OPENED", "ESCALATED", "RESOLVED");
      assertThat(recorded).extracting(e -> e.getInt("number")).containsOnly(1);

      RecordedEvent opened = recorded.get(0);
      assertThat(opened.getString("status")).isEqualTo("OPEN");
      assertThat(opened.getString("peakSeverity")).isEqualTo("NORMAL");
      assertThat(opened.getString("components")).isEqualTo("payments");
      assertThat(opened.getLong("timeToDetect")).isEqualTo(IncidentFlightEvent.NOT_REACHED);
      assertThat(opened.getLong("timeToRecover")).isEqualTo(IncidentFlightEvent.NOT_REACHED);

      RecordedEvent escalated = recorded.get(1);
      assertThat(escalated.getString("peakSeverity")).isEqualTo("MAJOR");
      assertThat(escalated.getDuration("timeToDetect")).isEqualTo(Duration.ofSeconds(2));

      RecordedEvent resolved = recorded.get(2);
      assertThat(resolved.getString("status")).isEqualTo("RESOLVED");
      assertThat(resolved.getString("peakSeverity")).isEqualTo("MAJOR");
      assertThat(resolved.getString("components")).isEqualTo("payments, cascade");
      assertThat(resolved.getDuration("timeToDetect")).isEqualTo(Duration.ofSeconds(2));
      assertThat(resolved.getDuration("timeToMitigate")).isEqualTo(Duration.ofSeconds(5));
      assertThat(resolved.getDuration("timeToRecover")).isEqualTo(Duration.ofSeconds(30));
      assertThat(resolved.getDuration("incidentDuration")).isEqualTo(Duration.ofSeconds(30));
    } finally {
      tracker.close();
    }
  }
}
