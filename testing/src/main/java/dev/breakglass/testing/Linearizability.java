package dev.breakglass.testing;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The Lincheck options of the breakglass linearizability tests, with their scenario counts in
 * one place. Every build runs a tenth of the scenarios with a fifth of the invocations each
 * ({@code quick}, the default); CI runs the full counts with {@code -Plincheck} (the system
 * property {@value #MODE} set to {@code full}).
 *
 * <p>A test names its full counts; both strategies run {@code threads} threads of
 * {@code actorsPerThread} operations each, after {@code actorsBefore} and before
 * {@code actorsAfter} sequential ones. Model checking explores {@code invocations}
 * interleavings of each of {@code scenarios} random scenarios; stress runs each scenario
 * {@code invocations} times on real threads.
 *
 * <p>Not thread-safe; tests call it from the test thread.
 */
public final class Linearizability {

  /** The system property that chooses the counts: {@code quick} or {@code full}. */
  public static final String MODE = "breakglass.lincheck";

  private static final int QUICK_SCENARIOS_DIVISOR = 10;
  private static final int QUICK_INVOCATIONS_DIVISOR = 5;

  private Linearizability() {}

  /**
   * Returns whether the full counts apply.
   *
   * @return {@code true} if {@value #MODE} is {@code full}
   */
  public static boolean full() {
    return "full".equals(System.getProperty(MODE, "quick"));
  }

  /**
   * Returns the number of scenarios for this run: {@code full} with the full counts, else a
   * tenth of it (at least 1).
   *
   * @param full the number of a full run
   * @return the number to use
   */
  public static int scenarios(int full) {
    return full() ? full : Math.max(1, full / QUICK_SCENARIOS_DIVISOR);
  }

  /**
   * Returns the invocations per scenario for this run: {@code full} with the full counts,
   * else a fifth of it (at least 1).
   *
   * @param full the number of a full run
   * @return the number to use
   */
  public static int invocations(int full) {
    return full() ? full : Math.max(1, full / QUICK_INVOCATIONS_DIVISOR);
  }

  /**
   * Model-checking options: {@code scenarios} scenarios, {@code invocations} interleavings
   * each (both scaled for a quick run), two threads of three operations, one operation before
   * and after.
   *
   * @param scenarios the number of scenarios of a full run
   * @param invocations the interleavings explored per scenario
   * @return the options
   */
  public static ModelCheckingOptions modelChecking(int scenarios, int invocations) {
    return new ModelCheckingOptions()
        .iterations(scenarios(scenarios))
        .invocationsPerIteration(invocations(invocations))
        .threads(2)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(1);
  }

  /**
   * Stress options: {@code scenarios} scenarios, {@code invocations} runs each (both scaled
   * for a quick run), three threads of three operations, one operation before and after.
   *
   * @param scenarios the number of scenarios of a full run
   * @param invocations the runs per scenario
   * @return the options
   */
  public static StressOptions stress(int scenarios, int invocations) {
    return new StressOptions()
        .iterations(scenarios(scenarios))
        .invocationsPerIteration(invocations(invocations))
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(1);
  }
}
