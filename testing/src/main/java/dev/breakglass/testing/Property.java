package dev.breakglass.testing;

import java.util.Objects;

/**
 * A property: a check that must hold for every value of a generator, run on many random values
 * (tries) from a plain JUnit test method.
 *
 * <pre>{@code
 * @Test
 * void entries_equalTheLastCapacityRecords() {
 *   forAll(inputs()).tries(500).check(input -> {
 *     ... // assertions on input
 *   });
 * }
 * }</pre>
 *
 * <p>Each try has a seed; the first try of a run uses the run's seed. When a try fails, the
 * failing value is shrunk (the recorded choices it was made from are deleted and lowered while
 * the check still fails with the same type of exception) and {@link #check} throws a
 * {@link PropertyFailedError} that names the seed, shows the smallest failing value found and
 * the original one, and gives the command that re-runs exactly that case
 * ({@code -Dbreakglass.seed=...}). A try whose check throws a JUnit assumption failure
 * ({@code org.opentest4j.TestAbortedException}) is discarded, not counted.
 *
 * <p>Tries, seed and shrinking budget are configured in one place, by system properties:
 * {@code breakglass.seed}, {@code breakglass.tries} (every property runs this many),
 * {@code breakglass.tries.factor} (scales every property's default), {@code breakglass.shrinks}
 * and {@code breakglass.shrink.seconds}. A property's own count, {@link #tries(int)}, is its
 * default.
 *
 * <p>Not thread-safe: build and check a property on one thread. The tries run one after
 * another on the calling thread.
 *
 * @param <T> the type of value checked
 */
public final class Property<T> {

  /** The tries of a property that does not set its own. */
  public static final int DEFAULT_TRIES = 1000;

  private final Gen<T> gen;
  private int tries = DEFAULT_TRIES;

  private Property(Gen<T> gen) {
    this.gen = gen;
  }

  /**
   * Starts a property over the values of {@code gen}.
   *
   * @param gen the generator of the values checked
   * @param <T> the type of value
   * @return the property, with {@value #DEFAULT_TRIES} tries
   * @throws NullPointerException if {@code gen} is null
   */
  public static <T> Property<T> forAll(Gen<T> gen) {
    return new Property<>(Objects.requireNonNull(gen, "gen"));
  }

  /**
   * Sets this property's default number of tries (the system properties
   * {@code breakglass.tries} and {@code breakglass.tries.factor} override or scale it).
   *
   * @param tries the number of passing tries that make the property hold, at least 1
   * @return this property
   * @throws IllegalArgumentException if {@code tries} is less than 1
   */
  public Property<T> tries(int tries) {
    if (tries < 1) {
      throw new IllegalArgumentException("tries must be >= 1, was " + tries);
    }
    this.tries = tries;
    return this;
  }

  /**
   * Runs the property: checks {@code body} against generated values until the number of tries
   * have passed, and returns normally if they all did.
   *
   * @param body the check; it fails by throwing (an assertion error, or any exception)
   * @throws PropertyFailedError if a try failed: the report names the seed, the smallest
   *     failing value found and how to re-run it; its cause is that value's failure
   * @throws AssertionError if the generator threw, or nearly every try was discarded
   * @throws IllegalArgumentException if a {@code breakglass.*} system property is malformed
   * @throws NullPointerException if {@code body} is null
   */
  public void check(Body<T> body) {
    Objects.requireNonNull(body, "body");
    new Runner<>(gen, body, tries, Settings.fromSystemProperties()).run();
  }

  /**
   * Adds a line to the report of a failure, for values that the check computes itself (what a
   * {@code Random} from {@link Gen#randoms()} picked, an intermediate result): the report
   * shows the notes of the smallest failing case and of the original one.
   *
   * @param note the note, rendered with {@link String#valueOf(Object)}
   * @throws IllegalStateException if called outside a property's check, or on another thread
   */
  public static void note(Object note) {
    Runner.note(String.valueOf(note));
  }

  /**
   * The check of a property: throws to fail.
   *
   * @param <T> the type of value checked
   */
  @FunctionalInterface
  public interface Body<T> {

    /**
     * Checks one value.
     *
     * @param value the generated value
     * @throws Exception to fail the property (as does any {@link Throwable})
     */
    void test(T value) throws Exception;
  }
}
