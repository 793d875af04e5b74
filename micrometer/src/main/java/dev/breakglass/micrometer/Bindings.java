package dev.breakglass.micrometer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The bindings one binder made, one per meter registry it was bound to: what every binder's
 * {@code bindTo} adds to and its {@code close()} closes. Once closed, it refuses new bindings,
 * so a closed binder cannot register meters again.
 *
 * <p>Thread-safe: {@link #add} and {@link #close} may race; a binding is either closed by
 * {@code close()} or refused by {@code add}, never kept open.
 *
 * @param <B> what one binding is
 */
final class Bindings<B> {

  private final String owner;
  private final Consumer<? super B> closer;
  private final List<B> open = new ArrayList<>(); // guarded by this
  private boolean closed; // guarded by this

  /**
   * @param owner the binder's class name, for the exception's message
   * @param closer closes one binding
   */
  Bindings(String owner, Consumer<? super B> closer) {
    this.owner = owner;
    this.closer = closer;
  }

  /**
   * Keeps a new binding, to be closed with the binder.
   *
   * @return {@code binding}
   * @throws IllegalStateException if the binder was closed
   */
  synchronized B add(B binding) {
    if (closed) {
      throw new IllegalStateException(owner + " was closed; create a new one");
    }
    open.add(binding);
    return binding;
  }

  /** Closes every binding, outside the lock, and refuses new ones. Idempotent. */
  void close() {
    List<B> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(open);
      open.clear();
    }
    for (B binding : all) {
      closer.accept(binding);
    }
  }
}
