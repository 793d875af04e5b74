package dev.breakglass.testing;

/**
 * A property failed: the message shows the smallest failing value found, the original one, the
 * seed of the failing try and the command that re-runs it; the cause is the smallest value's
 * failure (the original's, when different, is suppressed).
 *
 * <p>Its own state is immutable; like any {@link Throwable} it may be read from any thread once
 * thrown.
 */
public final class PropertyFailedError extends AssertionError {

  private static final long serialVersionUID = 1L;

  /** The property, as {@code TestClass#method}. */
  private final String property;
  /** The seed of the failing try. */
  private final long seed;
  /** The smallest failing value found, as the report shows it. */
  private final String smallest;
  /** The failing value as first generated, as the report shows it. */
  private final String original;

  PropertyFailedError(String message, Throwable cause, String property, long seed,
      String smallest, String original) {
    super(message, cause);
    this.property = property;
    this.seed = seed;
    this.smallest = smallest;
    this.original = original;
  }

  /**
   * The property, as {@code TestClass#method}.
   *
   * @return the property's name
   */
  public String property() {
    return property;
  }

  /**
   * The seed of the failing try: {@code -Dbreakglass.seed=} this value makes it the first try.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * The smallest failing value found, as the report shows it.
   *
   * @return the shrunk value's text
   */
  public String smallest() {
    return smallest;
  }

  /**
   * The failing value as first generated, as the report shows it.
   *
   * @return the original value's text
   */
  public String original() {
    return original;
  }
}
