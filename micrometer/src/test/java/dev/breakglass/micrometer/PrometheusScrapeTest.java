package dev.breakglass.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.cascade.degradation.AdmissionLimiter;
import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Deferral;
import dev.breakglass.cascade.degradation.FixedLimit;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualScheduler;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import dev.breakglass.core.incident.IncidentTracker;
import io.micrometer.core.instrument.Tags;
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
  @Test
  void scrape_limiterDeferralAndIncident_containsTheExpectedSeries() {
    ManualTicker ticker = new ManualTicker();
    ManualScheduler scheduler = new ManualScheduler(ticker);
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
    CascadeManager manager = CascadeManager.builder().ticker(ticker).journal(journal).build();
    AdmissionLimiter limiter = AdmissionLimiter.builder("front-door")
        .algorithm(() -> FixedLimit.of(10)).manager(manager).ticker(ticker).build();
    Deferral deferral = Deferral.builder(manager, scheduler).build();
    IncidentTracker tracker = IncidentTracker.watch(journal);
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LimiterMeters.of(limiter).bindTo(prometheus);
    DeferralMeters.of(deferral, Tags.of("deferral", "emails")).bindTo(prometheus);
    IncidentMeters.of(tracker).bindTo(prometheus);

    // an incident that escalates to MAJOR, is mitigated, and resolves after the quiet window
    manager.declare(Severity.MAJOR, "on-call", "drill"); // detection, sheds (mitigations)
    limiter.tryAcquire(Tier.CRITICAL);
    limiter.tryAcquire(Tier.ENHANCED); // not admitted at MAJOR
    deferral.submit(Tier.ENHANCED, () -> { });
    ticker.advance(Duration.ofSeconds(90));
    manager.declare(Severity.NORMAL, "on-call", "fixed");
    scheduler.advance(Duration.ofMillis(100)); // replays the deferred work
    ticker.advance(IncidentTracker.DEFAULT_WINDOW);
    tracker.refresh();
    manager.declare(Severity.MINOR, "on-call", "again"); // a second incident, open

    List<String> lines = prometheus.scrape().lines().collect(Collectors.toList());

    assertThat(lines).contains(
        "breakglass_limiter_limit{name=\"front-door\"} 10.0",
        "breakglass_limiter_effective_limit{name=\"front-door\"} 10.0",
        "breakglass_limiter_inflight{name=\"front-door\"} 1.0",
        "breakglass_limiter_rejections_total{name=\"front-door\",reason=\"not_admitted\","
            + "tier=\"enhanced\"} 1.0",
        "breakglass_limiter_rejections_total{name=\"front-door\",reason=\"over_limit\","
            + "tier=\"critical\"} 0.0",
        "breakglass_limiter_limit_changes_total{name=\"front-door\"} 0.0",
        "breakglass_deferral_pending{deferral=\"emails\",tier=\"enhanced\"} 0.0",
        "breakglass_deferral_deferred_total{deferral=\"emails\",tier=\"enhanced\"} 1.0",
        "breakglass_deferral_replayed_total{deferral=\"emails\",tier=\"enhanced\"} 1.0",
        "breakglass_deferral_handed_back_total{deferral=\"emails\",tier=\"enhanced\"} 0.0",
        "breakglass_incidents_open 1.0",
        "breakglass_incident_peak_severity 1.0",
        "breakglass_incidents_opened_total 2.0",
        "breakglass_incidents_escalations_total 2.0", // each opened at the declaration, then rose
        "breakglass_incidents_resolved_total 1.0",
        "breakglass_incident_time_to_mitigate_seconds_count{severity=\"major\"} 1",
        "breakglass_incident_time_to_mitigate_seconds_sum{severity=\"major\"} 0.0",
        "breakglass_incident_time_to_mitigate_seconds_bucket{severity=\"major\",le=\"60.0\"} 1",
        "breakglass_incident_time_to_resolve_seconds_bucket{severity=\"major\",le=\"60.0\"} 0",
        "breakglass_incident_time_to_resolve_seconds_bucket{severity=\"major\",le=\"120.0\"} 1",
        "breakglass_incident_time_to_resolve_seconds_sum{severity=\"major\"} 90.0",
        "breakglass_incident_duration_seconds_count{severity=\"critical\"} 0");
    assertThat(lines).contains(
        "# TYPE breakglass_limiter_rejections_total counter",
        "# TYPE breakglass_deferral_pending gauge",
        "# TYPE breakglass_incident_time_to_mitigate_seconds histogram");
  }
}
