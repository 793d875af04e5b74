package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
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

  /** floor(log10(2^q)), exactly: the largest k with 10^k <= 2^q. */
  private static int exactFloorLog10(BigDecimal x) {
    int k = x.precision() - x.scale() - 1; // the position of the leading digit
    return k;
  }

  private static BigDecimal pow2(int q) {
    return q >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(q))
        : BigDecimal.ONE.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-q)));
  }

  @Test
  void floorLog10Pow2_isExact_overEveryExponentOfADoubleOrFloat() {
    for (int q = -1200; q <= 1200; q++) {
      assertThat(ShortestDecimal.floorLog10Pow2(q)).as("q = %d", q)
          .isEqualTo(exactFloorLog10(pow2(q)));
      assertThat(ShortestDecimal.floorLog10ThreeQuartersPow2(q)).as("q = %d", q)
          .isEqualTo(exactFloorLog10(pow2(q).multiply(new BigDecimal("0.75"))));
    }
  }

  @Test
  void floorLog2Pow10_isExact_overEveryTabulatedPower() {
    for (int e = -400; e <= 400; e++) {
      // the largest r with 2^r <= 10^e
      BigDecimal power = BigDecimal.ONE.scaleByPowerOfTen(e);
      int r = ShortestDecimal.floorLog2Pow10(e);
      assertThat(pow2(r).compareTo(power)).as("e = %d", e).isLessThanOrEqualTo(0);
      assertThat(pow2(r + 1).compareTo(power)).as("e = %d", e).isGreaterThan(0);
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
