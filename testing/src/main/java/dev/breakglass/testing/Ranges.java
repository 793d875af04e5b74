package dev.breakglass.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/*
 * How a bounded integer is recorded. Every integer a generator draws is one choice: an unsigned
 * index in [0, span], span = max - min (unsigned, so the full long range fits). The index is an
 * enumeration of the range ordered by simplicity: index 0 is the value closest to zero (0 itself
 * when the range holds it, else the end nearest zero), and growing indices move away from it,
 * alternating sides (0, 1, -1, 2, -2, ...) until the shorter side runs out. The shrinker
 * lowers indices, so a shrunk integer moves toward zero whatever its range.
 *
 * Generation picks the index, not the value, from a mixture: 1/4 uniform over the range; 5/8
 * "small" (a bit length uniform in [0, bits of span], then uniform below it: biased toward the
 * simple end, where off-by-one and empty cases live, and cheap to check); 1/8 an edge case
 * (min, max, 0, +-1, min + 1, max - 1).
 */
/** Encoding of bounded integers as choice indices, and their generation distribution. */
final class Ranges {

  private Ranges() {}

  /** The number of values in [min, max] minus one, as an unsigned long. */
  static long span(long min, long max) {
    return max - min;
  }

  /** The value at choice index {@code index} (unsigned, at most {@code span(min, max)}). */
  static long decode(long index, long min, long max) {
    if (min >= 0) {
      return min + index;
    }
    if (max <= 0) {
      return max - index;
    }
    if (index == 0) {
      return 0;
    }
    long positive = max;
    long negative = -min; // unsigned: 2^63 for Long.MIN_VALUE
    long both = Long.compareUnsigned(positive, negative) <= 0 ? positive : negative;
    if (Long.compareUnsigned(index, 2 * both) <= 0) {
      long magnitude = (index + 1) >>> 1;
      return (index & 1) == 1 ? magnitude : -magnitude;
    }
    long magnitude = both + (index - 2 * both);
    return Long.compareUnsigned(positive, negative) > 0 ? magnitude : -magnitude;
  }

  /** The choice index of {@code value}, which must lie in [min, max]. */
  static long encode(long value, long min, long max) {
    if (min >= 0) {
      return value - min;
    }
    if (max <= 0) {
      return max - value;
    }
    if (value == 0) {
      return 0;
    }
    long positive = max;
    long negative = -min;
    long both = Long.compareUnsigned(positive, negative) <= 0 ? positive : negative;
    long magnitude = value > 0 ? value : -value; // unsigned
    if (Long.compareUnsigned(magnitude, both) <= 0) {
      return value > 0 ? 2 * magnitude - 1 : 2 * magnitude;
    }
    return 2 * both + (magnitude - both);
  }

  /** A uniform unsigned long in [0, span]. */
  static long uniform(SplittableRandom random, long span) {
    if (span == -1L) {
      return random.nextLong();
    }
    if (span >= 0 && span < Long.MAX_VALUE) {
      return random.nextLong(span + 1);
    }
    while (true) {
      long index = random.nextLong();
      if (Long.compareUnsigned(index, span) <= 0) {
        return index;
      }
    }
  }

  /** An index in [0, span] biased toward 0: a uniform bit length, then uniform below it. */
  static long small(SplittableRandom random, long span) {
    int bits = 64 - Long.numberOfLeadingZeros(span);
    int length = random.nextInt(bits + 1);
    long index = length == 0 ? 0 : random.nextLong() >>> (64 - length);
    return Long.compareUnsigned(index, span) <= 0 ? index : uniform(random, span);
  }

  /** The generation distribution of an integer in [min, max], as a choice index. */
  static long pick(SplittableRandom random, long min, long max) {
    long span = span(min, max);
    int roll = random.nextInt(8);
    if (roll < 2) {
      return uniform(random, span);
    }
    if (roll < 7) {
      return small(random, span);
    }
    List<Long> edges = edges(min, max);
    return encode(edges.get(random.nextInt(edges.size())), min, max);
  }

  /** The edge cases of [min, max]. */
  static List<Long> edges(long min, long max) {
    List<Long> edges = new ArrayList<>();
    for (long candidate : new long[] {min, max, 0, 1, -1, min + 1, max - 1}) {
      // (min + 1 and max - 1 wrap around only when they fall outside the range)
      if (candidate >= min && candidate <= max && !edges.contains(candidate)) {
        edges.add(candidate);
      }
    }
    return edges;
  }
}
