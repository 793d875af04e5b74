package dev.breakglass.cascade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.Health;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

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

  @Provide
  Arbitrary<List<Action>> signals() {
    return actions(false);
  }

  @Provide
  Arbitrary<List<Action>> signalsAndDeclarations() {
    return actions(true);
  }

  private static Arbitrary<List<Action>> actions(boolean declarations) {
    Arbitrary<Action> report = Combinators.combine(
            Arbitraries.integers().between(0, 7), Arbitraries.of(Health.class))
        .as(Report::new);
    Arbitrary<Action> advance = Arbitraries.longs().between(0, 40).map(Advance::new);
    Arbitrary<Action> evaluate = Arbitraries.just(new Evaluate());
    Arbitrary<Action> declare = Arbitraries.of(Severity.class).map(Declare::new);
    Arbitrary<Action> clear = Arbitraries.just(new Clear());
    return Arbitraries.frequencyOf(
            Tuple.of(8, report),
            Tuple.of(4, advance),
            Tuple.of(2, evaluate),
            Tuple.of(declarations ? 1 : 0, declare),
            Tuple.of(declarations ? 1 : 0, clear))
        .list().ofMaxSize(40);
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

  @Property
  void severity_matchesReferenceModel(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 8) int nodes,
      @ForAll @IntRange(min = 0, max = 2) int edgesPerNode,
      @ForAll @LongRange(min = 0, max = 60) long cooldownSeconds,
      @ForAll("signalsAndDeclarations") List<Action> actions) {
    DependencyGraph graph = DependencyGraphPropertiesTest.randomDag(seed, nodes, edgesPerNode);
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
    Statistics.label("worst severity reached").collect(worst);
    Statistics.label("steps down").collect(Math.min(stepsDown, 3) + (stepsDown >= 3 ? "+" : ""));
  }

  @Property
  void severity_escalatesAtOnce_andDropsAtMostOneLevelPerCooldown(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 8) int nodes,
      @ForAll @IntRange(min = 0, max = 2) int edgesPerNode,
      @ForAll @LongRange(min = 0, max = 60) long cooldownSeconds,
      @ForAll("signals") List<Action> actions) {
    DependencyGraph graph = DependencyGraphPropertiesTest.randomDag(seed, nodes, edgesPerNode);
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
  }

  @Property
  void admittedSet_isMonotoneInSeverity(
      @ForAll("ladderSettings") List<Integer> admitSettings,
      @ForAll("capacitySettings") List<Double> capacitySettings) {
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

  @Provide
  Arbitrary<List<Integer>> ladderSettings() {
    return Arbitraries.integers().between(-1, 3).list().ofSize(SEVERITIES.length);
  }

  @Provide
  Arbitrary<List<Double>> capacitySettings() {
    return Arbitraries.of(-1.0, 0.25, 0.5, 0.6, 1.0).list().ofSize(SEVERITIES.length);
  }

  @Property
  void listeners_shedMostExpendableFirst_restoreMostImportantFirst(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 8) int nodes,
      @ForAll @IntRange(min = 0, max = 2) int edgesPerNode,
      @ForAll("signalsAndDeclarations") List<Action> actions) {
    DependencyGraph graph = DependencyGraphPropertiesTest.randomDag(seed, nodes, edgesPerNode);
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

  @Property(tries = 200)
  void badConfiguration_isRejected(
      @ForAll double factor, @ForAll @LongRange(min = Long.MIN_VALUE, max = -1) long nanos) {
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
  }
}
