package dev.breakglass.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import dev.breakglass.core.Severity;
import dev.breakglass.spring.boot.actuate.BreakerHealthIndicator;
import dev.breakglass.spring.boot.actuate.BreakglassActuatorAutoConfiguration;
import dev.breakglass.spring.boot.actuate.BreakglassEndpoint;
import dev.breakglass.spring.boot.actuate.CascadeHealthIndicator;
import dev.breakglass.spring.boot.autoconfigure.BreakglassAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class BreakglassHealthTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(
          BreakglassAutoConfiguration.class, BreakglassActuatorAutoConfiguration.class))
      .withPropertyValues(
          "breakglass.circuitbreaker.instances.payments.tier=CRITICAL",
          "breakglass.circuitbreaker.instances.search.tier=ENHANCED");

  @Test
  void breakers_oneOpen_reportsCircuitOpenNotDown() {
    runner.run(context -> {
      HealthIndicator breakers = context.getBean(
          "circuitBreakersHealthIndicator", HealthIndicator.class);
      assertThat(breakers.health().getStatus()).isEqualTo(Status.UP);
      registry(context).find("search").orElseThrow().transitionToForcedOpen();
      Health health = breakers.health();
      assertThat(health.getStatus()).isEqualTo(BreakerHealthIndicator.CIRCUIT_OPEN);
      assertThat(health.getDetails()).containsKeys("payments", "search");
      assertThat(((BreakglassEndpoint.BreakerView) health.getDetails().get("search")).state())
          .isEqualTo("FORCED_OPEN");
      registry(context).find("search").orElseThrow().transitionToHalfOpen();
      assertThat(breakers.health().getStatus())
          .isEqualTo(BreakerHealthIndicator.CIRCUIT_HALF_OPEN);
    });
  }

  @Test
  void breakers_oneOpenWithOpenBreakerDown_reportsDown() {
    runner.withPropertyValues("breakglass.health.open-breaker-down=true").run(context -> {
      HealthIndicator breakers = context.getBean(
          "circuitBreakersHealthIndicator", HealthIndicator.class);
      registry(context).find("payments").orElseThrow().transitionToOpen();
      assertThat(breakers.health().getStatus()).isEqualTo(Status.DOWN);
    });
  }

  @Test
  void cascade_raisedSeverity_reportsDegradedOrDownFromTheConfiguredSeverity() {
    runner.withPropertyValues("breakglass.health.down-at-severity=MAJOR").run(context -> {
      HealthIndicator cascade = context.getBean(
          "cascadeHealthIndicator", HealthIndicator.class);
      CascadeManager manager = context.getBean(CascadeManager.class);
      assertThat(cascade.health().getStatus()).isEqualTo(Status.UP);
      manager.declare(Severity.MINOR, "alice", "drill");
      Health minor = cascade.health();
      assertThat(minor.getStatus()).isEqualTo(CascadeHealthIndicator.DEGRADED);
      assertThat(minor.getDetails()).containsEntry("severity", "MINOR")
          .containsKeys("admittedTiers", "capacityFactor", "declaration");
      manager.declare(Severity.MAJOR, "alice", "drill");
      assertThat(cascade.health().getStatus()).isEqualTo(Status.DOWN);
      manager.declare(Severity.CRITICAL, "alice", "drill");
      assertThat(cascade.health().getStatus()).isEqualTo(Status.DOWN);
    });
  }

  @Test
  void health_disabledByProperty_noContributor() {
    runner.withPropertyValues("management.health.breakglass.enabled=false",
            "management.endpoints.web.exposure.include=breakglass")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(BreakerHealthIndicator.class);
          assertThat(context).doesNotHaveBean(CascadeHealthIndicator.class);
          assertThat(context).hasSingleBean(BreakglassEndpoint.class);
        });
  }

  @Test
  void endpoint_notExposed_noBean() {
    runner.run(context -> assertThat(context).doesNotHaveBean(BreakglassEndpoint.class));
  }

  @Test
  void endpoint_state_showsBreakersSeverityTiersAndJournal() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=breakglass")
        .run(context -> {
      BreakglassEndpoint endpoint = context.getBean(BreakglassEndpoint.class);
      registry(context).find("payments").orElseThrow().transitionToForcedOpen();
      BreakglassEndpoint.BreakglassView view = endpoint.state();
      assertThat(view.breakers()).extracting(BreakglassEndpoint.BreakerView::name)
          .containsExactlyInAnyOrder("payments", "search");
      assertThat(view.severity()).isEqualTo("MAJOR");
      assertThat(view.admittedTiers()).containsExactly("CRITICAL", "ESSENTIAL");
      assertThat(view.journal()).anySatisfy(e -> {
        assertThat(e.source()).isEqualTo("cascade");
        assertThat(e.detail()).contains("NORMAL -> MAJOR");
      });
      assertThat(endpoint.breaker("payments")).isNotNull()
          .satisfies(b -> assertThat(b.state()).isEqualTo("FORCED_OPEN"));
      assertThat(endpoint.breaker("nope")).isNull();
        });
  }

  private static CircuitBreakerRegistry registry(
      org.springframework.context.ApplicationContext context) {
    return context.getBean(CircuitBreakerRegistry.class);
  }

}
