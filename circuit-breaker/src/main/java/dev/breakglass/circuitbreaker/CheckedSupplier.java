package dev.breakglass.circuitbreaker;

/**
 * A supplier that may throw a checked exception, for
 * {@link CircuitBreaker#getChecked(CheckedSupplier)}.
 *
 * <p>The exception type is inferred from the lambda body, so a call that throws
 * {@code IOException} makes {@code getChecked} throw {@code IOException} and nothing wider.
 *
 * <p>The breaker calls it once per call, on the calling thread; it needs no thread-safety of
 * its own beyond what the call itself requires.
 *
 * @param <T> the type of the result
 * @param <X> the checked exception the supplier may throw
 */
@FunctionalInterface
public interface CheckedSupplier<T, X extends Throwable> {

  /**
   * Produces the result.
   *
   * @return the result
   * @throws X if the call fails
   */
  T get() throws X;
}
