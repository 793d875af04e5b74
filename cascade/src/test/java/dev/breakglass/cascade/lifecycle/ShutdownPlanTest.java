package dev.breakglass.cascade.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShutdownPlanTest {

  /** The emergency-drill service: http front, checkout handler, payment client, and so on. */
  static DependencyGraph service() {
    Step noop = () -> { };
    return DependencyGraph.builder()
        .add(Component.builder("http-front").tier(Tier.CRITICAL)
            .onStopIntake(noop).onDrain(noop).onRelease(noop).build(),
            "checkout-handler", "recommendations")
        .add(Component.builder("checkout-handler").tier(Tier.CRITICAL)
            .onDrain(noop).onRelease(noop).build(), "payment-client", "inventory-store")
        .add(Component.builder("payment-client").tier(Tier.STANDARD)
            .stopTimeout(Duration.ofSeconds(5)).onDrain(noop).onRelease(noop).build())
        .add(Component.builder("inventory-store").tier(Tier.ESSENTIAL)
            .onFlush(noop).onRelease(noop).build())
        .add(Component.builder("recommendations").tier(Tier.STANDARD).onRelease(noop).build(),
            "inventory-store")
        .add(Component.builder("analytics-exporter").tier(Tier.ENHANCED)
            .onFlush(noop).onRelease(noop).build())
        .build();
  }

  @Test
  void of_service_wavesByLongestChainThenTierThenName() {
    ShutdownPlan plan = ShutdownPlan.of(service());

    assertThat(plan.waves()).containsExactly(
        List.of("http-front", "analytics-exporter"),
        List.of("checkout-handler", "recommendations"),
        List.of("inventory-store", "payment-client"));
    assertThat(plan.waveCount()).isEqualTo(3);
    assertThat(plan.size()).isEqualTo(6);
    assertThat(plan.order()).containsExactly("http-front", "analytics-exporter",
        "checkout-handler", "recommendations", "inventory-store", "payment-client");
    assertThat(plan.waveOf("recommendations")).isEqualTo(1);
    assertThat(plan.isolated()).isNull();
    assertThat(plan.contains("payment-client")).isTrue();
    assertThat(plan.contains("nope")).isFalse();
  }

  @Test
  void of_sameWaveDifferentTiers_moreImportantTierFirst() {
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("a-enhanced", Tier.ENHANCED))
        .add(Component.of("b-critical", Tier.CRITICAL))
        .add(Component.of("c-standard", Tier.STANDARD))
        .add(Component.of("d-critical", Tier.CRITICAL))
        .build();

    assertThat(ShutdownPlan.of(graph).waves())
        .containsExactly(List.of("b-critical", "d-critical", "c-standard", "a-enhanced"));
  }

  @Test
  void of_emptyGraph_hasNoWaves() {
    ShutdownPlan plan = ShutdownPlan.of(DependencyGraph.builder().build());

    assertThat(plan.waves()).isEmpty();
    assertThat(plan.waveCount()).isZero();
    assertThat(plan.toText())
        .isEqualTo("shutdown plan: 0 components in 0 waves (each component stops as soon as "
            + "everything that depends on it has finished, so waves can overlap)\n");
  }

  @Test
  void isolating_component_holdsItAndItsTransitiveDependentsOnly() {
    ShutdownPlan plan = ShutdownPlan.isolating(service(), "inventory-store");

    assertThat(plan.isolated()).isEqualTo("inventory-store");
    assertThat(plan.waves()).containsExactly(
        List.of("http-front"),
        List.of("checkout-handler", "recommendations"),
        List.of("inventory-store"));
    assertThat(plan.contains("payment-client")).isFalse();
    assertThatThrownBy(() -> plan.waveOf("payment-client"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("component 'payment-client' is not in this plan");
  }

  @Test
  void isolating_unknownOrNull_throwsNamingIt() {
    assertThatThrownBy(() -> ShutdownPlan.isolating(service(), "nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown component 'nope'");
    assertThatThrownBy(() -> ShutdownPlan.isolating(service(), null)).hasMessage("name");
    assertThatThrownBy(() -> ShutdownPlan.of(null)).hasMessage("graph");
  }

  @Test
  void toText_service_isADryRunWithTiersStepsAndTimeouts() {
    assertThat(ShutdownPlan.of(service()).toText()).isEqualTo(String.join("\n",
        "shutdown plan: 6 components in 3 waves (each component stops as soon as everything that "
            + "depends on it has finished, so waves can overlap)",
        "  wave 0",
        "    http-front          CRITICAL                   stop-intake, drain, release",
        "    analytics-exporter  ENHANCED                   flush, release",
        "  wave 1",
        "    checkout-handler    CRITICAL                   drain, release",
        "    recommendations     CRITICAL (from STANDARD)   release",
        "  wave 2",
        "    inventory-store     CRITICAL (from ESSENTIAL)  flush, release",
        "    payment-client      CRITICAL (from STANDARD)   drain, release; stop timeout 5.000s",
        ""));
    assertThat(ShutdownPlan.isolating(service(), "payment-client").toString())
        .isEqualTo("ShutdownPlan[3 components, 3 waves, isolating payment-client]");
  }

  @Test
  void toText_componentWithoutSteps_saysSo() {
    DependencyGraph graph = DependencyGraph.builder().add(Component.of("db", Tier.CRITICAL)).build();

    assertThat(ShutdownPlan.of(graph).toText()).endsWith("    db  CRITICAL  no stop steps\n");
  }
}
