package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleConsumer;
import org.junit.jupiter.api.Test;

/**
 * The fast double-to-decimal conversion ({@link ShortestDecimal}, through {@link Decimals})
 * against the exact one it replaced ({@link ReferenceDecimals}), and, for millions of random
 * bit patterns, against the definition itself.
 *
 * <p>The reference costs up to 100 us per arbitrary double, so it sees every edge family in
 * full and a random sample; the millions are checked by what defines the answer (it reads back,
 * no shorter decimal reads back, no same-length neighbour that reads back is closer), with
 * {@code Double.parseDouble} and exact BigInteger arithmetic, and on JDK 19 and later also
 * against {@code Double.toString}, an independent shortest-and-closest implementation.
 *
 * <p>Each run uses a new seed, printed in every failure; rerun one with
 * {@code -Dbreakglass.seed=<seed>}.
 */
class DoubleToDecimalDifferentialTest {

  private static final long SEED = Long.getLong("breakglass.seed", new Random().nextLong());
  private static final int RANDOM_AGAINST_REFERENCE = 2_000;
  private static final int RANDOM_AGAINST_DEFINITION = 30_000;
  private static final int RANDOM_ROUND_TRIP = 2_000_000;

  private static String where(double x) {
    return "x = " + x + " (bits 0x" + Long.toHexString(Double.doubleToRawLongBits(x))
        + "), seed " + SEED + " (rerun with -Dbreakglass.seed=" + SEED + ")";
  }

  private static String where(float x) {
    return "x = " + x + "f (bits 0x" + Integer.toHexString(Float.floatToRawIntBits(x))
        + "), seed " + SEED + " (rerun with -Dbreakglass.seed=" + SEED + ")";
  }

  /**
   * Every conversion of the module agrees with the reference for {@code x} and, without
   * consulting the reference again, for {@code -x}.
   */
  private static void matchesReference(double signed) {
    double x = Math.abs(signed);
    BigDecimal reference = ReferenceDecimals.shortest(x);
    ReferenceDecimals.Decimal fast = ReferenceDecimals.decimalFastPath(x);
    ReferenceDecimals.Decimal old = fast != null ? fast
        : new ReferenceDecimals.Decimal(reference, Decimals.canonicalText(reference));
    String ecmascript = ReferenceDecimals.ecmascript(x, reference);
    for (int sign = 0; sign < 2; sign++) {
      double y = sign == 0 ? x : -x;
      assertThat(Decimals.shortest(y)).as(where(y)).isEqualTo(reference);
      Scalars.DecimalValue value = Decimals.decimal(y, new Hasher());
      assertThat(value.value).as(where(y)).isEqualTo(old.value());
      assertThat(value.canonical).as(where(y)).isEqualTo(old.canonical());
      assertThat(value.canonical).as(where(y)).isEqualTo(Decimals.canonicalText(reference));
      assertThat(Decimals.ecmascript(y)).as(where(y)).isEqualTo(ecmascript);
      // what RFC 8785 output accepts as exactly a double
      assertThat(Decimals.exactDouble(value)).as(where(y)).isEqualTo(y == 0 ? 0.0 : y);
      if (reference.signum() != 0) {
        reference = reference.negate();
        old = new ReferenceDecimals.Decimal(old.value().negate(),
            Decimals.canonicalText(old.value().negate()));
        ecmascript = "-" + ecmascript;
      }
    }
  }

  private static void matchesReference(float x) {
    BigDecimal reference = ReferenceDecimals.shortest(x);
    assertThat(Decimals.shortest(x)).as(where(x)).isEqualTo(reference);
    assertThat(Decimals.decimal(x, new Hasher()).value).as(where(x)).isEqualTo(reference);
    assertThat(Decimals.shortest(-x)).as(where(-x)).isEqualTo(reference.negate());
  }

  // ------------------------------------------------------------------------ edge families

  /** Every edge family (positive; the checks add the negatives). */
  static List<Double> edgeCases() {
    List<Double> out = new ArrayList<>();
    DoubleConsumer add = x -> {
      if (Double.isFinite(x)) {
        out.add(Math.abs(x));
      }
    };
    // zeros, extremes
    for (double x : new double[] {0.0, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
        Math.nextDown(Double.MIN_NORMAL), Math.nextUp(Double.MIN_NORMAL),
        Math.nextDown(Double.MAX_VALUE), 9007199254740991.0, 9007199254740992.0,
        9007199254740994.0, 0.1 + 0.2, 1e23, 5e-324, 1.0, 0.5, 2.0 / 3}) {
      add.accept(x);
    }
    // subnormals: the smallest, the largest
    for (long bits = 1; bits <= 300; bits++) {
      add.accept(Double.longBitsToDouble(bits));
      add.accept(Double.longBitsToDouble((1L << 52) - bits));
    }
    // every power of two and the double below it (the irregular spacing at a binade's bottom)
    for (int e = -1074; e <= 1023; e++) {
      double p = Math.scalb(1.0, e);
      add.accept(p);
      add.accept(Math.nextDown(p));
      if (e % 4 == 0) {
        add.accept(Math.nextUp(p));
        add.accept(p * 1.5);
      }
    }
    // every power of ten, its neighbours, and two and five times it
    for (int e = -324; e <= 308; e++) {
      double p = Double.parseDouble("1e" + e);
      add.accept(p);
      add.accept(Math.nextUp(p));
      add.accept(Math.nextDown(p));
      if (e % 3 == 0) {
        add.accept(Double.parseDouble("2e" + e));
        add.accept(Double.parseDouble("5e" + e));
      }
    }
    // around ECMAScript's switches between plain and exponent notation (1e21, 1e-6 and 1e-7)
    for (double threshold : new double[] {1e21, 1e-6, 1e-7, 1e20, 1e-5}) {
      double up = threshold;
      double down = threshold;
      for (int i = 0; i < 50; i++) {
        up = Math.nextUp(up);
        down = Math.nextDown(down);
        add.accept(up);
        add.accept(down);
      }
      for (int digits = 1; digits <= 17; digits++) {
        add.accept(threshold * (1 + Math.pow(10, -digits)));
        add.accept(threshold * (1 - Math.pow(10, -digits)));
      }
    }
    // integers around 2^53, where the integral shortcut ends
    for (long n = (1L << 53) - 100; n <= (1L << 53) + 100; n++) {
      add.accept((double) n);
    }
    return out;
  }

  @Test
  void edgeCases_matchTheReference() {
    List<Double> cases = edgeCases();
    assertThat(cases).hasSizeGreaterThan(7_000);
    for (double x : cases) {
      matchesReference(x);
    }
  }

  @Test
  void randomBitPatternsAndShortDecimals_matchTheReference() {
    Random random = new Random(SEED);
    for (int i = 0; i < RANDOM_AGAINST_REFERENCE; i++) {
      double x = Double.longBitsToDouble(random.nextLong());
      if (Double.isFinite(x)) {
        matchesReference(x);
      }
      // decimals of 1 to 17 random digits at any scale: the reference's fast path, and the
      // doubles whose shortest decimal is short
      int digits = 1 + random.nextInt(17);
      long significand = Math.floorMod(random.nextLong(), pow10(digits));
      double y = Double.parseDouble(significand + "e" + (random.nextInt(640) - 330));
      if (Double.isFinite(y)) {
        matchesReference(y);
      }
    }
  }

  @Test
  void floats_edgeCasesAndRandomBitPatterns_matchTheReference() {
    List<Float> cases = new ArrayList<>();
    for (int bits = 1; bits <= 500; bits++) {
      cases.add(Float.intBitsToFloat(bits));
      cases.add(Float.intBitsToFloat((1 << 23) - bits));
    }
    for (int e = -149; e <= 127; e++) {
      float p = Math.scalb(1.0f, e);
      cases.add(p);
      cases.add(Math.nextUp(p));
      cases.add(Math.nextDown(p));
    }
    for (int e = -45; e <= 38; e++) {
      cases.add(Float.parseFloat("1e" + e));
    }
    cases.add(Float.MAX_VALUE);
    cases.add(Float.MIN_NORMAL);
    cases.add(16777217f);
    Random random = new Random(SEED);
    for (int i = 0; i < 5_000; i++) {
      cases.add(Math.abs(Float.intBitsToFloat(random.nextInt())));
    }
    for (float x : cases) {
      if (Float.isFinite(x)) {
        matchesReference(x);
      }
    }
  }

  // ----------------------------------------------------------------------- the definition

  @Test
  void randomBitPatterns_areTheShortestClosestDecimalThatReadsBack() {
    Random random = new Random(SEED ^ 0x9E3779B97F4A7C15L);
    for (int i = 0; i < RANDOM_AGAINST_DEFINITION; i++) {
      double x = Math.abs(Double.longBitsToDouble(random.nextLong()));
      if (Double.isFinite(x) && x != 0) {
        checkDefinition(x);
      }
    }
  }

  /**
   * Millions of random bit patterns agree with {@code Double.toString}, or read back. Since
   * JDK 19 (JDK-4511638) that is shortest-and-closest too, except that it never prints one
   * digit: where one digit would do, it may print a closer two-digit decimal (4.9E-324, where
   * ECMAScript says 5E-324); those cases are checked against the reference. Before JDK 19 it
   * sometimes printed a digit too many or not the closest decimal, but it always read back, so
   * ours is never longer; and a normal double has at most one decimal of at most 15 digits that
   * reads back (the design comment of {@link ReferenceDecimals#decimalFastPath}), so where it
   * printed one, it is ours.
   */
  @Test
  void millionsOfRandomBitPatterns_readBack_andAgreeWithDoubleToString() {
    boolean shortestSinceJdk19 = Runtime.version().feature() >= 19;
    Random random = new Random(SEED ^ 0xC2B2AE3D27D4EB4FL);
    int oneDigitDifferences = 0;
    int checked = 0;
    while (checked < RANDOM_ROUND_TRIP) {
      double x = Math.abs(Double.longBitsToDouble(random.nextLong()));
      if (!Double.isFinite(x) || x == 0) {
        continue;
      }
      checked++;
      ShortestDecimal mine = ShortestDecimal.of(x);
      ShortestDecimal jdk = ReferenceDecimals.parseJavaFormat(Double.toString(x));
      if (jdk.equals(mine)) {
        continue; // what Double.toString prints reads back
      }
      assertThat(readsBackAs(mine.significand(), mine.exponent(), x))
          .as("does not read back: %s", where(x)).isTrue();
      if (shortestSinceJdk19) {
        assertThat(mine.length()).as("differs from Double.toString (%s): %s", jdk, where(x))
            .isEqualTo(1);
        matchesReference(x);
        oneDigitDifferences++;
      } else {
        assertThat(mine.length()).as("longer than Double.toString (%s): %s", jdk, where(x))
            .isLessThanOrEqualTo(jdk.length());
        assertThat(jdk.length() > 15 || x < Double.MIN_NORMAL)
            .as("differs from Double.toString (%s): %s", jdk, where(x)).isTrue();
      }
    }
    assertThat(oneDigitDifferences).as("seed %d", SEED).isLessThan(RANDOM_ROUND_TRIP / 1000);
  }

  /**
   * Checks the three properties that define the shortest decimal of {@code x > 0}, given by
   * {@link ShortestDecimal} as N * 10^e with L digits.
   */
  private static void checkDefinition(double x) {
    ShortestDecimal d = ShortestDecimal.of(x);
    long n = d.significand();
    int e = d.exponent();
    assertThat(n % 10).as("trailing zero: %s", where(x)).isNotZero();
    // 1. it reads back
    assertThat(readsBackAs(n, e, x)).as("does not read back: %s", where(x)).isTrue();
    // 2. nothing shorter reads back: if any decimal of fewer digits did, so would one of the
    //    two multiples of 10^(e+1) around N * 10^e (the rounding interval is convex)
    if (n >= 10) {
      assertThat(readsBackAs(n / 10, e + 1, x) || readsBackAs(n / 10 + 1, e + 1, x))
          .as("a shorter decimal reads back: %s", where(x)).isFalse();
    }
    // 3. no neighbour of the same length that reads back is closer (or as close and even)
    for (long neighbour : new long[] {n - 1, n + 1}) {
      if (neighbour > 0 && readsBackAs(neighbour, e, x)) {
        // compare x with the midpoint (N + neighbour) / 2 * 10^e, exactly
        int cmp = compareExactly(x, n + neighbour, e); // sign of x - (n + neighbour) * 10^e / 2
        boolean neighbourCloser = neighbour > n ? cmp > 0 : cmp < 0;
        boolean tieToEvenNeighbour = cmp == 0 && (neighbour & 1) == 0;
        assertThat(neighbourCloser || tieToEvenNeighbour)
            .as("%d * 10^%d is closer: %s", neighbour, e, where(x)).isFalse();
      }
    }
  }

  private static boolean readsBackAs(long n, int e, double x) {
    return Double.parseDouble(n + "E" + e) == x;
  }

  private static final BigInteger[] POWERS_OF_FIVE = new BigInteger[400];

  private static BigInteger pow5(int e) {
    BigInteger p = POWERS_OF_FIVE[e];
    if (p == null) {
      p = BigInteger.valueOf(5).pow(e);
      POWERS_OF_FIVE[e] = p;
    }
    return p;
  }

  /** The sign of {@code x - twiceM * 10^e / 2}, exactly, for a finite {@code x > 0}. */
  static int compareExactly(double x, long twiceM, int e) {
    long bits = Double.doubleToRawLongBits(x);
    int biased = (int) (bits >>> 52);
    long c = biased == 0 ? bits & ((1L << 52) - 1) : (bits & ((1L << 52) - 1)) | (1L << 52);
    int q = biased == 0 ? -1074 : biased - 1075;
    // x - twiceM * 10^e / 2 = c * 2^q - twiceM * 5^e * 2^(e-1); scale both by 5^-e if e < 0
    BigInteger left = BigInteger.valueOf(c);
    BigInteger right = BigInteger.valueOf(twiceM);
    if (e >= 0) {
      right = right.multiply(pow5(e));
    } else {
      left = left.multiply(pow5(-e));
    }
    int leftTwos = q;
    int rightTwos = e - 1;
    int common = Math.min(leftTwos, rightTwos);
    left = left.shiftLeft(leftTwos - common);
    right = right.shiftLeft(rightTwos - common);
    return left.compareTo(right);
  }

  private static long pow10(int digits) {
    long p = 1;
    for (int i = 0; i < digits; i++) {
      p *= 10;
    }
    return p;
  }

  @Test
  void parseJavaFormat_readsEveryForm() {
    assertThat(ReferenceDecimals.parseJavaFormat("1.25E-5"))
        .isEqualTo(new ShortestDecimal(125, -7));
    assertThat(ReferenceDecimals.parseJavaFormat("0.0020"))
        .isEqualTo(new ShortestDecimal(2, -3));
    assertThat(ReferenceDecimals.parseJavaFormat("1.0E23"))
        .isEqualTo(new ShortestDecimal(1, 23));
    assertThat(ReferenceDecimals.parseJavaFormat("123.45"))
        .isEqualTo(new ShortestDecimal(12345, -2));
    assertThat(ReferenceDecimals.parseJavaFormat("4.9E-324"))
        .isEqualTo(new ShortestDecimal(49, -325));
  }

  @Test
  void compareExactly_agreesWithBigDecimal() {
    assertThat(compareExactly(0.5, 1, 0)).isZero();
    assertThat(compareExactly(0.5, 1, -1)).isPositive();
    assertThat(compareExactly(Double.MIN_VALUE, 1, -323)).isNegative();
    assertThat(compareExactly(Double.MAX_VALUE, 2, 308)).isPositive();
    Random random = new Random(SEED);
    for (int i = 0; i < 2000; i++) {
      double x = Math.abs(Double.longBitsToDouble(random.nextLong()));
      if (!Double.isFinite(x) || x == 0) {
        continue;
      }
      long twiceM = 1 + Math.floorMod(random.nextLong(), 1L << 60);
      int e = random.nextInt(700) - 360;
      BigDecimal midpoint = new BigDecimal(BigInteger.valueOf(twiceM), -e)
          .divide(BigDecimal.valueOf(2));
      assertThat(compareExactly(x, twiceM, e)).as(where(x))
          .isEqualTo(new BigDecimal(x).compareTo(midpoint));
    }
  }
}
