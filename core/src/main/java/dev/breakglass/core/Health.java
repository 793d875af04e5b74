package dev.breakglass.core;

import java.util.Objects;

/**
 * What a component reports about itself: {@link #UP}, {@link #DEGRADED} or {@link #DOWN}.
 *
 * <p>The declaration order is the order of badness: {@code UP < DEGRADED < DOWN} in
 * {@link #compareTo}. A circuit breaker maps its state onto health: CLOSED is {@code UP},
 * HALF_OPEN is {@code DEGRADED}, OPEN and FORCED_OPEN are {@code DOWN}.
 */
public enum Health {
  /** Working normally. */
  UP,
  /** Working, but slow, partial or on trial. */
  DEGRADED,
  /** Not working. */
  DOWN;

  /**
   * Tells whether this health is strictly worse than another.
   *
   * @param other the health to compare with
   * @return {@code true} if this health is worse than {@code other}
   * @throws NullPointerException if {@code other} is null
   */
  public boolean isWorseThan(Health other) {
    return compareTo(Objects.requireNonNull(other, "other")) > 0;
  }

  /**
   * Returns the worse of two health values.
   *
   * @param a a health value
   * @param b another health value
   * @return {@code a} if it is at least as bad as {@code b}, otherwise {@code b}
   * @throws NullPointerException if either is null
   */
  public static Health worst(Health a, Health b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    return a.compareTo(b) >= 0 ? a : b;
  }
}
