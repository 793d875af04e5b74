package dev.breakglass.cascade.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.Health;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

class FlightEventsTest {

  private final ManualTicker ticker = new ManualTicker();

  /** Takes {@code count} events from {@code queue}, failing after a generous deadline. */
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

  private Step takes(long millis) {
    return () -> ticker.advance(Duration.ofMillis(millis));
  }

  private DependencyGraph service() {
    return DependencyGraph.builder()
        .add(Component.builder("front").tier(Tier.CRITICAL)
            .onStart(takes(30)).onDrain(takes(40)).onRelease(takes(2)).build(), "payments")
        .add(Component.builder("payments").tier(Tier.ESSENTIAL)
            .onStart(takes(10)).healthCheck(() -> Health.UP)
            .onFlush(() -> {
              ticker.advance(Duration.ofMillis(5));
              throw new IllegalStateException("disk full");
            })
            .build())
        .build();
  }

  @Test
  void shutdown_recordingRuns_oneEventPerStepAndOneForTheRun() throws Exception {
    BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
    try (RecordingStream stream = new RecordingStream()) {
      stream.setReuse(false); // the events are kept after the callback returns
      stream.onEvent("dev.breakglass.ShutdownStep", events::add);
      stream.onEvent("dev.breakglass.Shutdown", events::add);
      stream.startAsync();

      ShutdownSequencer.builder(service()).executor(Runnable::run).ticker(ticker)
          .deadline(Duration.ofSeconds(10)).build().shutdown();

      List<RecordedEvent> recorded = take(events, 4);
      List<String> steps = new ArrayList<>();
      RecordedEvent run = null;
      for (RecordedEvent event : recorded) {
        if (event.getEventType().getName().equals("dev.breakglass.Shutdown")) {
          run = event;
        } else {
          steps.add(event.getString("component") + " " + event.getString("tier") + " "
              + event.getString("step") + " " + event.getLong("stepDuration") + " "
              + event.getString("outcome") + " " + event.getString("failure"));
        }
      }
      assertThat(steps).containsExactly(
          "front CRITICAL drain 40000000 succeeded ",
          "front CRITICAL release 2000000 succeeded ",
          "payments ESSENTIAL flush 5000000 failed java.lang.IllegalStateException: disk full");
      assertThat(run).isNotNull();
      assertThat(run.getInt("components")).isEqualTo(2);
      assertThat(run.getLong("elapsed")).isEqualTo(47_000_000L);
      assertThat(run.getLong("deadline")).isEqualTo(10_000_000_000L);
      assertThat(run.getString("summary")).isNotBlank();
    }
  }

  @Test
  void recover_recordingRuns_oneEventPerStartAndHealthCheckAndOneForTheRun() throws Exception {
    BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
    try (RecordingStream stream = new RecordingStream()) {
      stream.setReuse(false); // the events are kept after the callback returns
      stream.onEvent("dev.breakglass.RecoveryStep", events::add);
      stream.onEvent("dev.breakglass.Recovery", events::add);
      stream.startAsync();

      RecoverySequencer.builder(service()).executor(Runnable::run).ticker(ticker)
          .healthCheckInterval(Duration.ofNanos(1)).build().recover();

      List<RecordedEvent> recorded = take(events, 4);
      List<String> steps = new ArrayList<>();
      RecordedEvent run = null;
      for (RecordedEvent event : recorded) {
        if (event.getEventType().getName().equals("dev.breakglass.Recovery")) {
          run = event;
        } else {
          steps.add(event.getString("component") + " " + event.getString("step") + " "
              + event.getLong("stepDuration") + " " + event.getString("outcome"));
        }
      }
      assertThat(steps).containsExactlyInAnyOrder(
          "payments start 10000000 succeeded",
          "front start 30000000 succeeded",
          "payments health 0 succeeded");
      assertThat(run).isNotNull();
      assertThat(run.getBoolean("succeeded")).isTrue();
      assertThat(run.getInt("components")).isEqualTo(2);
      assertThat(run.getLong("elapsed")).isEqualTo(40_000_000L);
    }
  }
}
