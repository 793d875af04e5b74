package dev.breakglass.core;

import java.util.Objects;

/**
 * The event a {@link HealthSource} publishes when its health changes.
 *
 * @param source the name of the source whose health changed
 * @param previous the health before the change
 * @param current the health after the change; differs from {@code previous}
 */
public record HealthChange(String source, Health previous, Health current) {

  /**
   * Validates the components.
   *
   * @param source the name of the source whose health changed
   * @param previous the health before the change
   * @param current the health after the change
   *
   * @throws NullPointerException if any component is null
   * @throws IllegalArgumentException if {@code previous} equals {@code current}
   */
  public HealthChange {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    if (previous == current) {
      throw new IllegalArgumentException(
          "a health change must change the health, was " + previous + " -> " + current
              + " for " + source);
    }
  }
}
