package dev.breakglass.cascade.degradation;

/**
 * A constant concurrency limit, like concurrency-limits' {@code FixedLimit}. It never reads a
 * clock: an {@link AdmissionLimiter} with a fixed limit costs no ticker read per call.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class FixedLimit implements LimitAlgorithm {

  private final int limit;

  private FixedLimit(int limit) {
    this.limit = limit;
  }

  /**
   * Returns a fixed limit.
   *
   * @param limit the number of calls allowed in flight
   * @return the algorithm
   * @throws IllegalArgumentException if {@code limit} is not in {@code [1, MAX_LIMIT]}
   */
  public static FixedLimit of(int limit) {
    return new FixedLimit(Limits.checkLimit("limit", limit));
  }

  @Override
  public int initialLimit() {
    return limit;
  }

  @Override
  public int maxLimit() {
    return limit;
  }

  /** A fixed limit does not use latencies. */
  @Override
  public boolean measuresLatency() {
    return false;
  }

  @Override
  public int update(SampleWindow window) {
    return limit;
  }

  @Override
  public String toString() {
    return "FixedLimit[" + limit + "]";
  }
}
