package dev.breakglass.cascade.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.Health;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryPlanTest {

  static DependencyGraph service() {
    Step noop = () -> { };
    HealthCheck up = () -> Health.UP;
    return DependencyGraph.builder()
        .add(Component.builder("http-front").tier(Tier.CRITICAL).onStart(noop).healthCheck(up)
            .build(), "checkout-handler", "recommendations")
        .add(Component.builder("checkout-handler").tier(Tier.CRITICAL).onStart(noop).build(),
            "payment-client", "inventory-store")
        .add(Component.builder("payment-client").tier(Tier.STANDARD).onStart(noop)
            .startTimeout(Duration.ofSeconds(10)).healthCheck(up).build())
        .add(Component.builder("inventory-store").tier(Tier.ESSENTIAL).onStart(noop).build())
        .add(Component.builder("recommendations").tier(Tier.STANDARD).onStart(noop).build(),
            "search-index")
        .add(Component.builder("search-index").tier(Tier.ENHANCED).onStart(noop).build())
        .add(Component.builder("analytics-exporter").tier(Tier.ENHANCED).build())
        .build();
  }

  @Test
  void of_service_phasesByEffectiveTierAndWavesByDependencies() {
    RecoveryPlan plan = RecoveryPlan.of(service());

    assertThat(plan.phases()).containsExactly(Tier.CRITICAL, Tier.ENHANCED);
    assertThat(plan.waves(Tier.CRITICAL)).containsExactly(
        List.of("inventory-store", "payment-client", "search-index"),
        List.of("checkout-handler", "recommendations"),
        List.of("http-front"));
    assertThat(plan.components(Tier.ENHANCED)).containsExactly("analytics-exporter");
    assertThat(plan.phaseOf("recommendations")).isEqualTo(Tier.CRITICAL);
  }

  @Test
  void of_componentPromotedByADependent_startsInItsDependentsPhase() {
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("checkout", Tier.CRITICAL), "cache")
        .add(Component.of("cache", Tier.STANDARD))
        .add(Component.of("reports", Tier.STANDARD), "cache")
        .add(Component.of("prefetch", Tier.ENHANCED))
        .build();
    RecoveryPlan plan = RecoveryPlan.of(graph);

    assertThat(plan.phases()).containsExactly(Tier.CRITICAL, Tier.STANDARD, Tier.ENHANCED);
    assertThat(plan.waves(Tier.CRITICAL)).containsExactly(List.of("cache"), List.of("checkout"));
    assertThat(plan.waves(Tier.STANDARD)).containsExactly(List.of("reports"));
    assertThat(plan.waves(Tier.ESSENTIAL)).isEmpty();
    assertThat(plan.waveOf("reports")).isZero();
    assertThat(plan.order()).containsExactly("cache", "checkout", "reports", "prefetch");
  }

  @Test
  void isolating_component_holdsItAndItsTransitiveDependents() {
    RecoveryPlan plan = RecoveryPlan.isolating(service(), "search-index");

    assertThat(plan.isolated()).isEqualTo("search-index");
    assertThat(plan.order()).containsExactly("search-index", "recommendations", "http-front");
    assertThat(plan.contains("payment-client")).isFalse();
    assertThatThrownBy(() -> plan.phaseOf("payment-client"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("component 'payment-client' is not in this plan");
    assertThatThrownBy(() -> RecoveryPlan.isolating(service(), "nope"))
        .hasMessage("unknown component 'nope'");
  }

  @Test
  void toText_service_isADryRunWithPhasesWavesAndEffectiveTiers() {
    assertThat(RecoveryPlan.of(service()).toText()).isEqualTo(String.join("\n",
        "recovery plan: 7 components in 2 phases (each phase waits for the health of what it started)",
        "  phase CRITICAL: 6 components in 3 waves",
        "    wave 0  inventory-store     CRITICAL (from ESSENTIAL)  start",
        "            payment-client      CRITICAL (from STANDARD)   start, health check; start timeout 10.000s",
        "            search-index        CRITICAL (from ENHANCED)   start",
        "    wave 1  checkout-handler    CRITICAL                   start",
        "            recommendations     CRITICAL (from STANDARD)   start",
        "    wave 2  http-front          CRITICAL                   start, health check",
        "  phase ENHANCED: 1 component in 1 wave",
        "    wave 0  analytics-exporter  ENHANCED                   no start step",
        ""));
  }
}
