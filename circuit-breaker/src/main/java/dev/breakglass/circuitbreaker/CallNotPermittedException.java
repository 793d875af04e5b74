package dev.breakglass.circuitbreaker;

/**
 * Thrown (or handed to the fallback) when a breaker does not let a call through: it is OPEN
 * or FORCED_OPEN, or it is HALF_OPEN and all trial calls are taken.
 *
 * <p>By default the exception has no stack trace, and a breaker hands out one shared instance
 * per state, so that rejecting a call costs no allocation: rejections happen in bursts, exactly
 * when a service can least afford to fill its heap with stack traces. The shared instances are
 * immutable: suppression is disabled, the stack trace is not writable and the cause is fixed
 * at {@code null}. Turn stack traces on with
 * {@link CircuitBreakerConfig.Builder#writableStackTrace(boolean)}; each rejection then
 * creates a new exception.
 *
 * <p>Do not rely on identity: compare {@link #breakerName()} and {@link #state()}.
 *
 * <p>Thread-safe: the shared instances are immutable and may be thrown by many threads at
 * once.
 */
public final class CallNotPermittedException extends RuntimeException implements Admission {

  /** The name of the breaker that rejected the call. */
  private final String breakerName;
  /** The state the breaker was in when it rejected the call. */
  private final CircuitBreaker.State state;

  private CallNotPermittedException(
      String breakerName, CircuitBreaker.State state, boolean writableStackTrace) {
    super(message(breakerName, state), null, false, writableStackTrace);
    this.breakerName = breakerName;
    this.state = state;
  }

  /** Creates the immutable, stackless instance a breaker shares for {@code state}. */
  static CallNotPermittedException shared(String breakerName, CircuitBreaker.State state) {
    return new CallNotPermittedException(breakerName, state, false);
  }

  /** Creates a new instance with a stack trace of the calling thread. */
  static CallNotPermittedException withStackTrace(
      String breakerName, CircuitBreaker.State state) {
    return new CallNotPermittedException(breakerName, state, true);
  }

  private static String message(String breakerName, CircuitBreaker.State state) {
    return state == CircuitBreaker.State.HALF_OPEN
        ? "circuit breaker '" + breakerName + "' is HALF_OPEN and all trial calls are taken"
        : "circuit breaker '" + breakerName + "' is " + state + " and does not permit calls";
  }

  /**
   * Returns the name of the breaker that rejected the call.
   *
   * @return the breaker's name
   */
  public String breakerName() {
    return breakerName;
  }

  /**
   * Returns the state the breaker was in when it rejected the call.
   *
   * @return {@link CircuitBreaker.State#OPEN}, {@link CircuitBreaker.State#FORCED_OPEN} or
   *     {@link CircuitBreaker.State#HALF_OPEN}
   */
  public CircuitBreaker.State state() {
    return state;
  }
}
