package dev.breakglass.spring.boot.autoconfigure;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.cascade.lifecycle.ShutdownSequencer;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import dev.breakglass.core.incident.IncidentTracker;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures breakglass from the {@code breakglass.*} properties ({@link
 * BreakglassProperties}): an {@link IncidentJournal} and the {@link IncidentTracker} that derives
 * incidents from it (refreshed by {@link IncidentRefresh}), a {@link CircuitBreakerRegistry} with the
 * configured configs and instances, a {@link DependencyGraph} of the {@link
 * BreakglassComponent} beans, a {@link CascadeManager} that watches every breaker of the
 * registry, a {@link ShutdownSequencer} run inside Spring's graceful shutdown ({@link
 * ShutdownLifecycle}), and the manager's periodic {@link CascadeEvaluation}. Every bean backs
 * off when the application defines its own of that type.
 *
 * <p>Actuator's health indicators and the {@code breakglass} endpoint are in {@link
 * dev.breakglass.spring.boot.actuate.BreakglassActuatorAutoConfiguration}; the Micrometer meters
 * in {@link dev.breakglass.spring.boot.metrics.BreakglassMetricsAutoConfiguration}, active when
 * {@code breakglass-micrometer} and a meter registry are present.
 *
 * <p>Stateless; Spring calls its bean methods once, at startup.
 */
@AutoConfiguration
@EnableConfigurationProperties(BreakglassProperties.class)
public class BreakglassAutoConfiguration {

  /** Creates the auto-configuration; Spring calls this. */
  public BreakglassAutoConfiguration() {}

  /**
   * The incident journal shared by the breakers, the manager and the shutdown sequencer.
   *
   * @param properties the properties
   * @return a journal of {@code breakglass.journal.capacity} entries
   */
  @Bean
  @ConditionalOnMissingBean
  public IncidentJournal breakglassIncidentJournal(BreakglassProperties properties) {
    return IncidentJournal.create(properties.journal().capacity());
  }

  /**
   * The incident tracker: derives incidents from the journal's entries from now on.
   *
   * @param properties the properties
   * @param journal the journal to watch
   * @return a tracker with {@code breakglass.incidents.window} and {@code retain}; Spring
   *     closes it with the context
   * @throws IllegalArgumentException if the window is negative or {@code retain} less than 1
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty(name = "breakglass.incidents.enabled", matchIfMissing = true)
  public IncidentTracker breakglassIncidentTracker(BreakglassProperties properties,
      IncidentJournal journal) {
    BreakglassProperties.Incidents incidents = properties.incidents();
    try {
      return IncidentTracker.builder(journal).window(incidents.window())
          .retain(incidents.retain()).build();
    } catch (IllegalArgumentException e) {
      // the builder's messages start with the setting's name ("window must ..."), which is
      // the property's last segment: prefixing makes them name the property
      throw new IllegalArgumentException("breakglass.incidents." + e.getMessage(), e);
    }
  }

  /**
   * Refreshes the incident tracker periodically, so an incident resolves after its quiet
   * window even when nothing more is journalled.
   *
   * @param properties the properties
   * @param tracker the tracker
   * @return the lifecycle bean
   * @throws IllegalArgumentException if {@code breakglass.incidents.refresh-interval} is not
   *     positive
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty(name = "breakglass.incidents.enabled", matchIfMissing = true)
  public IncidentRefresh breakglassIncidentRefresh(BreakglassProperties properties,
      IncidentTracker tracker) {
    return new IncidentRefresh(tracker, properties.incidents().refreshInterval());
  }

  /**
   * The breaker registry: the {@code default} config for breakers created without a config
   * name, every other named config, and every configured instance, created now.
   *
   * @param properties the properties
   * @param journal the journal the breakers record their transitions in
   * @return the registry
   * @throws IllegalArgumentException if a setting is out of range, settings conflict, or a
   *     {@code base-config} is unknown or part of a cycle; the message names the property
   */
  @Bean
  @ConditionalOnMissingBean
  public CircuitBreakerRegistry breakglassCircuitBreakerRegistry(
      BreakglassProperties properties, IncidentJournal journal) {
    BreakerConfigs configs = new BreakerConfigs(properties.circuitbreaker());
    CircuitBreakerRegistry.Builder builder = CircuitBreakerRegistry.builder()
        .defaultConfig(configs.defaultConfig())
        .journal(journal);
    configs.namedConfigs().forEach(builder::config);
    CircuitBreakerRegistry registry = builder.build();
    properties.circuitbreaker().instances().forEach(
        (name, own) -> registry.circuitBreaker(name, configs.instanceConfig(name, own)));
    return registry;
  }

  /**
   * The dependency graph of the {@link BreakglassComponent} beans (empty if there are none).
   *
   * @param components the component beans
   * @return the graph
   * @throws IllegalArgumentException if two components share a name, a dependency names no
   *     component, or the dependencies form a cycle
   */
  @Bean
  @ConditionalOnMissingBean
  public DependencyGraph breakglassDependencyGraph(
      ObjectProvider<BreakglassComponent> components) {
    DependencyGraph.Builder graph = DependencyGraph.builder();
    components.orderedStream().forEach(
        c -> graph.add(c.component(), c.dependsOn().toArray(new String[0])));
    return graph.build();
  }

  /**
   * The cascade manager: the graph's components, {@code breakglass.cascade.components} and
   * {@code features}, and one component per breaker of the registry that is not already one
   * (with the instance's {@code tier}, STANDARD if none); it watches every breaker of the
   * registry at the time it is created, so a breaker's health is its component's.
   *
   * @param properties the properties
   * @param graph the dependency graph
   * @param registry the breaker registry
   * @param journal the journal it records severity changes and sheds in
   * @return the manager
   * @throws IllegalArgumentException if a name is registered twice or a ladder setting is out
   *     of range
   */
  @Bean
  @ConditionalOnMissingBean
  public CascadeManager breakglassCascadeManager(BreakglassProperties properties,
      DependencyGraph graph, CircuitBreakerRegistry registry, IncidentJournal journal) {
    BreakglassProperties.Cascade cascade = properties.cascade();
    CascadeManager.Builder builder = CascadeManager.builder()
        .graph(graph)
        .cooldown(cascade.cooldown())
        .journal(journal);
    Set<String> registered = new HashSet<>();
    cascade.components().forEach((name, tier) -> {
      builder.component(name, tier);
      registered.add(name);
    });
    cascade.features().forEach(builder::feature);
    BreakerConfigs configs = new BreakerConfigs(properties.circuitbreaker());
    Map<String, BreakerProperties> instances = properties.circuitbreaker().instances();
    for (CircuitBreaker breaker : registry.circuitBreakers()) {
      String name = breaker.name();
      if (!graph.contains(name) && !registered.contains(name)) {
        BreakerProperties own = instances.get(name);
        builder.component(name, own == null ? Tier.STANDARD : configs.instanceTier(name, own));
      }
    }
    for (Map.Entry<Severity, Tier> e : cascade.admitUpTo().entrySet()) {
      builder.admitUpTo(e.getKey(), e.getValue());
    }
    for (Map.Entry<Severity, Double> e : cascade.capacityFactor().entrySet()) {
      builder.capacityFactor(e.getKey(), e.getValue());
    }
    CascadeManager manager = builder.build();
    for (CircuitBreaker breaker : registry.circuitBreakers()) {
      manager.watch(breaker);
    }
    return manager;
  }

  /**
   * Re-evaluates the manager periodically, so its severity steps down after a quiet cooldown.
   *
   * @param properties the properties
   * @param manager the manager
   * @return the lifecycle bean
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty(name = "breakglass.cascade.evaluation-enabled", matchIfMissing = true)
  public CascadeEvaluation breakglassCascadeEvaluation(
      BreakglassProperties properties, CascadeManager manager) {
    return new CascadeEvaluation(manager, properties.cascade().evaluationInterval());
  }

  /**
   * The shutdown sequencer of the dependency graph, with {@code breakglass.shutdown.deadline}
   * and {@code component-timeout}.
   *
   * @param properties the properties
   * @param graph the dependency graph
   * @param journal the journal it records the run in
   * @return the sequencer
   */
  @Bean(destroyMethod = "") // not Spring's inferred shutdown(): ShutdownLifecycle runs it
  @ConditionalOnMissingBean
  public ShutdownSequencer breakglassShutdownSequencer(BreakglassProperties properties,
      DependencyGraph graph, IncidentJournal journal) {
    BreakglassProperties.Shutdown shutdown = properties.shutdown();
    ShutdownSequencer.Builder builder = ShutdownSequencer.builder(graph)
        .deadline(shutdown.deadline())
        .journal(journal);
    if (shutdown.componentTimeout() != null) {
      builder.componentTimeout(shutdown.componentTimeout());
    }
    return builder.build();
  }

  /**
   * Runs the shutdown sequencer in Spring's graceful shutdown, in {@code
   * breakglass.shutdown.phase}.
   *
   * @param properties the properties
   * @param sequencer the sequencer
   * @return the lifecycle bean
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty(name = "breakglass.shutdown.enabled", matchIfMissing = true)
  public ShutdownLifecycle breakglassShutdownLifecycle(
      BreakglassProperties properties, ShutdownSequencer sequencer) {
    return new ShutdownLifecycle(sequencer, properties.shutdown().phase());
  }
}
