package dev.breakglass.cascade.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

class FlightEventsTest {

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

  private static String describe(RecordedEvent event) {
    String name = event.getEventType().getName();
    if (name.equals("dev.breakglass.SeverityChange")) {
      return "severity " + event.getString("from") + "->" + event.getString("to") + " "
          + event.getDouble("capacityFactor") + " " + event.getString("cause");
    }
    return name.substring("dev.breakglass.".length()) + " " + event.getString("tier") + " at "
        + event.getString("severity") + ": " + event.getString("members");
  }

  @Test
  void declare_recordingRuns_severityChangeThenOneEventPerTierShedOrRestored()
      throws Exception {
    CascadeManager manager = CascadeManager.builder()
        .feature("recommendations", Tier.STANDARD)
        .feature("analytics", Tier.ENHANCED)
        .ticker(new ManualTicker())
        .build();
    BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
    try (RecordingStream stream = new RecordingStream()) {
      stream.setReuse(false); // the events are kept after the callback returns
      stream.onEvent("dev.breakglass.SeverityChange", events::add);
      stream.onEvent("dev.breakglass.TierShed", events::add);
      stream.onEvent("dev.breakglass.TierRestored", events::add);
      stream.startAsync();

      manager.declare(Severity.MAJOR, "on-call", "drill");
      manager.declare(Severity.NORMAL, "on-call", "over");

      List<String> recorded = new ArrayList<>();
      for (RecordedEvent event : take(events, 6)) {
        recorded.add(describe(event));
      }
      assertThat(recorded).hasSize(6);
      assertThat(recorded.get(0)).startsWith("severity NORMAL->MAJOR 0.6 ")
          .contains("on-call");
      assertThat(recorded.subList(1, 3)).containsExactly(
          "TierShed ENHANCED at MAJOR: analytics",
          "TierShed STANDARD at MAJOR: recommendations");
      assertThat(recorded.get(3)).startsWith("severity MAJOR->NORMAL 1.0 ");
      assertThat(recorded.subList(4, 6)).containsExactly(
          "TierRestored STANDARD at NORMAL: recommendations",
          "TierRestored ENHANCED at NORMAL: analytics");
    }
  }
}
