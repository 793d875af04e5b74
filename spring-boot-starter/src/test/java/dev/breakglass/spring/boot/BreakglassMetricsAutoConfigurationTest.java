package dev.breakglass.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.cascade.degradation.AdmissionLimiter;
import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Deferral;
import dev.breakglass.cascade.degradation.FixedLimit;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import dev.breakglass.core.Tier;
import dev.breakglass.micrometer.CascadeMeters;
import dev.breakglass.micrometer.CircuitBreakerMeters;
import dev.breakglass.micrometer.DeferralMeters;
import dev.breakglass.micrometer.IncidentMeters;
import dev.breakglass.micrometer.JournalMeters;
import dev.breakglass.micrometer.LimiterMeters;
import dev.breakglass.spring.boot.autoconfigure.BreakglassAutoConfiguration;
import dev.breakglass.spring.boot.metrics.BreakglassMetricsAutoConfiguration;
import dev.breakglass.spring.boot.metrics.MeterBinderGroup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class BreakglassMetricsAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(BreakglassAutoConfiguration.class,
          BreakglassMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
          SimpleMetricsExportAutoConfiguration.class,
          CompositeMeterRegistryAutoConfiguration.class))
      .withPropertyValues("breakglass.circuitbreaker.instances.payments.tier=ESSENTIAL");

  @Test
  void context_meterRegistry_bindsBreakersManagerJournalAndIncidents() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(CircuitBreakerMeters.class);
      assertThat(context).hasSingleBean(CascadeMeters.class);
      assertThat(context).hasSingleBean(JournalMeters.class);
      assertThat(context).hasSingleBean(IncidentMeters.class);
      assertThat(context).doesNotHaveBean("breakglassLimiterMeters");
      assertThat(context).doesNotHaveBean("breakglassDeferralMeters");
      MeterRegistry meters = context.getBean(MeterRegistry.class);

      context.getBean(CircuitBreakerRegistry.class).find("payments").orElseThrow()
          .transitionToOpen();

      assertThat(meters.get(CircuitBreakerMeters.STATE)
          .tags("name", "payments", "state", "open").gauge().value()).isEqualTo(1.0);
      assertThat(meters.get(CascadeMeters.SEVERITY).gauge().value())
          .as("ESSENTIAL down: MAJOR").isEqualTo(2.0);
      assertThat(meters.get(JournalMeters.ENTRIES)
          .tags("source", "payments", "kind", "transition").counter().count()).isEqualTo(1.0);
      assertThat(meters.get(IncidentMeters.OPEN).gauge().value()).isEqualTo(1.0);
      assertThat(meters.get(IncidentMeters.OPENED).counter().count()).isEqualTo(1.0);
      // the per-call timer is off unless asked for
      assertThat(meters.find(CircuitBreakerMeters.CALLS).timers()).isEmpty();
    });
  }

  @Test
  void breakersAddedLater_areBound() {
    runner.run(context -> {
      MeterRegistry meters = context.getBean(MeterRegistry.class);
      context.getBean(CircuitBreakerRegistry.class).circuitBreaker("later");
      assertThat(meters.get(CircuitBreakerMeters.STATE)
          .tags("name", "later", "state", "closed").gauge().value()).isEqualTo(1.0);
    });
  }

  @Test
  void callsTimer_enabled_timesEachCallByKind() {
    runner.withPropertyValues("breakglass.metrics.calls-timer=true").run(context -> {
      MeterRegistry meters = context.getBean(MeterRegistry.class);
      context.getBean(CircuitBreakerRegistry.class).find("payments").orElseThrow()
          .get(() -> "ok");
      assertThat(meters.get(CircuitBreakerMeters.CALLS)
          .tags("name", "payments", "kind", "successful").timer().count()).isEqualTo(1L);
    });
  }

  @Test
  void limitersAndDeferrals_applicationBeans_eachBoundWithItsName() {
    runner.withUserConfiguration(Overload.class).run(context -> {
      assertThat(context).hasNotFailed();
      MeterRegistry meters = context.getBean(MeterRegistry.class);
      assertThat(meters.get(LimiterMeters.LIMIT).tags("name", "checkout").gauge().value())
          .isEqualTo(8.0);
      assertThat(meters.get(LimiterMeters.LIMIT).tags("name", "search").gauge().value())
          .isEqualTo(3.0);
      AdmissionLimiter search = context.getBean("search", AdmissionLimiter.class);
      long permit = search.tryAcquire(Tier.CRITICAL);
      assertThat(meters.get(LimiterMeters.IN_FLIGHT).tags("name", "search").gauge().value())
          .isEqualTo(1.0);
      search.release(permit);
      assertThat(meters.get(DeferralMeters.PENDING)
          .tags("deferral", "emails", "tier", "enhanced").gauge().value()).isZero();
      @SuppressWarnings("unchecked")
      MeterBinderGroup<LimiterMeters> limiters =
          context.getBean("breakglassLimiterMeters", MeterBinderGroup.class);
      assertThat(limiters.binders()).hasSize(2);
    });
  }

  @Test
  void limiters_twoWithOneName_startupFailsNamingBothBeans() {
    runner.withUserConfiguration(SameName.class).run(context -> assertThat(
        context.getStartupFailure()).hasStackTraceContaining(
            "AdmissionLimiter beans 'first' and 'second' are both named 'api'"));
  }

  @Test
  void limiters_applicationBindsItsOwn_starterBacksOff() {
    runner.withUserConfiguration(Overload.class, OwnLimiterMeters.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean("breakglassLimiterMeters");
      MeterRegistry meters = context.getBean(MeterRegistry.class);
      assertThat(meters.find(LimiterMeters.LIMIT).gauges()).singleElement().satisfies(
          gauge -> assertThat(gauge.getId().getTag("service")).isEqualTo("shop"));
    });
  }

  @Test
  void contextClosed_metersRemovedFromTheRegistry() {
    MeterRegistry[] kept = new MeterRegistry[1];
    runner.withUserConfiguration(Overload.class).run(context -> {
      kept[0] = context.getBean(MeterRegistry.class);
      assertThat(kept[0].find(LimiterMeters.LIMIT).gauges()).hasSize(2);
    });
    assertThat(kept[0].getMeters())
        .noneMatch(m -> m.getId().getName().startsWith("breakglass."));
  }

  @Test
  void withoutBreakglassMicrometer_nothingIsBound() {
    runner.withClassLoader(new FilteredClassLoader(CircuitBreakerMeters.class))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(MeterRegistry.class);
          assertThat(context).doesNotHaveBean(CascadeMeters.class);
          assertThat(context.getBean(MeterRegistry.class).getMeters())
              .noneMatch(m -> m.getId().getName().startsWith("breakglass."));
        });
  }

  @Test
  void withoutAMeterRegistry_nothingIsBound() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BreakglassAutoConfiguration.class,
            BreakglassMetricsAutoConfiguration.class))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(CascadeManager.class);
          assertThat(context).doesNotHaveBean(CircuitBreakerMeters.class);
          assertThat(context).doesNotHaveBean(CascadeMeters.class);
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class SameName {

    @Bean
    AdmissionLimiter first() {
      return AdmissionLimiter.builder("api").build();
    }

    @Bean
    AdmissionLimiter second() {
      return AdmissionLimiter.builder("api").build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnLimiterMeters {

    @Bean
    LimiterMeters checkoutMeters(AdmissionLimiter checkout) {
      return LimiterMeters.of(checkout, Tags.of("service", "shop"));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Overload {

    @Bean
    AdmissionLimiter checkout(CascadeManager manager) {
      return AdmissionLimiter.builder("checkout").algorithm(() -> FixedLimit.of(8))
          .manager(manager).build();
    }

    @Bean
    AdmissionLimiter search() {
      return AdmissionLimiter.builder("search").algorithm(() -> FixedLimit.of(3)).build();
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService deferralScheduler() {
      return Executors.newSingleThreadScheduledExecutor();
    }

    @Bean
    Deferral emails(CascadeManager manager, ScheduledExecutorService deferralScheduler) {
      return Deferral.builder(manager, deferralScheduler).build();
    }
  }
}
