package dev.breakglass.cascade.degradation;

import dev.breakglass.core.ListenerErrorHandler;
import dev.breakglass.core.Listeners;
import dev.breakglass.core.Tier;

/**
 * A component or feature registered with a {@link CascadeManager}: its name, tier, place on the
 * health board, listeners and handle.
 *
 * <p>Immutable apart from its thread-safe listener list.
 *
 * @param component the component's index on the health board, or -1 for a feature
 */
record Member(
    String name, Tier tier, int component, Listeners<AdmissionChange> listeners, Feature handle) {

  static Member create(CascadeManager manager, String name, Tier tier, int component,
      ListenerErrorHandler errorHandler) {
    return new Member(name, tier, component,
        Listeners.create(CascadeManager.SOURCE + ":" + name, errorHandler),
        new Feature(manager, name, tier));
  }

  boolean isComponent() {
    return component >= 0;
  }
}
