package dev.breakglass.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Deferral;
import dev.breakglass.cascade.degradation.DeferralCounts;
import dev.breakglass.core.ManualScheduler;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferralMetersTest {

  private static final String[] TIERS = {"critical", "essential", "standard", "enhanced"};
  private static final String[] COUNTERS = {DeferralMeters.DEFERRED, DeferralMeters.REPLAYED,
      DeferralMeters.EXPIRED, DeferralMeters.HANDED_BACK, DeferralMeters.OVERFLOWED,
      DeferralMeters.REFUSED};

  private final ManualTicker ticker = new ManualTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final CascadeManager manager = CascadeManager.builder()
      .component("payments", Tier.CRITICAL).ticker(ticker).build();
  private final Deferral deferral = Deferral.builder(manager, scheduler)
      .capacity(Tier.STANDARD, 2).maxWait(Duration.ofSeconds(30)).build();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> ran = new ArrayList<>();

  private static double pending(MeterRegistry registry, String tier) {
    return registry.get(DeferralMeters.PENDING).tags("tier", tier).gauge().value();
  }

  private double pending(String tier) {
    return pending(meters, tier);
  }

  private double count(String name, String tier) {
    return meters.get(name).tags("tier", tier).functionCounter().count();
  }

  private void declare(Severity severity) {
    manager.declare(severity, "on-call", "drill");
  }

  private Runnable work(String name) {
    return () -> ran.add(name);
  }

  /** Asserts every meter of the tier against the deferral's own counts. */
  private void assertMetersMatch(String tier) {
    DeferralCounts counts = deferral.counts(Tier.valueOf(tier.toUpperCase(java.util.Locale.ROOT)));
    assertThat(pending(tier)).as(tier).isEqualTo(counts.pending());
    assertThat(count(DeferralMeters.DEFERRED, tier)).as(tier).isEqualTo(counts.deferred());
    assertThat(count(DeferralMeters.REPLAYED, tier)).as(tier).isEqualTo(counts.replayed());
    assertThat(count(DeferralMeters.EXPIRED, tier)).as(tier).isEqualTo(counts.expired());
    assertThat(count(DeferralMeters.HANDED_BACK, tier)).as(tier).isEqualTo(counts.handedBack());
    assertThat(count(DeferralMeters.OVERFLOWED, tier)).as(tier).isEqualTo(counts.overflowed());
    assertThat(count(DeferralMeters.REFUSED, tier)).as(tier).isEqualTo(counts.refused());
  }

  @Test
  void meters_unused_everythingZeroForEveryTier() {
    DeferralMeters.of(deferral, Tags.of("deferral", "emails")).bindTo(meters);

    assertThat(meters.getMeters()).hasSize(TIERS.length * (1 + COUNTERS.length));
    assertThat(meters.getMeters())
        .allMatch(m -> "emails".equals(m.getId().getTag("deferral")))
        .allMatch(m -> m.getId().getTag("tier") != null);
    for (String tier : TIERS) {
      assertThat(pending(tier)).as(tier).isZero();
      for (String counter : COUNTERS) {
        assertThat(count(counter, tier)).as(counter + " " + tier).isZero();
      }
    }
  }

  @Test
  void meters_scriptedShedSpell_countEveryFateOfTheWorkPerTier() {
    DeferralMeters.of(deferral).bindTo(meters);
    declare(Severity.MAJOR); // sheds STANDARD and ENHANCED
    deferral.submit(Tier.STANDARD, work("s1"));
    deferral.submit(Tier.STANDARD, work("s2"));
    deferral.submit(Tier.STANDARD, work("s3")); // queue full (2)
    deferral.submit(Tier.ENHANCED, Duration.ofSeconds(1), work("e1"));
    deferral.submit(Tier.CRITICAL, work("c1")); // admitted: runs at once

    assertThat(pending("standard")).isEqualTo(2.0);
    assertThat(pending("enhanced")).isEqualTo(1.0);
    assertThat(count(DeferralMeters.DEFERRED, "standard")).isEqualTo(2.0);
    assertThat(count(DeferralMeters.OVERFLOWED, "standard")).isEqualTo(1.0);
    assertThat(count(DeferralMeters.DEFERRED, "enhanced")).isEqualTo(1.0);

    scheduler.advance(Duration.ofSeconds(1)); // e1 waited its second
    assertThat(pending("enhanced")).isZero();
    assertThat(count(DeferralMeters.EXPIRED, "enhanced")).isEqualTo(1.0);

    declare(Severity.NORMAL);
    scheduler.advance(Duration.ofMillis(100)); // one tick replays both
    assertThat(ran).containsExactly("c1", "s1", "s2");
    assertThat(pending("standard")).isZero();
    assertThat(count(DeferralMeters.REPLAYED, "standard")).isEqualTo(2.0);

    declare(Severity.MAJOR);
    deferral.submit(Tier.ENHANCED, work("e2"));
    assertThat(deferral.handBack()).hasSize(1); // settles e2 and closes the deferral
    deferral.submit(Tier.ENHANCED, work("e3")); // shed and closed: refused

    assertThat(count(DeferralMeters.DEFERRED, "enhanced")).isEqualTo(2.0);
    assertThat(count(DeferralMeters.HANDED_BACK, "enhanced")).isEqualTo(1.0);
    assertThat(count(DeferralMeters.REFUSED, "enhanced")).isEqualTo(1.0);
    assertThat(count(DeferralMeters.REPLAYED, "enhanced")).isZero();
    for (String tier : TIERS) {
      assertMetersMatch(tier);
    }
    for (String counter : COUNTERS) {
      assertThat(count(counter, "critical")).as(counter).isZero();
      assertThat(count(counter, "essential")).as(counter).isZero();
    }
  }

  @Test
  void bindTo_twoRegistries_bothReadTheDeferralAndCloseRemovesFromBoth() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    DeferralMeters binder = DeferralMeters.of(deferral);
    binder.bindTo(meters);
    binder.bindTo(other);
    declare(Severity.MINOR);
    deferral.submit(Tier.ENHANCED, work("e1"));

    assertThat(pending(meters, "enhanced")).isEqualTo(1.0);
    assertThat(pending(other, "enhanced")).isEqualTo(1.0);

    binder.close();
    assertThat(meters.getMeters()).isEmpty();
    assertThat(other.getMeters()).isEmpty();
  }

  @Test
  void close_removesTheMetersIdempotentlyAndRefusesNewBindings() {
    DeferralMeters binder = DeferralMeters.of(deferral);
    binder.bindTo(meters);

    binder.close();
    binder.close();

    assertThat(meters.getMeters()).isEmpty();
    assertThatThrownBy(() -> binder.bindTo(meters))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("DeferralMeters was closed; create a new one");
  }

  @Test
  void of_reservedTagKey_throwsNamingTheKey() {
    assertThatThrownBy(() -> DeferralMeters.of(deferral, Tags.of("tier", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tag key 'tier' is set by the meters themselves; use another key");
  }

  @Test
  void toString_showsTheDeferralAndTheTags() {
    assertThat(DeferralMeters.of(deferral, Tags.of("deferral", "emails")).toString())
        .isEqualTo("DeferralMeters[Deferral[0 pending], tags=[tag(deferral=emails)]]");
  }
}
