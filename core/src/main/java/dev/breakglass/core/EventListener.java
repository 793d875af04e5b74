package dev.breakglass.core;

/**
 * Receives events of type {@code E}.
 *
 * <p>Listeners are called synchronously, on the thread that caused the event (a breaker's
 * caller, a thread reporting health), so they should be quick and must not block. A listener
 * that throws is reported to the owner's {@link ListenerErrorHandler} and does not stop the
 * other listeners or the caller; see {@link Listeners}.
 *
 * @param <E> the type of event
 */
@FunctionalInterface
public interface EventListener<E> {

  /**
   * Called once for each event published while this listener is registered.
   *
   * @param event the event, never null
   */
  void onEvent(E event);
}
