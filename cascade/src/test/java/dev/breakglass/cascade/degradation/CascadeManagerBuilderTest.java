package dev.breakglass.cascade.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.core.Health;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CascadeManagerBuilderTest {

  private static CascadeManager manager() {
    return CascadeManager.builder()
        .component("payments", Tier.CRITICAL)
        .feature("recommendations", Tier.STANDARD)
        .build();
  }

  @Test
  void report_unknownComponent_throwsNamingIt() {
    CascadeManager manager = manager();

    assertThatThrownBy(() -> manager.report("paymnts", Health.DOWN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown component 'paymnts'");
    assertThatThrownBy(() -> manager.report("recommendations", Health.DOWN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'recommendations' is a feature, not a component: only components report"
            + " health and have a blast radius");
    assertThatThrownBy(() -> manager.report(null, Health.DOWN)).hasMessage("component");
    assertThatThrownBy(() -> manager.report("payments", null)).hasMessage("health");
    assertThat(manager.severity()).isEqualTo(Severity.NORMAL);
  }

  @Test
  void queries_unknownName_throwNamingIt() {
    CascadeManager manager = manager();

    assertThatThrownBy(() -> manager.isEnabled("recomendations"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown feature or component 'recomendations'");
    assertThatThrownBy(() -> manager.feature("nope"))
        .hasMessage("unknown feature or component 'nope'");
    assertThatThrownBy(() -> manager.onChange("nope", change -> {}))
        .hasMessage("unknown feature or component 'nope'");
    assertThatThrownBy(() -> manager.isEnabled(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> manager.blastRadius("recommendations"))
        .hasMessageStartingWith("'recommendations' is a feature, not a component");
    assertThatThrownBy(() -> manager.health("nope")).hasMessage("unknown component 'nope'");
    assertThatThrownBy(() -> manager.admit(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void register_duplicateName_throwsNamingBothRegistrations() {
    CascadeManager.Builder builder = CascadeManager.builder().component("payments", Tier.CRITICAL);

    assertThatThrownBy(() -> builder.feature("payments", Tier.STANDARD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate registration: 'payments' is already registered as a component"
            + " (CRITICAL)");
    assertThatThrownBy(() -> builder.component("payments", Tier.CRITICAL))
        .hasMessage("duplicate registration: 'payments' is already registered as a component"
            + " (CRITICAL)");
    builder.feature("search", Tier.STANDARD);
    assertThatThrownBy(() -> builder.component("search", Tier.STANDARD))
        .hasMessage("duplicate registration: 'search' is already registered as a feature"
            + " (STANDARD)");
  }

  @Test
  void build_nameInGraphAndRegistered_throwsNamingIt() {
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("payments", Tier.CRITICAL))
        .build();

    assertThatThrownBy(() -> CascadeManager.builder()
            .graph(graph)
            .feature("payments", Tier.STANDARD)
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate registration: 'payments' is a component of the graph and is also"
            + " registered as a feature");
  }

  @Test
  void register_blankOrNullName_throws() {
    assertThatThrownBy(() -> CascadeManager.builder().feature(" ", Tier.STANDARD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> CascadeManager.builder().component(null, Tier.STANDARD))
        .hasMessage("name");
    assertThatThrownBy(() -> CascadeManager.builder().component("a", null)).hasMessage("tier");
  }

  @Test
  void capacityFactor_outsideZeroToOne_throwsNamingTheValue() {
    CascadeManager.Builder builder = CascadeManager.builder();

    assertThatThrownBy(() -> builder.capacityFactor(Severity.MAJOR, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacityFactor for MAJOR must be in (0, 1], was 1.5");
    assertThatThrownBy(() -> builder.capacityFactor(Severity.MAJOR, 0.0))
        .hasMessage("capacityFactor for MAJOR must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> builder.capacityFactor(Severity.CRITICAL, -0.1))
        .hasMessage("capacityFactor for CRITICAL must be in (0, 1], was -0.1");
    assertThatThrownBy(() -> builder.capacityFactor(Severity.MINOR, Double.NaN))
        .hasMessage("capacityFactor for MINOR must be in (0, 1], was NaN");
    assertThat(builder.capacityFactor(Severity.MAJOR, 1.0).build().mode(Severity.MAJOR)
        .capacityFactor()).isEqualTo(1.0);
  }

  @Test
  void build_capacityRisingWithSeverity_throws() {
    assertThatThrownBy(() -> CascadeManager.builder()
            .capacityFactor(Severity.MINOR, 0.6)
            .capacityFactor(Severity.CRITICAL, 0.8)
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a higher severity must not have a higher capacity factor: MINOR has 0.6,"
            + " CRITICAL has 0.8");
  }

  @Test
  void build_higherSeverityAdmittingMore_throws() {
    assertThatThrownBy(() -> CascadeManager.builder()
            .admitUpTo(Severity.MINOR, Tier.STANDARD)
            .admitUpTo(Severity.MAJOR, Tier.ENHANCED)
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a higher severity must not admit a tier a lower one sheds: MINOR admits up"
            + " to STANDARD, MAJOR admits up to ENHANCED");
  }

  @Test
  void build_defaultsLeftAlone_giveWayToExplicitSettings() {
    CascadeManager manager = CascadeManager.builder()
        .admitUpTo(Severity.MINOR, Tier.CRITICAL)
        .capacityFactor(Severity.NORMAL, 0.9)
        .capacityFactor(Severity.MAJOR, 0.5)
        .build();

    assertThat(manager.mode(Severity.MAJOR).leastImportantAdmitted()).isEqualTo(Tier.CRITICAL);
    assertThat(manager.mode(Severity.MINOR).capacityFactor()).isEqualTo(0.9);
    assertThat(manager.mode(Severity.CRITICAL).capacityFactor()).isEqualTo(0.5);

    CascadeManager lenient = CascadeManager.builder()
        .admitUpTo(Severity.CRITICAL, Tier.STANDARD)
        .capacityFactor(Severity.CRITICAL, 0.8)
        .build();

    assertThat(lenient.mode(Severity.MINOR).leastImportantAdmitted()).isEqualTo(Tier.STANDARD);
    assertThat(lenient.mode(Severity.MAJOR).leastImportantAdmitted()).isEqualTo(Tier.STANDARD);
    assertThat(lenient.mode(Severity.MAJOR).capacityFactor()).isEqualTo(0.8);
    assertThat(lenient.mode(Severity.MINOR).capacityFactor()).isEqualTo(1.0);
  }

  @Test
  void cooldown_negative_throwsNamingTheValue() {
    assertThatThrownBy(() -> CascadeManager.builder().cooldown(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cooldown must not be negative, was PT-1S");
    assertThatThrownBy(() -> CascadeManager.builder().cooldown(null)).hasMessage("cooldown");
  }

  @Test
  void cooldown_beyondLongNanos_meansNever() {
    dev.breakglass.core.ManualTicker ticker = new dev.breakglass.core.ManualTicker();
    CascadeManager manager = CascadeManager.builder()
        .component("a", Tier.CRITICAL)
        .ticker(ticker)
        .cooldown(Duration.ofDays(365L * 1000))
        .build();
    manager.report("a", Health.DOWN);
    manager.report("a", Health.UP);

    ticker.advance(Duration.ofDays(365L * 200));

    assertThat(manager.evaluate()).isEqualTo(Severity.MAJOR);
  }

  @Test
  void escalate_upOrMilderDownThanDegraded_throws() {
    assertThatThrownBy(() -> CascadeManager.builder()
            .escalate(Tier.CRITICAL, Health.UP, Severity.MINOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("health must be DEGRADED or DOWN (UP always indicates NORMAL), was UP");
    assertThatThrownBy(() -> CascadeManager.builder()
            .escalate(Tier.ESSENTIAL, Health.DEGRADED, Severity.CRITICAL)
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the rule for ESSENTIAL DOWN (MAJOR) must be at least as severe as the rule"
            + " for ESSENTIAL DEGRADED (CRITICAL)");
  }

  @Test
  void massOutage_negativeThreshold_throws() {
    assertThatThrownBy(() -> CascadeManager.builder().massOutage(-1, Severity.CRITICAL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("moreThan must be >= 0, was -1");
  }

  @Test
  void massOutage_custom_appliesAboveThreshold() {
    CascadeManager manager = CascadeManager.builder()
        .component("a", Tier.CRITICAL)
        .component("b", Tier.ESSENTIAL)
        .massOutage(1, Severity.CRITICAL)
        .build();

    manager.report("a", Health.DOWN);
    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
    manager.report("b", Health.DOWN);
    assertThat(manager.severity()).isEqualTo(Severity.CRITICAL);
  }

  @Test
  void declare_blankOrNull_throws() {
    CascadeManager manager = manager();

    assertThatThrownBy(() -> manager.declare(Severity.MAJOR, " ", "why"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("by must not be blank, was ' '");
    assertThatThrownBy(() -> manager.declare(Severity.MAJOR, "alice", ""))
        .hasMessage("reason must not be blank, was ''");
    assertThatThrownBy(() -> manager.declare(null, "alice", "why")).hasMessage("severity");
    assertThatThrownBy(() -> manager.clearDeclaration("alice", null)).hasMessage("reason");
    assertThat(manager.declaration()).isEmpty();
  }

  @Test
  void builder_isReusable_eachBuildIndependent() {
    CascadeManager.Builder builder = CascadeManager.builder().component("a", Tier.CRITICAL);
    CascadeManager first = builder.build();
    builder.capacityFactor(Severity.MAJOR, 0.5);
    CascadeManager second = builder.build();

    first.report("a", Health.DOWN);

    assertThat(first.severity()).isEqualTo(Severity.MAJOR);
    assertThat(second.severity()).isEqualTo(Severity.NORMAL);
    assertThat(first.mode(Severity.MAJOR).capacityFactor()).isEqualTo(0.6);
    assertThat(second.mode(Severity.MAJOR).capacityFactor()).isEqualTo(0.5);
  }

  @Test
  void events_invalidComponents_throw() {
    Mode normal = manager().mode(Severity.NORMAL);
    assertThatThrownBy(() -> new SeverityChange(normal, normal, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a severity change must change the severity, was NORMAL -> NORMAL");
    assertThatThrownBy(() -> new AdmissionChange("a", Tier.CRITICAL, normal, null, "x"))
        .hasMessage("current");
  }
}
