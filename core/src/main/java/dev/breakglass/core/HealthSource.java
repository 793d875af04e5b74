package dev.breakglass.core;

/**
 * Something that has a {@link Health} and says when it changes: a circuit breaker, a health
 * check, a connection pool.
 *
 * <p>This is how breakglass modules feed each other without depending on each other: a
 * circuit breaker is a {@code HealthSource}, and the cascade manager can watch any
 * {@code HealthSource}, so a breaker opening raises the service's severity with neither module
 * knowing about the other.
 *
 * <p>Implementations must be thread-safe.
 */
public interface HealthSource {

  /**
   * Returns the name this source reports under.
   *
   * @return a stable, non-blank name
   */
  String name();

  /**
   * Returns the current health.
   *
   * @return the health right now
   */
  Health health();

  /**
   * Registers a listener called after every change of {@link #health()}.
   *
   * @param listener called with each change, on the thread that caused it
   * @return the subscription that unregisters the listener
   * @throws NullPointerException if {@code listener} is null
   */
  Subscription onHealthChange(EventListener<? super HealthChange> listener);
}
