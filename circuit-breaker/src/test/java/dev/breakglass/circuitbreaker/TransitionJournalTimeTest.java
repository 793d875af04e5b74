package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The journal stamps a transition with the moment it happened, not its publication. */
class TransitionJournalTimeTest {

  private static final Instant BASE = Instant.parse("2026-12-02T09:14:04Z");
  private static final long SECOND = 1_000_000_000L;

  private final ManualTicker ticker = new ManualTicker(7 * SECOND);

  @Test
  void journal_transitionPublishedLate_stampedWhenItHappened() {
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker)
        .clock(() -> BASE.plusNanos(ticker.read() - 7 * SECOND)).build();
    CircuitBreaker breaker = CircuitBreaker.builder("payments")
        .config(CircuitBreakerConfig.builder().countWindow(2).minimumNumberOfCalls(2)
            .waitDurationInOpenState(Duration.ofSeconds(30)).build())
        .ticker(ticker).journal(journal).build();
    breaker.onStateTransition(transition -> {
      if (transition.to() == CircuitBreaker.State.OPEN) { // a slow listener
        ticker.advance(Duration.ofSeconds(30));
        breaker.tryAcquirePermission(); // OPEN -> HALF_OPEN now, published after this returns
        ticker.advance(Duration.ofSeconds(4));
      }
    });

    breaker.onError(0, new IOException());
    breaker.onError(0, new IOException());

    List<JournalEntry> entries = journal.entries();
    assertThat(entries).extracting(JournalEntry::detail).containsExactly(
        "CLOSED -> OPEN: failure rate 100.0% >= 50.0% over 2 calls",
        "OPEN -> HALF_OPEN: waited 30.000s in OPEN");
    assertThat(entries).extracting(e -> (e.nanoTime() - 7 * SECOND) / SECOND)
        .containsExactly(0L, 30L);
    assertThat(entries).extracting(JournalEntry::time)
        .containsExactly(BASE, BASE.plusSeconds(30));
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
  }

  @Test
  void journal_transitions_carryCategoryAndHealth() {
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
    CircuitBreaker breaker = CircuitBreaker.builder("payments")
        .config(CircuitBreakerConfig.builder().countWindow(2).minimumNumberOfCalls(2)
            .permittedNumberOfCallsInHalfOpenState(1)
            .waitDurationInOpenState(Duration.ofSeconds(30)).build())
        .ticker(ticker).journal(journal).build();

    breaker.onError(0, new IOException());
    breaker.onError(0, new IOException());
    ticker.advance(Duration.ofSeconds(30));
    breaker.tryAcquirePermission();
    breaker.onSuccess(0);
    breaker.transitionToDisabled();

    assertThat(journal.entries())
        .extracting(e -> e.detail().split(":")[0] + " " + e.category() + " " + e.health())
        .containsExactly(
            "CLOSED -> OPEN DETECTION DOWN",
            "OPEN -> HALF_OPEN RECOVERY DEGRADED",
            "HALF_OPEN -> CLOSED RECOVERY UP",
            "CLOSED -> DISABLED INFO UP");
  }
}
