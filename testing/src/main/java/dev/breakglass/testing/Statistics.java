package dev.breakglass.testing;

/**
 * Counts how often a property's tries saw each value of a label, to show what the generators
 * cover: after a passing run, the counts are printed with the run's summary (to standard output,
 * which Surefire keeps in {@code target/surefire-reports/*-output.txt}). Values collected while
 * a failure is shrunk are not counted.
 *
 * <p>Thread-safe in the sense that matters here: each property run counts on its own thread.
 */
public final class Statistics {

  private Statistics() {}

  /**
   * Counts {@code value} under {@code label} for the current try.
   *
   * @param label what is counted
   * @param value the value seen in this try, rendered with {@link String#valueOf(Object)}
   * @throws IllegalStateException if called outside a property's check, or on another thread
   */
  public static void collect(String label, Object value) {
    Runner.collect(label, String.valueOf(value));
  }
}
