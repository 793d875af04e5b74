package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pieces of {@link ShortestDecimal} that its correctness argument relies on, checked
 * exactly over their whole ranges, and the cases where ECMAScript's choice differs from
 * {@code Double.toString}.
 */
class ShortestDecimalTest {

  private static final int Q_MIN = -1074;
  private static final int Q_MAX = 971;

  /** A positive rational: 3^three * 2^two * 10^ten, compared exactly with BigIntegers. */
  private record Power(int three, int two, int ten) {
    BigInteger[] fraction() {
      BigInteger num = BigInteger.valueOf(3).pow(three);
      BigInteger den = BigInteger.ONE;
      if (two >= 0) {
        num = num.shiftLeft(two);
      } else {
        den = den.shiftLeft(-two);
      }
      if (ten >= 0) {
        num = num.multiply(BigInteger.TEN.pow(ten));
      } else {
        den = den.multiply(BigInteger.TEN.pow(-ten));
      }
      return new BigInteger[] {num, den};
    }

    int compareTo(Power other) {
      BigInteger[] a = fraction();
      BigInteger[] b = other.fraction();
      return a[0].multiply(b[1]).compareTo(b[0].multiply(a[1]));
    }
  }

  /** Whether {@code k} is floor(log10(x)): 10^k <= x < 10^(k+1). */
  private static boolean isFloorLog10(int k, Power x) {
    return new Power(0, 0, k).compareTo(x) <= 0 && x.compareTo(new Power(0, 0, k + 1)) < 0;
  }

  @Test
  void floorLog10Pow2_isExact_overEveryExponentOfADoubleOrFloat() {
    for (int q = -1200; q <= 1200; q++) {
      assertThat(isFloorLog10(ShortestDecimal.floorLog10Pow2(q), new Power(0, q, 0)))
          .as("q = %d", q).isTrue();
      assertThat(isFloorLog10(ShortestDecimal.floorLog10ThreeQuartersPow2(q),
          new Power(1, q - 2, 0))).as("q = %d", q).isTrue();
    }
  }

  @Test
  void floorLog2Pow10_isExact_overEveryTabulatedPower() {
    for (int e = -400; e <= 400; e++) {
      // the largest r with 2^r <= 10^e
      int r = ShortestDecimal.floorLog2Pow10(e);
      Power power = new Power(0, 0, e);
      assertThat(new Power(0, r, 0).compareTo(power)).as("e = %d", e).isLessThanOrEqualTo(0);
      assertThat(new Power(0, r + 1, 0).compareTo(power)).as("e = %d", e).isGreaterThan(0);
    }
  }

  @Test
  void scale_staysWithinTheTableAndTheShiftWithinItsBounds_forEveryExponent() {
    for (int q = Q_MIN; q <= Q_MAX; q++) {
      for (boolean irregular : new boolean[] {false, true}) {
        int k = irregular ? ShortestDecimal.floorLog10ThreeQuartersPow2(q)
            : ShortestDecimal.floorLog10Pow2(q);
        assertThat(-k).as("q = %d", q)
            .isBetween(ShortestDecimal.MIN_POWER, ShortestDecimal.MAX_POWER);
        int h = q + ShortestDecimal.floorLog2Pow10(-k) + 2;
        // (4c + 2) << h stays below 2^63 for a 53-bit c
        assertThat(h).as("q = %d", q).isBetween(2, 5);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // ECMAScript takes the one-digit decimal where Double.toString (JDK 19+) takes a closer
      // two-digit one
      "4.9E-324, 5, -324",
      "9.9E-324, 1, -323",
      "1.5E-323, 15, -324",
      "2.0E-323, 2, -323",
      // JDK 17's Double.toString prints 2.0E-3 as 0.0020 and some values with a digit too many
      "0.002, 2, -3",
      "1.0E23, 1, 23",
      "2.0E-3, 2, -3",
      "5.0E-324, 5, -324",
      // integers below 2^53 are themselves
      "9007199254740991, 9007199254740991, 0",
      "1200, 12, 2",
      // the irregular spacing at the bottom of a binade
      "4.503599627370496E15, 4503599627370496, 0",
      "2.2250738585072014E-308, 22250738585072014, -324",
      "1.7976931348623157E308, 17976931348623157, 292"
  })
  void of_double_knownCases(double x, long significand, int exponent) {
    assertThat(ShortestDecimal.of(x)).isEqualTo(new ShortestDecimal(significand, exponent));
  }

  @Test
  void of_float_knownCases() {
    assertThat(ShortestDecimal.of(Float.MIN_VALUE)).isEqualTo(new ShortestDecimal(1, -45));
    assertThat(ShortestDecimal.of(Float.MAX_VALUE)).isEqualTo(new ShortestDecimal(34028235, 31));
    assertThat(ShortestDecimal.of(0.1f)).isEqualTo(new ShortestDecimal(1, -1));
    assertThat(ShortestDecimal.of(16777216f)).isEqualTo(new ShortestDecimal(16777216, 0));
    assertThat(ShortestDecimal.of(1.17549435E-38f)).isEqualTo(new ShortestDecimal(11754944, -45));
  }

  @Test
  void of_ignoresTheSign() {
    assertThat(ShortestDecimal.of(-0.1)).isEqualTo(ShortestDecimal.of(0.1));
    assertThat(ShortestDecimal.of(-Double.MIN_VALUE)).isEqualTo(new ShortestDecimal(5, -324));
    assertThat(ShortestDecimal.of(-0.1f)).isEqualTo(ShortestDecimal.of(0.1f));
  }

  @Test
  void length_countsDigits() {
    assertThat(new ShortestDecimal(1, 0).length()).isEqualTo(1);
    assertThat(new ShortestDecimal(17976931348623157L, 292).length()).isEqualTo(17);
    assertThat(new ShortestDecimal(99, 0).length()).isEqualTo(2);
  }
}
