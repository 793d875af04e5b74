package dev.breakglass.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.cascade.degradation.AdmissionLimiter;
import dev.breakglass.cascade.degradation.AimdLimit;
import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.FixedLimit;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimiterMetersTest {

  private static final String[] TIERS = {"critical", "essential", "standard", "enhanced"};
  private static final String[] REASONS = {"not_admitted", "over_limit"};

  private final ManualTicker ticker = new ManualTicker();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final CascadeManager manager = CascadeManager.builder().ticker(ticker).build();
  /** AIMD from 10, a window per outcome: a dropped call moves the limit at once. */
  private final AdmissionLimiter limiter = AdmissionLimiter.builder("front-door")
      .algorithm(() -> AimdLimit.builder().minLimit(1).initialLimit(10).build())
      .manager(manager).ticker(ticker).windowSize(1).build();

  private static double gauge(MeterRegistry registry, String name, String limiter) {
    return registry.get(name).tags("name", limiter).gauge().value();
  }

  private double gauge(String name) {
    return gauge(meters, name, "front-door");
  }

  private double rejections(String tier, String reason) {
    return meters.get(LimiterMeters.REJECTIONS)
        .tags("name", "front-door", "tier", tier, "reason", reason).functionCounter().count();
  }

  private double limitChanges() {
    return meters.get(LimiterMeters.LIMIT_CHANGES).tags("name", "front-door")
        .functionCounter().count();
  }

  @Test
  void meters_unused_fullLimitNothingInFlightNoRejections() {
    LimiterMeters.of(limiter, Tags.of("service", "shop")).bindTo(meters);

    assertThat(meters.getMeters()).hasSize(3 + TIERS.length * REASONS.length + 1);
    assertThat(meters.getMeters()).allMatch(m -> "shop".equals(m.getId().getTag("service"))
        && "front-door".equals(m.getId().getTag("name")));
    assertThat(gauge(LimiterMeters.LIMIT)).isEqualTo(10.0);
    assertThat(gauge(LimiterMeters.EFFECTIVE_LIMIT)).isEqualTo(10.0);
    assertThat(gauge(LimiterMeters.IN_FLIGHT)).isZero();
    for (String tier : TIERS) {
      for (String reason : REASONS) {
        assertThat(rejections(tier, reason)).as(tier + " " + reason).isZero();
      }
    }
    assertThat(limitChanges()).isZero();
  }

  @Test
  void meters_scriptedCalls_readLimitsInFlightRejectionsAndLimitChanges() {
    LimiterMeters.of(limiter).bindTo(meters);
    manager.declare(Severity.MAJOR, "on-call", "drill"); // capacity 60 %: effective 6
    List<Long> held = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      held.add(limiter.tryAcquire(Tier.CRITICAL));
    }
    assertThat(limiter.tryAcquire(Tier.ESSENTIAL)).as("5 in flight fill ESSENTIAL's 90 % of 6")
        .isEqualTo(AdmissionLimiter.OVER_LIMIT);
    assertThat(limiter.tryAcquire(Tier.STANDARD)).isEqualTo(AdmissionLimiter.NOT_ADMITTED);
    assertThat(limiter.tryAcquire(Tier.STANDARD)).isEqualTo(AdmissionLimiter.NOT_ADMITTED);
    assertThat(limiter.tryAcquire(Tier.ENHANCED)).isEqualTo(AdmissionLimiter.NOT_ADMITTED);

    assertThat(gauge(LimiterMeters.LIMIT)).isEqualTo(10.0);
    assertThat(gauge(LimiterMeters.EFFECTIVE_LIMIT)).isEqualTo(6.0);
    assertThat(gauge(LimiterMeters.IN_FLIGHT)).isEqualTo(5.0);
    assertThat(rejections("essential", "over_limit")).isEqualTo(1.0);
    assertThat(rejections("standard", "not_admitted")).isEqualTo(2.0);
    assertThat(rejections("enhanced", "not_admitted")).isEqualTo(1.0);
    assertThat(rejections("critical", "over_limit")).isZero();
    assertThat(rejections("critical", "not_admitted")).isZero();
    assertThat(rejections("essential", "not_admitted")).isZero();
    assertThat(rejections("standard", "over_limit")).isZero();
    assertThat(rejections("enhanced", "over_limit")).isZero();
    assertThat(limitChanges()).isZero();

    limiter.onDropped(held.remove(0)); // AIMD backs off: 10 -> 9
    limiter.release(held.remove(0)); // no sample: the limit stays

    assertThat(gauge(LimiterMeters.LIMIT)).isEqualTo(9.0);
    assertThat(gauge(LimiterMeters.EFFECTIVE_LIMIT)).isEqualTo(5.0); // floor(9 * 0.6)
    assertThat(gauge(LimiterMeters.IN_FLIGHT)).isEqualTo(3.0);
    assertThat(limitChanges()).isEqualTo(1.0);
    assertThat(limitChanges()).isEqualTo(limiter.limitChanges());
  }

  @Test
  void meters_twoLimitersInOneRegistry_toldApartByName() {
    AdmissionLimiter search = AdmissionLimiter.builder("search")
        .algorithm(() -> FixedLimit.of(40)).ticker(ticker).build();
    LimiterMeters.of(limiter).bindTo(meters);
    LimiterMeters.of(search).bindTo(meters);
    search.tryAcquire(Tier.STANDARD);

    assertThat(meters.getMeters()).hasSize(2 * 12);
    assertThat(gauge(meters, LimiterMeters.LIMIT, "front-door")).isEqualTo(10.0);
    assertThat(gauge(meters, LimiterMeters.LIMIT, "search")).isEqualTo(40.0);
    assertThat(gauge(meters, LimiterMeters.IN_FLIGHT, "front-door")).isZero();
    assertThat(gauge(meters, LimiterMeters.IN_FLIGHT, "search")).isEqualTo(1.0);
  }

  @Test
  void bindTo_twoRegistries_bothReadTheLimiterAndCloseRemovesFromBoth() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    LimiterMeters binder = LimiterMeters.of(limiter);
    binder.bindTo(meters);
    binder.bindTo(other);
    limiter.tryAcquire(Tier.CRITICAL);

    assertThat(gauge(meters, LimiterMeters.IN_FLIGHT, "front-door")).isEqualTo(1.0);
    assertThat(gauge(other, LimiterMeters.IN_FLIGHT, "front-door")).isEqualTo(1.0);

    binder.close();
    assertThat(meters.getMeters()).isEmpty();
    assertThat(other.getMeters()).isEmpty();
  }

  @Test
  void close_removesTheMetersIdempotentlyAndRefusesNewBindings() {
    LimiterMeters binder = LimiterMeters.of(limiter);
    binder.bindTo(meters);
    Meter kept = meters.getMeters().get(0);

    binder.close();
    binder.close();

    assertThat(meters.getMeters()).isEmpty();
    assertThat(meters.find(kept.getId().getName()).meters()).isEmpty();
    assertThatThrownBy(() -> binder.bindTo(meters))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("LimiterMeters was closed; create a new one");
  }

  @Test
  void of_reservedTagKey_throwsNamingTheKey() {
    for (String key : new String[] {"name", "tier", "reason"}) {
      assertThatThrownBy(() -> LimiterMeters.of(limiter, Tags.of("service", "shop", key, "x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("tag key '" + key + "' is set by the meters themselves; use another key");
    }
    assertThatThrownBy(() -> LimiterMeters.of(null))
        .isInstanceOf(NullPointerException.class).hasMessage("limiter");
  }

  @Test
  void toString_namesTheLimiterAndTheTags() {
    assertThat(LimiterMeters.of(limiter, Tags.of("service", "shop")).toString())
        .startsWith("LimiterMeters[AdmissionLimiter[front-door, ")
        .contains("tag(service=shop)");
  }
}
