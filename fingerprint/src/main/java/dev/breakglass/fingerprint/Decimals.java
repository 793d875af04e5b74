package dev.breakglass.fingerprint;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;

/**
 * Decimal numbers: the canonical text of the format, the shortest decimal that reads back as a
 * given {@code double} or {@code float}, and ECMAScript's {@code Number.prototype.toString}
 * (what RFC 8785 prescribes for numbers). Stateless.
 */
final class Decimals {

  /*
   * Design: "shortest" follows ECMAScript (ECMA-262, Number::toString): the fewest significant
   * digits k such that some k-digit decimal reads back as x; among those the one closest to x;
   * on a tie the even one. Double.toString cannot be used as is: before JDK 19 it sometimes
   * printed one digit too many (JDK-4511638), and since JDK 19 it picks a two-digit decimal
   * over a one-digit one when the former is closer (4.9E-324 rather than 5E-324).
   *
   * Fast path: for a normal double, two distinct decimals of at most 15 significant digits
   * never read back as the same double (relative spacing of 15-digit decimals is at least
   * 1e-15, of doubles at most 2^-52), so if Double.toString yields at most 15 digits and reads
   * back, it is the unique shortest decimal on every JDK. Likewise 6 digits for floats.
   *
   * Exact path (subnormals, 16 or more digits): compute, in exact BigDecimal arithmetic, the
   * interval of reals that round to x (half-way to each neighbour, endpoints included when x's
   * significand is even, as round-half-even reading does), and for p = 1, 2, ... test the two
   * p-digit decimals that bracket x (floor and ceiling). Any p-digit decimal inside the
   * interval implies the nearer bracketing one on the same side is inside too, so the first p
   * with a hit is the shortest length, and choosing the closer hit is the ECMAScript rule.
   */

  private static final BigDecimal HALF = new BigDecimal("0.5");
  private static final double TWO_53 = 9007199254740992.0;

  private Decimals() {}

  private static final double[] POWERS_OF_TEN = {
      1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

  /**
   * The decimal value of a finite double: the shortest decimal that reads back as it.
   *
   * <p>Fast path, exact: for a normal double below 1e15, find the least k such that
   * m = round(x * 10^k) < 1e15 and m / 10^k (one correctly rounded division of two exact
   * doubles) is x again. Then the decimal m * 10^-k reads back as x and has at most 15 digits,
   * so it is the unique shortest decimal (see the design comment). If the true shortest
   * decimal m' * 10^-k has at most 15 digits, |x * 10^k - m'| stays below 0.2, so rounding the
   * computed product finds m' and the least k is never missed. Everything else takes
   * {@link #shortest(double)}.
   */
  static Scalars.DecimalValue decimal(double x, Hasher hasher) {
    double a = Math.abs(x);
    if (a >= Double.MIN_NORMAL && a < 1e15) {
      for (int k = 0; k < POWERS_OF_TEN.length; k++) {
        double scaled = a * POWERS_OF_TEN[k];
        if (scaled >= 1e15) {
          break;
        }
        long m = Math.round(scaled);
        if (m != 0 && m / POWERS_OF_TEN[k] == a) {
          int scale = k;
          while (m % 10 == 0) {
            m /= 10;
            scale--;
          }
          long signed = x < 0 ? -m : m;
          return new Scalars.DecimalValue(BigDecimal.valueOf(signed, scale),
              Long.toString(signed) + 'E' + (-scale), hasher);
        }
      }
    }
    return decimal(shortest(x), hasher);
  }

  /** Normalizes a BigDecimal into a decimal value: no trailing zeros, zero as 0E0. */
  static Scalars.DecimalValue decimal(BigDecimal value, Hasher hasher) {
    BigDecimal normalized = normalize(value);
    return new Scalars.DecimalValue(normalized, canonicalText(normalized), hasher);
  }

  static BigDecimal normalize(BigDecimal value) {
    BigDecimal normalized;
    try {
      normalized = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    } catch (ArithmeticException overflow) { // the scale would pass Integer.MIN_VALUE
      throw outOfRange(value);
    }
    if (normalized.scale() == Integer.MIN_VALUE) {
      throw outOfRange(value);
    }
    return normalized;
  }

  private static IllegalArgumentException outOfRange(BigDecimal value) {
    return new IllegalArgumentException(
        "decimal exponent out of range (must fit in 32 bits), was " + value);
  }

  /** The canonical text: coefficient, 'E', exponent; the coefficient has no trailing zero. */
  static String canonicalText(BigDecimal normalized) {
    return normalized.unscaledValue().toString() + 'E' + (-(long) normalized.scale());
  }

  /** Parses canonical text, or returns null if the text is not exactly canonical. */
  static @Nullable BigDecimal parseCanonical(String text) {
    int e = text.indexOf('E');
    if (e <= 0 || e == text.length() - 1) {
      return null;
    }
    String coefficient = text.substring(0, e);
    String exponent = text.substring(e + 1);
    if (!isCanonicalInteger(coefficient) || !isCanonicalInteger(exponent)) {
      return null;
    }
    if (coefficient.equals("0")) {
      return exponent.equals("0") ? BigDecimal.ZERO : null;
    }
    if (coefficient.endsWith("0")) {
      return null;
    }
    long exp;
    try {
      exp = Long.parseLong(exponent);
    } catch (NumberFormatException tooLong) {
      return null;
    }
    if (exp > Integer.MAX_VALUE || exp < -(long) Integer.MAX_VALUE) {
      return null;
    }
    return new BigDecimal(new BigInteger(coefficient), (int) -exp);
  }

  private static boolean isCanonicalInteger(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    if (start == s.length()) {
      return false;
    }
    if (s.charAt(start) == '0') {
      return s.length() == start + 1 && start == 0; // "0" only; "-0" is not canonical
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The shortest decimal that reads back as {@code x}, normalized; zero for both zeros. */
  static BigDecimal shortest(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("a decimal must be finite, was " + x);
    }
    if (x == 0) {
      return BigDecimal.ZERO;
    }
    double a = Math.abs(x);
    BigDecimal result = null;
    if (a >= Double.MIN_NORMAL) {
      String text = Double.toString(a);
      BigDecimal candidate = new BigDecimal(text).stripTrailingZeros();
      if (candidate.precision() <= 15 && Double.parseDouble(text) == a) {
        result = candidate;
      }
    }
    if (result == null) {
      result = exactShortest(a);
    }
    return normalize(x < 0 ? result.negate() : result);
  }

  /** The exact path for a finite {@code a > 0}. */
  static BigDecimal exactShortest(double a) {
    BigDecimal v = new BigDecimal(a);
    BigDecimal low = v.add(new BigDecimal(Math.nextDown(a))).multiply(HALF);
    BigDecimal high = a == Double.MAX_VALUE
        ? v.add(new BigDecimal(Math.ulp(a)).multiply(HALF))
        : v.add(new BigDecimal(Math.nextUp(a))).multiply(HALF);
    boolean even = (Double.doubleToRawLongBits(a) & 1) == 0;
    return search(v, low, high, even, 17).stripTrailingZeros();
  }

  /** The shortest decimal that reads back as the float {@code x}, normalized. */
  static BigDecimal shortest(float x) {
    if (!Float.isFinite(x)) {
      throw new IllegalArgumentException("a decimal must be finite, was " + x);
    }
    if (x == 0) {
      return BigDecimal.ZERO;
    }
    float a = Math.abs(x);
    BigDecimal result = null;
    if (a >= Float.MIN_NORMAL) {
      String text = Float.toString(a);
      BigDecimal candidate = new BigDecimal(text).stripTrailingZeros();
      if (candidate.precision() <= 6 && Float.parseFloat(text) == a) {
        result = candidate;
      }
    }
    if (result == null) {
      result = exactShortest(a);
    }
    return normalize(x < 0 ? result.negate() : result);
  }

  /** The exact path for a finite {@code a > 0}. */
  static BigDecimal exactShortest(float a) {
    BigDecimal v = new BigDecimal((double) a);
    BigDecimal low = v.add(new BigDecimal((double) Math.nextDown(a))).multiply(HALF);
    BigDecimal high = a == Float.MAX_VALUE
        ? v.add(new BigDecimal((double) Math.ulp(a)).multiply(HALF))
        : v.add(new BigDecimal((double) Math.nextUp(a))).multiply(HALF);
    boolean even = (Float.floatToRawIntBits(a) & 1) == 0;
    return search(v, low, high, even, 9).stripTrailingZeros();
  }

  /** The exact search described in the design comment. {@code v > 0}. */
  static BigDecimal search(
      BigDecimal v, BigDecimal low, BigDecimal high, boolean inclusive, int maxDigits) {
    for (int p = 1; p <= maxDigits; p++) {
      BigDecimal down = v.round(new MathContext(p, RoundingMode.FLOOR));
      BigDecimal up = v.round(new MathContext(p, RoundingMode.CEILING));
      boolean downInside = inside(down, low, high, inclusive);
      boolean upInside = inside(up, low, high, inclusive);
      if (downInside && upInside) {
        int cmp = v.subtract(down).compareTo(up.subtract(v));
        if (cmp < 0) {
          return down;
        }
        if (cmp > 0) {
          return up;
        }
        return down.unscaledValue().testBit(0) ? up : down;
      }
      if (downInside) {
        return down;
      }
      if (upInside) {
        return up;
      }
    }
    throw new AssertionError("no decimal of at most " + maxDigits + " digits reads back as " + v);
  }

  private static boolean inside(BigDecimal d, BigDecimal low, BigDecimal high, boolean inclusive) {
    int lo = d.compareTo(low);
    int hi = d.compareTo(high);
    return inclusive ? lo >= 0 && hi <= 0 : lo > 0 && hi < 0;
  }

  /** ECMAScript {@code Number.prototype.toString()} for a finite double (RFC 8785, 3.2.2.3). */
  static String ecmascript(double x) {
    if (x == 0) {
      return "0";
    }
    BigDecimal d = shortest(x);
    String digits = d.unscaledValue().abs().toString();
    int k = digits.length();
    long n = k - (long) d.scale();
    StringBuilder out = new StringBuilder(k + 8);
    if (x < 0) {
      out.append('-');
    }
    if (k <= n && n <= 21) {
      out.append(digits);
      for (long i = k; i < n; i++) {
        out.append('0');
      }
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, (int) n).append('.').append(digits, (int) n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.");
      for (long i = n; i < 0; i++) {
        out.append('0');
      }
      out.append(digits);
    } else {
      long e = n - 1;
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      out.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
    }
    return out.toString();
  }

  /**
   * How a JSON number reads into the value model: an integer when the double is integral and
   * within +-2^53, else the shortest decimal of the double.
   */
  static Value fromJsonNumber(double d, Hasher hasher) {
    if (d == Math.rint(d) && Math.abs(d) <= TWO_53) {
      return Scalars.IntegerValue.of((long) d, hasher);
    }
    return decimal(shortest(d), hasher);
  }

  static boolean isSafeJsonInteger(BigInteger value) {
    return value.bitLength() <= 53 || value.abs().equals(BigInteger.ONE.shiftLeft(53));
  }
}
