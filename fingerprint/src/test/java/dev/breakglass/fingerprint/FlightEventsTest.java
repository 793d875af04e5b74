package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

class FlightEventsTest {

  private static final Value STABLE = Value.from(Map.of("timeout", 30));
  private static final Value BAD = STABLE.with("timeout", 1);

  static List<RecordedEvent> take(BlockingQueue<RecordedEvent> queue, int count)
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
  void rollBack_recordingRuns_oneEventPerStageThatRanWithItsFields() throws Exception {
    ManualTicker ticker = new ManualTicker();
    BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
    try (SnapshotStore store = SnapshotStore.inMemory();
        RecordingStream stream = new RecordingStream()) {
      stream.setReuse(false); // the events are kept after the callback returns
      SnapshotInfo stable = store.append("v1", STABLE);
      store.markStable(stable.fingerprint());
      store.append("v2", BAD);
      stream.onEvent("dev.breakglass.RollbackStage", events::add);
      stream.startAsync();

      RollbackReport report = RollbackPlan.builder(store)
          .stabilise(ctx -> ticker.advance(Duration.ofMillis(1)))
          .restore(ctx -> {
            ticker.advance(Duration.ofMillis(2));
            throw new IllegalStateException("config server down");
          })
          .validate(ctx -> ticker.advance(Duration.ofMillis(4)))
          .ticker(ticker)
          .build()
          .rollBack(BAD);

      assertThat(report.succeeded()).isFalse();
      List<RecordedEvent> recorded = take(events, 2);
      assertThat(recorded).extracting(e -> e.getString("stage"))
          .containsExactly("stabilise", "restore");
      RecordedEvent stabilise = recorded.get(0);
      assertThat(stabilise.getString("source")).isEqualTo("rollback");
      assertThat(stabilise.getLong("target")).isEqualTo(stable.sequence());
      assertThat(stabilise.getLong("stageDuration")).isEqualTo(1_000_000L);
      assertThat(stabilise.getString("outcome")).isEqualTo("succeeded");
      assertThat(stabilise.getString("failure")).isEmpty();
      RecordedEvent restore = recorded.get(1);
      assertThat(restore.getLong("stageDuration")).isEqualTo(2_000_000L);
      assertThat(restore.getString("outcome")).isEqualTo("failed");
      assertThat(restore.getString("failure"))
          .isEqualTo("java.lang.IllegalStateException: config server down");
      assertThat(restore.getDuration().isNegative()).isFalse(); // spans the hook
      // nothing for the stages that did not run
      assertThat(events.poll(1, TimeUnit.SECONDS)).isNull();
    }
  }
}
