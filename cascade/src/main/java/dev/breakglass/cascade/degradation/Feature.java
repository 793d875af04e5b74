package dev.breakglass.cascade.degradation;

import dev.breakglass.core.EventListener;
import dev.breakglass.core.Subscription;
import dev.breakglass.core.Tier;

/**
 * A handle on one feature (or component) of a {@link CascadeManager}: the cheapest way to ask
 * whether it may run.
 *
 * <pre>{@code
 * Feature recommendations = manager.feature("recommendations");
 * ...
 * if (recommendations.isEnabled()) {
 *   page.add(recommender.forUser(user));
 * }
 * }</pre>
 *
 * <p>{@link #isEnabled()} is a single acquire read of the manager's current mode: no hash
 * lookup, no lock, no allocation. Handles are created once per name when the manager is
 * built; {@link CascadeManager#feature(String)} returns the same instance every time.
 *
 * <p>Immutable and thread-safe.
 */
public final class Feature {

  private final CascadeManager manager;
  private final String name;
  private final Tier tier;
  private final int ordinal;

  Feature(CascadeManager manager, String name, Tier tier) {
    this.manager = manager;
    this.name = name;
    this.tier = tier;
    this.ordinal = tier.ordinal();
  }

  /**
   * Returns the name.
   *
   * @return the name the feature or component was registered under
   */
  public String name() {
    return name;
  }

  /**
   * Returns the tier.
   *
   * @return the tier that decides when it is shed
   */
  public Tier tier() {
    return tier;
  }

  /**
   * Tells whether the feature may run at the manager's current severity.
   *
   * @return {@code true} if its tier is admitted right now
   */
  public boolean isEnabled() {
    return ordinal <= manager.currentMode().limit;
  }

  /**
   * Registers a listener called whenever what this feature may do changes; the same as
   * {@link CascadeManager#onChange(String, EventListener) manager.onChange(name(), listener)}.
   *
   * @param listener called with each change
   * @return the subscription that unregisters the listener
   * @throws NullPointerException if {@code listener} is null
   */
  public Subscription onChange(EventListener<? super AdmissionChange> listener) {
    return manager.onChange(name, listener);
  }

  @Override
  public String toString() {
    return "Feature[" + name + ", " + tier + ", " + (isEnabled() ? "enabled" : "shed") + "]";
  }
}
