package dev.breakglass.circuitbreaker;

/**
 * An action that may throw a checked exception, for
 * {@link CircuitBreaker#runChecked(CheckedRunnable)}.
 *
 * <p>The breaker runs it once per call, on the calling thread; it needs no thread-safety of
 * its own beyond what the action itself requires.
 *
 * @param <X> the checked exception the action may throw
 */
@FunctionalInterface
public interface CheckedRunnable<X extends Throwable> {

  /**
   * Performs the action.
   *
   * @throws X if the action fails
   */
  void run() throws X;
}
