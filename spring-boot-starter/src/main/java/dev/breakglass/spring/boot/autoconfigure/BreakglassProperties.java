package dev.breakglass.spring.boot.autoconfigure;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import dev.breakglass.core.incident.IncidentTracker;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;

/**
 * The {@code breakglass.*} properties: circuit breakers, the cascade manager, the journal,
 * dependency-ordered shutdown, health and the Actuator endpoint. See docs/spring-boot.md for a
 * table of every property.
 *
 * <p>Immutable and thread-safe.
 *
 * @param circuitbreaker named breaker configs and breaker instances
 * @param cascade the cascade manager's components, features, ladder and cooldown
 * @param journal the incident journal
 * @param incidents the incidents derived from the journal
 * @param shutdown dependency-ordered shutdown
 * @param health the health indicators
 * @param endpoint the {@code breakglass} Actuator endpoint
 * @param metrics the Micrometer meters (with {@code breakglass-micrometer})
 */
@ConfigurationProperties("breakglass")
public record BreakglassProperties(
    @DefaultValue CircuitBreakers circuitbreaker,
    @DefaultValue Cascade cascade,
    @DefaultValue Journal journal,
    @DefaultValue Incidents incidents,
    @DefaultValue Shutdown shutdown,
    @DefaultValue Health health,
    @DefaultValue Endpoint endpoint,
    @DefaultValue Metrics metrics) {

  /**
   * {@code breakglass.circuitbreaker.*}: named configs, and the breaker instances created at
   * startup. An instance without a {@code base-config} inherits from the config named {@code
   * default}, if there is one; so does every breaker created later with {@code
   * registry.circuitBreaker(name)}.
   *
   * @param configs named configs, to be inherited with {@code base-config} or passed to {@code
   *     registry.circuitBreaker(name, configName)}
   * @param instances the breakers to create at startup, watched by the cascade manager
   */
  public record CircuitBreakers(
      @DefaultValue Map<String, BreakerProperties> configs,
      @DefaultValue Map<String, BreakerProperties> instances) {}

  /**
   * {@code breakglass.cascade.*}: what the cascade manager sheds and when.
   *
   * @param components components outside the dependency graph, by name, with their tiers;
   *     breaker instances are registered as components by themselves
   * @param features features (named work that {@code manager.isEnabled(name)} answers for),
   *     by name, with their tiers
   * @param admitUpTo the least important tier each severity admits (defaults: MINOR admits up
   *     to STANDARD, MAJOR up to ESSENTIAL, CRITICAL only CRITICAL)
   * @param capacityFactor the capacity factor of each severity, in (0, 1] (defaults: 1.0 at
   *     NORMAL and MINOR, 0.6 at MAJOR and CRITICAL)
   * @param cooldown how long the signals must stay better before each step down
   * @param evaluationEnabled whether the manager is re-evaluated periodically, so that the
   *     severity steps down after a cooldown even when no signal arrives
   * @param evaluationInterval how often the manager is re-evaluated
   */
  public record Cascade(
      @DefaultValue Map<String, Tier> components,
      @DefaultValue Map<String, Tier> features,
      @DefaultValue Map<Severity, Tier> admitUpTo,
      @DefaultValue Map<Severity, Double> capacityFactor,
      @DefaultValue("30s") Duration cooldown,
      @DefaultValue("true") boolean evaluationEnabled,
      @DefaultValue("5s") Duration evaluationInterval) {}

  /**
   * {@code breakglass.journal.*}: the incident journal shared by the breakers, the manager and
   * the shutdown sequencer.
   *
   * @param capacity how many entries the journal keeps (the oldest are evicted)
   */
  public record Journal(@DefaultValue("" + IncidentJournal.DEFAULT_CAPACITY) int capacity) {}

  /**
   * {@code breakglass.incidents.*}: the {@code IncidentTracker} that derives incidents from the
   * journal (what the endpoint shows as the current or last incident, and what the incident
   * meters and flight-recorder events report).
   *
   * @param enabled whether the tracker is created
   * @param window the correlation window: how long everything must stay quiet before an
   *     incident resolves
   * @param refreshInterval how often the tracker is refreshed, so that an incident resolves
   *     once its quiet window has passed even when nothing more is journalled
   * @param retain how many resolved incidents the tracker keeps (the oldest are dropped)
   */
  public record Incidents(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("5m") Duration window,
      @DefaultValue("5s") Duration refreshInterval,
      @DefaultValue("" + IncidentTracker.DEFAULT_RETAIN) int retain) {}

  /**
   * {@code breakglass.shutdown.*}: stopping the {@code BreakglassComponent} beans in
   * dependency order inside Spring's graceful shutdown.
   *
   * @param enabled whether the shutdown sequencer stops the components when the context closes
   * @param deadline the whole run's deadline (keep it below {@code
   *     spring.lifecycle.timeout-per-shutdown-phase}, 30 s by default)
   * @param componentTimeout each component's budget, unless the component sets its own
   *     (default: a fair share of what is left)
   * @param phase the {@code SmartLifecycle} phase the sequencer stops in; by default right
   *     after the web server's graceful shutdown has drained the requests in flight
   */
  public record Shutdown(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("25s") Duration deadline,
      @Nullable Duration componentTimeout,
      @DefaultValue("" + DEFAULT_PHASE) int phase) {

    /**
     * The default phase: one below Spring Boot's web server graceful shutdown ({@code
     * SmartLifecycle.DEFAULT_PHASE - 1024}), so the components stop after the requests in
     * flight have drained, and before the web server itself is stopped ({@code
     * DEFAULT_PHASE - 2048}) and the singletons are destroyed.
     */
    public static final int DEFAULT_PHASE = SmartLifecycle.DEFAULT_PHASE - 1025;
  }

  /**
   * {@code breakglass.health.*}: what the Actuator health indicators report.
   *
   * @param openBreakerDown whether an open breaker reports {@code DOWN}, taking the
   *     application's health down with it; by default it reports {@code CIRCUIT_OPEN}, which
   *     the health endpoint answers with HTTP 200 and leaves out of the overall status
   * @param downAtSeverity the severity from which the cascade indicator reports {@code DOWN};
   *     by default it never does (a raised severity reports {@code DEGRADED})
   */
  public record Health(
      @DefaultValue("false") boolean openBreakerDown,
      @Nullable Severity downAtSeverity) {}

  /**
   * {@code breakglass.endpoint.*}: the {@code breakglass} Actuator endpoint.
   *
   * @param journalEntries how many of the latest journal entries the endpoint shows
   */
  public record Endpoint(@DefaultValue("100") int journalEntries) {}

  /**
   * {@code breakglass.metrics.*}: the Micrometer meters, bound when {@code breakglass-micrometer}
   * and a {@code MeterRegistry} are present.
   *
   * @param callsTimer whether the breakers get the per-call timer {@code
   *     breakglass.circuitbreaker.calls} (a timer update on each call's path; the other meters
   *     are read when the registry is scraped and cost the calls nothing). For tags on every
   *     meter, use Spring Boot's {@code management.metrics.tags.*}.
   */
  public record Metrics(@DefaultValue("false") boolean callsTimer) {}
}
