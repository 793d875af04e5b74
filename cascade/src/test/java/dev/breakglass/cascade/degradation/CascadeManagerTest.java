package dev.breakglass.cascade.degradation;

import static dev.breakglass.core.Health.DEGRADED;
import static dev.breakglass.core.Health.DOWN;
import static dev.breakglass.core.Health.UP;
import static dev.breakglass.cascade.fixtures.TestGraphs.shop;
import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CascadeManagerTest {

  private final ManualTicker ticker = new ManualTicker();
  private final IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();

  private CascadeManager.Builder shopBuilder() {
    return CascadeManager.builder()
        .graph(shop())
        .feature("suggestions", Tier.STANDARD)
        .feature("prefetch", Tier.ENHANCED)
        .ticker(ticker)
        .journal(journal);
  }

  private List<String> journalDetails(String kind) {
    List<String> details = new ArrayList<>();
    for (JournalEntry entry : journal.entries()) {
      if (entry.kind().equals(kind)) {
        details.add(entry.detail());
      }
    }
    return details;
  }

  @Test
  void defaults_ladder_shedsFromLeastImportantTierUp() {
    CascadeManager manager = CascadeManager.builder().build();

    assertThat(manager.mode(Severity.NORMAL).admittedTiers()).containsExactly(Tier.values());
    assertThat(manager.mode(Severity.MINOR).admittedTiers())
        .containsExactly(Tier.CRITICAL, Tier.ESSENTIAL, Tier.STANDARD);
    assertThat(manager.mode(Severity.MAJOR).admittedTiers())
        .containsExactly(Tier.CRITICAL, Tier.ESSENTIAL);
    assertThat(manager.mode(Severity.CRITICAL).admittedTiers()).containsExactly(Tier.CRITICAL);
    assertThat(manager.mode(Severity.NORMAL).capacityFactor()).isEqualTo(1.0);
    assertThat(manager.mode(Severity.MINOR).capacityFactor()).isEqualTo(1.0);
    assertThat(manager.mode(Severity.MAJOR).capacityFactor()).isEqualTo(0.6);
    assertThat(manager.mode(Severity.CRITICAL).capacityFactor()).isEqualTo(0.6);
    assertThat(manager.mode(Severity.MAJOR))
        .hasToString("MAJOR: admits CRITICAL..ESSENTIAL, capacity 0.6");
    assertThat(manager.mode(Severity.CRITICAL))
        .hasToString("CRITICAL: admits CRITICAL, capacity 0.6");
  }

  @Test
  void build_noSignals_isNormalAndAdmitsEverything() {
    CascadeManager manager = shopBuilder().build();

    assertThat(manager.severity()).isEqualTo(Severity.NORMAL);
    assertThat(manager.mode()).isSameAs(manager.mode(Severity.NORMAL));
    for (Tier tier : Tier.values()) {
      assertThat(manager.admit(tier)).isTrue();
    }
    assertThat(manager.isEnabled("prefetch")).isTrue();
    assertThat(manager.capacityFactor()).isEqualTo(1.0);
    assertThat(manager.health("payments")).isEqualTo(UP);
    assertThat(manager.declaration()).isEmpty();
    assertThat(manager).hasToString("CascadeManager[NORMAL, 7 components, 2 features]");
    assertThat(journal.entries()).isEmpty();
  }

  @Test
  void report_criticalDown_escalatesToMajorAtOnceAndJournalsSignalAndRule() {
    CascadeManager manager = shopBuilder().build();

    manager.report("payments", DOWN);

    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
    assertThat(manager.admit(Tier.ESSENTIAL)).isTrue();
    assertThat(manager.admit(Tier.STANDARD)).isFalse();
    assertThat(manager.isEnabled("suggestions")).isFalse();
    assertThat(manager.feature("prefetch").isEnabled()).isFalse();
    assertThat(manager.isEnabled("checkout")).isTrue();
    assertThat(manager.capacityFactor()).isEqualTo(0.6);
    assertThat(journalDetails("severity")).containsExactly(
        "NORMAL -> MAJOR: payments (CRITICAL) DOWN, rule critical-down; capacity 1.0 -> 0.6");
    assertThat(journalDetails("shed")).containsExactly(
        "ENHANCED shed at MAJOR: analytics, prefetch",
        "STANDARD shed at MAJOR: recommendations, cache, suggestions");
  }

  @Test
  void report_essentialDown_escalatesToMajor() {
    CascadeManager manager =
        CascadeManager.builder().component("inventory", Tier.ESSENTIAL).build();

    manager.report("inventory", DOWN);

    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
  }

  @Test
  void report_standardOrEnhancedDownOrAnythingDegraded_escalatesToMinor() {
    CascadeManager manager = CascadeManager.builder()
        .component("search", Tier.STANDARD)
        .component("analytics", Tier.ENHANCED)
        .component("payments", Tier.CRITICAL)
        .ticker(ticker)
        .cooldown(Duration.ZERO)
        .build();

    manager.report("search", DOWN);
    assertThat(manager.severity()).isEqualTo(Severity.MINOR);
    manager.report("search", UP);
    assertThat(manager.severity()).isEqualTo(Severity.NORMAL);

    manager.report("analytics", DOWN);
    assertThat(manager.severity()).isEqualTo(Severity.MINOR);
    manager.report("analytics", UP);

    manager.report("payments", DEGRADED);
    assertThat(manager.severity()).isEqualTo(Severity.MINOR);
    assertThat(manager.admit(Tier.ENHANCED)).isFalse();
    assertThat(manager.admit(Tier.STANDARD)).isTrue();
  }

  @Test
  void report_moreThanThreeCriticalOrEssentialDown_escalatesToCritical() {
    CascadeManager manager = CascadeManager.builder()
        .component("a", Tier.CRITICAL)
        .component("b", Tier.CRITICAL)
        .component("c", Tier.ESSENTIAL)
        .component("d", Tier.ESSENTIAL)
        .component("e", Tier.STANDARD)
        .journal(journal)
        .build();

    manager.report("a", DOWN);
    manager.report("b", DOWN);
    manager.report("c", DOWN);
    manager.report("e", DOWN); // STANDARD does not count
    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);

    manager.report("d", DOWN);

    assertThat(manager.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(manager.mode().admittedTiers()).containsExactly(Tier.CRITICAL);
    assertThat(journalDetails("severity")).last().isEqualTo(
        "MAJOR -> CRITICAL: 4 CRITICAL/ESSENTIAL components DOWN (more than 3): a, b, c, d,"
            + " rule mass-outage");
  }

  /**
   * Regression: the mass-outage rule counted DOWN components of a tier whose DOWN rule had been
   * set to NORMAL, which escalate() documents as ignoring that tier's health.
   */
  @Test
  void report_massOutage_ignoresTiersWhoseDownRuleIsNormal() {
    CascadeManager manager = CascadeManager.builder()
        .component("a", Tier.CRITICAL)
        .component("b", Tier.ESSENTIAL)
        .component("c", Tier.ESSENTIAL)
        .escalate(Tier.ESSENTIAL, DEGRADED, Severity.NORMAL)
        .escalate(Tier.ESSENTIAL, DOWN, Severity.NORMAL)
        .massOutage(1, Severity.CRITICAL)
        .journal(journal)
        .build();

    manager.report("b", DOWN);
    manager.report("c", DOWN);
    assertThat(manager.severity()).isEqualTo(Severity.NORMAL);

    manager.report("a", DOWN);
    assertThat(manager.severity()).isEqualTo(Severity.MAJOR); // critical-down only: 1 counts
  }

  @Test
  void report_downComponent_marksBlastRadiusAtRiskForTheRules() {
    CascadeManager manager = CascadeManager.builder()
        .graph(shop())
        .escalate(Tier.ENHANCED, DEGRADED, Severity.NORMAL) // analytics does not matter ...
        .escalate(Tier.ENHANCED, DOWN, Severity.NORMAL)
        .escalate(Tier.CRITICAL, DEGRADED, Severity.MAJOR) // ... but a CRITICAL at risk does
        .escalate(Tier.CRITICAL, DOWN, Severity.MAJOR)
        .journal(journal)
        .build();

    assertThat(manager.blastRadius("payments")).containsExactly("checkout", "http");
    assertThat(manager.blastRadius("cache")).containsExactly("checkout", "http", "recommendations");
    assertThat(manager.blastRadius("analytics")).isEmpty();

    manager.report("analytics", DOWN);
    assertThat(manager.severity()).isEqualTo(Severity.NORMAL);

    manager.report("inventory", DEGRADED); // ESSENTIAL degraded: MINOR by the default rule
    assertThat(manager.severity()).isEqualTo(Severity.MINOR);
    manager.report("cache", DOWN); // STANDARD, but it puts checkout and http (CRITICAL) at risk
    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
    assertThat(journalDetails("severity")).containsExactly(
        "NORMAL -> MINOR: inventory (ESSENTIAL) DEGRADED, rule essential-degraded",
        "MINOR -> MAJOR: http (CRITICAL) at risk: depends on cache (DOWN), rule critical-degraded;"
            + " capacity 1.0 -> 0.6");
  }

  @Test
  void report_atRiskDependent_isNamedWithItsDownDependency() {
    CascadeManager manager = CascadeManager.builder()
        .graph(DependencyGraph.builder()
            .add(Component.of("web", Tier.STANDARD), "db")
            .add(Component.of("db", Tier.STANDARD))
            .build())
        .escalate(Tier.STANDARD, DOWN, Severity.MINOR)
        .escalate(Tier.STANDARD, DEGRADED, Severity.MINOR)
        .journal(journal)
        .build();

    manager.report("web", UP);
    manager.report("db", DOWN);

    assertThat(manager.severity()).isEqualTo(Severity.MINOR);
    assertThat(journalDetails("severity"))
        .containsExactly("NORMAL -> MINOR: db (STANDARD) DOWN, rule standard-down");
    assertThat(manager.health("web")).isEqualTo(UP);
  }

  @Test
  void report_atRiskIsTheWorstRule_explainsTheAtRiskComponent() {
    CascadeManager manager = CascadeManager.builder()
        .graph(DependencyGraph.builder()
            .add(Component.of("web", Tier.STANDARD), "db")
            .add(Component.of("db", Tier.ESSENTIAL))
            .build())
        .escalate(Tier.ESSENTIAL, DOWN, Severity.MINOR)
        .escalate(Tier.STANDARD, DEGRADED, Severity.MAJOR)
        .escalate(Tier.STANDARD, DOWN, Severity.MAJOR)
        .journal(journal)
        .build();

    manager.report("db", DOWN);

    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
    assertThat(journalDetails("severity")).containsExactly("NORMAL -> MAJOR: web (STANDARD) at"
        + " risk: depends on db (DOWN), rule standard-degraded; capacity 1.0 -> 0.6");
  }

  @Test
  void report_recovery_waitsCooldownAndStepsDownOneLevelPerCooldown() {
    CascadeManager manager = shopBuilder().build();
    manager.report("payments", DOWN);
    manager.report("inventory", DOWN);
    manager.report("http", DOWN);
    manager.report("checkout", DOWN);
    assertThat(manager.severity()).isEqualTo(Severity.CRITICAL);

    for (String name : List.of("payments", "inventory", "http", "checkout")) {
      manager.report(name, UP);
    }
    assertThat(manager.severity()).as("no drop without a cooldown").isEqualTo(Severity.CRITICAL);

    ticker.advance(Duration.ofSeconds(29));
    assertThat(manager.evaluate()).isEqualTo(Severity.CRITICAL);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(manager.evaluate()).isEqualTo(Severity.MAJOR);
    ticker.advance(Duration.ofSeconds(29));
    assertThat(manager.evaluate()).isEqualTo(Severity.MAJOR);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(manager.evaluate()).isEqualTo(Severity.MINOR);
    ticker.advance(Duration.ofHours(1));
    assertThat(manager.evaluate()).as("one level per evaluation").isEqualTo(Severity.NORMAL);

    assertThat(journalDetails("severity")).containsExactly(
        "NORMAL -> MAJOR: payments (CRITICAL) DOWN, rule critical-down; capacity 1.0 -> 0.6",
        "MAJOR -> CRITICAL: 4 CRITICAL/ESSENTIAL components DOWN (more than 3): http, checkout,"
            + " payments, inventory, rule mass-outage",
        "CRITICAL -> MAJOR: cooldown 30.000s of better signals elapsed; rules indicate NORMAL",
        "MAJOR -> MINOR: cooldown 30.000s of better signals elapsed; rules indicate NORMAL;"
            + " capacity 0.6 -> 1.0",
        "MINOR -> NORMAL: cooldown 30.000s of better signals elapsed; rules indicate NORMAL");
    assertThat(journalDetails("restored")).containsExactly(
        "ESSENTIAL restored at MAJOR: inventory",
        "STANDARD restored at MINOR: recommendations, cache, suggestions",
        "ENHANCED restored at NORMAL: analytics, prefetch");
  }

  @Test
  void report_worseSignalDuringCooldown_cancelsTheWait() {
    CascadeManager manager = shopBuilder().build();
    manager.report("payments", DOWN);
    manager.report("payments", UP);
    ticker.advance(Duration.ofSeconds(20));

    manager.report("payments", DOWN); // back to MAJOR's level: the wait starts over
    manager.report("payments", UP);
    ticker.advance(Duration.ofSeconds(20));
    assertThat(manager.evaluate()).isEqualTo(Severity.MAJOR);

    ticker.advance(Duration.ofSeconds(10));
    assertThat(manager.evaluate()).isEqualTo(Severity.MINOR);
  }

  @Test
  void report_betterButNotGoodSignal_keepsTheWaitRunning() {
    CascadeManager manager = shopBuilder().build();
    manager.report("payments", DOWN);
    manager.report("payments", UP);
    ticker.advance(Duration.ofSeconds(20));

    manager.report("analytics", DOWN); // indicates MINOR: still better than MAJOR
    ticker.advance(Duration.ofSeconds(10));
    manager.report("analytics", DOWN); // reports drive the cooldown too

    assertThat(manager.severity()).isEqualTo(Severity.MINOR);
    assertThat(journalDetails("severity")).last().isEqualTo("MAJOR -> MINOR: cooldown 30.000s of"
        + " better signals elapsed; rules indicate MINOR (analytics (ENHANCED) DOWN, rule"
        + " enhanced-down); capacity 0.6 -> 1.0");
    ticker.advance(Duration.ofHours(1));
    assertThat(manager.evaluate()).as("the rules still indicate MINOR").isEqualTo(Severity.MINOR);
  }

  @Test
  void report_sameHealthAgain_changesNothing() {
    CascadeManager manager = shopBuilder().build();
    List<SeverityChange> changes = new ArrayList<>();
    manager.onSeverityChange(changes::add);

    manager.report("payments", DOWN);
    manager.report("payments", DOWN);
    manager.report("payments", DOWN);

    assertThat(changes).hasSize(1);
    assertThat(journal.entries()).hasSize(3); // severity + two shed entries
  }

  @Test
  void report_graphComponent_usesDeclaredTierForSheddingAndRules() {
    CascadeManager manager = shopBuilder().build();

    // cache is declared STANDARD; http and checkout (CRITICAL) depending on it do not promote
    // it: effective tiers order recovery, they do not make work more important
    assertThat(manager.feature("cache").tier()).isEqualTo(Tier.STANDARD);
    manager.report("recommendations", DOWN);
    assertThat(manager.severity()).as("a STANDARD outage is MINOR").isEqualTo(Severity.MINOR);

    manager.report("payments", DOWN);
    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
    assertThat(manager.isEnabled("cache")).as("shed by its declared tier").isFalse();
    assertThat(manager.isEnabled("recommendations")).isFalse();
    assertThat(manager.isEnabled("inventory")).isTrue();
  }

  @Test
  void declare_overridesRulesUntilCleared_andJournalsWhoAndWhy() {
    CascadeManager manager = shopBuilder().build();
    manager.report("payments", DOWN);

    manager.declare(Severity.MINOR, "alice", "payments alerts are a false positive");
    assertThat(manager.severity()).isEqualTo(Severity.MINOR);
    manager.report("inventory", DOWN);
    assertThat(manager.severity()).as("rules are overridden").isEqualTo(Severity.MINOR);
    manager.declare(Severity.CRITICAL, "bob", "drill");
    assertThat(manager.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(manager.declaration()).contains(new Declaration(Severity.CRITICAL, "bob", "drill"));

    assertThat(manager.clearDeclaration("alice", "drill over")).isTrue();
    assertThat(manager.clearDeclaration("alice", "again")).isFalse();
    assertThat(manager.declaration()).isEmpty();
    assertThat(manager.severity()).as("lower rules wait for the cooldown")
        .isEqualTo(Severity.CRITICAL);
    ticker.advance(Duration.ofSeconds(30));
    assertThat(manager.evaluate()).isEqualTo(Severity.MAJOR);

    assertThat(journalDetails("declared")).containsExactly(
        "MINOR declared by alice: payments alerts are a false positive",
        "CRITICAL declared by bob: drill (replaces MINOR declared by alice)");
    assertThat(journalDetails("cleared")).containsExactly(
        "CRITICAL declared by bob cleared by alice: drill over; rules indicate MAJOR");
    assertThat(journalDetails("severity")).containsExactly(
        "NORMAL -> MAJOR: payments (CRITICAL) DOWN, rule critical-down; capacity 1.0 -> 0.6",
        "MAJOR -> MINOR: declared by alice: payments alerts are a false positive;"
            + " capacity 0.6 -> 1.0",
        "MINOR -> CRITICAL: declared by bob: drill; capacity 1.0 -> 0.6",
        "CRITICAL -> MAJOR: cooldown 30.000s of better signals elapsed; rules indicate MAJOR"
            + " (payments (CRITICAL) DOWN, rule critical-down)");
  }

  @Test
  void clearDeclaration_rulesIndicateWorse_escalatesAtOnce() {
    CascadeManager manager = shopBuilder().build();
    manager.declare(Severity.NORMAL, "alice", "maintenance window, alerts expected");
    manager.report("payments", DOWN);
    assertThat(manager.severity()).isEqualTo(Severity.NORMAL);

    manager.clearDeclaration("alice", "maintenance over");

    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
  }

  @Test
  void listeners_degradeMostExpendableFirst_restoreMostImportantFirst() {
    CascadeManager manager = CascadeManager.builder()
        .feature("c1", Tier.CRITICAL)
        .feature("e1", Tier.ENHANCED)
        .component("es1", Tier.ESSENTIAL)
        .feature("s1", Tier.STANDARD)
        .feature("e2", Tier.ENHANCED)
        .ticker(ticker)
        .cooldown(Duration.ZERO)
        .build();
    List<String> calls = new ArrayList<>();
    for (String name : List.of("c1", "e1", "es1", "s1", "e2")) {
      manager.onChange(name, change -> calls.add(change.name() + (change.isShed() ? " shed"
          : change.isRestored() ? " restored" : " capacity " + change.capacityFactor())));
    }
    manager.onSeverityChange(change -> calls.add(change.previous().severity() + "->"
        + change.current().severity()));

    manager.declare(Severity.CRITICAL, "alice", "drill");
    manager.clearDeclaration("alice", "drill over"); // zero cooldown: one step at once
    manager.evaluate();
    manager.evaluate();
    manager.evaluate();

    assertThat(calls).containsExactly(
        "NORMAL->CRITICAL", "e1 shed", "e2 shed", "s1 shed", "es1 shed", "c1 capacity 0.6",
        "CRITICAL->MAJOR", "es1 restored",
        "MAJOR->MINOR", "c1 capacity 1.0", "es1 capacity 1.0", "s1 restored",
        "MINOR->NORMAL", "e1 restored", "e2 restored");
  }

  @Test
  void listeners_eventCarriesModesAndCause() {
    CascadeManager manager = shopBuilder().build();
    List<AdmissionChange> changes = new ArrayList<>();
    manager.feature("suggestions").onChange(changes::add);

    manager.report("payments", DOWN);

    assertThat(changes).singleElement().satisfies(change -> {
      assertThat(change.name()).isEqualTo("suggestions");
      assertThat(change.tier()).isEqualTo(Tier.STANDARD);
      assertThat(change.previous()).isEqualTo(manager.mode(Severity.NORMAL));
      assertThat(change.current()).isEqualTo(manager.mode(Severity.MAJOR));
      assertThat(change.wasAdmitted()).isTrue();
      assertThat(change.admitted()).isFalse();
      assertThat(change.isShed()).isTrue();
      assertThat(change.isRestored()).isFalse();
      assertThat(change.cause()).isEqualTo("payments (CRITICAL) DOWN, rule critical-down");
    });
  }

  @Test
  void listeners_throwing_doNotBreakTheReporterOrOtherListeners() {
    List<Throwable> errors = new ArrayList<>();
    CascadeManager manager = shopBuilder()
        .listenerErrorHandler((owner, listener, event, error) -> errors.add(error))
        .build();
    List<String> calls = new ArrayList<>();
    manager.onChange("analytics", change -> {
      throw new IllegalStateException("boom");
    });
    manager.onChange("prefetch", change -> calls.add("prefetch"));
    manager.onSeverityChange(change -> {
      throw new IllegalStateException("bang");
    });

    manager.report("payments", DOWN);

    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
    assertThat(calls).containsExactly("prefetch");
    assertThat(errors).extracting(Throwable::getMessage).containsExactly("bang", "boom");
  }

  @Test
  void listeners_reportingReentrantly_deliverTheirChangeAfterTheCurrentOne() {
    CascadeManager manager = shopBuilder().build();
    List<String> calls = new ArrayList<>();
    manager.onSeverityChange(change -> calls.add("severity " + change.current().severity()));
    manager.onChange("analytics", change -> {
      calls.add("analytics " + (change.isShed() ? "shed" : "other"));
      if (change.isShed()) {
        manager.report("inventory", DOWN); // no change: already MAJOR
        manager.declare(Severity.CRITICAL, "analytics", "escalating from a listener");
        calls.add("declared");
      }
    });
    manager.onChange("prefetch", change -> calls.add("prefetch " + change.current().severity()));

    manager.report("payments", DOWN);

    assertThat(calls).containsExactly(
        "severity MAJOR", "analytics shed", "declared", "prefetch MAJOR",
        "severity CRITICAL");
    assertThat(manager.severity()).isEqualTo(Severity.CRITICAL);
  }

  @Test
  void onChange_subscriptionClosed_stopsCalls() {
    CascadeManager manager = shopBuilder().cooldown(Duration.ZERO).build();
    List<AdmissionChange> changes = new ArrayList<>();
    var subscription = manager.onChange("analytics", changes::add);

    manager.report("analytics", DOWN);
    subscription.close();
    manager.report("analytics", UP);

    assertThat(changes).hasSize(1);
    assertThat(manager.severity()).isEqualTo(Severity.NORMAL);
  }

  @Test
  void customLadder_isUsedByQueriesAndListeners() {
    CascadeManager manager = CascadeManager.builder()
        .component("db", Tier.CRITICAL)
        .admitUpTo(Severity.MINOR, Tier.ENHANCED)
        .admitUpTo(Severity.MAJOR, Tier.STANDARD)
        .capacityFactor(Severity.MINOR, 0.9)
        .capacityFactor(Severity.MAJOR, 0.5)
        .capacityFactor(Severity.CRITICAL, 0.25)
        .escalate(Tier.CRITICAL, DEGRADED, Severity.MAJOR)
        .build();

    manager.report("db", DEGRADED);

    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
    assertThat(manager.admit(Tier.STANDARD)).isTrue();
    assertThat(manager.admit(Tier.ENHANCED)).isFalse();
    assertThat(manager.capacityFactor()).isEqualTo(0.5);
    assertThat(manager.mode(Severity.CRITICAL).capacityFactor()).isEqualTo(0.25);
  }

  @Test
  void feature_handle_isCachedAndTracksSeverity() {
    CascadeManager manager = shopBuilder().build();
    Feature suggestions = manager.feature("suggestions");

    assertThat(manager.feature("suggestions")).isSameAs(suggestions);
    assertThat(suggestions.name()).isEqualTo("suggestions");
    assertThat(suggestions.isEnabled()).isTrue();
    assertThat(suggestions).hasToString("Feature[suggestions, STANDARD, enabled]");
    manager.declare(Severity.MAJOR, "alice", "test");
    assertThat(suggestions.isEnabled()).isFalse();
    assertThat(suggestions).hasToString("Feature[suggestions, STANDARD, shed]");
  }
}
