package dev.breakglass.core;

import dev.breakglass.core.internal.ListenerFailures;
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
 *       same instance) does not register it twice. Each {@link #add} returns its own
 *       {@link Subscription}; the listener stays registered until every subscription returned
 *       for it is closed, or until {@link #remove} unregisters it outright. Closing a
 *       subscription a second time, or after the listener was removed (and perhaps added
 *       again), does nothing.
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
   * Design: a copy-on-write array of registrations held in a volatile field. publish() takes
   * one acquire read of the array and iterates its snapshot; add/remove/close build a new
   * array and install it with compareAndExchange, retrying on a lost race. The retry loops
   * have no side effects besides allocating the candidate array.
   *
   * A registration is immutable: the listener, a key object that identifies this
   * registration for as long as it lasts, and the number of open subscriptions that hold it.
   * Adding a registered listener again replaces its registration by one with the same key
   * and one more holder; a subscription remembers the key, and its close() (once, guarded by
   * its own flag) takes one holder away from the registration with that key, if it still
   * exists. So a subscription can never remove a later registration of the same listener.
   * The failure counter is an AtomicLong: failures are rare and off the hot path.
   */

  private static final VarHandle ARRAY;

  static {
    try {
      ARRAY = MethodHandles.lookup().findVarHandle(Listeners.class, "array", Registration[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final Registration[] NONE = new Registration[0];

  private final String owner;
  private final ListenerErrorHandler errorHandler;
  private final AtomicLong failures = new AtomicLong();

  @SuppressWarnings("unused") // accessed through ARRAY
  private volatile Registration[] array = NONE;

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
   * @return a subscription whose {@link Subscription#close()} gives up this registration: the
   *     listener is unregistered once every subscription returned for it has been closed
   * @throws NullPointerException if {@code listener} is null
   */
  public Subscription add(EventListener<? super E> listener) {
    Objects.requireNonNull(listener, "listener");
    Registration[] current = snapshot();
    for (;;) {
      int index = indexOf(current, listener);
      Registration[] next;
      if (index >= 0) {
        next = current.clone();
        next[index] = current[index].withHolders(current[index].holders + 1);
      } else {
        next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = new Registration(listener, new Object(), 1);
      }
      Registration[] witness = (Registration[]) ARRAY.compareAndExchange(this, current, next);
      if (witness == current) {
        return new Handle(this, next[index >= 0 ? index : current.length].key);
      }
      current = witness;
    }
  }

  /**
   * Unregisters a listener, whatever subscriptions are still open for it (closing them later
   * does nothing).
   *
   * @param listener the listener to remove
   * @return {@code true} if it was registered
   * @throws NullPointerException if {@code listener} is null
   */
  public boolean remove(EventListener<? super E> listener) {
    Objects.requireNonNull(listener, "listener");
    Registration[] current = snapshot();
    for (;;) {
      int index = indexOf(current, listener);
      if (index < 0) {
        return false;
      }
      Registration[] witness =
          (Registration[]) ARRAY.compareAndExchange(this, current, without(current, index));
      if (witness == current) {
        return true;
      }
      current = witness;
    }
  }

  /** Takes one holder away from the registration with this key, if it still exists. */
  private void release(Object key) {
    Registration[] current = snapshot();
    for (;;) {
      int index = -1;
      for (int i = 0; i < current.length; i++) {
        if (current[i].key == key) {
          index = i;
          break;
        }
      }
      if (index < 0) {
        return;
      }
      Registration[] next;
      if (current[index].holders > 1) {
        next = current.clone();
        next[index] = current[index].withHolders(current[index].holders - 1);
      } else {
        next = without(current, index);
      }
      Registration[] witness = (Registration[]) ARRAY.compareAndExchange(this, current, next);
      if (witness == current) {
        return;
      }
      current = witness;
    }
  }

  private static Registration[] without(Registration[] current, int index) {
    if (current.length == 1) {
      return NONE;
    }
    Registration[] next = new Registration[current.length - 1];
    System.arraycopy(current, 0, next, 0, index);
    System.arraycopy(current, index + 1, next, index, current.length - index - 1);
    return next;
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
    Registration[] current = snapshot();
    for (Registration registration : current) {
      EventListener<?> listener = registration.listener;
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
      if (handlerError != error) { // a handler that rethrows the error it was given
        handlerError.addSuppressed(error);
      }
      LoggingListenerErrorHandler.LOGGER.log(Level.WARNING,
          () -> ListenerFailures.handlerFailure(errorHandler, owner, listener, event),
          handlerError);
    }
  }

  private Registration[] snapshot() {
    return (Registration[]) ARRAY.getAcquire(this);
  }

  private static int indexOf(Registration[] registrations, Object listener) {
    for (int i = 0; i < registrations.length; i++) {
      if (registrations[i].listener == listener) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return "Listeners[owner=" + owner + ", size=" + size() + "]";
  }

  /** One registered listener: immutable; see the design notes. */
  private static final class Registration {
    final EventListener<?> listener;
    /** Identifies this registration while it lasts, whatever its number of holders. */
    final Object key;
    /** The number of open subscriptions holding it. */
    final int holders;

    Registration(EventListener<?> listener, Object key, int holders) {
      this.listener = listener;
      this.key = key;
      this.holders = holders;
    }

    Registration withHolders(int count) {
      return new Registration(listener, key, count);
    }
  }

  /** The subscription returned by {@link #add}: gives up its registration once. */
  private static final class Handle implements Subscription {
    private static final VarHandle CLOSED;

    static {
      try {
        CLOSED = MethodHandles.lookup().findVarHandle(Handle.class, "closed", boolean.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final Listeners<?> owner;
    private final Object key;
    @SuppressWarnings("unused") // accessed through CLOSED
    private boolean closed;

    Handle(Listeners<?> owner, Object key) {
      this.owner = owner;
      this.key = key;
    }

    @Override
    public void close() {
      if (CLOSED.compareAndSet(this, false, true)) {
        owner.release(key);
      }
    }

    @Override
    public String toString() {
      boolean done = (boolean) CLOSED.getVolatile(this);
      return "Subscription[" + owner.owner + (done ? ", closed]" : "]");
    }
  }
}
