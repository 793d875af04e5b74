package dev.breakglass.cascade.degradation;

/**
 * The calls an {@link AdmissionLimiter} saw complete during one sample window, as handed to
 * {@link LimitAlgorithm#update(SampleWindow)}.
 *
 * <p>The counts are gathered without locks while calls complete, so a call that completes while
 * a window is closing may be counted in either window (never lost, never counted twice in the
 * counts; its latency may land in the other window than its count). The algorithms tolerate
 * that: they work on averages and minimums of many samples.
 *
 * <p>Thread-safety: not thread-safe; the limiter reuses one instance and hands it to one
 * {@code update} call at a time. Do not keep a reference.
 */
public final class SampleWindow {

  private int limit;
  private int samples;
  private int drops;
  private long rttSumNanos;
  private long minRttNanos;
  private int maxInFlight;

  SampleWindow() {}

  void set(int limit, int samples, int drops, long rttSumNanos, long minRttNanos,
      int maxInFlight) {
    this.limit = limit;
    this.samples = samples;
    this.drops = drops;
    this.rttSumNanos = rttSumNanos;
    this.minRttNanos = minRttNanos;
    this.maxInFlight = maxInFlight;
  }

  /**
   * Returns the algorithm's limit while this window was open (before any capacity factor).
   *
   * @return the current limit
   */
  public int limit() {
    return limit;
  }

  /**
   * Returns the number of calls completed in this window, dropped ones included.
   *
   * @return at least 1
   */
  public int samples() {
    return samples;
  }

  /**
   * Returns how many of the calls were dropped ({@link AdmissionLimiter#onDropped(long)}: a
   * timeout, or a signal of overload from downstream).
   *
   * @return the number of dropped calls
   */
  public int drops() {
    return drops;
  }

  /**
   * Whether any call of the window was dropped.
   *
   * @return {@code drops() > 0}
   */
  public boolean didDrop() {
    return drops > 0;
  }

  /**
   * Returns the average latency of the window's calls.
   *
   * @return nanoseconds, at least 1; 1 if the algorithm does not measure latency
   */
  public long averageRttNanos() {
    return Math.max(1L, rttSumNanos / Math.max(1, samples));
  }

  /**
   * Returns the smallest latency of the window's calls.
   *
   * @return nanoseconds, at least 1; 1 if the algorithm does not measure latency
   */
  public long minRttNanos() {
    return Math.max(1L, minRttNanos == Long.MAX_VALUE ? averageRttNanos() : minRttNanos);
  }

  /**
   * Returns the largest number of calls in flight seen when a call of this window completed.
   *
   * @return the peak in-flight count
   */
  public int maxInFlight() {
    return maxInFlight;
  }

  @Override
  public String toString() {
    return "SampleWindow[limit=" + limit + ", samples=" + samples + ", drops=" + drops
        + ", averageRttNanos=" + averageRttNanos() + ", minRttNanos=" + minRttNanos()
        + ", maxInFlight=" + maxInFlight + "]";
  }
}
