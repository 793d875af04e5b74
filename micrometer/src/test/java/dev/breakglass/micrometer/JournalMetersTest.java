package dev.breakglass.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class JournalMetersTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final IncidentJournal journal =
      IncidentJournal.builder().capacity(2).ticker(new ManualTicker()).build();

  private double entries(String source, String kind) {
    return meters.get(JournalMeters.ENTRIES).tags("source", source, "kind", kind).counter()
        .count();
  }

  @Test
  void meters_scriptedEntries_countBySourceAndKind() {
    JournalMeters.of(journal).bindTo(meters);
    CircuitBreaker payments = CircuitBreaker.builder("payments").journal(journal).build();

    payments.transitionToOpen();
    payments.transitionToClosed();
    journal.record("on-call", "note", "looking into it");

    assertThat(entries("payments", "transition")).isEqualTo(2.0);
    assertThat(entries("on-call", "note")).isEqualTo(1.0);
    assertThat(meters.find(JournalMeters.ENTRIES).meters()).hasSize(2);
    assertThat(meters.get(JournalMeters.EVICTED).functionCounter().count()).isEqualTo(1.0);
  }

  @Test
  void close_removesTheMetersAndStopsCounting() {
    JournalMeters binder = JournalMeters.of(journal);
    binder.bindTo(meters);
    journal.record("on-call", "note", "one");
    binder.close();
    journal.record("on-call", "note", "two");

    assertThat(meters.getMeters()).isEmpty();
  }
}
