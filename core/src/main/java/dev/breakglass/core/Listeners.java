package dev.breakglass.core;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The listeners of one event source: registration, removal, and failure-isolated publication.
 *
 * <p>This is the plumbing every breakglass module uses for its events. Its contract:
 *
 * <ul>
 *   <li><b>Events cost nothing when nobody listens.</b> {@link #hasListeners()} is a single
 *       volatile read; publishers check it before building an event, so no event object is
 *       allocated on a hot path unless a listener is registered:
 *       <pre>{@code
 * if (listeners.hasListeners()) {
 *   listeners.publish(new StateTransition(name, from, to));
 * }
 * }</pre>
 *   <li><b>Listeners are called in registration order</b>, synchronously, on the publishing
 *       thread.
 *   <li><b>A throwing listener never breaks the caller and is never silently swallowed.</b>
 *       Its exception is handed to the {@link ListenerErrorHandler} (by default logged at
 *       WARNING) and counted in {@link #failureCount()}; the remaining listeners are still
 *       called. A {@link VirtualMachineError} (out of memory, stack overflow) is the one
 *       exception: it is rethrown at once, because the JVM may no longer be able to carry on.
 *   <li><b>Registering is idempotent</b>: adding a listener that is already registered (the
 *       same instance) does not register it twice.
 * </ul>
 *
 * <p>Thread-safe and lock-free: the listeners live in a copy-on-write array replaced by
 * compare-and-set, so publication never blocks and never sees a half-updated list.
 * Registration is expected to be rare compared with publication.
 *
 * @param <E> the type of event published
 */
public final class Listeners<E> {

  /*
   * Design: a copy-on-write array of listeners held in a volatile field. publish() takes one
   * acquire read of the array and iterates its snapshot; add/remove build a new array and
   * install it with compareAndExchange, retrying on a lost race. The retry loop has no side
   * effects besides allocating the candidate array. The failure counter is an AtomicLong:
   * failures are rare and off the hot path.
   */

  private static final VarHandle ARRAY;

  static {
    try {
      ARRAY = MethodHandles.lookup().findVarHandle(Listeners.class, "array", EventListener[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final EventListener<?>[] NONE = new EventListener<?>[0];

  private final String owner;
  private final ListenerErrorHandler errorHandler;
  private final AtomicLong failures = new AtomicLong();

  @SuppressWarnings("unused") // accessed through ARRAY
  private volatile EventListener<?>[] array = NONE;

  private Listeners(String owner, ListenerErrorHandler errorHandler) {
    this.owner = owner;
    this.errorHandler = errorHandler;
  }

  /**
   * Creates an empty set of listeners whose failures are logged by
   * {@link ListenerErrorHandler#logging()}.
   *
   * @param owner the name of the event source, used when reporting a failing listener
   * @param <E> the type of event
   * @return a new, empty set of listeners
   * @throws NullPointerException if {@code owner} is null
   */
  public static <E> Listeners<E> create(String owner) {
    return create(owner, ListenerErrorHandler.logging());
  }

  /**
   * Creates an empty set of listeners whose failures go to the given handler.
   *
   * @param owner the name of the event source, used when reporting a failing listener
   * @param errorHandler receives the exceptions thrown by listeners
   * @param <E> the type of event
   * @return a new, empty set of listeners
   * @throws NullPointerException if {@code owner} or {@code errorHandler} is null
   */
  public static <E> Listeners<E> create(String owner, ListenerErrorHandler errorHandler) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(errorHandler, "errorHandler");
    return new Listeners<>(owner, errorHandler);
  }

  /**
   * Registers a listener, unless the same instance is already registered.
   *
   * @param listener the listener to call for every event published from now on
   * @return a subscription whose {@link Subscription#close()} unregisters the listener
   * @throws NullPointerException if {@code listener} is null
   */
  public Subscription add(EventListener<? super E> listener) {
    Objects.requireNonNull(listener, "listener");
    EventListener<?>[] current = snapshot();
    for (;;) {
      if (indexOf(current, listener) >= 0) {
        break;
      }
      EventListener<?>[] next = Arrays.copyOf(current, current.length + 1);
      next[current.length] = listener;
      EventListener<?>[] witness = (EventListener<?>[]) ARRAY.compareAndExchange(this, current, next);
      if (witness == current) {
        break;
      }
      current = witness;
    }
    return () -> remove(listener);
  }

  /**
   * Unregisters a listener.
   *
   * @param listener the listener to remove
   * @return {@code true} if it was registered
   * @throws NullPointerException if {@code listener} is null
   */
  public boolean remove(EventListener<? super E> listener) {
    Objects.requireNonNull(listener, "listener");
    EventListener<?>[] current = snapshot();
    for (;;) {
      int index = indexOf(current, listener);
      if (index < 0) {
        return false;
      }
      EventListener<?>[] next;
      if (current.length == 1) {
        next = NONE;
      } else {
        next = new EventListener<?>[current.length - 1];
        System.arraycopy(current, 0, next, 0, index);
        System.arraycopy(current, index + 1, next, index, current.length - index - 1);
      }
      EventListener<?>[] witness = (EventListener<?>[]) ARRAY.compareAndExchange(this, current, next);
      if (witness == current) {
        return true;
      }
      current = witness;
    }
  }

  /**
   * Tells whether any listener is registered: one volatile read, for publishers to decide
   * whether to build an event at all.
   *
   * @return {@code true} if at least one listener is registered
   */
  public boolean hasListeners() {
    return snapshot().length != 0;
  }

  /**
   * Returns the number of registered listeners.
   *
   * @return how many listeners are registered right now
   */
  public int size() {
    return snapshot().length;
  }

  /**
   * Calls every registered listener with the event, in registration order.
   *
   * <p>Listeners registered or removed while this method runs may or may not be called.
   *
   * @param event the event to publish
   * @throws NullPointerException if {@code event} is null
   * @throws VirtualMachineError if a listener throws one; nothing else a listener throws
   *     escapes this method
   */
  @SuppressWarnings("unchecked")
  public void publish(E event) {
    Objects.requireNonNull(event, "event");
    EventListener<?>[] current = snapshot();
    for (EventListener<?> listener : current) {
      try {
        ((EventListener<? super E>) listener).onEvent(event);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable error) {
        reportFailure(listener, event, error);
      }
    }
  }

  /**
   * Returns how many times a listener has thrown since this set was created.
   *
   * @return the number of listener failures reported so far
   */
  public long failureCount() {
    return failures.get();
  }

  /**
   * Returns the name of the event source these listeners belong to.
   *
   * @return the owner given at creation
   */
  public String owner() {
    return owner;
  }

  private void reportFailure(Object listener, Object event, Throwable error) {
    failures.incrementAndGet();
    try {
      errorHandler.onListenerError(owner, listener, event, error);
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable handlerError) {
      handlerError.addSuppressed(error);
      LoggingListenerErrorHandler.LOGGER.log(
          Level.WARNING,
          () -> "ListenerErrorHandler " + errorHandler + " of " + owner
              + " threw while reporting a failure of listener " + listener,
          handlerError);
    }
  }

  private EventListener<?>[] snapshot() {
    return (EventListener<?>[]) ARRAY.getAcquire(this);
  }

  private static int indexOf(EventListener<?>[] listeners, Object listener) {
    for (int i = 0; i < listeners.length; i++) {
      if (listeners[i] == listener) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return "Listeners[owner=" + owner + ", size=" + size() + "]";
  }
}
