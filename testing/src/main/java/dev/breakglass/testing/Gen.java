package dev.breakglass.testing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A generator of random values for a {@link Property}: a function of a {@link Source}. Write one
 * as a lambda that draws from other generators,
 *
 * <pre>{@code
 * Gen<Input> inputs = source -> new Input(
 *     source.draw(Gen.ints(1, 20)), source.draw(Gen.strings(0, 8).list(0, 60)));
 * }</pre>
 *
 * or derive one with {@link #map}, {@link #flatMap}, {@link #filter} and {@link #list}.
 *
 * <p>Every value is built from the source's recorded choices, and every factory here makes its
 * simplest value from the smallest choices: integers shrink toward zero (or the end of their
 * range nearest zero), alternatives toward the first one listed, lists toward fewer elements.
 * A failing value therefore shrinks without a shrinker per type, also through {@code map},
 * {@code flatMap}, {@code filter} and code driven by {@link #randoms()}. Generation itself
 * mixes uniform values with small values and edge cases (the ends of a range, 0, ±1).
 *
 * <p>A generator must build its value from the source alone (no other randomness, no shared
 * mutable state), so that a seed reproduces it. The generators made here are stateless and
 * thread-safe; one written as a lambda is as thread-safe as what it captures.
 *
 * @param <T> the type of value generated
 */
@FunctionalInterface
public interface Gen<T> {

  /**
   * Generates a value from the source's choices.
   *
   * @param source where the choices come from
   * @return the value
   */
  T next(Source source);

  /**
   * A generator of this generator's values transformed by {@code mapper}.
   *
   * @param mapper the transformation, a pure function
   * @param <R> the type of the transformed values
   * @return the mapped generator
   * @throws NullPointerException if {@code mapper} is null
   */
  default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return source -> mapper.apply(next(source));
  }

  /**
   * A generator that draws a value from this generator, then a value from the generator that
   * {@code mapper} makes of it.
   *
   * @param mapper makes the second generator from the first value
   * @param <R> the type of the resulting values
   * @return the combined generator
   * @throws NullPointerException if {@code mapper} is null
   */
  default <R> Gen<R> flatMap(Function<? super T, ? extends Gen<? extends R>> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return source -> mapper.apply(next(source)).next(source);
  }

  /**
   * A generator of this generator's values that satisfy {@code predicate}. It draws again when
   * a value does not; after 100 misses in a row the try is discarded (and a property whose
   * tries are nearly all discarded fails), so filter only what is rare.
   *
   * @param predicate the condition
   * @return the filtered generator
   * @throws NullPointerException if {@code predicate} is null
   */
  default Gen<T> filter(Predicate<? super T> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return source -> {
      for (int attempt = 0; attempt < 100; attempt++) {
        T value = next(source);
        if (predicate.test(value)) {
          return value;
        }
      }
      throw new Source.Rejected("a filter rejected 100 values in a row");
    };
  }

  /**
   * A generator of mutable lists of this generator's values, of a size in [minSize, maxSize].
   * Sizes are drawn like integers (uniform, small, or an end of the range); a list shrinks by
   * losing elements anywhere, not only at its end.
   *
   * @param minSize the smallest size, at least 0
   * @param maxSize the largest size, at least {@code minSize}
   * @return the list generator
   * @throws IllegalArgumentException if the sizes are not {@code 0 <= minSize <= maxSize}
   */
  default Gen<List<T>> list(int minSize, int maxSize) {
    if (minSize < 0 || maxSize < minSize) {
      throw new IllegalArgumentException("list sizes must satisfy 0 <= minSize <= maxSize, was ["
          + minSize + ", " + maxSize + "]");
    }
    Gen<T> element = this;
    return source -> {
      // Each optional element is announced by a recorded flag (1: one more), so deleting a
      // flag with its element's choices removes that element. The target size only steers a
      // fresh try's flags and is not recorded itself.
      SplittableRandom fresh = source.freshRandom();
      long target = fresh == null ? minSize
          : Ranges.decode(Ranges.pick(fresh, minSize, maxSize), minSize, maxSize);
      List<T> list = new ArrayList<>();
      while (list.size() < maxSize) {
        if (list.size() >= minSize) {
          int size = list.size();
          if (source.choose(1, random -> size < target ? 1 : 0) == 0) {
            break;
          }
        }
        list.add(element.next(source));
      }
      return list;
    };
  }

  /**
   * A generator of mutable lists of exactly {@code size} of this generator's values.
   *
   * @param size the size, at least 0
   * @return the list generator
   * @throws IllegalArgumentException if {@code size} is negative
   */
  default Gen<List<T>> list(int size) {
    return list(size, size);
  }

  /**
   * Integers in [min, max].
   *
   * @param min the smallest value
   * @param max the largest value, at least {@code min}
   * @return the generator
   * @throws IllegalArgumentException if {@code max < min}
   */
  static Gen<Integer> ints(int min, int max) {
    return longs(min, max).map(Long::intValue);
  }

  /**
   * Any int.
   *
   * @return the generator
   */
  static Gen<Integer> ints() {
    return ints(Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /**
   * Longs in [min, max].
   *
   * @param min the smallest value
   * @param max the largest value, at least {@code min}
   * @return the generator
   * @throws IllegalArgumentException if {@code max < min}
   */
  static Gen<Long> longs(long min, long max) {
    if (max < min) {
      throw new IllegalArgumentException("max must be >= min (" + min + "), was " + max);
    }
    long span = Ranges.span(min, max);
    return source -> Ranges.decode(
        source.choose(span, random -> Ranges.pick(random, min, max)), min, max);
  }

  /**
   * Any long.
   *
   * @return the generator
   */
  static Gen<Long> longs() {
    return longs(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * Doubles in [min, max]: uniform, with the ends and the midpoint as edge cases; they shrink
   * toward {@code min}.
   *
   * @param min the smallest value, finite
   * @param max the largest value, finite and at least {@code min}
   * @return the generator
   * @throws IllegalArgumentException if a bound is not finite or {@code max < min}
   */
  static Gen<Double> doubles(double min, double max) {
    if (!Double.isFinite(min) || !Double.isFinite(max) || max < min) {
      throw new IllegalArgumentException(
          "bounds must be finite with min <= max, was [" + min + ", " + max + "]");
    }
    long steps = 1L << 53;
    return source -> {
      long index = source.choose(steps, random -> {
        if (random.nextInt(8) > 0) {
          return Ranges.uniform(random, steps);
        }
        long[] edges = {0, steps, steps / 2};
        return edges[random.nextInt(edges.length)];
      });
      if (index == steps) {
        return max;
      }
      double t = index * 0x1.0p-53;
      double width = max - min;
      double value = Double.isInfinite(width) ? min * (1 - t) + max * t : min + width * t;
      return Math.min(max, Math.max(min, value));
    };
  }

  /**
   * Any double: special values (NaN, the infinities, ±0.0, the extremes and their
   * neighbours), small decimals in [-2, 2], and arbitrary bit patterns.
   *
   * @return the generator
   */
  static Gen<Double> doubles() {
    return frequency(
        weighted(2, longs(-2_000_000, 2_000_000).map(micros -> micros / 1e6)),
        weighted(1, of(0.0, -0.0, 1.0, -1.0, 0.5, Double.MIN_VALUE, -Double.MIN_VALUE,
            Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, Math.nextUp(1.0),
            Math.nextDown(1.0), Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY)),
        weighted(3, longs().map(Double::longBitsToDouble)));
  }

  /**
   * True or false, evenly; shrinks to false.
   *
   * @return the generator
   */
  static Gen<Boolean> booleans() {
    return source -> source.choose(1, random -> random.nextInt(2)) == 1;
  }

  /**
   * Always {@code value}; makes no choice.
   *
   * @param value the value
   * @param <T> its type
   * @return the generator
   */
  static <T> Gen<T> constant(T value) {
    return source -> value;
  }

  /**
   * One of {@code values}, evenly (list one twice to weigh it double); shrinks toward the
   * first.
   *
   * @param values the values, at least one
   * @param <T> their type
   * @return the generator
   * @throws IllegalArgumentException if there is no value
   */
  @SafeVarargs
  static <T> Gen<T> of(T... values) {
    List<T> list = new ArrayList<>(values.length);
    for (T value : values) {
      list.add(value);
    }
    return of(list);
  }

  /**
   * One of {@code values}, evenly; shrinks toward the first. The list is copied.
   *
   * @param values the values, at least one
   * @param <T> their type
   * @return the generator
   * @throws IllegalArgumentException if {@code values} is empty
   */
  static <T> Gen<T> of(List<? extends T> values) {
    List<T> copy = new ArrayList<>(values);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("values must not be empty");
    }
    int count = copy.size();
    return source -> copy.get((int) source.choose(count - 1, random -> random.nextInt(count)));
  }

  /**
   * One of the constants of an enum, evenly; shrinks toward the first declared.
   *
   * @param type the enum class
   * @param <E> the enum type
   * @return the generator
   * @throws IllegalArgumentException if the enum has no constant
   */
  static <E extends Enum<E>> Gen<E> enums(Class<E> type) {
    return of(type.getEnumConstants());
  }

  /**
   * A value from one of {@code gens}, picked evenly; shrinks toward the first.
   *
   * @param gens the alternatives, at least one
   * @param <T> the type of value
   * @return the generator
   * @throws IllegalArgumentException if there is no alternative
   */
  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    List<Weighted<? extends T>> alternatives = new ArrayList<>();
    for (Gen<? extends T> gen : gens) {
      alternatives.add(new Weighted<>(1, gen));
    }
    return frequency(alternatives);
  }

  /**
   * A value from one of the alternatives, picked with probability proportional to its weight;
   * an alternative of weight 0 is never picked, also not while shrinking. Shrinks toward the
   * first alternative of positive weight.
   *
   * @param alternatives the weighted alternatives, at least one of positive weight
   * @param <T> the type of value
   * @return the generator
   * @throws IllegalArgumentException if no alternative has a positive weight
   */
  @SafeVarargs
  static <T> Gen<T> frequency(Weighted<? extends T>... alternatives) {
    List<Weighted<? extends T>> list = new ArrayList<>(alternatives.length);
    for (Weighted<? extends T> alternative : alternatives) {
      list.add(alternative);
    }
    return frequency(list);
  }

  /**
   * A value from one of the alternatives, picked with probability proportional to its weight.
   *
   * @param alternatives the weighted alternatives, at least one of positive weight
   * @param <T> the type of value
   * @return the generator
   * @throws IllegalArgumentException if no alternative has a positive weight
   * @see #frequency(Weighted...)
   */
  static <T> Gen<T> frequency(List<? extends Weighted<? extends T>> alternatives) {
    List<Gen<? extends T>> gens = new ArrayList<>();
    List<Long> upTo = new ArrayList<>();
    long total = 0;
    for (Weighted<? extends T> alternative : alternatives) {
      if (alternative.weight() > 0) {
        total += alternative.weight();
        gens.add(alternative.gen());
        upTo.add(total);
      }
    }
    if (gens.isEmpty()) {
      throw new IllegalArgumentException("at least one alternative needs a positive weight");
    }
    long sum = total;
    return source -> {
      long index = source.choose(gens.size() - 1, random -> {
        long roll = random.nextLong(sum);
        int i = 0;
        while (roll >= upTo.get(i)) {
          i++;
        }
        return i;
      });
      return gens.get((int) index).next(source);
    };
  }

  /**
   * An alternative for {@link #frequency(Weighted...)}.
   *
   * @param weight its relative weight, at least 0
   * @param gen its generator
   * @param <T> the type of value
   * @return the weighted alternative
   * @throws IllegalArgumentException if {@code weight} is negative
   * @throws NullPointerException if {@code gen} is null
   */
  static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
    return new Weighted<>(weight, gen);
  }

  /**
   * UTF-16 code units, mixed so that text-handling code meets what breaks it: printable ASCII
   * (shrinks to {@code 'a'}), control characters, JSON-significant characters, any other
   * code unit, and lone surrogates.
   *
   * @return the generator
   */
  static Gen<Character> chars() {
    return frequency(
        weighted(4, ints(0, 94).map(i -> (char) (0x20 + (i + 65) % 95))),
        weighted(1, ints(0, 0x20).map(i -> (char) (i == 0x20 ? 0x7f : i))),
        weighted(1, of('"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u2028', '\u2029',
            '\ufeff')),
        weighted(2, ints(0x80, 0xffff).map(i -> (char) i.intValue())),
        weighted(1, ints(0xd800, 0xdfff).map(i -> (char) i.intValue())));
  }

  /**
   * Strings of {@link #chars()} and now and then a valid surrogate pair, of a length in
   * [minLength, maxLength].
   *
   * @param minLength the shortest length, at least 0
   * @param maxLength the longest length, at least {@code minLength}
   * @return the generator
   * @throws IllegalArgumentException if the lengths are not {@code 0 <= min <= max}
   */
  static Gen<String> strings(int minLength, int maxLength) {
    Gen<String> pieces = frequency(
        weighted(12, chars().map(String::valueOf)),
        weighted(1, ints(0x10000, 0x10ffff).map(Character::toString)));
    return pieces.list(minLength, maxLength).map(list -> {
      String text = String.join("", list);
      return text.length() > maxLength ? text.substring(0, maxLength) : text;
    });
  }

  /**
   * Strings of characters from {@code chars}, of a length in [minLength, maxLength].
   *
   * @param chars the characters
   * @param minLength the shortest length, at least 0
   * @param maxLength the longest length, at least {@code minLength}
   * @return the generator
   * @throws IllegalArgumentException if the lengths are not {@code 0 <= min <= max}
   * @throws NullPointerException if {@code chars} is null
   */
  static Gen<String> strings(Gen<Character> chars, int minLength, int maxLength) {
    Objects.requireNonNull(chars, "chars");
    return chars.list(minLength, maxLength).map(list -> {
      StringBuilder text = new StringBuilder(list.size());
      list.forEach(text::append);
      return text.toString();
    });
  }

  /**
   * Big integers of at most {@code maxBits} bits of magnitude, either sign: the bit length is
   * drawn like a small integer, so short and long numbers both occur; shrinks toward zero.
   *
   * @param maxBits the largest bit length of the magnitude, at least 0
   * @return the generator
   * @throws IllegalArgumentException if {@code maxBits} is negative
   */
  static Gen<BigInteger> bigIntegers(int maxBits) {
    if (maxBits < 0) {
      throw new IllegalArgumentException("maxBits must be >= 0, was " + maxBits);
    }
    Gen<Integer> lengths = ints(0, maxBits);
    Gen<Boolean> negative = booleans();
    Gen<Random> randoms = randoms();
    return source -> {
      int bits = source.draw(lengths);
      boolean minus = source.draw(negative);
      BigInteger magnitude = new BigInteger(bits, source.draw(randoms));
      return minus ? magnitude.negate() : magnitude;
    };
  }

  /**
   * A {@link Random} whose every draw is a recorded choice of the source: code written against
   * {@code Random} (a graph builder, a shuffle) becomes a generator that shrinks, and a draw
   * of all-zero bits is the simplest. Its seed methods have no effect. The {@code Random} is
   * for the try that drew it only, on its thread.
   *
   * @return the generator
   */
  static Gen<Random> randoms() {
    return SourceRandom::new;
  }

  /**
   * A generator with a relative weight, for {@link #frequency(Weighted...)}. Immutable; as
   * thread-safe as its generator.
   *
   * @param weight the relative weight, at least 0 (0: never picked)
   * @param gen the generator
   * @param <T> the type of value
   */
  record Weighted<T>(int weight, Gen<? extends T> gen) {

    /**
     * Checks the weight and the generator.
     *
     * @param weight the relative weight, at least 0
     * @param gen the generator
     * @throws IllegalArgumentException if {@code weight} is negative
     * @throws NullPointerException if {@code gen} is null
     */
    public Weighted {
      if (weight < 0) {
        throw new IllegalArgumentException("weight must be >= 0, was " + weight);
      }
      Objects.requireNonNull(gen, "gen");
    }
  }
}
