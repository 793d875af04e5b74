package dev.breakglass.cascade.degradation;

import dev.breakglass.core.ListenerErrorHandler;
import dev.breakglass.core.Listeners;
import dev.breakglass.core.Tier;

/**
 * A component or feature registered with a {@link CascadeManager}: its name, tier, place on the
 * health board, listeners and handle.
 *
 * <p>Immutable apart from its thread-safe listener list.
 */
final class Member {

  final String name;
  final Tier tier;
  /** The component's index on the health board, or -1 for a feature. */
  final int component;
  final Listeners<AdmissionChange> listeners;
  final Feature handle;

  Member(CascadeManager manager, String name, Tier tier, int component,
      ListenerErrorHandler errorHandler) {
    this.name = name;
    this.tier = tier;
    this.component = component;
    this.listeners = Listeners.create(CascadeManager.SOURCE + ":" + name, errorHandler);
    this.handle = new Feature(manager, name, tier);
  }

  boolean isComponent() {
    return component >= 0;
  }
}
