package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Health;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.util.Arrays;
import java.util.Locale;

/**
 * The health of a cascade manager's components and what the escalation rules make of it.
 *
 * <p>Not thread-safe: every method must be called with the manager's lock held.
 */
final class HealthBoard {

  /*
   * Design: everything is preallocated at build time so that processing a signal allocates
   * nothing. Per component i: the reported health, the number of its transitive dependencies
   * that are DOWN (it is "at risk", i.e. at least DEGRADED for the rules, while that is > 0),
   * and the severity its rule gives, rules[tier][effective health]. A count of components per
   * rule severity, plus the number of DOWN components of CRITICAL/ESSENTIAL tier whose DOWN
   * rule is not NORMAL (a tier whose outages the rules ignore does not count towards a mass
   * outage either), give the severity the rules indicate in O(number of severities).
   *
   * A report that changes a component's DOWN-ness walks its precomputed transitive dependents
   * (the blast radius, sorted indices) and updates their at-risk counts; only a count that
   * crosses zero re-evaluates that dependent's rule. So a signal costs O(1) plus O(blast
   * radius) when DOWN-ness flips, and O(1) otherwise.
   */

  static final String MASS_OUTAGE_RULE = "mass-outage";
  private static final Severity[] SEVERITIES = Severity.values();

  private final String[] names;
  private final Tier[] tiers;
  private final int[][] blastRadius;
  private final EscalationRules rules;
  private final boolean[] massTiers; // by tier ordinal: its DOWN components count

  private final Health[] reported;
  private final int[] downDependencies;
  private final Severity[] ruleSeverity;
  private final int[] severityCounts = new int[SEVERITIES.length];
  private int massDown;

  /**
   * @param names component names by board index
   * @param tiers their declared tiers
   * @param blastRadius each component's transitive dependents, as sorted board indices
   * @param rules the escalation rules, never changed afterwards
   */
  HealthBoard(String[] names, Tier[] tiers, int[][] blastRadius, EscalationRules rules) {
    this.names = names;
    this.tiers = tiers;
    this.blastRadius = blastRadius;
    this.rules = rules;
    this.massTiers = new boolean[Tier.values().length];
    for (Tier tier : Tier.values()) {
      massTiers[tier.ordinal()] = rules.countsForMassOutage(tier);
    }
    int n = names.length;
    this.reported = new Health[n];
    this.downDependencies = new int[n];
    this.ruleSeverity = new Severity[n];
    Arrays.fill(reported, Health.UP);
    for (int i = 0; i < n; i++) {
      ruleSeverity[i] = rules.indicates(tiers[i], Health.UP);
      severityCounts[ruleSeverity[i].ordinal()]++;
    }
  }

  int size() {
    return names.length;
  }

  String name(int i) {
    return names[i];
  }

  Tier tier(int i) {
    return tiers[i];
  }

  int[] blastRadius(int i) {
    return blastRadius[i];
  }

  Health reported(int i) {
    return reported[i];
  }

  Health effective(int i) {
    Health own = reported[i];
    return downDependencies[i] > 0 && own == Health.UP ? Health.DEGRADED : own;
  }

  /**
   * Records a component's reported health.
   *
   * @return {@code true} if it differs from what was reported before
   */
  boolean apply(int i, Health health) {
    Health old = reported[i];
    if (old == health) {
      return false;
    }
    reported[i] = health;
    boolean wasDown = old == Health.DOWN;
    boolean isDown = health == Health.DOWN;
    if (wasDown != isDown) {
      int delta = isDown ? 1 : -1;
      if (countsForMassOutage(i)) {
        massDown += delta;
      }
      for (int dependent : blastRadius[i]) {
        int before = downDependencies[dependent];
        downDependencies[dependent] = before + delta;
        if (before == 0 || before + delta == 0) {
          refreshRule(dependent);
        }
      }
    }
    refreshRule(i);
    return true;
  }

  private boolean countsForMassOutage(int i) {
    return massTiers[tiers[i].ordinal()];
  }

  private void refreshRule(int i) {
    Severity now = rules.indicates(tiers[i], effective(i));
    Severity before = ruleSeverity[i];
    if (now != before) {
      severityCounts[before.ordinal()]--;
      severityCounts[now.ordinal()]++;
      ruleSeverity[i] = now;
    }
  }

  /** The severity the rules indicate for the current health of every component. */
  Severity indicated() {
    Severity result = Severity.NORMAL;
    for (int s = SEVERITIES.length - 1; s > 0; s--) {
      if (severityCounts[s] > 0) {
        result = SEVERITIES[s];
        break;
      }
    }
    if (massDown > rules.massMoreThan() && rules.massSeverity().isWorseThan(result)) {
      result = rules.massSeverity();
    }
    return result;
  }

  /**
   * Explains why the rules indicate {@code target}: names the signal and the rule. Allocates;
   * called only when the severity changes.
   *
   * @param target the severity the rules indicate, worse than NORMAL
   * @param trigger the component whose signal is being processed, or -1
   */
  String explain(Severity target, int trigger) {
    if (massDown > rules.massMoreThan() && rules.massSeverity() == target) {
      StringBuilder down = new StringBuilder();
      for (int i = 0; i < names.length; i++) {
        if (reported[i] == Health.DOWN && countsForMassOutage(i)) {
          down.append(down.length() == 0 ? "" : ", ").append(names[i]);
        }
      }
      return massDown + " CRITICAL/ESSENTIAL components DOWN (more than " + rules.massMoreThan()
          + "): " + down + ", rule " + MASS_OUTAGE_RULE;
    }
    int culprit = -1;
    if (trigger >= 0 && ruleSeverity[trigger] == target) {
      culprit = trigger;
    } else if (trigger >= 0) {
      for (int dependent : blastRadius[trigger]) {
        if (ruleSeverity[dependent] == target) {
          culprit = dependent;
          break;
        }
      }
    }
    if (culprit < 0) {
      for (int i = 0; i < names.length; i++) {
        if (ruleSeverity[i] == target) {
          culprit = i;
          break;
        }
      }
    }
    if (culprit < 0) {
      return "no rule indicates " + target; // unreachable while target comes from indicated()
    }
    return describe(culprit);
  }

  /** Names a component, its tier, its effective health and the rule that applies to it. */
  String describe(int i) {
    Health effective = effective(i);
    StringBuilder text = new StringBuilder(names[i]).append(" (").append(tiers[i]).append(") ");
    if (effective != reported[i]) {
      text.append("at risk: depends on ").append(names[downDependency(i)]).append(" (DOWN)");
    } else {
      text.append(effective);
    }
    return text.append(", rule ").append(ruleName(tiers[i], effective)).toString();
  }

  private int downDependency(int dependent) {
    for (int i = 0; i < names.length; i++) {
      if (reported[i] == Health.DOWN && Arrays.binarySearch(blastRadius[i], dependent) >= 0) {
        return i;
      }
    }
    throw new AssertionError("no DOWN dependency of " + names[dependent]);
  }

  static String ruleName(Tier tier, Health health) {
    return tier.name().toLowerCase(Locale.ROOT) + "-" + health.name().toLowerCase(Locale.ROOT);
  }
}
