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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.aop.scope.ScopedProxyUtils;
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
 *   <li>{@code breakglassLimiterMeters} and {@code breakglassDeferralMeters}: every singleton
 *       {@link AdmissionLimiter} and {@link Deferral} bean of the application (limiters tagged
 *       with their names, which must differ; deferrals tagged {@code deferral=<bean name>}).
 * </ul>
 *
 * <p>For tags on every meter, use Spring Boot's {@code management.metrics.tags.*}. To turn
 * meters off, use Spring Boot's {@code management.metrics.enable.breakglass=false} (or a
 * narrower prefix). To bind an object yourself, define a bean of the binder's type ({@code
 * LimiterMeters}, {@code CascadeMeters}, ...): the starter then binds none of that kind.
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
   * The meters of every singleton {@link AdmissionLimiter} bean, each tagged with the
   * limiter's name. Backs off when the application defines a {@link LimiterMeters} bean of its
   * own (then it binds its limiters itself, with the tags it wants).
   *
   * @param beans where the limiter beans are found
   * @return the binders, as one
   * @throws IllegalStateException at binding, if two limiter beans have the same name (their
   *     meters would be one series)
   */
  @Bean
  @ConditionalOnBean(AdmissionLimiter.class)
  @ConditionalOnMissingBean(LimiterMeters.class)
  public MeterBinderGroup<LimiterMeters> breakglassLimiterMeters(ListableBeanFactory beans) {
    return new MeterBinderGroup<>("admission limiters", () -> {
      Map<String, String> beanOfName = new LinkedHashMap<>();
      List<LimiterMeters> binders = new ArrayList<>();
      singletons(beans, AdmissionLimiter.class).forEach((bean, limiter) -> {
        String other = beanOfName.putIfAbsent(limiter.name(), bean);
        if (other != null) {
          throw new IllegalStateException("AdmissionLimiter beans '" + other + "' and '" + bean
              + "' are both named '" + limiter.name() + "': their meters (tag name="
              + limiter.name() + ") would be one series; give each limiter its own name");
        }
        binders.add(LimiterMeters.of(limiter));
      });
      return binders;
    }, LimiterMeters::close);
  }

  /**
   * The meters of every singleton {@link Deferral} bean, each tagged {@code deferral=<bean
   * name>}. Backs off when the application defines a {@link DeferralMeters} bean of its own.
   *
   * @param beans where the deferral beans are found, by name
   * @return the binders, as one
   */
  @Bean
  @ConditionalOnBean(Deferral.class)
  @ConditionalOnMissingBean(DeferralMeters.class)
  public MeterBinderGroup<DeferralMeters> breakglassDeferralMeters(ListableBeanFactory beans) {
    return new MeterBinderGroup<>("deferrals", () -> singletons(beans, Deferral.class)
        .entrySet().stream()
        .map(e -> DeferralMeters.of(e.getValue(), Tags.of("deferral", e.getKey())))
        .toList(), DeferralMeters::close);
  }

  /**
   * The singleton beans of a type, by name, in registration order: no prototype is created for
   * the purpose, and a scoped proxy's target is left out (its proxy is the bean).
   */
  private static <T> Map<String, T> singletons(ListableBeanFactory beans, Class<T> type) {
    Map<String, T> found = new LinkedHashMap<>();
    for (String name : beans.getBeanNamesForType(type, false, false)) {
      if (!ScopedProxyUtils.isScopedTarget(name)) {
        found.put(name, beans.getBean(name, type));
      }
    }
    return found;
  }
}
