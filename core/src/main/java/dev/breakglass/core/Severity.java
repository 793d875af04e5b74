package dev.breakglass.core;

import java.util.Objects;

/**
 * How bad things are right now, from {@link #NORMAL} to {@link #CRITICAL}.
 *
 * <p>The declaration order is the order of badness: {@code NORMAL < MINOR < MAJOR < CRITICAL},
 * so {@link #compareTo} and {@link #isWorseThan} agree. The cascade manager holds one severity
 * per service and sheds work by {@link Tier} as it rises: each level sheds everything the
 * level below it sheds, and more.
 */
public enum Severity {
  /** All is well; everything is admitted. */
  NORMAL,
  /** Something is degraded; optional work ({@link Tier#ENHANCED}) is deferred. */
  MINOR,
  /** An important dependency is down; only {@link Tier#CRITICAL} and {@link Tier#ESSENTIAL}
   * work runs, at reduced capacity. */
  MAJOR,
  /** Minimal service mode: only {@link Tier#CRITICAL} work runs. */
  CRITICAL;

  private static final Severity[] VALUES = values();

  /**
   * Tells whether this severity is strictly worse than another.
   *
   * @param other the severity to compare with
   * @return {@code true} if this severity is worse than {@code other}
   * @throws NullPointerException if {@code other} is null
   */
  public boolean isWorseThan(Severity other) {
    return compareTo(Objects.requireNonNull(other, "other")) > 0;
  }

  /**
   * Returns the next worse severity, or {@link #CRITICAL} if this is already the worst.
   *
   * @return one level up
   */
  public Severity escalated() {
    return this == CRITICAL ? CRITICAL : VALUES[ordinal() + 1];
  }

  /**
   * Returns the next milder severity, or {@link #NORMAL} if this is already the mildest.
   *
   * @return one level down
   */
  public Severity deescalated() {
    return this == NORMAL ? NORMAL : VALUES[ordinal() - 1];
  }

  /**
   * Returns the worse of two severities.
   *
   * @param a a severity
   * @param b another severity
   * @return {@code a} if it is at least as bad as {@code b}, otherwise {@code b}
   * @throws NullPointerException if either is null
   */
  public static Severity worst(Severity a, Severity b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    return a.compareTo(b) >= 0 ? a : b;
  }
}
