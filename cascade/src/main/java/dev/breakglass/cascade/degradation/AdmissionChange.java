package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Tier;
import java.util.Objects;

/**
 * The event a {@link CascadeManager} sends to the listeners of one component or feature when
 * what it may do changes: it is shed, it is restored, or (while admitted) its capacity factor
 * changes.
 *
 * <pre>{@code
 * manager.onChange("recommendations", change -> {
 *   if (change.isShed()) recommender.pause();
 *   if (change.isRestored()) recommender.resume();
 * });
 * manager.onChange("db-pool", change -> pool.resize((int) (100 * change.capacityFactor())));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the component or feature
 * @param tier its declared tier
 * @param previous the manager's mode before the change
 * @param current the manager's mode after the change
 * @param cause what caused the severity change, naming the signal and the rule
 */
public record AdmissionChange(String name, Tier tier, Mode previous, Mode current, String cause) {

  /**
   * Validates the components.
   *
   * @param name the component or feature
   * @param tier its tier
   * @param previous the mode before the change
   * @param current the mode after the change
   * @param cause what caused the severity change
   *
   * @throws NullPointerException if any component is null
   */
  public AdmissionChange {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(cause, "cause");
  }

  /**
   * Tells whether the component or feature may run now.
   *
   * @return {@code true} if its tier is admitted in the current mode
   */
  public boolean admitted() {
    return current.admits(tier);
  }

  /**
   * Tells whether the component or feature was allowed to run before the change.
   *
   * @return {@code true} if its tier was admitted in the previous mode
   */
  public boolean wasAdmitted() {
    return previous.admits(tier);
  }

  /**
   * Tells whether this change sheds the component or feature.
   *
   * @return {@code true} if it was admitted and no longer is
   */
  public boolean isShed() {
    return wasAdmitted() && !admitted();
  }

  /**
   * Tells whether this change restores the component or feature.
   *
   * @return {@code true} if it was shed and is admitted again
   */
  public boolean isRestored() {
    return !wasAdmitted() && admitted();
  }

  /**
   * Returns the capacity factor of the current mode, for pools and limiters to resize to.
   *
   * @return a factor in {@code (0, 1]}
   */
  public double capacityFactor() {
    return current.capacityFactor();
  }
}
