package dev.breakglass.samples.drill;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the load generator saw, by kind of answer. Thread-safe.
 */
public final class Traffic {

  /** The kinds of answer the shop gives. */
  public enum Kind {
    /** Checkout answered and paid. */
    CHECKOUT_PAID,
    /** Checkout answered from the fallback: order accepted, payment deferred. */
    CHECKOUT_DEFERRED,
    /** Recommendations answered. */
    RECOMMENDATIONS,
    /** Recommendations shed: a clear degraded answer. */
    RECOMMENDATIONS_DEGRADED,
    /** Anything else: an error the shop should not give. */
    ERROR
  }

  private final LongAdder[] counts = new LongAdder[Kind.values().length];

  /** Creates zeroed counters. */
  public Traffic() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  /**
   * Counts one answer.
   *
   * @param kind the kind of answer
   */
  public void count(Kind kind) {
    counts[kind.ordinal()].increment();
  }

  /**
   * Returns how many answers of a kind were counted.
   *
   * @param kind the kind
   * @return the count
   */
  public long get(Kind kind) {
    return counts[kind.ordinal()].sum();
  }

  /**
   * Returns a copy of the counts, for differences between two moments.
   *
   * @return the counts, indexed by {@link Kind#ordinal()}
   */
  public long[] snapshot() {
    long[] result = new long[counts.length];
    for (int i = 0; i < counts.length; i++) {
      result[i] = counts[i].sum();
    }
    return result;
  }

  /**
   * How many requests of one kind were counted since an earlier snapshot.
   *
   * @param since an earlier {@link #snapshot()}
   * @param kind the kind of request
   * @return the count since then
   */
  public long countSince(long[] since, Kind kind) {
    return counts[kind.ordinal()].sum() - since[kind.ordinal()];
  }

  /**
   * Describes what was counted since an earlier snapshot.
   *
   * @param since an earlier {@link #snapshot()}
   * @return a one-line summary
   */
  public String summarySince(long[] since) {
    long[] now = snapshot();
    return String.format(
        "checkout %d paid, %d deferred; recommendations %d served, %d degraded; %d errors",
        now[0] - since[0], now[1] - since[1], now[2] - since[2], now[3] - since[3],
        now[4] - since[4]);
  }
}
