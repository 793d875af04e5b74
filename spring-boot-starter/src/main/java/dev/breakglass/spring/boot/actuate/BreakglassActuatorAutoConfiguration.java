package dev.breakglass.spring.boot.actuate;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.incident.IncidentTracker;
import dev.breakglass.spring.boot.autoconfigure.BreakglassAutoConfiguration;
import dev.breakglass.spring.boot.autoconfigure.BreakglassProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures Actuator support when Actuator is on the class path: the health indicators
 * {@code circuitBreakers} and {@code cascade} (turn both off with {@code
 * management.health.breakglass.enabled=false}) and the {@code breakglass} endpoint, with its
 * HTTP-only incident report ({@link BreakglassEndpointWebExtension}).
 *
 * <p>Stateless; Spring calls its bean methods once, at startup.
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
   * @param incidents the incident tracker, if there is one
   * @param properties the properties
   * @return the endpoint
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  public BreakglassEndpoint breakglassEndpoint(CircuitBreakerRegistry registry,
      CascadeManager manager, IncidentJournal journal, ObjectProvider<IncidentTracker> incidents,
      BreakglassProperties properties) {
    return new BreakglassEndpoint(registry, manager, journal, incidents.getIfAvailable(),
        properties.endpoint().journalEntries());
  }

  /**
   * The endpoint's HTTP-only operations: the incident report.
   *
   * @param endpoint the endpoint
   * @return the extension
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint(endpoint = BreakglassEndpoint.class,
      exposure = EndpointExposure.WEB)
  public BreakglassEndpointWebExtension breakglassEndpointWebExtension(
      BreakglassEndpoint endpoint) {
    return new BreakglassEndpointWebExtension(endpoint);
  }

  /**
   * The health indicators, when Actuator's health support is on the class path. Two
   * indicators rather than one composite: a composite whose members both report a status
   * outside the aggregation order would itself be aggregated to {@code UNKNOWN}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("breakglass")
  static class Health {

    /**
     * The {@code circuitBreakers} health indicator.
     *
     * @param registry the breaker registry
     * @param properties the properties
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "circuitBreakersHealthIndicator")
    BreakerHealthIndicator circuitBreakersHealthIndicator(CircuitBreakerRegistry registry,
        BreakglassProperties properties) {
      return new BreakerHealthIndicator(registry, properties.health().openBreakerDown());
    }

    /**
     * The {@code cascade} health indicator.
     *
     * @param manager the cascade manager
     * @param properties the properties
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "cascadeHealthIndicator")
    CascadeHealthIndicator cascadeHealthIndicator(CascadeManager manager,
        BreakglassProperties properties) {
      return new CascadeHealthIndicator(manager, properties.health().downAtSeverity());
    }
  }
}
