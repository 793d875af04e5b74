package dev.breakglass.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OrderingsTest {

  @Test
  void severity_declarationOrder_isOrderOfBadness() {
    assertThat(Severity.values())
        .containsExactly(Severity.NORMAL, Severity.MINOR, Severity.MAJOR, Severity.CRITICAL);
    assertThat(Severity.MAJOR.isWorseThan(Severity.MINOR)).isTrue();
    assertThat(Severity.MINOR.isWorseThan(Severity.MAJOR)).isFalse();
    assertThat(Severity.MINOR.isWorseThan(Severity.MINOR)).isFalse();
    assertThat(Severity.worst(Severity.MINOR, Severity.CRITICAL)).isEqualTo(Severity.CRITICAL);
    assertThat(Severity.worst(Severity.MAJOR, Severity.NORMAL)).isEqualTo(Severity.MAJOR);
  }

  @Test
  void severity_escalatedAndDeescalated_stepOneLevelAndSaturate() {
    assertThat(Severity.NORMAL.escalated()).isEqualTo(Severity.MINOR);
    assertThat(Severity.MAJOR.escalated()).isEqualTo(Severity.CRITICAL);
    assertThat(Severity.CRITICAL.escalated()).isEqualTo(Severity.CRITICAL);
    assertThat(Severity.CRITICAL.deescalated()).isEqualTo(Severity.MAJOR);
    assertThat(Severity.MINOR.deescalated()).isEqualTo(Severity.NORMAL);
    assertThat(Severity.NORMAL.deescalated()).isEqualTo(Severity.NORMAL);
  }

  @Test
  void tier_declarationOrder_isMostImportantFirst() {
    assertThat(Tier.values())
        .containsExactly(Tier.CRITICAL, Tier.ESSENTIAL, Tier.STANDARD, Tier.ENHANCED);
    assertThat(Tier.CRITICAL.isMoreImportantThan(Tier.ENHANCED)).isTrue();
    assertThat(Tier.ENHANCED.isMoreImportantThan(Tier.STANDARD)).isFalse();
    assertThat(Tier.STANDARD.isMoreImportantThan(Tier.STANDARD)).isFalse();
    assertThat(Tier.mostImportant(Tier.STANDARD, Tier.ESSENTIAL)).isEqualTo(Tier.ESSENTIAL);
    assertThat(Tier.mostImportant(Tier.CRITICAL, Tier.ENHANCED)).isEqualTo(Tier.CRITICAL);
  }

  @Test
  void health_declarationOrder_isOrderOfBadness() {
    assertThat(Health.values()).containsExactly(Health.UP, Health.DEGRADED, Health.DOWN);
    assertThat(Health.DOWN.isWorseThan(Health.DEGRADED)).isTrue();
    assertThat(Health.UP.isWorseThan(Health.DEGRADED)).isFalse();
    assertThat(Health.worst(Health.UP, Health.DEGRADED)).isEqualTo(Health.DEGRADED);
    assertThat(Health.worst(Health.DOWN, Health.UP)).isEqualTo(Health.DOWN);
  }

  @Test
  void comparisons_null_throwNamingTheParameter() {
    assertThatThrownBy(() -> Severity.MINOR.isWorseThan(null)).hasMessage("other");
    assertThatThrownBy(() -> Tier.STANDARD.isMoreImportantThan(null)).hasMessage("other");
    assertThatThrownBy(() -> Health.UP.isWorseThan(null)).hasMessage("other");
    assertThatThrownBy(() -> Severity.worst(null, Severity.MINOR)).hasMessage("a");
    assertThatThrownBy(() -> Tier.mostImportant(Tier.CRITICAL, null)).hasMessage("b");
  }

  @Test
  void healthChange_sameHealth_isRejected() {
    assertThatThrownBy(() -> new HealthChange("db", Health.UP, Health.UP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a health change must change the health, was UP -> UP for db");
    assertThat(new HealthChange("db", Health.UP, Health.DOWN).current()).isEqualTo(Health.DOWN);
  }
}
