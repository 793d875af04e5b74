package dev.breakglass.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.cascade.lifecycle.ShutdownSequencer;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerConfig;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import dev.breakglass.core.incident.Incident;
import dev.breakglass.core.incident.IncidentTracker;
import dev.breakglass.spring.boot.autoconfigure.BreakglassAutoConfiguration;
import dev.breakglass.spring.boot.autoconfigure.BreakglassComponent;
import dev.breakglass.spring.boot.autoconfigure.BreakglassProperties;
import dev.breakglass.spring.boot.autoconfigure.CascadeEvaluation;
import dev.breakglass.spring.boot.autoconfigure.IncidentRefresh;
import dev.breakglass.spring.boot.autoconfigure.ShutdownLifecycle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class BreakglassAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(BreakglassAutoConfiguration.class));

  @Test
  void context_noProperties_createsEveryBeanWithDefaults() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(IncidentJournal.class);
      assertThat(context).hasSingleBean(CircuitBreakerRegistry.class);
      assertThat(context).hasSingleBean(DependencyGraph.class);
      assertThat(context).hasSingleBean(CascadeManager.class);
      assertThat(context).hasSingleBean(ShutdownSequencer.class);
      assertThat(context).hasSingleBean(ShutdownLifecycle.class);
      assertThat(context).hasSingleBean(CascadeEvaluation.class);
      assertThat(context.getBean(IncidentJournal.class).capacity())
          .isEqualTo(IncidentJournal.DEFAULT_CAPACITY);
      CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
      assertThat(registry.circuitBreakers()).isEmpty();
      assertThat(registry.defaultConfig()).isEqualTo(CircuitBreakerConfig.ofDefaults());
      assertThat(context.getBean(ShutdownSequencer.class).deadline())
          .isEqualTo(Duration.ofSeconds(25));
      assertThat(context.getBean(ShutdownLifecycle.class).getPhase())
          .isEqualTo(SmartLifecycle.DEFAULT_PHASE - 1025)
          .isEqualTo(BreakglassProperties.Shutdown.DEFAULT_PHASE);
    });
  }

  @Test
  void incidents_default_trackerWatchesTheJournalAndIsRefreshed() {
    runner.withPropertyValues("breakglass.circuitbreaker.instances.payments.tier=ESSENTIAL")
        .run(context -> {
          assertThat(context).hasSingleBean(IncidentTracker.class);
          assertThat(context).hasSingleBean(IncidentRefresh.class);
          assertThat(context.getBean(IncidentRefresh.class).isRunning()).isTrue();
          IncidentTracker tracker = context.getBean(IncidentTracker.class);
          assertThat(tracker.current()).isEmpty();

          context.getBean(CircuitBreakerRegistry.class).find("payments").orElseThrow()
              .transitionToOpen();

          Incident incident = tracker.current().orElseThrow();
          assertThat(incident.status()).isEqualTo(Incident.Status.OPEN);
          assertThat(incident.components()).extracting(c -> c.name()).contains("payments");
        });
  }

  @Test
  void incidents_disabled_noTrackerAndNoRefresh() {
    runner.withPropertyValues("breakglass.incidents.enabled=false").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(IncidentTracker.class);
      assertThat(context).doesNotHaveBean(IncidentRefresh.class);
    });
  }

  @Test
  void incidents_zeroRefreshInterval_startupFailsNamingTheProperty() {
    runner.withPropertyValues("breakglass.incidents.refresh-interval=0s")
        .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
            "breakglass.incidents.refresh-interval must be positive, was PT0S"));
  }

  @Test
  void incidents_retainZero_startupFailsNamingTheProperty() {
    runner.withPropertyValues("breakglass.incidents.retain=0")
        .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
            "breakglass.incidents.retain must be at least 1, was 0"));
  }

  @Test
  void incidents_negativeWindow_startupFailsNamingTheProperty() {
    runner.withPropertyValues("breakglass.incidents.window=-1s")
        .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
            "breakglass.incidents.window must not be negative, was PT-1S"));
  }

  @Test
  void instances_resilience4jPropertyNames_configureTheBreaker() {
    runner.withPropertyValues(
        "breakglass.circuitbreaker.instances.payments.sliding-window-type=COUNT_BASED",
        "breakglass.circuitbreaker.instances.payments.sliding-window-size=20",
        "breakglass.circuitbreaker.instances.payments.minimum-number-of-calls=10",
        "breakglass.circuitbreaker.instances.payments.failure-rate-threshold=30",
        "breakglass.circuitbreaker.instances.payments.slow-call-rate-threshold=80",
        "breakglass.circuitbreaker.instances.payments.slow-call-duration-threshold=2s",
        "breakglass.circuitbreaker.instances.payments.wait-duration-in-open-state=15s",
        "breakglass.circuitbreaker.instances.payments.permitted-number-of-calls-in-half-open-state=4",
        "breakglass.circuitbreaker.instances.payments.max-wait-duration-in-half-open-state=5s",
        "breakglass.circuitbreaker.instances.payments.automatic-transition-from-open-to-half-open-enabled=true",
        "breakglass.circuitbreaker.instances.payments.ignore-exceptions=java.lang.IllegalArgumentException",
        "breakglass.circuitbreaker.instances.reports.sliding-window-type=TIME_BASED",
        "breakglass.circuitbreaker.instances.reports.sliding-window-size=30",
        "breakglass.circuitbreaker.instances.reports.time-window-buckets=5",
        "breakglass.circuitbreaker.instances.ledger.sliding-window-type=CONSECUTIVE_FAILURES",
        "breakglass.circuitbreaker.instances.ledger.consecutive-failure-threshold=3")
        .run(context -> {
          CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
          CircuitBreakerConfig payments = registry.find("payments").orElseThrow().config();
          assertThat(payments).isEqualTo(CircuitBreakerConfig.builder()
              .countWindow(20)
              .minimumNumberOfCalls(10)
              .failureRateThreshold(30)
              .slowCallRateThreshold(80)
              .slowCallDurationThreshold(Duration.ofSeconds(2))
              .waitDurationInOpenState(Duration.ofSeconds(15))
              .permittedNumberOfCallsInHalfOpenState(4)
              .maxWaitDurationInHalfOpenState(Duration.ofSeconds(5))
              .automaticTransitionToHalfOpen(true)
              .ignoreExceptions(IllegalArgumentException.class)
              .build());
          CircuitBreakerConfig reports = registry.find("reports").orElseThrow().config();
          assertThat(reports.windowType()).isEqualTo(CircuitBreakerConfig.WindowType.TIME_BASED);
          assertThat(reports.windowLength()).isEqualTo(Duration.ofSeconds(30));
          assertThat(reports.windowBuckets()).isEqualTo(5);
          CircuitBreakerConfig ledger = registry.find("ledger").orElseThrow().config();
          assertThat(ledger.windowType())
              .isEqualTo(CircuitBreakerConfig.WindowType.CONSECUTIVE_FAILURES);
          assertThat(ledger.consecutiveFailureThreshold()).isEqualTo(3);
        });
  }

  @Test
  void configs_baseConfigAndDefault_areInheritedSettingBySetting() {
    runner.withPropertyValues(
        "breakglass.circuitbreaker.configs.default.failure-rate-threshold=40",
        "breakglass.circuitbreaker.configs.default.sliding-window-size=50",
        "breakglass.circuitbreaker.configs.batch.wait-duration-in-open-state=2m",
        "breakglass.circuitbreaker.configs.batch.tier=ENHANCED",
        "breakglass.circuitbreaker.instances.reports.base-config=batch",
        "breakglass.circuitbreaker.instances.reports.sliding-window-size=10",
        "breakglass.circuitbreaker.instances.search.minimum-number-of-calls=5")
        .run(context -> {
          CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
          CircuitBreakerConfig defaults = CircuitBreakerConfig.builder()
              .failureRateThreshold(40).countWindow(50).build();
          assertThat(registry.defaultConfig()).isEqualTo(defaults);
          assertThat(registry.circuitBreaker("created-later").config()).isEqualTo(defaults);
          assertThat(registry.configNames()).containsExactly("batch");
          assertThat(registry.config("batch")).contains(CircuitBreakerConfig.builder()
              .failureRateThreshold(40).countWindow(50)
              .waitDurationInOpenState(Duration.ofMinutes(2)).build());
          // own setting > base config > default config > library default
          assertThat(registry.find("reports").orElseThrow().config())
              .isEqualTo(CircuitBreakerConfig.builder().failureRateThreshold(40).countWindow(10)
                  .waitDurationInOpenState(Duration.ofMinutes(2)).build());
          assertThat(registry.find("search").orElseThrow().config())
              .isEqualTo(CircuitBreakerConfig.builder().failureRateThreshold(40).countWindow(50)
                  .minimumNumberOfCalls(5).build());
          // the tier is inherited too: reports (batch, ENHANCED) is shed at MINOR
          CascadeManager manager = context.getBean(CascadeManager.class);
          manager.declare(Severity.MINOR, "test", "tier check");
          assertThat(manager.admit(Tier.ENHANCED)).isFalse();
          assertThat(manager.mode(Severity.MINOR).admits(Tier.STANDARD)).isTrue();
        });
  }

  @Test
  void instances_outOfRangeValue_failsStartupNamingThePropertyAndTheValue() {
    runner.withPropertyValues(
        "breakglass.circuitbreaker.instances.payments.failure-rate-threshold=150")
        .run(context -> assertThat(context).hasFailed().getFailure()
            .rootCause()
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("failureRateThreshold")
            .hasMessageContaining("150"));
    runner.withPropertyValues(
        "breakglass.circuitbreaker.instances.payments.failure-rate-threshold=150")
        .run(context -> assertThat(context.getStartupFailure())
            .hasStackTraceContaining("breakglass.circuitbreaker.instances.payments: "));
  }

  @Test
  void instances_unknownOrCyclicBaseConfig_failsStartupNamingIt() {
    runner.withPropertyValues("breakglass.circuitbreaker.instances.payments.base-config=nope")
        .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
            "breakglass.circuitbreaker.instances.payments.base-config: no config named 'nope'"));
    runner.withPropertyValues(
        "breakglass.circuitbreaker.configs.a.base-config=b",
        "breakglass.circuitbreaker.configs.b.base-config=a")
        .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
            "the base configs form a cycle: b -> a -> b"));
    runner.withPropertyValues(
        "breakglass.circuitbreaker.instances.ledger.sliding-window-type=CONSECUTIVE_FAILURES")
        .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
            "breakglass.circuitbreaker.instances.ledger: sliding-window-type "
                + "CONSECUTIVE_FAILURES needs consecutive-failure-threshold"));
  }

  @Test
  void manager_breakerInstanceOpens_severityRisesByTheInstanceTier() {
    runner.withPropertyValues(
        "breakglass.circuitbreaker.instances.payments.tier=CRITICAL",
        "breakglass.circuitbreaker.instances.search.tier=ENHANCED",
        "breakglass.cascade.features.recommendations=STANDARD",
        "breakglass.cascade.capacity-factor.MAJOR=0.5")
        .run(context -> {
          CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
          CascadeManager manager = context.getBean(CascadeManager.class);
          assertThat(manager.severity()).isEqualTo(Severity.NORMAL);
          registry.find("search").orElseThrow().transitionToForcedOpen();
          assertThat(manager.severity()).isEqualTo(Severity.MINOR);
          assertThat(manager.isEnabled("recommendations")).isTrue();
          registry.find("payments").orElseThrow().transitionToForcedOpen();
          assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
          assertThat(manager.isEnabled("recommendations")).isFalse();
          assertThat(manager.capacityFactor()).isEqualTo(0.5);
          assertThat(context.getBean(IncidentJournal.class).entries())
              .anySatisfy(e -> assertThat(e.detail()).contains("NORMAL -> MINOR"))
              .anySatisfy(e -> assertThat(e.detail()).contains("MINOR -> MAJOR"));
        });
  }

  @Test
  void beans_definedByTheApplication_replaceTheAutoConfiguredOnes() {
    runner.withUserConfiguration(OwnBeans.class)
        .withPropertyValues("breakglass.circuitbreaker.instances.payments.tier=CRITICAL")
        .run(context -> {
          assertThat(context).hasSingleBean(CircuitBreakerRegistry.class);
          CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
          assertThat(registry).isSameAs(OwnBeans.REGISTRY);
          assertThat(registry.find("payments")).isEmpty(); // the properties' instances are not added
          assertThat(context.getBean(IncidentJournal.class).capacity()).isEqualTo(7);
          // the manager watches the application's registry's breakers
          CascadeManager manager = context.getBean(CascadeManager.class);
          registry.find("own").orElseThrow().transitionToForcedOpen();
          assertThat(manager.health("own")).isEqualTo(dev.breakglass.core.Health.DOWN);
        });
  }

  @Test
  void shutdown_contextCloses_componentsStopInDependencyOrder() {
    StopLog log = new StopLog();
    List<String> stopped = log.names;
    runner.withBean(StopLog.class, () -> log)
        .withUserConfiguration(Components.class)
        .run(context -> {
          DependencyGraph graph = context.getBean(DependencyGraph.class);
          assertThat(graph.dependenciesOf("api")).containsExactlyInAnyOrder("orders", "cache");
          assertThat(stopped).isEmpty();
          ShutdownLifecycle lifecycle = context.getBean(ShutdownLifecycle.class);
          assertThat(lifecycle.isRunning()).isTrue();
          context.close();
          assertThat(lifecycle.isRunning()).isFalse();
          assertThat(stopped).hasSize(4);
          assertThat(stopped.get(0)).isEqualTo("api");
          assertThat(stopped.indexOf("orders")).isLessThan(stopped.indexOf("database"));
          assertThat(stopped.get(3)).isEqualTo("database");
          assertThat(lifecycle.lastReport()).isNotNull()
              .satisfies(r -> assertThat(r.isClean()).isTrue());
        });
  }

  @Test
  void shutdown_disabled_contextCloseStopsNothing() {
    StopLog log = new StopLog();
    List<String> stopped = log.names;
    runner.withBean(StopLog.class, () -> log)
        .withUserConfiguration(Components.class)
        .withPropertyValues("breakglass.shutdown.enabled=false")
        .run(context -> {
          assertThat(context).doesNotHaveBean(ShutdownLifecycle.class);
          context.close();
          assertThat(stopped).isEmpty();
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    static final CircuitBreakerRegistry REGISTRY = CircuitBreakerRegistry.ofDefaults();

    static {
      REGISTRY.circuitBreaker("own");
    }

    @Bean
    CircuitBreakerRegistry ownRegistry() {
      return REGISTRY;
    }

    @Bean
    IncidentJournal ownJournal() {
      return IncidentJournal.create(7);
    }
  }

  /** Where the test components write their names as they stop. */
  static final class StopLog {
    final List<String> names = new CopyOnWriteArrayList<>();
  }

  @Configuration(proxyBeanMethods = false)
  static class Components {

    @Bean
    BreakglassComponent database(StopLog log) {
      return BreakglassComponent.of(
          Component.of("database", Tier.CRITICAL, () -> log.names.add("database")));
    }

    @Bean
    BreakglassComponent orders(StopLog log) {
      return BreakglassComponent.of(
          Component.of("orders", Tier.ESSENTIAL, () -> log.names.add("orders")), "database");
    }

    @Bean
    BreakglassComponent cache(StopLog log) {
      return BreakglassComponent.of(
          Component.of("cache", Tier.STANDARD, () -> log.names.add("cache")));
    }

    @Bean
    BreakglassComponent api(StopLog log) {
      return BreakglassComponent.of(
          Component.of("api", Tier.CRITICAL, () -> log.names.add("api")), "orders", "cache");
    }
  }

}
