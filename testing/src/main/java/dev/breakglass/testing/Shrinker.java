package dev.breakglass.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/*
 * Shrinking on the choice sequence (see Source). A candidate is an edited copy of the best
 * failing sequence so far; it replaces the best one if replaying it fails with the same type of
 * exception and the choices it consumed are smaller in shortlex order (shorter, or as long and
 * lexicographically smaller, unsigned). Every accepted step makes the sequence strictly
 * smaller, so shrinking ends; the passes repeat until a round changes nothing or the budget
 * (replays, seconds) runs out:
 *   0. lower each of the first 8 choices (as in 3): they are mostly sizes and counts, and a
 *      smaller count makes every later pass cheaper; deleting choices does not shorten a
 *      sequence whose length a count drawn up front decides;
 *   1. delete a block of choices: halves, quarters, ... of the sequence at block boundaries,
 *      then every block of 8 down to 1 choices at every position (a list element is its flag
 *      and its own choices, so deleting that block removes the element);
 *   2. set a block of 2 to 8 choices to zero;
 *   3. lower each choice: to zero, else by binary search for the smallest that still fails;
 *   4. lower a choice by one and delete a block of 1 or 2 choices up to 16 places after it (a
 *      count drawn before its elements, as Random-driven code draws it, and one element).
 * The passes are those of Hypothesis's reducer, simplified (MacIver and Donaldson, ECOOP 2020);
 * they are deterministic, so a seed reproduces the shrunk value too, unless a limit was hit.
 */
/** Shrinks a failing try to a smaller one that still fails. Not thread-safe; one per failure. */
final class Shrinker<T> {

  /** How many leading choices each round lowers first. */
  static final int LEADING = 8;

  /** How far after a lowered choice {@link #lowerAndDelete} looks for a block to delete. */
  static final int LOOKAHEAD = 16;

  private final Runner<T> runner;
  private final Class<?> failureType;
  private final int maxAttempts;
  private final long deadline;
  private Runner.Trial best;
  private int attempts;
  private int steps;
  private boolean stoppedAtLimit;

  Shrinker(Runner<T> runner, Runner.Trial failed, Settings settings) {
    if (failed.failure == null) {
      throw new IllegalArgumentException("a failed trial has a failure");
    }
    this.runner = runner;
    this.failureType = failed.failure.getClass();
    this.best = failed;
    this.maxAttempts = settings.shrinks;
    this.deadline = System.nanoTime() + settings.shrinkNanos;
  }

  /** Shrinks, and returns the smallest failing trial found (perhaps the original). */
  Runner.Trial shrink() {
    boolean progress = true;
    while (progress && !outOfBudget()) {
      progress = lowerEach(LEADING);
      progress |= deleteBlocks();
      progress |= zeroBlocks();
      progress |= lowerEach(Integer.MAX_VALUE);
      progress |= lowerAndDelete();
    }
    return best;
  }

  int attempts() {
    return attempts;
  }

  int steps() {
    return steps;
  }

  boolean stoppedAtLimit() {
    return stoppedAtLimit;
  }

  private boolean deleteBlocks() {
    boolean progress = false;
    for (int size : blockSizes(best.choices.length)) {
      int stride = size > 8 ? size : 1;
      int at = best.choices.length - size;
      while (at >= 0 && !outOfBudget()) {
        long[] choices = best.choices;
        if (at + size <= choices.length && consider(delete(choices, at, size))) {
          progress = true;
          at = Math.min(at, best.choices.length - size); // the same place again
        } else {
          at -= stride;
        }
      }
    }
    return progress;
  }

  /** Halves, quarters, ... of n down to 16, then 8 to 1. */
  static List<Integer> blockSizes(int n) {
    List<Integer> sizes = new ArrayList<>();
    for (int size = Integer.highestOneBit(Math.max(1, n / 2)); size > 8; size /= 2) {
      sizes.add(size);
    }
    for (int size = 8; size >= 1; size--) {
      if (size <= n) {
        sizes.add(size);
      }
    }
    return sizes;
  }

  private boolean zeroBlocks() {
    boolean progress = false;
    for (int size = 8; size >= 2; size /= 2) {
      for (int at = 0; at + size <= best.choices.length && !outOfBudget(); at++) {
        long[] choices = best.choices;
        boolean zero = true;
        for (int i = at; i < at + size; i++) {
          zero &= choices[i] == 0;
        }
        if (!zero) {
          long[] candidate = choices.clone();
          Arrays.fill(candidate, at, at + size, 0L);
          progress |= consider(candidate);
        }
      }
    }
    return progress;
  }

  /** Lowers each of the first {@code count} choices as far as it still fails. */
  private boolean lowerEach(int count) {
    boolean progress = false;
    for (int at = 0; at < Math.min(count, best.choices.length) && !outOfBudget(); at++) {
      long value = best.choices[at];
      if (value == 0) {
        continue;
      }
      if (consider(with(best.choices, at, 0))) {
        progress = true;
        continue;
      }
      long passes = 0; // the largest value known to pass
      long fails = value; // the smallest value known to fail
      while (Long.compareUnsigned(fails - passes, 1) > 0 && at < best.choices.length
          && !outOfBudget()) {
        long middle = passes + ((fails - passes) >>> 1);
        if (consider(with(best.choices, at, middle))) {
          fails = middle;
          progress = true;
        } else {
          passes = middle;
        }
      }
    }
    return progress;
  }

  /**
   * Lowers a choice by one and deletes a block of 1 or 2 choices soon after it: a count drawn
   * before the elements it counts (as code using a {@code Random} draws it) must drop while
   * one element goes, which neither change does alone.
   */
  private boolean lowerAndDelete() {
    boolean progress = false;
    for (int at = 0; at < best.choices.length && !outOfBudget(); at++) {
      for (int size = 1; size <= 2; size++) {
        for (int from = at + 1; from + size <= Math.min(best.choices.length, at + 1 + LOOKAHEAD)
            && at < best.choices.length && best.choices[at] != 0 && !outOfBudget(); from++) {
          long[] candidate = delete(best.choices, from, size);
          candidate[at]--;
          progress |= consider(candidate);
        }
      }
    }
    return progress;
  }

  /** Replays {@code candidate}; keeps it if it fails the same way and is smaller. */
  private boolean consider(long[] candidate) {
    if (!smaller(candidate, best.choices) || outOfBudget()) {
      return false;
    }
    attempts++;
    Runner.Trial trial = runner.trial(Source.replaying(candidate), null);
    if (trial.kind != Runner.Kind.FAILED || trial.failure == null
        || trial.failure.getClass() != failureType || !smaller(trial.choices, best.choices)) {
      return false;
    }
    best = trial;
    steps++;
    return true;
  }

  private boolean outOfBudget() {
    if (attempts >= maxAttempts || System.nanoTime() - deadline >= 0) {
      stoppedAtLimit = true;
      return true;
    }
    return false;
  }

  /** Shortlex order: shorter first, then lexicographic on unsigned values. */
  static boolean smaller(long[] a, long[] b) {
    if (a.length != b.length) {
      return a.length < b.length;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return Long.compareUnsigned(a[i], b[i]) < 0;
      }
    }
    return false;
  }

  private static long[] delete(long[] choices, int at, int size) {
    long[] out = new long[choices.length - size];
    System.arraycopy(choices, 0, out, 0, at);
    System.arraycopy(choices, at + size, out, at, choices.length - at - size);
    return out;
  }

  private static long[] with(long[] choices, int at, long value) {
    long[] out = choices.clone();
    out[at] = value;
    return out;
  }
}
