package dev.breakglass.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RangesTest {

  @Test
  void decode_smallRanges_enumeratesEveryValueOnceOrderedByDistanceFromZero() {
    long[][] ranges = {{-3, 5}, {2, 9}, {-9, -2}, {-5, 5}, {0, 0}, {-1, 0}, {0, 1}, {-7, 2}};
    for (long[] range : ranges) {
      long min = range[0];
      long max = range[1];
      Set<Long> seen = new HashSet<>();
      long previousDistance = -1;
      for (long index = 0; index <= Ranges.span(min, max); index++) {
        long value = Ranges.decode(index, min, max);
        assertThat(value).as("[%s, %s] at %s", min, max, index).isBetween(min, max);
        assertThat(seen.add(value)).as("[%s, %s] at %s", min, max, index).isTrue();
        assertThat(Ranges.encode(value, min, max)).isEqualTo(index);
        long distance = min >= 0 ? value - min : max <= 0 ? max - value : Math.abs(value);
        assertThat(distance).isGreaterThanOrEqualTo(previousDistance);
        previousDistance = distance;
      }
      assertThat(seen).hasSize((int) (max - min + 1));
    }
  }

  @Test
  void decode_fullLongRange_zeroFirstAndTheExtremesLast() {
    long min = Long.MIN_VALUE;
    long max = Long.MAX_VALUE;
    assertThat(Ranges.span(min, max)).isEqualTo(-1L); // 2^64 - 1, unsigned
    assertThat(Ranges.decode(0, min, max)).isZero();
    assertThat(Ranges.decode(1, min, max)).isEqualTo(1);
    assertThat(Ranges.decode(2, min, max)).isEqualTo(-1);
    assertThat(Ranges.decode(-3L, min, max)).isEqualTo(Long.MAX_VALUE); // 2^64 - 3
    assertThat(Ranges.decode(-2L, min, max)).isEqualTo(Long.MIN_VALUE + 1);
    assertThat(Ranges.decode(-1L, min, max)).isEqualTo(Long.MIN_VALUE); // the longer side
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      long value = random.nextLong() >> random.nextInt(64);
      assertThat(Ranges.decode(Ranges.encode(value, min, max), min, max)).isEqualTo(value);
    }
    for (long value : new long[] {min, max, min + 1, max - 1, 0, 1, -1}) {
      assertThat(Ranges.decode(Ranges.encode(value, min, max), min, max)).isEqualTo(value);
    }
  }

  @Test
  void decode_lopsidedRanges_continueOnTheLongerSide() {
    assertThat(Ranges.decode(Ranges.span(-2, Long.MAX_VALUE), -2, Long.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(Ranges.decode(Ranges.span(Long.MIN_VALUE, 3), Long.MIN_VALUE, 3))
        .isEqualTo(Long.MIN_VALUE);
    assertThat(Ranges.decode(5, -2, 100)).isEqualTo(3); // 0, 1, -1, 2, -2, then 3
  }

  @Test
  void uniformAndSmallAndPick_anySpan_stayInRange() {
    SplittableRandom random = new SplittableRandom(7);
    long[] spans = {0, 1, 2, 99, Long.MAX_VALUE - 1, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE + 5, -2L, -1L};
    for (long span : spans) {
      for (int i = 0; i < 2_000; i++) {
        assertThat(Long.compareUnsigned(Ranges.uniform(random, span), span)).isLessThanOrEqualTo(0);
        assertThat(Long.compareUnsigned(Ranges.small(random, span), span)).isLessThanOrEqualTo(0);
      }
    }
    for (int i = 0; i < 2_000; i++) {
      long index = Ranges.pick(random, -10, 1_000);
      assertThat(Ranges.decode(index, -10, 1_000)).isBetween(-10L, 1_000L);
    }
  }

  @Test
  void edges_range_holdsTheEndsZeroAndNeighboursInRangeOnly() {
    assertThat(Ranges.edges(-5, 5)).containsExactlyInAnyOrder(-5L, 5L, 0L, 1L, -1L, -4L, 4L);
    assertThat(Ranges.edges(3, 3)).containsExactly(3L);
    assertThat(Ranges.edges(Long.MAX_VALUE - 1, Long.MAX_VALUE))
        .containsExactlyInAnyOrder(Long.MAX_VALUE - 1, Long.MAX_VALUE);
  }
}
