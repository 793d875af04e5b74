package dev.breakglass.testing;

import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class PropertyTest {

  /** Runs {@code action} with a system property set, then restores it. */
  private static void withProperty(String name, String value, Runnable action) {
    String previous = System.getProperty(name);
    System.setProperty(name, value);
    try {
      action.run();
    } finally {
      if (previous == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, previous);
      }
    }
  }

  @Test
  void check_passingProperty_runsExactlyItsTries() {
    AtomicInteger calls = new AtomicInteger();
    forAll(Gen.ints()).tries(37).check(value -> calls.incrementAndGet());
    assertThat(calls).hasValue(37);

    calls.set(0);
    forAll(Gen.ints()).check(value -> calls.incrementAndGet());
    assertThat(calls).hasValue(Property.DEFAULT_TRIES);
  }

  @Test
  void check_triesSystemProperties_overrideOrScaleTheDefault() {
    AtomicInteger calls = new AtomicInteger();
    withProperty("breakglass.tries", "5",
        () -> forAll(Gen.ints()).tries(300).check(value -> calls.incrementAndGet()));
    assertThat(calls).hasValue(5);

    calls.set(0);
    withProperty("breakglass.tries.factor", "0.1",
        () -> forAll(Gen.ints()).tries(300).check(value -> calls.incrementAndGet()));
    assertThat(calls).hasValue(30);

    withProperty("breakglass.tries", "zero", () -> assertThatThrownBy(
            () -> forAll(Gen.ints()).check(value -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("breakglass.tries must be an int >= 1, was 'zero'"));
    withProperty("breakglass.tries.factor", "-2", () -> assertThatThrownBy(
            () -> forAll(Gen.ints()).check(value -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("breakglass.tries.factor must be a positive number, was -2"));
    assertThatThrownBy(() -> forAll(Gen.ints()).tries(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("tries must be >= 1, was 0");
  }

  @Test
  void check_failingInteger_shrinksToTheBoundaryAndNamesTheSeed() {
    PropertyFailedError failure = catchThrowableOfType(PropertyFailedError.class,
        () -> forAll(Gen.ints(0, 1_000_000)).check(x -> assertThat(x).isLessThan(1_000)));

    assertThat(failure.smallest()).isEqualTo("1000");
    assertThat(failure.property())
        .isEqualTo("PropertyTest#check_failingInteger_shrinksToTheBoundaryAndNamesTheSeed");
    assertThat(failure.getCause()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("1000");
    assertThat(failure.getMessage())
        .contains("Smallest failing value (")
        .contains("\n  1000\n")
        .contains("-Dtest='PropertyTest#check_failingInteger_shrinksToTheBoundaryAndNamesTheSeed'")
        .contains("-Dbreakglass.seed=" + failure.seed());
  }

  @Test
  void check_rerunWithTheReportedSeed_reproducesTheSameCase() {
    Gen<List<Integer>> lists = Gen.ints(-1_000, 1_000).list(0, 40);
    Property.Body<List<Integer>> body = list -> assertThat(list).allMatch(x -> x < 300);
    PropertyFailedError first = catchThrowableOfType(PropertyFailedError.class,
        () -> forAll(lists).check(body));
    PropertyFailedError[] second = new PropertyFailedError[1];
    withProperty("breakglass.seed", Long.toString(first.seed()), () -> second[0] =
        catchThrowableOfType(PropertyFailedError.class, () -> forAll(lists).check(body)));

    assertThat(first.smallest()).isEqualTo("[300]");
    assertThat(second[0].seed()).isEqualTo(first.seed());
    assertThat(second[0].original()).isEqualTo(first.original());
    assertThat(second[0].smallest()).isEqualTo(first.smallest());
    assertThat(second[0].getMessage()).contains("failed after 0 passing tries");
  }

  @Test
  void check_listFailingOnAnOrderedPair_deletesEverythingElse() {
    Gen<List<Integer>> lists = Gen.ints(0, 9).list(0, 60);
    PropertyFailedError failure = catchThrowableOfType(PropertyFailedError.class,
        () -> forAll(lists).check(list -> {
          int seven = list.indexOf(7);
          assertThat(seven >= 0 && list.subList(seven, list.size()).contains(3)).isFalse();
        }));

    assertThat(failure.smallest()).isEqualTo("[7, 3]");
  }

  @Test
  void check_randomDrivenGenerator_shrinksThroughTheRandom() {
    Gen<List<Integer>> lists = source -> {
      Random random = source.draw(Gen.randoms());
      List<Integer> list = new ArrayList<>();
      for (int n = random.nextInt(50); n > 0; n--) {
        list.add(random.nextInt(1_000));
      }
      return list;
    };
    PropertyFailedError failure = catchThrowableOfType(PropertyFailedError.class,
        () -> forAll(lists).check(list -> assertThat(list).allMatch(x -> x < 500)));

    assertThat(failure.smallest()).isEqualTo("[500]");
  }

  @Test
  void check_twoFailureTypes_keepsTheTypeOfTheFirstFailure() {
    PropertyFailedError failure = catchThrowableOfType(PropertyFailedError.class,
        () -> forAll(Gen.ints(0, 1_000_000)).check(x -> {
          if (x >= 1_000) {
            throw new IllegalStateException("big: " + x);
          }
          if (x >= 10) {
            throw new AssertionError("medium: " + x);
          }
        }));

    if (failure.getCause() instanceof IllegalStateException) {
      assertThat(failure.smallest()).isEqualTo("1000");
    } else {
      assertThat(failure.getCause()).isInstanceOf(AssertionError.class);
      assertThat(failure.smallest()).isEqualTo("10");
    }
  }

  @Test
  void check_notes_areReportedForTheSmallestAndTheOriginalCase() {
    PropertyFailedError failure = catchThrowableOfType(PropertyFailedError.class,
        () -> forAll(Gen.ints(0, 1_000)).check(x -> {
          Property.note("doubled: " + 2 * x);
          assertThat(x).isLessThan(100);
        }));

    assertThat(failure.getMessage()).contains("\n  100\n  note: doubled: 200\n");
    assertThatThrownBy(() -> Property.note("outside"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Property.note() called outside a property's check");
    assertThatThrownBy(() -> Statistics.collect("label", "outside"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Statistics.collect() called outside a property's check");
  }

  @Test
  void check_generatorThrows_failsNamingTheSeedWithoutShrinking() {
    Gen<Integer> broken = source -> {
      throw new IllegalStateException("generator bug");
    };
    AssertionError error = catchThrowableOfType(AssertionError.class,
        () -> forAll(broken).check(x -> { }));

    assertThat(error).isNotInstanceOf(PropertyFailedError.class)
        .hasMessageContaining("the generator threw on try 1 (seed ")
        .hasMessageContaining("-Dbreakglass.seed=")
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void check_assumptions_discardTriesWithoutCountingThem() {
    AtomicInteger checked = new AtomicInteger();
    forAll(Gen.ints(0, 99)).tries(100).check(x -> {
      Assumptions.assumeTrue(x % 2 == 0);
      assertThat(x % 2).isZero();
      checked.incrementAndGet();
    });
    assertThat(checked).hasValue(100);

    assertThatThrownBy(() -> forAll(Gen.ints()).tries(10).check(x -> Assumptions.assumeTrue(false)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("tries discarded against 0 passed");
  }

  @Test
  void check_unprintableText_isEscapedInTheReport() {
    PropertyFailedError failure = catchThrowableOfType(PropertyFailedError.class,
        () -> forAll(Gen.constant("a\u001b[2Kb\u202e\ud800")).tries(1).check(text -> {
          throw new AssertionError("bad");
        }));

    assertThat(failure.smallest()).isEqualTo("\"a\\u001b[2Kb\\u202e\\ud800\"");
    assertThat(Runner.printable("\ud83d\ude00\n\u009b\u00e9")).isEqualTo("\ud83d\ude00\\u000a\\u009b\u00e9");
    assertThat(Runner.printable("x".repeat(5_000)))
        .hasSize(Runner.DISPLAY_LIMIT + " ... (1000 more characters)".length() - 1)
        .endsWith("... (1000 more characters)");
  }

  /** A record with its generated toString. */
  record Pair(String text, List<Object> items) {}

  /** A record with its own toString. */
  record Custom(String text) {
    @Override
    public String toString() {
      return "custom " + text;
    }
  }

  @Test
  void check_failingRecord_isShownWithItsStringsQuoted() {
    Gen<Pair> pairs = Gen.constant(new Pair("a\"b", List.of("", 'c', 1L, new Custom("x"),
        new int[] {1, 2}, Map.of("k", List.of()))));
    PropertyFailedError failure = catchThrowableOfType(PropertyFailedError.class,
        () -> forAll(pairs).tries(1).check(pair -> {
          throw new AssertionError("bad");
        }));

    assertThat(failure.smallest())
        .isEqualTo("Pair[text=\"a\\\"b\", items=[\"\", 'c', 1, custom x, [1, 2], {\"k\"=[]}]]");
  }

  @Test
  void trySeed_firstTryUsesTheRunSeedThenDistinctSeeds() {
    assertThat(Runner.trySeed(42, 0)).isEqualTo(42);
    assertThat(Runner.trySeed(42, 1)).isNotEqualTo(42).isNotEqualTo(Runner.trySeed(42, 2));
  }

  @Test
  void shrinkerOrder_shorterThenLexicographicUnsigned() {
    assertThat(Shrinker.smaller(new long[] {9}, new long[] {0, 0})).isTrue();
    assertThat(Shrinker.smaller(new long[] {0, 1}, new long[] {0, 2})).isTrue();
    assertThat(Shrinker.smaller(new long[] {5}, new long[] {-1L})).isTrue(); // -1 is 2^64 - 1
    assertThat(Shrinker.smaller(new long[] {3}, new long[] {3})).isFalse();
    assertThat(Shrinker.blockSizes(100)).containsExactly(32, 16, 8, 7, 6, 5, 4, 3, 2, 1);
    assertThat(Shrinker.blockSizes(3)).containsExactly(3, 2, 1);
  }
}
