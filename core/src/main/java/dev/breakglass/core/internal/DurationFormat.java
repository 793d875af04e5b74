package dev.breakglass.core.internal;

import java.time.Duration;

/**
 * The one way breakglass prints a duration for people: in every journal entry, plan and report.
 * Stateless and thread-safe.
 *
 * <table>
 *   <caption>The format by magnitude</caption>
 *   <tr><th>duration</th><th>printed as</th><th>examples</th></tr>
 *   <tr><td>below 1 ms</td><td>whole microseconds</td><td>{@code 0us}, {@code 40us},
 *       {@code 999us}</td></tr>
 *   <tr><td>below 10 ms</td><td>milliseconds, one decimal</td><td>{@code 1.0ms},
 *       {@code 7.5ms}</td></tr>
 *   <tr><td>below 1 s</td><td>whole milliseconds</td><td>{@code 12ms}, {@code 250ms}</td></tr>
 *   <tr><td>below 1 min</td><td>seconds, three decimals</td><td>{@code 1.250s},
 *       {@code 30.000s}</td></tr>
 *   <tr><td>below 1 h</td><td>minutes, then seconds with three decimals</td>
 *       <td>{@code 2m05.000s}, {@code 5m00.000s}</td></tr>
 *   <tr><td>1 h and more</td><td>hours, minutes, seconds with three decimals</td>
 *       <td>{@code 1h05m00.000s}</td></tr>
 * </table>
 *
 * <p>Why this format: it is short (at most three significant digits before the unit up to a
 * second), every number carries its unit, so a column never mixes bare numbers, and a fixed
 * number of decimals per magnitude says how precisely a value was measured ({@code 30.000s} is a
 * measurement to the millisecond, not a rounded "30s") and keeps values of one magnitude the
 * same width in a column. Nothing prints as {@code 0.0ms} while time did pass: below a
 * millisecond the unit becomes the microsecond. Values are <em>truncated</em> to the resolution
 * of their magnitude, never rounded up, so a value never spills into the next magnitude
 * ({@code 9.99 ms} is {@code 9.9ms}, not {@code 10.0ms}; {@code 59.9996 s} is {@code 59.999s},
 * not {@code 60.000s}) and no duration is printed longer than it was. A negative duration (a
 * ticker read out of order) prints as zero.
 */
public final class DurationFormat {

  private static final long MICRO = 1_000L;
  private static final long MILLI = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;

  private DurationFormat() {}

  /**
   * Formats a duration given in nanoseconds.
   *
   * @param nanos the duration; a negative one prints as zero
   * @return the duration for people, e.g. {@code "1.250s"}
   */
  public static String format(long nanos) {
    return append(new StringBuilder(16), nanos).toString();
  }

  /**
   * Formats a duration. One longer than {@code Long.MAX_VALUE} nanoseconds (about 292 years)
   * prints as that many nanoseconds.
   *
   * @param duration the duration; a negative one prints as zero
   * @return the duration for people, e.g. {@code "2m05.000s"}
   * @throws NullPointerException if {@code duration} is null
   */
  public static String format(Duration duration) {
    return format(saturatedNanos(duration));
  }

  /**
   * Appends a duration given in nanoseconds, formatted as by {@link #format(long)}.
   *
   * @param out the builder to append to
   * @param nanos the duration; a negative one prints as zero
   * @return {@code out}
   */
  public static StringBuilder append(StringBuilder out, long nanos) {
    long n = Math.max(0L, nanos);
    if (n < MILLI) {
      return out.append(n / MICRO).append("us");
    }
    if (n < 10 * MILLI) {
      return out.append(n / MILLI).append('.').append(n / (MILLI / 10) % 10).append("ms");
    }
    if (n < SECOND) {
      return out.append(n / MILLI).append("ms");
    }
    if (n >= HOUR) {
      out.append(n / HOUR).append('h');
      twoDigits(out, n % HOUR / MINUTE).append('m');
      return seconds(twoDigits(out, n % MINUTE / SECOND), n);
    }
    if (n >= MINUTE) {
      out.append(n / MINUTE).append('m');
      return seconds(twoDigits(out, n % MINUTE / SECOND), n);
    }
    return seconds(out.append(n / SECOND), n);
  }

  /** Appends the milliseconds of {@code nanos}'s second, ".250s". */
  private static StringBuilder seconds(StringBuilder out, long nanos) {
    long millis = nanos % SECOND / MILLI;
    out.append('.');
    if (millis < 100) {
      out.append('0');
    }
    if (millis < 10) {
      out.append('0');
    }
    return out.append(millis).append('s');
  }

  private static StringBuilder twoDigits(StringBuilder out, long value) {
    return (value < 10 ? out.append('0') : out).append(value);
  }

  /**
   * Returns a duration in nanoseconds, saturated at {@code Long.MAX_VALUE} (or
   * {@code Long.MIN_VALUE}) where it does not fit a {@code long}.
   *
   * @param duration the duration
   * @return its nanoseconds, saturated
   * @throws NullPointerException if {@code duration} is null
   */
  public static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
