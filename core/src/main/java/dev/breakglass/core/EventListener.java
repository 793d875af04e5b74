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

  /**
   * Gives a listener a name: the returned listener calls {@code listener} and its
   * {@code toString()} is {@code name}, so that a report of its failure names it (a lambda
   * has no name of its own).
   *
   * <pre>{@code
   * breaker.onStateTransition(EventListener.named("pager", event -> pager.page(event)));
   * }</pre>
   *
   * <p>The result is a new listener: to unregister it, close its subscription or remove the
   * returned instance, not {@code listener}.
   *
   * @param name the listener's name in reports, such as {@code "pager"}
   * @param listener the listener to call
   * @param <E> the type of event
   * @return a listener that delegates to {@code listener}, as thread-safe as it is
   * @throws NullPointerException if {@code name} or {@code listener} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  static <E> EventListener<E> named(String name, EventListener<E> listener) {
    return new NamedEventListener<>(name, listener);
  }
}
