package dev.breakglass.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class GenTest {

  /** Draws {@code count} values from fresh sources with consecutive seeds. */
  private static <T> void sample(Gen<T> gen, int count, Consumer<T> check) {
    for (int i = 0; i < count; i++) {
      check.accept(gen.next(Source.generating(i)));
    }
  }

  /** Replays arbitrary recorded choices: what the shrinker feeds a generator. */
  private static <T> void replayArbitrary(Gen<T> gen, int count, Consumer<T> check) {
    SplittableRandom random = new SplittableRandom(99);
    for (int i = 0; i < count; i++) {
      long[] choices = new long[random.nextInt(40)];
      for (int c = 0; c < choices.length; c++) {
        choices[c] = random.nextBoolean() ? random.nextLong() : random.nextInt(4);
      }
      check.accept(gen.next(Source.replaying(choices)));
    }
  }

  @Test
  void ints_range_staysInsideAndReachesEveryValue() {
    Set<Integer> seen = new HashSet<>();
    sample(Gen.ints(-3, 7), 5_000, value -> {
      assertThat(value).isBetween(-3, 7);
      seen.add(value);
    });
    assertThat(seen).hasSize(11);
    replayArbitrary(Gen.ints(-3, 7), 2_000, value -> assertThat(value).isBetween(-3, 7));
  }

  @Test
  void ints_wideRange_coversSmallAndLargeValues() {
    int[] small = {0};
    int[] large = {0};
    sample(Gen.ints(1, 300), 4_000, value -> {
      small[0] += value <= 10 ? 1 : 0;
      large[0] += value > 200 ? 1 : 0;
    });
    assertThat(small[0]).isGreaterThan(800); // uniform alone would give about 130
    assertThat(large[0]).isGreaterThan(500);
  }

  @Test
  void longs_full_reachesTheExtremes() {
    Set<Long> seen = new HashSet<>();
    sample(Gen.longs(), 2_000, seen::add);
    assertThat(seen).contains(Long.MIN_VALUE, Long.MAX_VALUE, 0L, 1L, -1L);
  }

  @Test
  void list_sizes_stayInRangeReachBothEndsAndReplayInRange() {
    Set<Integer> sizes = new HashSet<>();
    sample(Gen.ints(0, 3).list(2, 9), 3_000, list -> {
      assertThat(list).hasSizeBetween(2, 9).allMatch(v -> v >= 0 && v <= 3);
      sizes.add(list.size());
    });
    assertThat(sizes).containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7, 8, 9);
    replayArbitrary(Gen.ints(0, 3).list(2, 9), 2_000,
        list -> assertThat(list).hasSizeBetween(2, 9));
  }

  @Test
  void frequency_weightZero_isNeverPickedEvenWhenReplayed() {
    Gen<String> gen = Gen.frequency(Gen.weighted(3, Gen.constant("a")),
        Gen.weighted(0, Gen.constant("never")), Gen.weighted(1, Gen.constant("b")));
    Set<String> seen = new HashSet<>();
    sample(gen, 2_000, seen::add);
    replayArbitrary(gen, 2_000, seen::add);
    assertThat(seen).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void frequency_weights_giveProportionalShares() {
    int[] counts = new int[2];
    sample(Gen.frequency(Gen.weighted(30, Gen.constant(0)), Gen.weighted(1, Gen.constant(1))),
        31_000, value -> counts[value]++);
    assertThat(counts[1]).isBetween(700, 1_300);
  }

  @Test
  void next_sameChoices_sameValue() {
    Gen<List<String>> gen = source -> source.draw(Gen.strings(0, 5).list(0, 10));
    for (int seed = 0; seed < 200; seed++) {
      Source source = Source.generating(seed);
      List<String> value = gen.next(source);
      assertThat(gen.next(Source.replaying(source.choices()))).isEqualTo(value);
      assertThat(gen.next(Source.generating(seed))).isEqualTo(value);
    }
  }

  @Test
  void next_noChoicesRecorded_isTheSimplestValue() {
    Source empty = Source.replaying(new long[0]);
    assertThat(Gen.ints(-5, 5).next(empty)).isZero();
    assertThat(Gen.ints(3, 9).next(empty)).isEqualTo(3);
    assertThat(Gen.ints(-9, -3).next(empty)).isEqualTo(-3);
    assertThat(Gen.ints().list(0, 10).next(empty)).isEmpty();
    assertThat(Gen.ints(0, 9).list(2, 10).next(empty)).containsExactly(0, 0);
    assertThat(Gen.strings(1, 3).next(empty)).isEqualTo("a");
    assertThat(Gen.of("x", "y").next(empty)).isEqualTo("x");
    assertThat(Gen.booleans().next(empty)).isFalse();
    assertThat(Gen.doubles().next(empty)).isZero();
    assertThat(Gen.doubles(0.5, 2.0).next(empty)).isEqualTo(0.5);
    assertThat(Gen.bigIntegers(100).next(empty)).isZero();
    Random random = Gen.randoms().next(empty);
    assertThat(random.nextInt(10)).isZero();
    assertThat(random.nextLong()).isZero();
    assertThat(random.nextBoolean()).isFalse();
    assertThat(random.nextDouble()).isZero();
  }

  @Test
  void doubles_range_staysInsideAndReachesTheEnds() {
    Set<Double> seen = new HashSet<>();
    sample(Gen.doubles(0.0, 0.9), 3_000, value -> {
      assertThat(value).isBetween(0.0, 0.9);
      seen.add(value);
    });
    assertThat(seen).contains(0.0, 0.9).hasSizeGreaterThan(2_000);
    replayArbitrary(Gen.doubles(-1.5, 3.0), 2_000, value -> assertThat(value).isBetween(-1.5, 3.0));
    sample(Gen.doubles(-Double.MAX_VALUE, Double.MAX_VALUE), 2_000,
        value -> assertThat(value).isFinite());
  }

  @Test
  void doubles_any_coversSpecialValuesAndTheUnitInterval() {
    Set<String> kinds = new HashSet<>();
    sample(Gen.doubles(), 3_000, value -> kinds.add(value.isNaN() ? "nan"
        : value.isInfinite() ? "infinite" : value > 0 && value <= 1 ? "unit" : value > 1 ? "big"
        : value == 0 ? "zero" : "negative"));
    assertThat(kinds).containsExactlyInAnyOrder("nan", "infinite", "unit", "big", "zero",
        "negative");
  }

  @Test
  void strings_lengths_stayInRangeAndCoverHardCharacters() {
    boolean[] seen = new boolean[4]; // control, quote or backslash, lone surrogate, pair
    sample(Gen.strings(0, 30), 3_000, text -> {
      assertThat(text.length()).isBetween(0, 30);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        seen[0] |= c < 0x20;
        seen[1] |= c == '"' || c == '\\';
        boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(i + 1));
        seen[3] |= pair;
        seen[2] |= Character.isSurrogate(c) && !pair;
        i += pair ? 1 : 0;
      }
    });
    assertThat(seen).containsOnly(true);
    sample(Gen.strings(Gen.of('a', 'b'), 2, 4), 500,
        text -> assertThat(text).hasSizeBetween(2, 4).matches("[ab]+"));
  }

  @Test
  void bigIntegers_bitLengths_stayBelowTheMaximumWithBothSigns() {
    Set<Integer> signs = new HashSet<>();
    int[] beyondLong = {0};
    sample(Gen.bigIntegers(200), 2_000, value -> {
      assertThat(value.bitLength()).isLessThanOrEqualTo(200);
      signs.add(value.signum());
      beyondLong[0] += value.bitLength() >= 64 ? 1 : 0;
    });
    assertThat(signs).containsExactlyInAnyOrder(-1, 0, 1);
    assertThat(beyondLong[0]).isGreaterThan(200);
    assertThat(Gen.bigIntegers(0).next(Source.generating(1))).isEqualTo(BigInteger.ZERO);
  }

  @Test
  void randoms_replayed_repeatTheirDraws() {
    for (int seed = 0; seed < 100; seed++) {
      Source source = Source.generating(seed);
      Random random = source.draw(Gen.randoms());
      int[] draws = {random.nextInt(17), random.nextInt(), (int) (random.nextDouble() * 1e6)};
      Random replayed = Source.replaying(source.choices()).draw(Gen.randoms());
      assertThat(new int[] {replayed.nextInt(17), replayed.nextInt(),
          (int) (replayed.nextDouble() * 1e6)}).containsExactly(draws);
    }
  }

  @Test
  void filter_rareMatch_isFoundAndNoMatch_discardsTheTry() {
    sample(Gen.ints(0, 99).filter(v -> v % 3 == 1), 500, value -> assertThat(value % 3).isOne());
    assertThatThrownBy(() -> Gen.ints(0, 9).filter(v -> v > 9).next(Source.generating(1)))
        .isInstanceOf(Source.Rejected.class)
        .hasMessage("a filter rejected 100 values in a row");
  }

  @Test
  void factories_badArguments_throwNamingTheValue() {
    assertThatThrownBy(() -> Gen.ints(5, 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("max must be >= min (5), was 4");
    assertThatThrownBy(() -> Gen.ints(0, 1).list(3, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("list sizes must satisfy 0 <= minSize <= maxSize, was [3, 2]");
    assertThatThrownBy(() -> Gen.doubles(0, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bounds must be finite with min <= max, was [0.0, Infinity]");
    assertThatThrownBy(() -> Gen.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("values must not be empty");
    assertThatThrownBy(() -> Gen.weighted(-1, Gen.constant(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("weight must be >= 0, was -1");
    assertThatThrownBy(() -> Gen.frequency(Gen.weighted(0, Gen.constant(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at least one alternative needs a positive weight");
    assertThatThrownBy(() -> Gen.bigIntegers(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxBits must be >= 0, was -1");
  }
}
