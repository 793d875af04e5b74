package dev.breakglass.spring.boot.metrics;

import dev.breakglass.cascade.degradation.AdmissionLimiter;
import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Deferral;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.incident.IncidentTracker;
import dev.breakglass.micrometer.CascadeMeters;
import dev.breakglass.micrometer.CircuitBreakerMeters;
import dev.breakglass.micrometer.DeferralMeters;
import dev.breakglass.micrometer.IncidentMeters;
import dev.breakglass.micrometer.JournalMeters;
import dev.breakglass.micrometer.LimiterMeters;
import dev.breakglass.spring.boot.autoconfigure.BreakglassAutoConfiguration;
import dev.breakglass.spring.boot.autoconfigure.BreakglassProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the meters of {@code breakglass-micrometer} when it and Micrometer are on the
 * class path and the application has a {@link MeterRegistry} (Spring Boot's metrics
 * auto-configuration makes one). Each bean is a Micrometer {@code MeterBinder}, which Spring
 * Boot binds to every meter registry of the application, and an {@link AutoCloseable} that
 * Spring closes with the context:
 *
 * <ul>
 *   <li>{@code breakglassCircuitBreakerMeters}: every breaker of the registry, also those added
 *       later; the per-call timer {@code breakglass.circuitbreaker.calls} only with {@code
 *       breakglass.metrics.calls-timer=true} (it costs the breaker's success path a timer
 *       update);
 *   <li>{@code breakglassCascadeMeters}, {@code breakglassJournalMeters}, and {@code
 *       breakglassIncidentMeters} when there is an {@link IncidentTracker};
 *   <li>{@code breakglassLimiterMeters} and {@code breakglassDeferralMeters}: every {@link
 *       AdmissionLimiter} and {@link Deferral} bean of the application (deferrals tagged
 *       {@code deferral=<bean name>}).
 * </ul>
 *
 * <p>For tags on every meter, use Spring Boot's {@code management.metrics.tags.*}. To turn meters off,
 * use Spring Boot's {@code management.metrics.enable.breakglass=false} (or a narrower prefix),
 * or define a bean of the binder's type.
 *
 * <p>Stateless; Spring calls its bean methods once, at startup.
 */
@AutoConfiguration(after = BreakglassAutoConfiguration.class, afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure"
        + ".CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, CircuitBreakerMeters.class})
@ConditionalOnBean(MeterRegistry.class)
public class BreakglassMetricsAutoConfiguration {

  /** Creates the auto-configuration; Spring calls this. */
  public BreakglassMetricsAutoConfiguration() {}

  /**
   * The meters of every breaker of the registry.
   *
   * @param registry the breaker registry
   * @param properties the properties
   * @return the binder
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(CircuitBreakerRegistry.class)
  public CircuitBreakerMeters breakglassCircuitBreakerMeters(CircuitBreakerRegistry registry,
      BreakglassProperties properties) {
    return CircuitBreakerMeters.builder()
        .registry(registry)
        .callsTimer(properties.metrics().callsTimer())
        .build();
  }

  /**
   * The meters of the cascade manager.
   *
   * @param manager the manager
   * @return the binder
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(CascadeManager.class)
  public CascadeMeters breakglassCascadeMeters(CascadeManager manager) {
    return CascadeMeters.of(manager);
  }

  /**
   * The meters of the incident journal.
   *
   * @param journal the journal
   * @return the binder
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(IncidentJournal.class)
  public JournalMeters breakglassJournalMeters(IncidentJournal journal) {
    return JournalMeters.of(journal);
  }

  /**
   * The meters of the incident tracker.
   *
   * @param tracker the tracker
   * @return the binder
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(IncidentTracker.class)
  public IncidentMeters breakglassIncidentMeters(IncidentTracker tracker) {
    return IncidentMeters.of(tracker);
  }

  /**
   * The meters of every {@link AdmissionLimiter} bean, each tagged with its name.
   *
   * @param limiters the limiter beans
   * @return the binders, as one
   */
  @Bean
  @ConditionalOnBean(AdmissionLimiter.class)
  public MeterBinderGroup<LimiterMeters> breakglassLimiterMeters(
      ObjectProvider<AdmissionLimiter> limiters) {
    return new MeterBinderGroup<>("admission limiters",
        () -> limiters.orderedStream().map(LimiterMeters::of).toList(), LimiterMeters::close);
  }

  /**
   * The meters of every {@link Deferral} bean, each tagged {@code deferral=<bean name>}.
   *
   * @param beans where the deferral beans are found, by name
   * @return the binders, as one
   */
  @Bean
  @ConditionalOnBean(Deferral.class)
  public MeterBinderGroup<DeferralMeters> breakglassDeferralMeters(ListableBeanFactory beans) {
    return new MeterBinderGroup<>("deferrals", () -> beans.getBeansOfType(Deferral.class)
        .entrySet().stream()
        .map(e -> DeferralMeters.of(e.getValue(), Tags.of("deferral", e.getKey())))
        .toList(), DeferralMeters::close);
  }
}
