package dev.breakglass.circuitbreaker;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a breaker stays OPEN before it lets trial calls through, as a function of how many
 * times in a row it has opened.
 *
 * <p>The attempt number is {@code 1} when the breaker opens from CLOSED, {@code 2} when the
 * trial calls of the following HALF_OPEN period fail and it opens again, and so on; it starts
 * over at {@code 1} once the breaker has closed. A fixed wait ignores it; a back-off grows with
 * it:
 *
 * <pre>{@code
 * // 1 s, 2 s, 4 s, 8 s, ... capped at 2 min, each scaled by a random factor in [0.8, 1.2]
 * IntervalFunction backoff = IntervalFunction.exponentialWithJitter(
 *     Duration.ofSeconds(1), 2.0, Duration.ofMinutes(2), 0.2);
 * }</pre>
 *
 * <p>Implementations must be thread-safe and cheap: the breaker calls one once per opening.
 * They must return a non-negative, non-null duration. A function that throws or returns
 * anything else has a bug, but it cannot keep the breaker from opening: the breaker opens
 * anyway, waits as long as the function last told it to (60 s if it never returned a valid
 * wait), and hands an exception naming the problem to its
 * {@link dev.breakglass.core.ListenerErrorHandler} (by default: logged at WARNING).
 */
@FunctionalInterface
public interface IntervalFunction {

  /**
   * Returns how long to stay OPEN.
   *
   * @param attempt how many times in a row the breaker has opened, starting at {@code 1}
   * @return the wait, not negative
   */
  Duration waitFor(int attempt);

  /**
   * Returns a function that always waits the same time.
   *
   * @param wait the wait, positive
   * @return the fixed interval function
   * @throws NullPointerException if {@code wait} is null
   * @throws IllegalArgumentException if {@code wait} is zero or negative
   */
  static IntervalFunction fixed(Duration wait) {
    requirePositive(wait, "wait");
    return new Intervals.Fixed(wait);
  }

  /**
   * Returns an exponential back-off: {@code initial * multiplier^(attempt - 1)}, capped at
   * {@code max}.
   *
   * @param initial the first wait, positive
   * @param multiplier the growth factor per attempt, at least {@code 1.0}
   * @param max the longest wait, at least {@code initial}
   * @return the back-off function
   * @throws NullPointerException if {@code initial} or {@code max} is null
   * @throws IllegalArgumentException if a value is out of range (a duration too long for a
   *     {@code long} of nanoseconds, about 292 years, included), naming it
   */
  static IntervalFunction exponential(Duration initial, double multiplier, Duration max) {
    return exponentialWithJitter(initial, multiplier, max, 0.0);
  }

  /**
   * Returns an exponential back-off with jitter: the exponential wait capped at {@code max}
   * (see {@link #exponential}), then multiplied by a random factor drawn uniformly from
   * {@code [1 - jitter, 1 + jitter)}. Jitter spreads the trial calls of many instances that
   * opened at the same moment, also once their waits have reached the cap; so the longest
   * wait is {@code max * (1 + jitter)}.
   *
   * @param initial the first wait, positive
   * @param multiplier the growth factor per attempt, at least {@code 1.0}
   * @param max the cap on the wait before jitter, at least {@code initial}
   * @param jitter the relative randomisation, in {@code [0, 1)}; {@code 0} means none
   * @return the back-off function
   * @throws NullPointerException if {@code initial} or {@code max} is null
   * @throws IllegalArgumentException if a value is out of range (a duration too long for a
   *     {@code long} of nanoseconds, about 292 years, included), naming it
   */
  static IntervalFunction exponentialWithJitter(
      Duration initial, double multiplier, Duration max, double jitter) {
    requirePositive(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException(
          "multiplier must be finite and >= 1.0, was " + multiplier);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "max must be >= initial (" + initial + "), was " + max);
    }
    if (!(jitter >= 0.0 && jitter < 1.0)) {
      throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
    }
    return new Intervals.Exponential(
        nanos(initial, "initial"), multiplier, nanos(max, "max"), jitter);
  }

  private static long nanos(Duration value, String name) {
    try {
      return value.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(name
          + " must fit in a long of nanoseconds (about 292 years), was " + value, e);
    }
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}

/** The built-in interval functions. */
final class Intervals {

  private Intervals() {}

  /** Always the same wait. */
  record Fixed(Duration interval) implements IntervalFunction {
    @Override
    public Duration waitFor(int attempt) {
      return interval;
    }

    @Override
    public String toString() {
      return "fixed(" + interval + ")";
    }
  }

  /** {@code initial * multiplier^(attempt - 1)}, capped, then randomised by {@code jitter}. */
  record Exponential(long initialNanos, double multiplier, long maxNanos, double jitter)
      implements IntervalFunction {
    @Override
    public Duration waitFor(int attempt) {
      double nanos = Math.min(initialNanos * Math.pow(multiplier, Math.max(0, attempt - 1)),
          (double) maxNanos);
      if (jitter > 0.0) { // after the cap: instances at the cap still spread out
        nanos *= ThreadLocalRandom.current().nextDouble(1.0 - jitter, 1.0 + jitter);
      }
      return Duration.ofNanos((long) nanos); // saturates at Long.MAX_VALUE
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "exponential(%s, x%s, max %s, jitter %s)",
          Duration.ofNanos(initialNanos), multiplier, Duration.ofNanos(maxNanos), jitter);
    }
  }
}
