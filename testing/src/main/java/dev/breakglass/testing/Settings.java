package dev.breakglass.testing;

import org.jspecify.annotations.Nullable;

/**
 * The one place where property runs are configured, from system properties (pass them to Maven
 * with {@code -D}; Surefire hands them to the test JVM):
 *
 * <ul>
 *   <li>{@value #SEED}: the seed of the first try of every property run (decimal, or hex with
 *       {@code 0x}); a failure report names the seed that reproduces it. Unset: a random seed
 *       per property run.
 *   <li>{@value #TRIES}: the number of tries of every property, overriding their defaults.
 *   <li>{@value #TRIES_FACTOR}: a factor applied to every property's default number of tries
 *       (rounded up), for a longer or a quicker run.
 *   <li>{@value #SHRINKS}: the most replays spent shrinking a failure (default
 *       {@value #DEFAULT_SHRINKS}).
 *   <li>{@value #SHRINK_SECONDS}: the most seconds spent shrinking a failure (default
 *       {@value #DEFAULT_SHRINK_SECONDS}); the report says when shrinking stopped at a limit.
 * </ul>
 */
final class Settings {

  static final String SEED = "breakglass.seed";
  static final String TRIES = "breakglass.tries";
  static final String TRIES_FACTOR = "breakglass.tries.factor";
  static final String SHRINKS = "breakglass.shrinks";
  static final String SHRINK_SECONDS = "breakglass.shrink.seconds";
  static final int DEFAULT_SHRINKS = 20_000;
  static final int DEFAULT_SHRINK_SECONDS = 60;

  final @Nullable Long seed;
  final @Nullable Integer tries;
  final double triesFactor;
  final int shrinks;
  final long shrinkNanos;

  private Settings(@Nullable Long seed, @Nullable Integer tries, double triesFactor,
      int shrinks, long shrinkNanos) {
    this.seed = seed;
    this.tries = tries;
    this.triesFactor = triesFactor;
    this.shrinks = shrinks;
    this.shrinkNanos = shrinkNanos;
  }

  /** The settings in the system properties now. */
  static Settings fromSystemProperties() {
    String seedText = property(SEED);
    String triesText = property(TRIES);
    String factorText = property(TRIES_FACTOR);
    String shrinksText = property(SHRINKS);
    String secondsText = property(SHRINK_SECONDS);
    Long seed = seedText == null ? null : parseSeed(seedText);
    Integer tries = triesText == null ? null : parseInt(TRIES, triesText, 1);
    double factor = factorText == null ? 1.0 : parseFactor(factorText);
    int shrinks = shrinksText == null ? DEFAULT_SHRINKS : parseInt(SHRINKS, shrinksText, 0);
    int seconds = secondsText == null ? DEFAULT_SHRINK_SECONDS
        : parseInt(SHRINK_SECONDS, secondsText, 0);
    return new Settings(seed, tries, factor, shrinks, seconds * 1_000_000_000L);
  }

  /** The tries a property with this default runs. */
  int tries(int propertyDefault) {
    if (tries != null) {
      return tries;
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.ceil(propertyDefault * triesFactor)));
  }

  private static @Nullable String property(String name) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  static long parseSeed(String text) {
    try {
      if (text.startsWith("0x") || text.startsWith("0X")) {
        return Long.parseUnsignedLong(text.substring(2), 16);
      }
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          SEED + " must be a long (decimal, or hex with 0x), was '" + text + "'", e);
    }
  }

  private static int parseInt(String name, String text, int min) {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an int >= " + min + ", was '" + text
          + "'", e);
    }
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
    }
    return value;
  }

  private static double parseFactor(String text) {
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          TRIES_FACTOR + " must be a positive number, was '" + text + "'", e);
    }
    if (!(value > 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException(
          TRIES_FACTOR + " must be a positive number, was " + text);
    }
    return value;
  }
}
