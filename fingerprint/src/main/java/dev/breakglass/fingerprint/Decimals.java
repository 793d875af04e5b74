package dev.breakglass.fingerprint;

import java.math.BigDecimal;
import java.math.BigInteger;
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
   * on a tie the even one. Double.toString cannot be used: before JDK 19 it sometimes printed
   * one digit too many (JDK-4511638), and since JDK 19 it picks a two-digit decimal over a
   * one-digit one when the former is closer (4.9E-324 rather than 5E-324).
   *
   * ShortestDecimal computes these digits with integer arithmetic (the Schubfach algorithm,
   * adapted to ECMAScript's rule); every double-to-decimal conversion of the module goes
   * through it: Value.of(double) and Value.from, JSON reading, and RFC 8785 number output.
   * The exact definition, a search in BigDecimal arithmetic, is the reference model it is
   * tested against (ReferenceDecimals, in the tests).
   */

  private static final double TWO_53 = 9007199254740992.0;
  private static final String ZERO_TEXT = "0E0";

  /** 10^0 to 10^22, each exactly a double. */
  private static final double[] EXACT_POWERS_OF_TEN = {
      1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

  private Decimals() {}

  /** The decimal value of a finite double: the shortest decimal that reads back as it. */
  static Scalars.DecimalValue decimal(double x, Hasher hasher) {
    if (x == 0) {
      return new Scalars.DecimalValue(BigDecimal.ZERO, ZERO_TEXT, hasher);
    }
    return decimal(ShortestDecimal.of(x), x < 0, hasher);
  }

  /** The decimal value of a finite float: the shortest decimal that reads back as it. */
  static Scalars.DecimalValue decimal(float x, Hasher hasher) {
    if (x == 0) {
      return new Scalars.DecimalValue(BigDecimal.ZERO, ZERO_TEXT, hasher);
    }
    return decimal(ShortestDecimal.of(x), x < 0, hasher);
  }

  private static Scalars.DecimalValue decimal(ShortestDecimal d, boolean negative,
      Hasher hasher) {
    long signed = negative ? -d.significand() : d.significand();
    return new Scalars.DecimalValue(BigDecimal.valueOf(signed, -d.exponent()),
        Long.toString(signed) + 'E' + d.exponent(), hasher);
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
    return normalized.unscaledValue().toString() + 'E' + -(long) normalized.scale();
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
    ShortestDecimal d = ShortestDecimal.of(x);
    return BigDecimal.valueOf(x < 0 ? -d.significand() : d.significand(), -d.exponent());
  }

  /** The shortest decimal that reads back as the float {@code x}, normalized. */
  static BigDecimal shortest(float x) {
    if (!Float.isFinite(x)) {
      throw new IllegalArgumentException("a decimal must be finite, was " + x);
    }
    if (x == 0) {
      return BigDecimal.ZERO;
    }
    ShortestDecimal d = ShortestDecimal.of(x);
    return BigDecimal.valueOf(x < 0 ? -d.significand() : d.significand(), -d.exponent());
  }

  /** ECMAScript {@code Number.prototype.toString()} for a finite double (RFC 8785, 3.2.2.3). */
  static String ecmascript(double x) {
    StringBuilder out = new StringBuilder(26);
    appendEcmascript(out, x);
    return out.toString();
  }

  /** Appends {@link #ecmascript(double)} without an intermediate string. */
  static void appendEcmascript(StringBuilder out, double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("a decimal must be finite, was " + x);
    }
    if (x == 0) {
      out.append('0');
      return;
    }
    ShortestDecimal d = ShortestDecimal.of(x);
    char[] digits = new char[20];
    int k = 0;
    for (long n = d.significand(); n > 0; n /= 10) {
      digits[digits.length - 1 - k++] = (char) ('0' + n % 10);
    }
    int first = digits.length - k;
    int n = k + d.exponent(); // the value is 0.digits * 10^n
    if (x < 0) {
      out.append('-');
    }
    if (k <= n && n <= 21) {
      out.append(digits, first, k);
      for (int i = k; i < n; i++) {
        out.append('0');
      }
    } else if (0 < n && n <= 21) {
      out.append(digits, first, n).append('.').append(digits, first + n, k - n);
    } else if (-6 < n && n <= 0) {
      out.append("0.");
      for (int i = n; i < 0; i++) {
        out.append('0');
      }
      out.append(digits, first, k);
    } else {
      int e = n - 1;
      out.append(digits[first]);
      if (k > 1) {
        out.append('.').append(digits, first + 1, k - 1);
      }
      out.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
    }
  }

  /**
   * The double that a decimal value is the shortest decimal of, or NaN if there is none (it is
   * not the shortest decimal of the double nearest to it, or beyond the range of doubles): what
   * an I-JSON number can carry unchanged.
   */
  static double exactDouble(Scalars.DecimalValue decimal) {
    BigDecimal value = decimal.value;
    if (value.signum() == 0) {
      return 0;
    }
    if (value.precision() > 17) { // no shortest decimal of a double has more digits
      return Double.NaN;
    }
    long unscaled = value.unscaledValue().longValue();
    int scale = value.scale();
    double d;
    if (Math.abs(unscaled) < (1L << 53) && Math.abs(scale) < EXACT_POWERS_OF_TEN.length) {
      // both operands exact, so one correctly rounded operation gives the nearest double
      d = scale >= 0 ? unscaled / EXACT_POWERS_OF_TEN[scale]
          : unscaled * EXACT_POWERS_OF_TEN[-scale];
    } else {
      d = Double.parseDouble(decimal.canonical);
    }
    if (!Double.isFinite(d) || d == 0) {
      return Double.NaN;
    }
    ShortestDecimal shortest = ShortestDecimal.of(d);
    return shortest.exponent() == -scale
        && shortest.significand() == Math.abs(unscaled) ? d : Double.NaN;
  }

  /**
   * How a JSON number reads into the value model: an integer when the double is integral and
   * within +-2^53, else the shortest decimal of the double.
   */
  static Value fromJsonNumber(double d, Hasher hasher) {
    if (d == Math.rint(d) && Math.abs(d) <= TWO_53) {
      return Scalars.IntegerValue.of((long) d, hasher);
    }
    return decimal(d, hasher);
  }

  static boolean isSafeJsonInteger(BigInteger value) {
    return value.bitLength() <= 53 || value.abs().equals(BigInteger.ONE.shiftLeft(53));
  }
}
