package dev.breakglass.core;

import java.util.Objects;

/**
 * How much a component or feature matters, from {@link #CRITICAL} (the service is worthless
 * without it) to {@link #ENHANCED} (nice to have).
 *
 * <p>The declaration order is the order of importance, most important first:
 * {@code CRITICAL < ESSENTIAL < STANDARD < ENHANCED} in {@link #compareTo}. Recovery starts
 * tiers in this order; degradation sheds them in the reverse order, most expendable first.
 */
public enum Tier {
  /** Without it the service has no purpose (taking payments, serving the core read path). */
  CRITICAL,
  /** Needed for a correct answer, but the service can limp without it for a while
   * (inventory, authentication caches). */
  ESSENTIAL,
  /** Normal functionality users expect but can live without (recommendations, search
   * suggestions). */
  STANDARD,
  /** Extras and background work that can always wait (analytics, prefetching, reports). */
  ENHANCED;

  /**
   * Tells whether this tier is strictly more important than another.
   *
   * @param other the tier to compare with
   * @return {@code true} if this tier comes before {@code other}
   * @throws NullPointerException if {@code other} is null
   */
  public boolean isMoreImportantThan(Tier other) {
    return compareTo(Objects.requireNonNull(other, "other")) < 0;
  }

  /**
   * Returns the more important of two tiers.
   *
   * @param a a tier
   * @param b another tier
   * @return {@code a} if it is at least as important as {@code b}, otherwise {@code b}
   * @throws NullPointerException if either is null
   */
  public static Tier mostImportant(Tier a, Tier b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    return a.compareTo(b) <= 0 ? a : b;
  }
}
