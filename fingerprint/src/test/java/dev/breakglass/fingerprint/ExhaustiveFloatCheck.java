package dev.breakglass.fingerprint;

import java.math.BigDecimal;

/**
 * Compares the shortest decimal of every positive finite float (2,139,095,039 of them) with
 * {@code Float.toString}, which is shortest-and-closest since JDK 19, and where they differ
 * (one-digit decimals, which {@code Float.toString} never prints) with the exact search of
 * {@link ReferenceDecimals}. Too slow for the test suite (minutes); run it by hand on JDK 19 or
 * later after changing {@link ShortestDecimal}:
 *
 * <pre>
 * mvn -B -q -pl fingerprint -am test-compile
 * java -cp fingerprint/target/classes:fingerprint/target/test-classes \
 *     dev.breakglass.fingerprint.ExhaustiveFloatCheck
 * </pre>
 *
 * <p>It prints every mismatch and exits with status 1 if there is one.
 */
final class ExhaustiveFloatCheck {

  private ExhaustiveFloatCheck() {}

  public static void main(String[] args) {
    if (Runtime.version().feature() < 19) {
      throw new IllegalStateException("Float.toString is shortest only since JDK 19");
    }
    long differences = 0;
    long mismatches = 0;
    for (int bits = 1; bits < 0x7f800000; bits++) {
      float x = Float.intBitsToFloat(bits);
      ShortestDecimal mine = ShortestDecimal.of(x);
      if (mine.equals(ReferenceDecimals.parseJavaFormat(Float.toString(x)))) {
        continue;
      }
      differences++;
      BigDecimal exact = ReferenceDecimals.exactShortest(x);
      if (mine.length() != 1
          || exact.compareTo(BigDecimal.valueOf(mine.significand(), -mine.exponent())) != 0) {
        mismatches++;
        System.out.println("MISMATCH " + x + " (bits 0x" + Integer.toHexString(bits) + "): "
            + mine + ", exact " + exact);
      }
    }
    System.out.println(differences + " one-digit differences from Float.toString, "
        + mismatches + " mismatches");
    System.exit(mismatches == 0 ? 0 : 1);
  }
}
