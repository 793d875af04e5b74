package dev.breakglass.core;

/**
 * The handle of a registered listener; closing it unregisters the listener.
 *
 * <p>Closing is idempotent and thread-safe. After {@code close()} returns the listener is not
 * called for events published afterwards; a publication already in progress on another thread
 * may still reach it once. Being an {@link AutoCloseable}, a subscription fits
 * try-with-resources for listeners that should live only for a block of code.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  /** Unregisters the listener. Does nothing if it is no longer registered. */
  @Override
  void close();
}
