package dev.breakglass.testing;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The Lincheck options of the breakglass linearizability tests, with their scenario counts in
 * one place. Every build runs a tenth of the scenarios ({@code quick}, the default); CI runs
 * them all with {@code -Plincheck} (the system property {@value #MODE} set to {@code full}).
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

  private static final int QUICK_DIVISOR = 10;

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
   * Returns a count for this run: {@code full} with the full counts, else a tenth of it
   * (at least 1).
   *
   * @param full the count of a full run
   * @return the count to use
   */
  public static int scaled(int full) {
    return full() ? full : Math.max(1, full / QUICK_DIVISOR);
  }

  /**
   * Model-checking options: {@code scenarios} scenarios (scaled), {@code invocations}
   * interleavings each, two threads of three operations, one operation before and after.
   *
   * @param scenarios the number of scenarios of a full run
   * @param invocations the interleavings explored per scenario
   * @return the options
   */
  public static ModelCheckingOptions modelChecking(int scenarios, int invocations) {
    return new ModelCheckingOptions()
        .iterations(scaled(scenarios))
        .invocationsPerIteration(invocations)
        .threads(2)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(1);
  }

  /**
   * Stress options: {@code scenarios} scenarios (scaled), {@code invocations} runs each,
   * three threads of three operations, one operation before and after.
   *
   * @param scenarios the number of scenarios of a full run
   * @param invocations the runs per scenario
   * @return the options
   */
  public static StressOptions stress(int scenarios, int invocations) {
    return new StressOptions()
        .iterations(scaled(scenarios))
        .invocationsPerIteration(invocations)
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(1);
  }
}
