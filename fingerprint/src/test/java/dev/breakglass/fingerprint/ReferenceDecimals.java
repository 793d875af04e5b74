package dev.breakglass.fingerprint;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The double-to-decimal conversions as they were before {@link ShortestDecimal}: exact
 * BigDecimal searches behind a {@code Double.toString} fast path, slow (up to 100 us for an
 * arbitrary bit pattern) and correct, kept verbatim as the reference model that the fast
 * algorithm is compared against. Not used by the library.
 */
final class ReferenceDecimals {

  /** A decimal value and its canonical text, as {@code Decimals.decimal(double, Hasher)} was. */
  record Decimal(BigDecimal value, String canonical) {}

  private static final BigDecimal HALF = new BigDecimal("0.5");

  private ReferenceDecimals() {}

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
   * {@code shortest(double)}.
   */
  static Decimal decimal(double x) {
    Decimal fast = decimalFastPath(x);
    if (fast != null) {
      return fast;
    }
    BigDecimal shortest = shortest(x);
    return new Decimal(shortest, Decimals.canonicalText(shortest));
  }

  /** The fast path of {@link #decimal(double)} alone, or null where it does not apply. */
  static @org.jspecify.annotations.Nullable Decimal decimalFastPath(double x) {
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
          return new Decimal(BigDecimal.valueOf(signed, scale),
              Long.toString(signed) + 'E' + (-scale));
        }
      }
    }
    return null;
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
    return Decimals.normalize(x < 0 ? result.negate() : result);
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
    return Decimals.normalize(x < 0 ? result.negate() : result);
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
    return ecmascript(x, x == 0 ? BigDecimal.ZERO : shortest(x));
  }

  /** {@link #ecmascript(double)} given {@code shortest(x)}, so a test computes it once. */
  static String ecmascript(double x, BigDecimal d) {
    if (x == 0) {
      return "0";
    }
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

  /** Reads what {@code Double.toString} prints ({@code 1.25E-5}, {@code 0.0020}) as digits. */
  static ShortestDecimal parseJavaFormat(String text) {
    long digits = 0;
    int exponent = 0;
    boolean fraction = false;
    int i = 0;
    for (; i < text.length() && text.charAt(i) != 'E'; i++) {
      char c = text.charAt(i);
      if (c == '.') {
        fraction = true;
      } else {
        digits = digits * 10 + (c - '0');
        if (fraction) {
          exponent--;
        }
      }
    }
    if (i < text.length()) {
      exponent += Integer.parseInt(text.substring(i + 1));
    }
    while (digits % 10 == 0) {
      digits /= 10;
      exponent++;
    }
    return new ShortestDecimal(digits, exponent);
  }
}
