package dev.breakglass.cascade.degradation;

import static dev.breakglass.testing.Gen.weighted;
import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.cascade.fixtures.RandomDag;
import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.core.Health;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import dev.breakglass.testing.Gen;
import dev.breakglass.testing.Statistics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random signal sequences against a naive reference model: severity is what the model says,
 * escalation is immediate, de-escalation steps one level per cooldown, the admitted set is
 * monotone in severity, and listeners see sheds most expendable first and restorations most
 * important first.
 */
class CascadeManagerPropertiesTest {

  private static final Severity[] SEVERITIES = Severity.values();

  /** One thing that happens to a manager. */
  interface Action {}

  record Report(int component, Health health) implements Action {}

  record Advance(long seconds) implements Action {}

  record Evaluate() implements Action {}

  record Declare(Severity severity) implements Action {}

  record Clear() implements Action {}

  /** Reports, clock advances and evaluations; with declarations, also declare and clear. */
  static Gen<List<Action>> actions(boolean declarations) {
    Gen<Action> report = source -> new Report(
        source.draw(Gen.ints(0, 7)), source.draw(Gen.enums(Health.class)));
    Gen<Action> advance = Gen.longs(0, 40).map(Advance::new);
    Gen<Action> evaluate = Gen.constant(new Evaluate());
    Gen<Action> declare = Gen.enums(Severity.class).map(Declare::new);
    Gen<Action> clear = Gen.constant(new Clear());
    return Gen.frequency(
            weighted(8, report),
            weighted(4, advance),
            weighted(2, evaluate),
            weighted(declarations ? 1 : 0, declare),
            weighted(declarations ? 1 : 0, clear))
        .list(0, 40);
  }

  /** A random graph of up to 8 components, a cooldown, and what happens to the manager. */
  record Scenario(RandomDag dag, long cooldownSeconds, List<Action> actions) {}

  static Gen<Scenario> scenarios(boolean declarations) {
    return source -> new Scenario(source.draw(RandomDag.dags(1, 8, 2)),
        source.draw(Gen.longs(0, 60)), source.draw(actions(declarations)));
  }

  /** The default rules, recomputed from scratch from every component's health. */
  static final class Model {
    final DependencyGraph graph;
    final List<String> names = new ArrayList<>();
    final Health[] health;
    final long cooldownNanos;
    Severity severity = Severity.NORMAL;
    boolean cooling;
    long betterSince;
    Severity declared;

    Model(DependencyGraph graph, long cooldownNanos) {
      this.graph = graph;
      for (Component component : graph.components()) {
        names.add(component.name());
      }
      this.health = new Health[names.size()];
      java.util.Arrays.fill(health, Health.UP);
      this.cooldownNanos = cooldownNanos;
    }

    Severity indicated() {
      Severity result = Severity.NORMAL;
      int importantDown = 0;
      for (int i = 0; i < names.size(); i++) {
        Tier tier = graph.component(names.get(i)).tier(); // declared, not effective
        Health effective = health[i];
        if (effective == Health.UP) {
          for (String dependency : graph.transitiveDependenciesOf(names.get(i))) {
            if (health[names.indexOf(dependency)] == Health.DOWN) {
              effective = Health.DEGRADED;
            }
          }
        }
        Severity rule = effective == Health.UP ? Severity.NORMAL
            : effective == Health.DEGRADED ? Severity.MINOR
            : tier.compareTo(Tier.ESSENTIAL) <= 0 ? Severity.MAJOR : Severity.MINOR;
        result = Severity.worst(result, rule);
        if (health[i] == Health.DOWN && tier.compareTo(Tier.ESSENTIAL) <= 0) {
          importantDown++;
        }
      }
      return importantDown > 3 ? Severity.CRITICAL : result;
    }

    void settle(long now) {
      if (declared != null) {
        severity = declared;
        cooling = false;
        return;
      }
      Severity target = indicated();
      if (target.compareTo(severity) >= 0) {
        severity = target;
        cooling = false;
        return;
      }
      if (!cooling) {
        cooling = true;
        betterSince = now;
      }
      if (now - betterSince >= cooldownNanos) {
        severity = severity.deescalated();
        cooling = target.compareTo(severity) < 0;
        betterSince = now;
      }
    }
  }

  /** A severity change seen by a listener, with the ticker reading when it was delivered. */
  record Seen(Severity from, Severity to, long at) {}

  private static void apply(Action action, CascadeManager manager, Model model,
      ManualTicker ticker) {
    if (action instanceof Report) {
      Report report = (Report) action;
      int component = report.component() % model.names.size();
      model.health[component] = report.health();
      manager.report(model.names.get(component), report.health());
      model.settle(ticker.read());
    } else if (action instanceof Advance) {
      ticker.advance(Duration.ofSeconds(((Advance) action).seconds()));
    } else if (action instanceof Evaluate) {
      manager.evaluate();
      model.settle(ticker.read());
    } else if (action instanceof Declare) {
      Severity severity = ((Declare) action).severity();
      manager.declare(severity, "tester", "property");
      model.declared = severity;
      model.settle(ticker.read());
    } else {
      boolean cleared = manager.clearDeclaration("tester", "property");
      assertThat(cleared).isEqualTo(model.declared != null);
      if (cleared) {
        model.declared = null;
        model.settle(ticker.read());
      }
    }
  }

  @Test
  void severity_matchesReferenceModel() {
    forAll(scenarios(true)).tries(1000).check(scenario -> {
      DependencyGraph graph = scenario.dag().graph();
      long cooldownSeconds = scenario.cooldownSeconds();
      List<Action> actions = scenario.actions();
      ManualTicker ticker = new ManualTicker();
      long cooldown = Duration.ofSeconds(cooldownSeconds).toNanos();
      CascadeManager manager = CascadeManager.builder()
          .graph(graph).ticker(ticker).cooldown(Duration.ofNanos(cooldown)).build();
      Model model = new Model(graph, cooldown);

      Severity worst = Severity.NORMAL;
      int stepsDown = 0;
      for (Action action : actions) {
        Severity before = manager.severity();
        apply(action, manager, model, ticker);
        assertThat(manager.severity()).as("after %s", action).isEqualTo(model.severity);
        assertThat(manager.mode()).isSameAs(manager.mode(model.severity));
        worst = Severity.worst(worst, manager.severity());
        stepsDown += before.isWorseThan(manager.severity()) ? 1 : 0;
      }
      Statistics.collect("worst severity reached", worst);
      Statistics.collect("steps down", Math.min(stepsDown, 3) + (stepsDown >= 3 ? "+" : ""));
    });
  }

  @Test
  void severity_escalatesAtOnce_andDropsAtMostOneLevelPerCooldown() {
    forAll(scenarios(false)).tries(1000).check(scenario -> {
      DependencyGraph graph = scenario.dag().graph();
      long cooldownSeconds = scenario.cooldownSeconds();
      List<Action> actions = scenario.actions();
      ManualTicker ticker = new ManualTicker();
      long cooldown = Duration.ofSeconds(cooldownSeconds).toNanos();
      CascadeManager manager = CascadeManager.builder()
          .graph(graph).ticker(ticker).cooldown(Duration.ofNanos(cooldown)).build();
      Model model = new Model(graph, cooldown);
      List<Seen> seen = new ArrayList<>();
      manager.onSeverityChange(change -> seen.add(new Seen(
          change.previous().severity(), change.current().severity(), ticker.read())));

      for (Action action : actions) {
        Severity before = manager.severity();
        apply(action, manager, model, ticker);
        Severity indicated = model.indicated();
        if (indicated.isWorseThan(before)) {
          assertThat(manager.severity()).as("escalation after %s is immediate", action)
              .isEqualTo(indicated);
        }
        assertThat(manager.severity()).as("never below what the rules indicate")
            .isGreaterThanOrEqualTo(indicated);
      }

      long lastDrop = Long.MIN_VALUE;
      long lastRise = Long.MIN_VALUE;
      for (Seen change : seen) {
        if (change.to().isWorseThan(change.from())) {
          lastRise = change.at();
          continue;
        }
        assertThat(change.from().ordinal() - change.to().ordinal()).as("one level per step")
            .isEqualTo(1);
        if (lastDrop != Long.MIN_VALUE) {
          assertThat(change.at() - lastDrop).as("steps down are a cooldown apart")
              .isGreaterThanOrEqualTo(cooldown);
        }
        if (lastRise != Long.MIN_VALUE) {
          assertThat(change.at() - lastRise).as("no drop within a cooldown of a rise")
              .isGreaterThanOrEqualTo(cooldown);
        }
        lastDrop = change.at();
      }
    });
  }

  /**
   * Per severity: an explicit least important admitted tier (an ordinal; -1: the default), and
   * an explicit capacity factor (-1: the default).
   */
  record Ladder(List<Integer> admitSettings, List<Double> capacitySettings) {}

  @Test
  void admittedSet_isMonotoneInSeverity() {
    Gen<Ladder> ladders = source -> new Ladder(
        source.draw(Gen.ints(-1, 3).list(SEVERITIES.length)),
        source.draw(Gen.of(-1.0, 0.25, 0.5, 0.6, 1.0).list(SEVERITIES.length)));

    forAll(ladders).tries(1000).check(ladder -> {
      List<Integer> admitSettings = ladder.admitSettings();
      List<Double> capacitySettings = ladder.capacitySettings();
      CascadeManager.Builder builder = CascadeManager.builder();
      Tier[] explicitTiers = new Tier[SEVERITIES.length];
      Double[] explicitFactors = new Double[SEVERITIES.length];
      for (int s = 0; s < SEVERITIES.length; s++) {
        int tier = admitSettings.get(s);
        if (tier >= 0) {
          explicitTiers[s] = Tier.values()[tier];
          builder.admitUpTo(SEVERITIES[s], explicitTiers[s]);
        }
        double factor = capacitySettings.get(s);
        if (factor > 0) {
          explicitFactors[s] = factor;
          builder.capacityFactor(SEVERITIES[s], factor);
        }
      }

      CascadeManager manager;
      try {
        manager = builder.build();
      } catch (IllegalArgumentException rejected) {
        assertThat(explicitlyNonMonotone(explicitTiers, explicitFactors))
            .as("rejected only when explicit settings contradict each other: %s", rejected)
            .isTrue();
        return;
      }
      for (int low = 0; low < SEVERITIES.length; low++) {
        Mode lower = manager.mode(SEVERITIES[low]);
        if (explicitTiers[low] != null) {
          assertThat(lower.leastImportantAdmitted()).isEqualTo(explicitTiers[low]);
        }
        if (explicitFactors[low] != null) {
          assertThat(lower.capacityFactor()).isEqualTo(explicitFactors[low]);
        }
        for (int high = low + 1; high < SEVERITIES.length; high++) {
          Mode higher = manager.mode(SEVERITIES[high]);
          assertThat(higher.capacityFactor()).isLessThanOrEqualTo(lower.capacityFactor());
          for (Tier tier : Tier.values()) {
            if (higher.admits(tier)) {
              assertThat(lower.admits(tier))
                  .as("%s admits %s, so %s must", higher.severity(), tier, lower.severity())
                  .isTrue();
            }
          }
        }
      }
      for (Severity severity : SEVERITIES) {
        manager.declare(severity, "tester", "ladder walk");
        for (Tier tier : Tier.values()) {
          assertThat(manager.admit(tier)).isEqualTo(manager.mode(severity).admits(tier));
        }
        assertThat(manager.capacityFactor()).isEqualTo(manager.mode(severity).capacityFactor());
      }
    });
  }

  private static boolean explicitlyNonMonotone(Tier[] tiers, Double[] factors) {
    for (int low = 0; low < SEVERITIES.length; low++) {
      for (int high = low + 1; high < SEVERITIES.length; high++) {
        if (tiers[low] != null && tiers[high] != null && tiers[high].compareTo(tiers[low]) > 0) {
          return true;
        }
        if (factors[low] != null && factors[high] != null && factors[high] > factors[low]) {
          return true;
        }
      }
    }
    return false;
  }

  /** A random graph of up to 8 components and what happens to the manager. */
  record Signals(RandomDag dag, List<Action> actions) {}

  @Test
  void listeners_shedMostExpendableFirst_restoreMostImportantFirst() {
    Gen<Signals> signals = source -> new Signals(
        source.draw(RandomDag.dags(1, 8, 2)), source.draw(actions(true)));

    forAll(signals).tries(1000).check(scenario -> {
      DependencyGraph graph = scenario.dag().graph();
      List<Action> actions = scenario.actions();
      ManualTicker ticker = new ManualTicker();
      CascadeManager.Builder builder = CascadeManager.builder()
          .graph(graph).ticker(ticker).cooldown(Duration.ofSeconds(15));
      for (Tier tier : Tier.values()) {
        builder.feature("feature-" + tier, tier);
      }
      CascadeManager manager = builder.build();
      List<Object> calls = new ArrayList<>();
      manager.onSeverityChange(calls::add);
      List<String> everyName = new ArrayList<>();
      graph.components().forEach(component -> everyName.add(component.name()));
      for (Tier tier : Tier.values()) {
        everyName.add("feature-" + tier);
      }
      for (String name : everyName) {
        manager.onChange(name, calls::add);
      }
      Model model = new Model(graph, Duration.ofSeconds(15).toNanos());

      for (Action action : actions) {
        apply(action, manager, model, ticker);
      }

      SeverityChange current = null;
      Set<String> notified = new HashSet<>();
      int lastTier = -1;
      for (Object call : calls) {
        if (call instanceof SeverityChange) {
          if (current != null) {
            assertThat(notified).isEqualTo(expectedNotified(manager, everyName, current));
          }
          current = (SeverityChange) call;
          notified.clear();
          lastTier = current.isEscalation() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
          continue;
        }
        AdmissionChange change = (AdmissionChange) call;
        assertThat(current).isNotNull();
        assertThat(change.previous()).isSameAs(current.previous());
        assertThat(change.current()).isSameAs(current.current());
        int tier = change.tier().ordinal();
        if (current.isEscalation()) {
          assertThat(tier).as("degrading: ENHANCED -> STANDARD -> ESSENTIAL -> CRITICAL")
              .isLessThanOrEqualTo(lastTier);
          assertThat(change.isRestored()).isFalse();
        } else {
          assertThat(tier).as("restoring: CRITICAL -> ESSENTIAL -> STANDARD -> ENHANCED")
              .isGreaterThanOrEqualTo(lastTier);
          assertThat(change.isShed()).isFalse();
        }
        lastTier = tier;
        assertThat(notified.add(change.name())).as("one call per change").isTrue();
      }
      if (current != null) {
        assertThat(notified).isEqualTo(expectedNotified(manager, everyName, current));
      }
    });
  }

  private static Set<String> expectedNotified(
      CascadeManager manager, List<String> names, SeverityChange change) {
    Set<String> expected = new HashSet<>();
    for (String name : names) {
      Tier tier = manager.feature(name).tier();
      boolean before = change.previous().admits(tier);
      boolean after = change.current().admits(tier);
      if (before != after || (after
          && change.previous().capacityFactor() != change.current().capacityFactor())) {
        expected.add(name);
      }
    }
    return expected;
  }

  /** A capacity factor (any double) and a negative cooldown. */
  record BadConfiguration(double factor, long nanos) {}

  @Test
  void badConfiguration_isRejected() {
    Gen<BadConfiguration> configurations = source -> new BadConfiguration(
        source.draw(Gen.doubles()), source.draw(Gen.longs(Long.MIN_VALUE, -1)));

    forAll(configurations).tries(200).check(configuration -> {
      double factor = configuration.factor();
      long nanos = configuration.nanos();
      if (!(factor > 0 && factor <= 1)) {
        assertThatThrownBy(() -> CascadeManager.builder().capacityFactor(Severity.MAJOR, factor))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("was " + factor);
      } else {
        assertThat(CascadeManager.builder().capacityFactor(Severity.NORMAL, factor).build()
            .mode(Severity.NORMAL).capacityFactor()).isEqualTo(factor);
      }
      assertThatThrownBy(() -> CascadeManager.builder().cooldown(Duration.ofNanos(nanos)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("cooldown must not be negative, was ");
    });
  }
}
