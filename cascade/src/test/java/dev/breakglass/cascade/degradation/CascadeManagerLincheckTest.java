package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Health;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import dev.breakglass.testing.Linearizability;
import java.time.Duration;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of the manager's mode and severity: reports, declarations and clearings
 * (the write side, under the manager's lock) against evaluate, severity and admission (the
 * lock-free read side: one acquire read of the current mode). The sequential specification is
 * the manager itself with one operation at a time (Lincheck's default), whose sequential
 * behaviour the manager's property tests check against their reference model; this test
 * checks that concurrent readers never see a mode that no order of the operations produces.
 *
 * <p>Two components, one ESSENTIAL and one STANDARD; a feature of each of the four tiers;
 * no cooldown, and a manual ticker that does not move.
 */
@Param(name = "component", gen = IntGen.class, conf = "0:1")
@Param(name = "health", gen = IntGen.class, conf = "0:2")
@Param(name = "severity", gen = IntGen.class, conf = "0:3")
@Param(name = "tier", gen = IntGen.class, conf = "0:3")
public class CascadeManagerLincheckTest {

  private static final String[] COMPONENTS = {"payments", "search"};

  private final CascadeManager manager = CascadeManager.builder()
      .ticker(new ManualTicker())
      .cooldown(Duration.ZERO)
      .component(COMPONENTS[0], Tier.ESSENTIAL)
      .component(COMPONENTS[1], Tier.STANDARD)
      .feature("critical", Tier.CRITICAL)
      .feature("essential", Tier.ESSENTIAL)
      .feature("standard", Tier.STANDARD)
      .feature("enhanced", Tier.ENHANCED)
      .build();

  /** Creates the manager of one scenario (Lincheck makes one instance per scenario). */
  public CascadeManagerLincheckTest() {}

  /**
   * Reports a component's health.
   *
   * @param component the component's index
   * @param health the health's ordinal
   */
  @Operation
  public void report(@Param(name = "component") int component,
      @Param(name = "health") int health) {
    manager.report(COMPONENTS[component], Health.values()[health]);
  }

  /**
   * Declares a severity.
   *
   * @param severity the severity's ordinal
   */
  @Operation
  public void declare(@Param(name = "severity") int severity) {
    manager.declare(Severity.values()[severity], "on call", "drill");
  }

  /**
   * Clears the declaration.
   *
   * @return whether one was in force
   */
  @Operation
  public boolean clearDeclaration() {
    return manager.clearDeclaration("on call", "drill over");
  }

  /**
   * Re-evaluates the severity.
   *
   * @return the severity in force afterwards
   */
  @Operation
  public Severity evaluate() {
    return manager.evaluate();
  }

  /**
   * Reads the severity.
   *
   * @return the severity in force
   */
  @Operation
  public Severity severity() {
    return manager.severity();
  }

  /**
   * Asks whether a tier is admitted.
   *
   * @param tier the tier's ordinal
   * @return whether it is admitted
   */
  @Operation
  public boolean admit(@Param(name = "tier") int tier) {
    return manager.admit(Tier.values()[tier]);
  }

  /**
   * Asks whether the feature of a tier is enabled.
   *
   * @param tier the tier's ordinal
   * @return whether it is enabled
   */
  @Operation
  public boolean isEnabled(@Param(name = "tier") int tier) {
    return manager.isEnabled(new String[] {"critical", "essential", "standard", "enhanced"}[tier]);
  }

  @Test
  void modeAndSeverity_modelChecked_linearizable() {
    Linearizability.modelChecking(30, 500).check(getClass());
  }

  @Test
  void modeAndSeverity_stressed_linearizable() {
    Linearizability.stress(30, 1_000).check(getClass());
  }
}
