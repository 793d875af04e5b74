package dev.breakglass.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.lifecycle.Outcome;
import dev.breakglass.cascade.lifecycle.ShutdownReport;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Severity;
import dev.breakglass.fingerprint.RollbackReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs each README example program and checks that it did what the README says. */
class ModuleSamplesTest {

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

  private String printed() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  @Test
  void breakerWithFallback_opensAndServesFromTheFallback() {
    CircuitBreaker breaker = BreakerWithFallback.run(out);

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(printed()).contains("paid 3, deferred 27", "CLOSED -> OPEN",
        "ledger breaker CLOSED");
  }

  @Test
  void degradation_shedsWhileTheBreakerIsOpenAndStepsBackDown() {
    CascadeManager manager = Degradation.run(out);

    assertThat(manager.severity()).isEqualTo(Severity.NORMAL);
    assertThat(printed()).contains("recommendations shed at MAJOR; capacity 0.6",
        "after recovery: NORMAL, recommendations enabled: true");
  }

  @Test
  void journalTimeline_recordsAndRendersBothEntries() {
    IncidentJournal journal = JournalTimeline.run(out, out);

    assertThat(journal.entries()).extracting(JournalEntry::source)
        .containsExactly("payments", "cascade");
    assertThat(printed()).contains("incident journal: 2 entries",
        "CLOSED -> OPEN: failure rate 62.5% >= 50.0%", "NORMAL -> MAJOR: payments DOWN");
  }

  @Test
  void orderedShutdown_stopsDependentsFirstAndRecovers() {
    ShutdownReport report = OrderedShutdown.run(out);

    assertThat(report.isClean()).isTrue();
    assertThat(report.count(Outcome.STOPPED)).isEqualTo(5);
    String text = printed();
    assertThat(text.indexOf("http server: stopped accepting"))
        .isLessThan(text.indexOf("payments client: closed"));
    assertThat(text.indexOf("payments client: opened"))
        .isLessThan(text.indexOf("http server: opened"));
  }

  @Test
  void fingerprintRollback_namesTheChangeAndRestoresTheStableSettings() throws IOException {
    RollbackReport report = FingerprintRollback.run(out);

    assertThat(report.succeeded()).isTrue();
    assertThat(printed()).contains("payments.timeout", "restored settings: {payments={")
        .contains("timeout=30");
  }
}
