package dev.breakglass.testing;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/*
 * Design. Every generated value is a function of a sequence of choices, each an unsigned long
 * index in [0, span] (span chosen by the generator that asks). While a try runs fresh, the
 * source draws each index from a SplittableRandom seeded with the try's seed and records it;
 * to shrink, the harness replays an edited copy of the record: indices are read back in order,
 * an index above the span now asked for is clamped to it, and past the end of the record every
 * choice is 0. Generators make index 0 the simplest choice (zero, the first alternative, the
 * end of a list), so the shrinker needs to know nothing about the values: it deletes and
 * lowers recorded indices and keeps whatever still fails. This is the design of Hypothesis's
 * reducer (D. R. MacIver and A. F. Donaldson, "Test-Case Reduction via Test-Case Generation:
 * Insights from the Hypothesis Reducer", ECOOP 2020), and it lets shrinking pass through map,
 * flatMap, filter and java.util.Random-driven code unchanged.
 */
/**
 * Where a generator's values come from during one try of a property: a recorded sequence of
 * choices, fresh from a seed or replayed while shrinking. Generators read it only through
 * {@link #draw(Gen)} and the factories of {@link Gen}.
 *
 * <p>Not thread-safe: a source serves one try, on the thread that runs it.
 */
public final class Source {

  /** A try that makes more choices than this is rejected (a generator that does not stop). */
  static final int MAX_CHOICES = 1 << 20;

  private final @Nullable SplittableRandom random;
  private final long[] prefix;
  private long[] choices = new long[64];
  private int size;

  private Source(@Nullable SplittableRandom random, long[] prefix) {
    this.random = random;
    this.prefix = prefix;
  }

  /** A source drawing fresh choices from {@code seed}. */
  static Source generating(long seed) {
    return new Source(new SplittableRandom(seed), new long[0]);
  }

  /** A source replaying {@code recorded}, then answering 0 to every further choice. */
  static Source replaying(long[] recorded) {
    return new Source(null, recorded.clone());
  }

  /**
   * Draws a value from {@code gen}: the way a generator composes other generators.
   *
   * @param gen the generator
   * @param <T> the type of value
   * @return the value {@code gen} produces from this source
   * @throws NullPointerException if {@code gen} is null
   */
  public <T> T draw(Gen<T> gen) {
    Objects.requireNonNull(gen, "gen");
    return gen.next(this);
  }

  /**
   * Makes one choice in [0, span] (unsigned) and records it. When the choice is fresh,
   * {@code generate} picks it from the try's random generator.
   */
  long choose(long span, ToLongFunction<SplittableRandom> generate) {
    if (size >= MAX_CHOICES) {
      throw new Rejected("a try made more than " + MAX_CHOICES + " choices");
    }
    long index;
    if (size < prefix.length) {
      index = prefix[size];
      if (Long.compareUnsigned(index, span) > 0) {
        index = span;
      }
    } else if (random != null) {
      index = generate.applyAsLong(random);
      if (Long.compareUnsigned(index, span) > 0) {
        throw new IllegalStateException("a generator picked " + Long.toUnsignedString(index)
            + ", outside [0, " + Long.toUnsignedString(span) + "]");
      }
    } else {
      index = 0;
    }
    if (size == choices.length) {
      choices = Arrays.copyOf(choices, size * 2);
    }
    choices[size++] = index;
    return index;
  }

  /**
   * The random generator of a fresh try, for decisions that are not recorded themselves but
   * shape what is (the target length of a list); null while replaying.
   */
  @Nullable SplittableRandom freshRandom() {
    return size >= prefix.length ? random : null;
  }

  /** The choices made so far. */
  long[] choices() {
    return Arrays.copyOf(choices, size);
  }

  @Override
  public String toString() {
    return "Source[" + size + " choices" + (random == null ? ", replaying" : "") + "]";
  }

  /** Thrown when a try cannot produce a value; the try is discarded, not failed. */
  static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rejected(String message) {
      super(message, null, false, false);
    }
  }
}
