package dev.breakglass.spring.boot.actuate;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.spring.boot.autoconfigure.BreakglassAutoConfiguration;
import dev.breakglass.spring.boot.autoconfigure.BreakglassProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures Actuator support when Actuator is on the class path: the health contributor
 * {@code breakglass} (indicators {@code breakers} and {@code cascade}; turn it off with {@code
 * management.health.breakglass.enabled=false}) and the {@code breakglass} endpoint.
 */
@AutoConfiguration(after = BreakglassAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
public class BreakglassActuatorAutoConfiguration {

  /** Creates the auto-configuration; Spring calls this. */
  public BreakglassActuatorAutoConfiguration() {}

  /**
   * The {@code breakglass} endpoint.
   *
   * @param registry the breaker registry
   * @param manager the cascade manager
   * @param journal the incident journal
   * @param properties the properties
   * @return the endpoint
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  public BreakglassEndpoint breakglassEndpoint(CircuitBreakerRegistry registry,
      CascadeManager manager, IncidentJournal journal, BreakglassProperties properties) {
    return new BreakglassEndpoint(
        registry, manager, journal, properties.endpoint().journalEntries());
  }

  /** The health contributor, when Actuator's health support is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("breakglass")
  static class Health {

    /**
     * The {@code breakglass} health contributor: {@code breakers} and {@code cascade}.
     *
     * @param registry the breaker registry
     * @param manager the cascade manager
     * @param properties the properties
     * @return the contributor
     */
    @Bean
    @ConditionalOnMissingBean(name = "breakglassHealthContributor")
    CompositeHealthContributor breakglassHealthContributor(CircuitBreakerRegistry registry,
        CascadeManager manager, BreakglassProperties properties) {
      Map<String, HealthContributor> contributors = new LinkedHashMap<>();
      contributors.put("breakers",
          new BreakerHealthIndicator(registry, properties.health().openBreakerDown()));
      contributors.put("cascade",
          new CascadeHealthIndicator(manager, properties.health().downAtSeverity()));
      return CompositeHealthContributor.fromMap(contributors);
    }
  }
}
