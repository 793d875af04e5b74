package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a service may do at one {@link Severity}: which tiers of work it admits and the
 * capacity factor pools and limiters shrink to.
 *
 * <p>A {@link CascadeManager} computes one mode per severity when it is built (its
 * <em>shedding ladder</em>) and swaps the current one atomically, so a mode read once is a
 * consistent view: its admitted tiers and its capacity factor always belong to the same
 * severity. Read {@link CascadeManager#mode()} once and ask it several questions when the
 * answers must agree with each other.
 *
 * <p>Admitted tiers always form a prefix of the tier order: if a mode admits
 * {@link Tier#STANDARD}, it admits {@link Tier#ESSENTIAL} and {@link Tier#CRITICAL} too.
 *
 * <p>Immutable and thread-safe.
 */
public final class Mode {

  /*
   * A class, not a record: it carries `limit`, the ordinal of the least important admitted
   * tier, which admit() and Feature.isEnabled() compare against in one load, and only a
   * manager creates modes (one per severity, when it is built), so the constructor stays
   * package-private.
   */

  private final Severity severity;
  private final Tier leastImportantAdmitted;
  private final double capacityFactor;
  /** The ordinal of {@link #leastImportantAdmitted}: admitted tiers have an ordinal <= it. */
  final int limit;

  Mode(Severity severity, Tier leastImportantAdmitted, double capacityFactor) {
    this.severity = Objects.requireNonNull(severity, "severity");
    this.leastImportantAdmitted =
        Objects.requireNonNull(leastImportantAdmitted, "leastImportantAdmitted");
    this.capacityFactor = capacityFactor;
    this.limit = leastImportantAdmitted.ordinal();
  }

  /**
   * Returns the severity this mode belongs to.
   *
   * @return the severity
   */
  public Severity severity() {
    return severity;
  }

  /**
   * Tells whether work of the given tier is admitted in this mode.
   *
   * @param tier the tier of the work
   * @return {@code true} if the tier is admitted, {@code false} if it is shed
   * @throws NullPointerException if {@code tier} is null
   */
  public boolean admits(Tier tier) {
    return tier.ordinal() <= limit;
  }

  /**
   * Returns the least important tier this mode admits; every more important tier is admitted
   * as well, every less important one is shed.
   *
   * @return the least important admitted tier
   */
  public Tier leastImportantAdmitted() {
    return leastImportantAdmitted;
  }

  /**
   * Returns the admitted tiers.
   *
   * @return a new set of the admitted tiers, most important first
   */
  public Set<Tier> admittedTiers() {
    return EnumSet.range(Tier.CRITICAL, leastImportantAdmitted);
  }

  /**
   * Returns the share of their normal capacity that pools, limiters and queues should run at
   * in this mode.
   *
   * @return a factor in {@code (0, 1]}; {@code 1.0} means full capacity
   */
  public double capacityFactor() {
    return capacityFactor;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Mode that
        && that.severity == severity
        && that.leastImportantAdmitted == leastImportantAdmitted
        && Double.compare(that.capacityFactor, capacityFactor) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(severity, leastImportantAdmitted, capacityFactor);
  }

  /**
   * Describes the mode, e.g. {@code "MAJOR: admits CRITICAL..ESSENTIAL, capacity 0.6"}.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    String admitted = leastImportantAdmitted == Tier.CRITICAL
        ? "CRITICAL"
        : "CRITICAL.." + leastImportantAdmitted;
    return severity + ": admits " + admitted + ", capacity " + capacityFactor;
  }
}
