package dev.breakglass.fingerprint;

import java.math.BigInteger;

/**
 * The shortest decimal that reads back as a given {@code double} or {@code float}, and among
 * the shortest the closest, ties to an even last digit: the digits of ECMAScript's
 * {@code Number::toString} (ECMA-262), computed with 64-bit integer arithmetic only. Stateless
 * and thread-safe.
 *
 * @param significand the decimal's digits, positive, without trailing zeros
 * @param exponent the power of ten they are multiplied by
 */
record ShortestDecimal(long significand, int exponent) {

  /*
   * Design: the Schubfach algorithm of Raffaello Giulietti ("The Schubfach way to render
   * doubles", 2020, revised 2021), written for this library from the paper, with one change
   * for ECMAScript (below).
   *
   * A positive finite binary number is v = c * 2^q with an integer c (53 bits for a normal
   * double, fewer for a subnormal). The reals that round to v under round-half-even reading
   * form its rounding interval R = [vl, vr]: vl = (c - 1/2) * 2^q, vr = (c + 1/2) * 2^q, both
   * ends included when c is even (a tie reads back as the even c) and excluded when c is odd.
   * When c is a power of two and a smaller exponent exists (a normal v at the bottom of its
   * binade, "irregular spacing") the predecessor is only 2^(q-1) away, so vl = (c - 1/4) * 2^q.
   * The answer is the shortest decimal in R, and among those the one closest to v.
   *
   * Scale: k = floor(log10(2^q)) (irregular: floor(log10(3/4 * 2^q)), the width of R then
   * being 3/4 * 2^q), so the width of R measured in units of 10^k lies in [1, 10). Write
   * u, v', w for vl, v, vr in those units and s = floor(v').
   *   - A decimal with fewer digits than s lies on the coarser grid 10^(k+1). R is narrower
   *     than 10 units, so it holds at most one multiple of 10 units, and if it holds none no
   *     coarser grid point lies in R either. The only candidates are s' = 10 * floor(s / 10)
   *     and t' = s' + 10: if exactly one lies in R, it is the unique shortest decimal.
   *   - Otherwise the answer lies on the grid 10^k, and R (at least one unit wide, around v')
   *     holds s or t = s + 1; if both, the closer one wins, a tie going to the even one.
   * ECMAScript's rule differs from the paper's (and from Double.toString since JDK 19) in one
   * place: it counts significant digits and never asks for two. When s < 10 the candidates s
   * and t are one-digit decimals like t' = 10, so the coarser grid offers nothing shorter and
   * is skipped, and the closer of s and t wins (5E-324, not 4.9E-324, for Double.MIN_VALUE).
   *
   * Exact comparisons from approximate products: u, v' and w are c * 2^q / 10^k for c scaled
   * by 4 and offset (4c - 2 or 4c - 1, 4c, 4c + 2), computed as the product of that integer,
   * shifted left by h = q + floor(log2(10^-k)) + 2 bits (2 to 5), with g, a 126-bit
   * overestimate of 10^-k: g = floor(10^-k * 2^(125 - floor(log2(10^-k)))) + 1, keeping the top
   * of the product divided by 2^127. That yields 4u, 4v', 4w; we keep them "rounded to odd"
   * (rop: the floor, with its lowest bit set when the fraction is not zero). For an integer n,
   * rop(x) < 4n exactly when x < 4n, and rop(x) = 4n exactly when x = 4n, so every comparison
   * with a candidate (times 4) and with the midpoint 2(s + t) is exact. The paper proves
   * that, for every double, truncating the product to 63 fractional bits makes the rop of the
   * 126-bit approximation equal to the rop of the exact value: the overestimate is far below
   * 2^-63, and no exact value's fraction is that close to 0 or 1 without being 0. Floats (24
   * bits of c, exponents -149 to 104) take the same path with the same table, their products
   * being far smaller; the paper's bound is for doubles, so for floats the evidence is
   * exhaustive: ExhaustiveFloatCheck (test sources, run by hand) compares every positive float
   * with Float.toString and an exact search. DoubleToDecimalDifferentialTest compares doubles
   * and floats with the exact BigDecimal search (ReferenceDecimals) on every build.
   *
   * Integral doubles below 2^53 skip all this: the interval is at most one unit wide, so the
   * integer itself (trailing zeros removed) is the shortest and exact decimal.
   *
   * The 617 values of g for 10^-292 to 10^324 (every k a double or float needs) are computed
   * once with BigInteger when this class is initialized, which takes a few milliseconds.
   */

  // floor(q * log10(2)) = (q * LOG10_2) >> 40 for |q| <= 1200, and likewise for the others;
  // ShortestDecimalTest checks each formula exactly over its whole range.
  private static final long LOG10_2 = 330_985_980_541L; // floor(log10(2) * 2^40)
  private static final long LOG10_THREE_QUARTERS = -137_371_593_661L; // floor(log10(3/4) * 2^40)
  private static final long LOG2_10 = 913_124_641_741L; // floor(log2(10) * 2^38)

  /** The smallest power of ten whose g is tabulated: 10^-k for the largest k a double needs. */
  static final int MIN_POWER = -292;
  /** The largest power of ten whose g is tabulated: 10^-k for the smallest k (subnormals). */
  static final int MAX_POWER = 324;

  private static final long MASK_63 = (1L << 63) - 1;
  private static final long[] G = powersOfTen();

  private static final int DOUBLE_SIGNIFICAND_BITS = 52;
  private static final int DOUBLE_EXPONENT_BIAS = 1075; // q = biased exponent - 1075
  private static final int FLOAT_SIGNIFICAND_BITS = 23;
  private static final int FLOAT_EXPONENT_BIAS = 150;

  static int floorLog10Pow2(int q) {
    return (int) ((q * LOG10_2) >> 40);
  }

  static int floorLog10ThreeQuartersPow2(int q) {
    return (int) ((q * LOG10_2 + LOG10_THREE_QUARTERS) >> 40);
  }

  static int floorLog2Pow10(int e) {
    return (int) ((e * LOG2_10) >> 38);
  }

  /**
   * g for 10^e, e in [MIN_POWER, MAX_POWER]: {@code G[2i]} holds bits 63 to 125 and
   * {@code G[2i + 1]} bits 0 to 62, where i = e - MIN_POWER.
   */
  private static long[] powersOfTen() {
    long[] table = new long[2 * (MAX_POWER - MIN_POWER + 1)];
    BigInteger mask = BigInteger.valueOf(MASK_63);
    for (int e = MIN_POWER; e <= MAX_POWER; e++) {
      int shift = 125 - floorLog2Pow10(e);
      BigInteger scaled; // floor(10^e * 2^shift)
      if (e >= 0) {
        BigInteger power = BigInteger.TEN.pow(e);
        scaled = shift >= 0 ? power.shiftLeft(shift) : power.shiftRight(-shift);
      } else {
        scaled = BigInteger.ONE.shiftLeft(shift).divide(BigInteger.TEN.pow(-e));
      }
      BigInteger g = scaled.add(BigInteger.ONE);
      if (g.bitLength() != 126) {
        throw new AssertionError("g(10^" + e + ") has " + g.bitLength() + " bits, expected 126");
      }
      int i = 2 * (e - MIN_POWER);
      table[i] = g.shiftRight(63).longValueExact();
      table[i + 1] = g.and(mask).longValueExact();
    }
    return table;
  }

  /**
   * The shortest decimal of a finite, nonzero double's magnitude.
   *
   * @param x a finite double other than zero; its sign is ignored
   * @return the decimal
   */
  static ShortestDecimal of(double x) {
    long bits = Double.doubleToRawLongBits(x);
    long fraction = bits & ((1L << DOUBLE_SIGNIFICAND_BITS) - 1);
    int biased = (int) (bits >>> DOUBLE_SIGNIFICAND_BITS) & 0x7FF;
    if (biased == 0) { // subnormal: c = fraction, q = the smallest exponent
      return of(fraction, 1 - DOUBLE_EXPONENT_BIAS, false);
    }
    long c = fraction | (1L << DOUBLE_SIGNIFICAND_BITS);
    int q = biased - DOUBLE_EXPONENT_BIAS;
    if (q < 0 && q >= -DOUBLE_SIGNIFICAND_BITS && (c & ((1L << -q) - 1)) == 0) {
      return integral(c >> -q); // an integer below 2^53
    }
    return of(c, q, fraction == 0 && biased > 1);
  }

  /**
   * The shortest decimal, for a float's precision, of a finite, nonzero float's magnitude.
   *
   * @param x a finite float other than zero; its sign is ignored
   * @return the decimal
   */
  static ShortestDecimal of(float x) {
    int bits = Float.floatToRawIntBits(x);
    int fraction = bits & ((1 << FLOAT_SIGNIFICAND_BITS) - 1);
    int biased = (bits >>> FLOAT_SIGNIFICAND_BITS) & 0xFF;
    if (biased == 0) {
      return of(fraction, 1 - FLOAT_EXPONENT_BIAS, false);
    }
    long c = fraction | (1L << FLOAT_SIGNIFICAND_BITS);
    int q = biased - FLOAT_EXPONENT_BIAS;
    if (q < 0 && q >= -FLOAT_SIGNIFICAND_BITS && (c & ((1L << -q) - 1)) == 0) {
      return integral(c >> -q);
    }
    return of(c, q, fraction == 0 && biased > 1);
  }

  private static ShortestDecimal integral(long n) {
    return stripped(n, 0);
  }

  /** The algorithm of the design comment, for v = c * 2^q with c > 0. */
  private static ShortestDecimal of(long c, int q, boolean irregular) {
    int k = irregular ? floorLog10ThreeQuartersPow2(q) : floorLog10Pow2(q);
    int h = q + floorLog2Pow10(-k) + 2;
    int i = 2 * (-k - MIN_POWER);
    long gHigh = G[i];
    long gLow = G[i + 1];
    long open = c & 1; // an odd c excludes the interval's ends
    long cv = c << 2;
    long v = roundToOdd(gHigh, gLow, cv << h);
    long u = roundToOdd(gHigh, gLow, (cv - (irregular ? 1 : 2)) << h);
    long w = roundToOdd(gHigh, gLow, (cv + 2) << h);
    long s = v >> 2;
    if (s >= 10) {
      long coarse = s / 10 * 10;
      long coarseUp = coarse + 10;
      boolean coarseIn = u + open <= coarse << 2;
      boolean coarseUpIn = (coarseUp << 2) + open <= w;
      if (coarseIn != coarseUpIn) {
        return stripped(coarseIn ? coarse : coarseUp, k);
      }
    }
    long t = s + 1;
    boolean sIn = u + open <= s << 2;
    boolean tIn = (t << 2) + open <= w;
    if (sIn != tIn) {
      return stripped(sIn ? s : t, k);
    }
    long fromMidpoint = v - ((s + t) << 1); // sign of v' - (s + t) / 2, exactly
    boolean lower = fromMidpoint < 0 || (fromMidpoint == 0 && (s & 1) == 0);
    return stripped(lower ? s : t, k);
  }

  /**
   * rop(g * cp / 2^127) with g = gHigh * 2^63 + gLow, keeping 63 fractional bits: the floor,
   * or'ed with 1 if any of those bits is set. {@code cp < 2^63}.
   */
  private static long roundToOdd(long gHigh, long gLow, long cp) {
    // g * cp = gHigh * cp * 2^63 + gLow * cp; with gHigh * cp = y1 * 2^64 + y0 and
    // gLow * cp = x1 * 2^64 + x0, dividing by 2^127 gives y1 + (y0 / 2 + x1) / 2^63 + ...
    long x1 = Math.multiplyHigh(gLow, cp); // both operands below 2^63: no sign correction
    long y0 = gHigh * cp;
    long y1 = Math.multiplyHigh(gHigh, cp);
    long z = (y0 >>> 1) + x1; // below 2^64: the carry into the integer part is bit 63
    long integer = y1 + (z >>> 63);
    long sticky = ((z & MASK_63) + MASK_63) >>> 63; // 1 when a fractional bit is set
    return integer | sticky;
  }

  private static ShortestDecimal stripped(long digits, int exponent) {
    long n = digits;
    int e = exponent;
    while (n % 10 == 0) {
      n /= 10;
      e++;
    }
    return new ShortestDecimal(n, e);
  }

  /**
   * The number of decimal digits of the significand.
   *
   * @return 1 to 17
   */
  int length() {
    long n = significand;
    int length = 1;
    while (n >= 10) {
      n /= 10;
      length++;
    }
    return length;
  }
}
