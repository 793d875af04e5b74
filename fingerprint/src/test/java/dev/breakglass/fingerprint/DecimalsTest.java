package dev.breakglass.fingerprint;

import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.testing.Gen;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shortest round-trip decimal of a double or float (ECMAScript's Number::toString digits),
 * which must come out the same on every JDK although {@code Double.toString} does not.
 */
class DecimalsTest {

  /** RFC 8785, Appendix B: IEEE 754 bit patterns and their ECMAScript serialization. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "0000000000000000, 0",
      "8000000000000000, 0",
      "0000000000000001, 5e-324",
      "8000000000000001, -5e-324",
      "7fefffffffffffff, 1.7976931348623157e+308",
      "ffefffffffffffff, -1.7976931348623157e+308",
      "4340000000000000, 9007199254740992",
      "c340000000000000, -9007199254740992",
      "4430000000000000, 295147905179352830000",
      "44b52d02c7e14af5, 9.999999999999997e+22",
      "44b52d02c7e14af6, 1e+23",
      "44b52d02c7e14af7, 1.0000000000000001e+23",
      "444b1ae4d6e2ef4e, 999999999999999700000",
      "444b1ae4d6e2ef4f, 999999999999999900000",
      "444b1ae4d6e2ef50, 1e+21",
      "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
      "3eb0c6f7a0b5ed8d, 0.000001",
      "41b3de4355555553, 333333333.3333332",
      "41b3de4355555554, 333333333.33333325",
      "41b3de4355555555, 333333333.3333333",
      "41b3de4355555556, 333333333.3333334",
      "41b3de4355555557, 333333333.33333343",
      "becbf647612f3696, -0.0000033333333333333333",
      "43143ff3c1cb0959, 1424953923781206.2"
  })
  void ecmascript_rfc8785AppendixB(String bits, String expected) {
    double x = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
    assertThat(Decimals.ecmascript(x)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "0.002, 0.002",
      "1e-7, 1e-7",
      "123.0, 123",
      "1e21, 1e+21",
      "1e20, 100000000000000000000",
      "-1.5, -1.5",
      "0.1, 0.1",
      "100, 100",
      "2.5e-5, 0.000025",
      "1.2345e-7, 1.2345e-7"
  })
  void ecmascript_exponentRules(double x, String expected) {
    assertThat(Decimals.ecmascript(x)).isEqualTo(expected);
  }

  @Test
  void ecmascript_nonFinite_isRejected() {
    assertThatThrownBy(() -> Decimals.ecmascript(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a decimal must be finite, was NaN");
  }

  @Test
  void shortest_prefersOneDigitOverACloserTwoDigitDecimal() {
    // Double.toString(Double.MIN_VALUE) is "4.9E-324" since JDK 19; the shortest is 5E-324
    assertThat(Decimals.shortest(Double.MIN_VALUE)).isEqualTo(new BigDecimal("5E-324"));
    assertThat(Decimals.shortest(Float.MIN_VALUE)).isEqualTo(new BigDecimal("1E-45"));
    // JDK 17 prints 2.0E-3 as "0.0020"; 1.0E23 has the famous neighbour 9.999999999999999E22
    assertThat(Decimals.shortest(2e-3)).isEqualTo(new BigDecimal("0.002"));
    assertThat(Decimals.shortest(1e23)).isEqualTo(new BigDecimal("1E+23"));
  }

  @Test
  void shortest_readsBack_andFastPathAgreesWithExactSearch() {
    forAll(doubles()).tries(3000).check(x -> {
      BigDecimal shortest = Decimals.shortest(x);
      assertThat(Double.parseDouble(shortest.toString())).isEqualTo(x == 0 ? 0.0 : x);
      // the long-arithmetic fast path of decimal(double) gives the same value and text
      Scalars.DecimalValue value = Decimals.decimal(x, new Hasher());
      assertThat(value.value).isEqualTo(shortest);
      assertThat(value.canonical).isEqualTo(Decimals.canonicalText(shortest));
      if (x != 0) {
        BigDecimal exact = ReferenceDecimals.exactShortest(Math.abs(x));
        assertThat(shortest.abs()).isEqualByComparingTo(exact);
        // never longer than Double.toString, which always reads back
        BigDecimal jdk = new BigDecimal(Double.toString(Math.abs(x))).stripTrailingZeros();
        assertThat(shortest.precision()).isLessThanOrEqualTo(jdk.precision());
        if (Runtime.version().feature() >= 19 && shortest.precision() >= 2) {
          // since JDK 19 (JDK-4511638) Double.toString is shortest-and-closest too, except that
          // it may prefer a closer two-digit decimal when one digit would do
          assertThat(shortest.abs()).isEqualByComparingTo(jdk);
        }
      }
    });
  }

  @Test
  void shortest_float_readsBack_andFastPathAgreesWithExactSearch() {
    forAll(floats()).tries(1000).check(x -> {
      BigDecimal shortest = Decimals.shortest(x);
      assertThat(Float.parseFloat(shortest.toString())).isEqualTo(x == 0 ? 0.0f : x);
      if (x != 0) {
        assertThat(shortest.abs())
            .isEqualByComparingTo(ReferenceDecimals.exactShortest(Math.abs(x)));
      }
    });
  }

  static Gen<Double> doubles() {
    return Gen.oneOf(
        Gen.longs().map(Double::longBitsToDouble).filter(Double::isFinite),
        Gen.longs(0, 1L << 52).map(Double::longBitsToDouble), // subnormals
        Gen.ints(-1074, 1023).map(e -> Math.scalb(1.0, e)), // powers of 2
        Gen.ints(-1_000_000, 1_000_000).map(i -> i / 1000.0),
        Gen.longs(-999_999_999_999_999L, 999_999_999_999_999L)
            .map(m -> m / Math.pow(10, Math.floorMod(m, 19))), // up to 15 digits, any scale
        Gen.of(Double.MAX_VALUE, Double.MIN_VALUE, Double.MIN_NORMAL, 0.1 + 0.2, 1e23,
            5e-324, 9007199254740993.0, 0.0, -0.0));
  }

  static Gen<Float> floats() {
    return Gen.oneOf(
        Gen.ints().map(Float::intBitsToFloat).filter(Float::isFinite),
        Gen.ints(-149, 127).map(e -> Math.scalb(1.0f, e)),
        Gen.of(Float.MAX_VALUE, Float.MIN_VALUE, Float.MIN_NORMAL, 0.1f, 16777217f));
  }

  @Test
  void canonicalText_isCoefficientAndExponent() {
    assertThat(Decimals.canonicalText(Decimals.normalize(new BigDecimal("-123.4500"))))
        .isEqualTo("-12345E-2");
    assertThat(Decimals.canonicalText(Decimals.normalize(new BigDecimal("0.000"))))
        .isEqualTo("0E0");
    assertThat(Decimals.canonicalText(Decimals.normalize(new BigDecimal("1200"))))
        .isEqualTo("12E2");
    assertThat(Decimals.parseCanonical("12E2")).isEqualTo(new BigDecimal("12E2"));
    assertThat(Decimals.parseCanonical("12E2147483648")).isNull();
    assertThatThrownBy(() -> Value.of(new BigDecimal(java.math.BigInteger.ONE, Integer.MIN_VALUE)))
        .hasMessageStartingWith("decimal exponent out of range (must fit in 32 bits)");
  }

  /**
   * Regression: stripping the trailing zero of 10 with a scale near Integer.MIN_VALUE threw
   * ArithmeticException ("Overflow"), which Value.from did not catch, losing the path.
   */
  @Test
  void normalize_scaleThatWouldOverflow_isAnIllegalArgumentNamingTheValue() {
    BigDecimal tens = new BigDecimal(java.math.BigInteger.TEN, Integer.MIN_VALUE + 1);
    assertThatThrownBy(() -> Value.of(new BigDecimal(java.math.BigInteger.valueOf(100),
            Integer.MIN_VALUE + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("decimal exponent out of range (must fit in 32 bits), was 1.00E+2147483649");
    assertThatThrownBy(() -> Value.from(java.util.Map.of("limits", java.util.List.of(tens))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("limits[0]: decimal exponent out of range");
  }
}
