package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Health;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;

/**
 * The escalation rules of a {@link CascadeManager}: the severity one component of a tier in a
 * given health indicates, and the mass-outage rule.
 *
 * <p>Not thread-safe while the builder sets it; the manager gets a {@link #validatedCopy()} it never
 * changes, which is then safe to read from any thread that holds the manager's lock.
 */
final class EscalationRules {

  private static final Tier[] TIERS = Tier.values();

  /** By tier ordinal, then health ordinal: the severity indicated. */
  private final Severity[][] rules;
  private int massMoreThan;
  private Severity massSeverity;

  /**
   * The defaults: CRITICAL or ESSENTIAL and DOWN indicate MAJOR, STANDARD or ENHANCED and DOWN
   * indicate MINOR, any tier DEGRADED indicates MINOR, and more than 3 CRITICAL or ESSENTIAL
   * components DOWN indicate CRITICAL.
   */
  EscalationRules() {
    this.rules = new Severity[][] {
        /* CRITICAL  */ {Severity.NORMAL, Severity.MINOR, Severity.MAJOR},
        /* ESSENTIAL */ {Severity.NORMAL, Severity.MINOR, Severity.MAJOR},
        /* STANDARD  */ {Severity.NORMAL, Severity.MINOR, Severity.MINOR},
        /* ENHANCED  */ {Severity.NORMAL, Severity.MINOR, Severity.MINOR},
    };
    this.massMoreThan = 3;
    this.massSeverity = Severity.CRITICAL;
  }

  private EscalationRules(EscalationRules other) {
    this.rules = new Severity[TIERS.length][];
    for (int t = 0; t < TIERS.length; t++) {
      rules[t] = other.rules[t].clone();
    }
    this.massMoreThan = other.massMoreThan;
    this.massSeverity = other.massSeverity;
  }

  /** Sets the rule for a tier in a health other than UP; arguments checked by the builder. */
  void escalate(Tier tier, Health health, Severity severity) {
    rules[tier.ordinal()][health.ordinal()] = severity;
  }

  /** Sets the mass-outage rule; arguments checked by the builder. */
  void massOutage(int moreThan, Severity severity) {
    this.massMoreThan = moreThan;
    this.massSeverity = severity;
  }

  /**
   * Checks the rules against each other and returns a copy for a manager.
   *
   * @throws IllegalArgumentException if a tier's DOWN rule indicates a milder severity than its
   *     DEGRADED rule
   */
  EscalationRules validatedCopy() {
    for (Tier tier : TIERS) {
      Severity degraded = indicates(tier, Health.DEGRADED);
      Severity down = indicates(tier, Health.DOWN);
      if (degraded.isWorseThan(down)) {
        throw new IllegalArgumentException("the rule for " + tier + " DOWN (" + down
            + ") must be at least as severe as the rule for " + tier + " DEGRADED ("
            + degraded + ")");
      }
    }
    return new EscalationRules(this);
  }

  /** The severity one component of {@code tier} in {@code health} indicates. */
  Severity indicates(Tier tier, Health health) {
    return rules[tier.ordinal()][health.ordinal()];
  }

  /** How many CRITICAL or ESSENTIAL components may be DOWN before the mass-outage rule applies. */
  int massMoreThan() {
    return massMoreThan;
  }

  /** The severity the mass-outage rule indicates. */
  Severity massSeverity() {
    return massSeverity;
  }

  /**
   * Whether a DOWN component of {@code tier} counts towards a mass outage: CRITICAL and
   * ESSENTIAL do, unless their DOWN rule ignores them (indicates NORMAL).
   */
  boolean countsForMassOutage(Tier tier) {
    return tier.compareTo(Tier.ESSENTIAL) <= 0 && indicates(tier, Health.DOWN) != Severity.NORMAL;
  }
}
