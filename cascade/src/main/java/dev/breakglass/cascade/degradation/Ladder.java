package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.util.function.DoubleFunction;

/**
 * The shedding ladder as a {@link CascadeManager.Builder} sets it: per severity, the least
 * important tier admitted and the capacity factor, each either set or left at its default.
 * {@link #modes()} resolves it into one {@link Mode} per severity.
 *
 * <p>Not thread-safe; owned by one builder.
 */
final class Ladder {

  private static final Tier[] TIERS = Tier.values();
  private static final Severity[] SEVERITIES = Severity.values();

  /** By severity: NORMAL admits everything, MINOR up to STANDARD, MAJOR up to ESSENTIAL. */
  private final Tier[] admitUpTo = {Tier.ENHANCED, Tier.STANDARD, Tier.ESSENTIAL, Tier.CRITICAL};
  private final double[] capacity = {1.0, 1.0, 0.6, 0.6};
  private final boolean[] admitSet = new boolean[SEVERITIES.length];
  private final boolean[] capacitySet = new boolean[SEVERITIES.length];

  /** Sets the least important tier a severity admits; arguments checked by the builder. */
  void admitUpTo(Severity severity, Tier leastImportantAdmitted) {
    admitUpTo[severity.ordinal()] = leastImportantAdmitted;
    admitSet[severity.ordinal()] = true;
  }

  /** Sets the capacity factor of a severity; arguments checked by the builder. */
  void capacityFactor(Severity severity, double factor) {
    capacity[severity.ordinal()] = factor;
    capacitySet[severity.ordinal()] = true;
  }

  /**
   * Resolves the ladder: one mode per severity, by severity ordinal.
   *
   * @throws IllegalArgumentException if a higher severity is set to admit a tier that a lower
   *     one is set to shed, or to a higher capacity factor than a lower one is set to
   */
  Mode[] modes() {
    double[] admitted = new double[admitUpTo.length];
    for (int s = 0; s < admitted.length; s++) {
      admitted[s] = admitUpTo[s].ordinal();
    }
    admitted = resolve(admitted, admitSet, "admit a tier a lower one sheds", "admits up to",
        value -> TIERS[(int) value].toString());
    double[] factors = resolve(capacity, capacitySet, "have a higher capacity factor", "has",
        Double::toString);
    Mode[] modes = new Mode[SEVERITIES.length];
    for (Severity severity : SEVERITIES) {
      int s = severity.ordinal();
      modes[s] = new Mode(severity, TIERS[(int) admitted[s]], factors[s]);
    }
    return modes;
  }

  /**
   * Resolves one rung of the ladder per severity: values must not rise with severity.
   * Explicit settings must agree with each other; a default is clamped between the nearest
   * explicit settings on either side (the defaults alone are already monotone, and so are
   * the bounds, so the result is too).
   */
  private static double[] resolve(
      double[] values,
      boolean[] explicit,
      String what,
      String verb,
      DoubleFunction<String> show) {
    for (int low = 0; low < values.length; low++) {
      for (int high = low + 1; high < values.length; high++) {
        if (explicit[low] && explicit[high] && values[high] > values[low]) {
          throw new IllegalArgumentException("a higher severity must not " + what + ": "
              + SEVERITIES[low] + " " + verb + " " + show.apply(values[low]) + ", "
              + SEVERITIES[high] + " " + verb + " " + show.apply(values[high]));
        }
      }
    }
    double[] result = values.clone();
    for (int s = 0; s < values.length; s++) {
      if (explicit[s]) {
        continue;
      }
      double upper = Double.POSITIVE_INFINITY;
      double lower = Double.NEGATIVE_INFINITY;
      for (int other = 0; other < values.length; other++) {
        if (explicit[other] && other < s) {
          upper = Math.min(upper, values[other]);
        } else if (explicit[other] && other > s) {
          lower = Math.max(lower, values[other]);
        }
      }
      result[s] = Math.max(lower, Math.min(upper, values[s]));
    }
    return result;
  }
}
