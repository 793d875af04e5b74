package dev.breakglass.circuitbreaker;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The rules a {@link CircuitBreakerConfig.Builder} enforces: the range of each setting, checked
 * when it is set, and the conflicts between settings, checked by {@code build()}. Every
 * exception names the setting and the bad value. Stateless.
 */
final class ConfigChecks {

  static final int MAX_COUNT_WINDOW = 1 << 20;
  static final int MAX_BUCKETS = 1_000;
  static final int MAX_PERMITTED_IN_HALF_OPEN = 1_000_000;
  static final int MAX_CONSECUTIVE_FAILURES = 1_000_000;

  private ConfigChecks() {}

  // ------------------------------------------------------------------------------- settings

  /** Returns {@code value} if it is in {@code [min, max]}. */
  static int inRange(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }

  /** Returns {@code value} if it is at least {@code min}. */
  static int atLeast(int value, int min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
    }
    return value;
  }

  /** Returns {@code value} if it is a percentage in {@code (0, 100]}. */
  static double percent(double value, String name) {
    if (!(value > 0.0 && value <= 100.0)) {
      throw new IllegalArgumentException(name + " must be in (0, 100], was " + value);
    }
    return value;
  }

  /** Returns a positive duration in nanoseconds. */
  static long positiveNanos(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return checkedNanos(value, name);
  }

  /** Returns a duration that is zero or positive. */
  static Duration notNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
    checkedNanos(value, name);
    return value;
  }

  /** Checks the length and buckets of a time window. */
  static void timeWindow(Duration length, int buckets) {
    long nanos = positiveNanos(length, "timeWindow length");
    inRange(buckets, 1, MAX_BUCKETS, "timeWindow buckets");
    if (nanos < buckets) {
      throw new IllegalArgumentException("timeWindow length must be at least one nanosecond"
          + " per bucket (" + buckets + " buckets), was " + length);
    }
  }

  private static long checkedNanos(Duration value, String name) {
    try {
      return value.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          name + " must fit in a long of nanoseconds (about 292 years), was " + value, e);
    }
  }

  /** Adds exception types, none of them null. */
  @SafeVarargs
  static void addTypes(List<Class<? extends Throwable>> into, String name,
      Class<? extends Throwable>... types) {
    Objects.requireNonNull(types, name);
    for (int i = 0; i < types.length; i++) {
      into.add(Objects.requireNonNull(types[i], name + "[" + i + "]"));
    }
  }

  // ------------------------------------------------------------------------------ conflicts

  /**
   * The minimum number of calls of a count window: the one set, which must not exceed the
   * window, or, if none was set, the default lowered to the window's size.
   */
  static int countWindowMinimum(int windowSize, int minimum, boolean minimumSet) {
    if (minimum <= windowSize) {
      return minimum;
    }
    if (minimumSet) {
      throw new IllegalStateException("minimumNumberOfCalls (" + minimum
          + ") must not exceed the countWindow size (" + windowSize + "): a count"
          + " window never holds more than " + windowSize + " calls, so its rates"
          + " would never be judged; set minimumNumberOfCalls(" + windowSize + ") to"
          + " judge them once the window is full (what Resilience4j does with this"
          + " setting), or a larger countWindow");
    }
    return windowSize;
  }

  /** Consecutive-failure mode has no rates: none of their settings may be set. */
  static void noRateSettings(
      boolean slowCallDetection, boolean failureRateSet, boolean minimumSet) {
    if (slowCallDetection) {
      throw new IllegalStateException("slowCallDurationThreshold does not apply to"
          + " consecutiveFailures mode, which counts failures only; use a count or time"
          + " window for slow-call detection");
    }
    if (failureRateSet) {
      throw new IllegalStateException("failureRateThreshold does not apply to"
          + " consecutiveFailures mode; use a count or time window for rates");
    }
    if (minimumSet) {
      throw new IllegalStateException("minimumNumberOfCalls does not apply to"
          + " consecutiveFailures mode; use a count or time window for rates");
    }
  }

  /** A slow-call rate needs slow-call detection. */
  static void slowCallRateNeedsDetection(
      boolean slowCallRateSet, double slowCallRate, boolean slowCallDetection) {
    if (slowCallRateSet && !slowCallDetection) {
      throw new IllegalStateException("slowCallRateThreshold (" + slowCallRate
          + ") needs slowCallDurationThreshold: slow-call detection is off");
    }
  }

  /** No exception type may be both recorded and ignored. */
  static void disjoint(List<Class<? extends Throwable>> recorded,
      List<Class<? extends Throwable>> ignored) {
    for (Class<? extends Throwable> type : recorded) {
      if (ignored.contains(type)) {
        throw new IllegalStateException(
            type.getName() + " is in both recordExceptions and ignoreExceptions");
      }
    }
  }
}
