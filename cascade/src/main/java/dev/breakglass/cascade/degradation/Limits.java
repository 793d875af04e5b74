package dev.breakglass.cascade.degradation;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the limit algorithms and the limiter's builder. */
final class Limits {

  private Limits() {}

  static int checkLimit(String name, int value) {
    if (value < 1 || value > AdmissionLimiter.MAX_LIMIT) {
      throw new IllegalArgumentException(
          name + " must be in [1, " + AdmissionLimiter.MAX_LIMIT + "], was " + value);
    }
    return value;
  }

  /** Checks {@code value} is in {@code [low, high]} (or {@code (low, high]} if open); NaN fails. */
  static double checkRange(String name, double value, double low, boolean lowOpen, double high,
      boolean highOpen) {
    boolean ok = (lowOpen ? value > low : value >= low) && (highOpen ? value < high : value <= high);
    if (!ok) { // also NaN
      throw new IllegalArgumentException(name + " must be in " + (lowOpen ? "(" : "[") + low
          + ", " + high + (highOpen ? ")" : "]") + ", was " + value);
    }
    return value;
  }

  static int checkAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
    return value;
  }

  static Duration checkPositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }

  static void checkOrder(String lowName, int low, String highName, int high) {
    if (low > high) {
      throw new IllegalArgumentException(
          lowName + " (" + low + ") must not exceed " + highName + " (" + high + ")");
    }
  }
}
