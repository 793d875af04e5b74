package dev.breakglass.core;

/**
 * A source of monotonic time, in nanoseconds.
 *
 * <p>Every time-dependent class in breakglass takes a {@code Ticker} instead of calling
 * {@link System#nanoTime()} itself, so that tests can drive time with a {@link ManualTicker}
 * and never sleep. Like {@code System.nanoTime()}, a reading has no meaning on its own: only
 * the difference between two readings of the same ticker does, and differences must be taken
 * with subtraction ({@code b - a}) so that they stay correct if the value wraps around.
 *
 * <p>Implementations must be thread-safe and should be cheap: breakers read the ticker on the
 * paths that need time (time-based windows, slow-call detection, open-state expiry).
 */
@FunctionalInterface
public interface Ticker {

  /**
   * Returns the current reading of this ticker.
   *
   * @return the time in nanoseconds since an arbitrary, fixed origin
   */
  long read();

  /**
   * Returns the ticker backed by {@link System#nanoTime()}.
   *
   * @return the system ticker, a stateless singleton
   */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}
