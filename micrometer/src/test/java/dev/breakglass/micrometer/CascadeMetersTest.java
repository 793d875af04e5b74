package dev.breakglass.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class CascadeMetersTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final CascadeManager manager = CascadeManager.builder()
      .feature("recommendations", Tier.STANDARD)
      .ticker(new ManualTicker())
      .build();

  private double gauge(String name, String... tags) {
    return meters.get(name).tags(tags).gauge().value();
  }

  private double admitted(String tier) {
    return gauge(CascadeMeters.TIER_ADMITTED, "tier", tier);
  }

  private double counter(String name, String tier) {
    return meters.get(name).tags("tier", tier).counter().count();
  }

  @Test
  void meters_atNormal_admitEverythingAtFullCapacity() {
    CascadeMeters.of(manager, Tags.of("service", "shop")).bindTo(meters);

    assertThat(meters.getMeters()).hasSize(2 + 3 * Tier.values().length);
    assertThat(meters.getMeters()).allMatch(m -> "shop".equals(m.getId().getTag("service")));
    assertThat(gauge(CascadeMeters.SEVERITY)).isZero();
    assertThat(gauge(CascadeMeters.CAPACITY_FACTOR)).isEqualTo(1.0);
    for (String tier : new String[] {"critical", "essential", "standard", "enhanced"}) {
      assertThat(admitted(tier)).as(tier).isEqualTo(1.0);
      assertThat(counter(CascadeMeters.SHEDS, tier)).as(tier).isZero();
      assertThat(counter(CascadeMeters.RESTORES, tier)).as(tier).isZero();
    }
  }

  @Test
  void meters_scriptedSeverities_followTheManagerAndCountShedsAndRestores() {
    CascadeMeters.of(manager).bindTo(meters);

    manager.declare(Severity.MAJOR, "on-call", "drill");
    assertThat(gauge(CascadeMeters.SEVERITY)).isEqualTo(2.0);
    assertThat(gauge(CascadeMeters.CAPACITY_FACTOR)).isEqualTo(0.6);
    assertThat(admitted("critical")).isEqualTo(1.0);
    assertThat(admitted("essential")).isEqualTo(1.0);
    assertThat(admitted("standard")).isZero();
    assertThat(admitted("enhanced")).isZero();
    assertThat(counter(CascadeMeters.SHEDS, "standard")).isEqualTo(1.0);
    assertThat(counter(CascadeMeters.SHEDS, "enhanced")).isEqualTo(1.0);
    assertThat(counter(CascadeMeters.SHEDS, "essential")).isZero();

    manager.declare(Severity.CRITICAL, "on-call", "worse");
    assertThat(gauge(CascadeMeters.SEVERITY)).isEqualTo(3.0);
    assertThat(admitted("essential")).isZero();
    assertThat(counter(CascadeMeters.SHEDS, "essential")).isEqualTo(1.0);
    assertThat(counter(CascadeMeters.SHEDS, "standard")).isEqualTo(1.0);

    manager.declare(Severity.NORMAL, "on-call", "fixed");
    assertThat(gauge(CascadeMeters.SEVERITY)).isZero();
    assertThat(gauge(CascadeMeters.CAPACITY_FACTOR)).isEqualTo(1.0);
    for (String tier : new String[] {"essential", "standard", "enhanced"}) {
      assertThat(admitted(tier)).as(tier).isEqualTo(1.0);
      assertThat(counter(CascadeMeters.RESTORES, tier)).as(tier).isEqualTo(1.0);
    }
    assertThat(counter(CascadeMeters.RESTORES, "critical")).isZero();
    assertThat(counter(CascadeMeters.SHEDS, "critical")).isZero();
  }

  @Test
  void close_removesTheMetersAndStopsCounting() {
    CascadeMeters binder = CascadeMeters.of(manager);
    binder.bindTo(meters);
    binder.close();
    manager.declare(Severity.MAJOR, "on-call", "drill");

    assertThat(meters.getMeters()).isEmpty();
    assertThatThrownBy(() -> binder.bindTo(meters)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void of_reservedTagKey_throwsNamingTheKey() {
    assertThatThrownBy(() -> CascadeMeters.of(manager, Tags.of("tier", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'tier'");
  }
}
