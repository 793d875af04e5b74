package dev.breakglass.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {

  @Test
  void scrape_afterScriptedActivity_containsTheExpectedSeries() {
    ManualTicker ticker = new ManualTicker();
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
    CircuitBreakerRegistry breakers =
        CircuitBreakerRegistry.builder().ticker(ticker).journal(journal).build();
    CascadeManager manager = CascadeManager.builder().ticker(ticker).journal(journal).build();
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CircuitBreakerMeters.builder().registry(breakers).callsTimer(true).build()
        .bindTo(prometheus);
    CascadeMeters.of(manager).bindTo(prometheus);
    JournalMeters.of(journal).bindTo(prometheus);

    CircuitBreaker payments = breakers.circuitBreaker("payments");
    payments.get(() -> {
      ticker.advance(Duration.ofMillis(25));
      return "ok";
    });
    payments.transitionToOpen();
    payments.tryAcquirePermission(); // rejected
    manager.declare(Severity.MAJOR, "on-call", "drill");

    List<String> lines = prometheus.scrape().lines().collect(Collectors.toList());

    assertThat(lines).contains(
        "breakglass_circuitbreaker_state{name=\"payments\",state=\"open\"} 1.0",
        "breakglass_circuitbreaker_state{name=\"payments\",state=\"closed\"} 0.0",
        "breakglass_circuitbreaker_calls_seconds_count{kind=\"successful\",name=\"payments\"} 1",
        "breakglass_circuitbreaker_calls_seconds_count{kind=\"failed\",name=\"payments\"} 0",
        "breakglass_circuitbreaker_calls_seconds_count{kind=\"ignored\",name=\"payments\"} 0",
        "breakglass_circuitbreaker_calls_seconds_count{kind=\"not_permitted\","
            + "name=\"payments\"} 1",
        "breakglass_circuitbreaker_not_permitted_calls_total{kind=\"not_permitted\","
            + "name=\"payments\"} 1.0",
        "breakglass_circuitbreaker_buffered_calls{kind=\"successful\",name=\"payments\"} 0.0",
        "breakglass_circuitbreaker_buffered_calls{kind=\"failed\",name=\"payments\"} 0.0",
        "breakglass_circuitbreaker_failure_rate_percent{name=\"payments\"} -1.0",
        "breakglass_circuitbreaker_slow_call_rate_percent{name=\"payments\"} -1.0",
        "breakglass_circuitbreaker_slow_calls{name=\"payments\"} 0.0",
        "breakglass_cascade_severity 2.0",
        "breakglass_cascade_capacity_factor 0.6",
        "breakglass_cascade_tier_admitted{tier=\"standard\"} 0.0",
        "breakglass_cascade_tier_admitted{tier=\"critical\"} 1.0",
        "breakglass_cascade_sheds_total{tier=\"enhanced\"} 1.0",
        "breakglass_cascade_sheds_total{tier=\"essential\"} 0.0",
        "breakglass_cascade_restores_total{tier=\"enhanced\"} 0.0",
        "breakglass_journal_entries_total{kind=\"transition\",source=\"payments\"} 1.0",
        "breakglass_journal_entries_total{kind=\"severity\",source=\"cascade\"} 1.0",
        "breakglass_journal_entries_total{kind=\"shed\",source=\"cascade\"} 2.0",
        "breakglass_journal_evicted_total 0.0");
    assertThat(lines).contains(
        "# TYPE breakglass_circuitbreaker_state gauge",
        "# TYPE breakglass_circuitbreaker_calls_seconds summary",
        "# TYPE breakglass_circuitbreaker_not_permitted_calls_total counter",
        "# TYPE breakglass_cascade_sheds_total counter");
  }
}
