package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Category;
import jdk.jfr.Enabled;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

class FlightEventsTest {

  private static final String TRANSITION = "dev.breakglass.CircuitBreakerTransition";

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

  @Test
  void transition_recordingRuns_oneEventPerTransitionWithItsFields() throws Exception {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.builder("payments")
        .config(CircuitBreakerConfig.builder().countWindow(2).minimumNumberOfCalls(2)
            .failureRateThreshold(50).build())
        .ticker(ticker).build();
    BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
    try (RecordingStream stream = new RecordingStream()) {
      stream.setReuse(false); // the events are kept after the callback returns
      // no enable(): the event is on by default in a recording
      stream.onEvent(TRANSITION, events::add);
      stream.startAsync();

      breaker.onError(0, new IllegalStateException("down"));
      breaker.onError(0, new IllegalStateException("down")); // 100% failures: opens
      breaker.transitionToClosed();

      List<RecordedEvent> recorded = take(events, 2);
      assertThat(recorded.get(0).getString("breaker")).isEqualTo("payments");
      assertThat(recorded.get(0).getString("from")).isEqualTo("CLOSED");
      assertThat(recorded.get(0).getString("to")).isEqualTo("OPEN");
      assertThat(recorded.get(0).getString("reason")).contains("failure rate");
      assertThat(recorded.get(1).getString("from")).isEqualTo("OPEN");
      assertThat(recorded.get(1).getString("to")).isEqualTo("CLOSED");
      assertThat(recorded.get(1).getString("reason")).contains("manual");
    }
  }

  @Test
  void transitionEvent_metadata_namedLabelledAndInTheBreakglassCategory() {
    EventType type = EventType.getEventType(TransitionFlightEvent.class);
    assertThat(type.getName()).isEqualTo(TRANSITION);
    assertThat(type.getLabel()).isEqualTo("Circuit Breaker Transition");
    assertThat(type.getDescription()).isNotBlank();
    assertThat(type.getCategoryNames()).startsWith("breakglass");
    Enabled enabled = TransitionFlightEvent.class.getAnnotation(Enabled.class);
    assertThat(enabled == null || enabled.value()).as("enabled by default").isTrue();
    assertThat(TransitionFlightEvent.class.getAnnotation(Category.class)).isNotNull();
    assertThat(type.getFields()).extracting(f -> f.getName())
        .contains("breaker", "from", "to", "reason");
  }

  @Test
  void transition_noRecording_breakerWorksAndCommitsNothing() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.builder("payments").ticker(ticker).build();
    breaker.transitionToOpen();
    ticker.advance(Duration.ofMinutes(2));
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(new TransitionFlightEvent().shouldCommit()).isFalse();
  }
}
