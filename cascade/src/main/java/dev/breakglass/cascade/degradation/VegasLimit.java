package dev.breakglass.cascade.degradation;

import java.util.SplittableRandom;

/**
 * Delay-based limit after TCP Vegas: estimates the queue from the no-load latency and grows or
 * shrinks the limit to keep it small. After concurrency-limits' {@code VegasLimit} (0.5.x
 * defaults: initial 20, max 1000, smoothing 1.0, probe multiplier 30, and with
 * {@code log = max(1, floor(log10(limit)))}: alpha {@code 3·log}, beta {@code 6·log},
 * threshold {@code log}, increase {@code +log}, decrease {@code -log}).
 *
 * <p>Per closed {@link SampleWindow}, with {@code rtt} the window's minimum latency and
 * {@code noLoad} the smallest latency seen since the last probe:
 * <pre>
 * every probeMultiplier * limit calls (jittered by [0.5, 1)): noLoad = rtt, keep the limit
 * if rtt &lt; noLoad: noLoad = rtt, keep the limit
 * queue = ceil(limit * (1 - noLoad / rtt))
 * drop                         -&gt; limit - log
 * maxInFlight * 2 &lt; limit      -&gt; keep                (the caller is not using it)
 * queue &lt;= threshold           -&gt; limit + beta        (no queueing: grow fast)
 * queue &lt; alpha                -&gt; limit + log
 * queue &gt; beta                 -&gt; limit - log
 * otherwise                    -&gt; keep
 * limit = (1 - smoothing) * limit + smoothing * clamp(next, 1, maxLimit)
 * </pre>
 * The probe jitter comes from a random generator seeded by {@link Builder#seed(long)}, so a
 * run under a manual ticker is reproducible.
 *
 * <p>Thread-safety: not thread-safe; see {@link LimitAlgorithm}. Create one per limiter.
 */
public final class VegasLimit implements LimitAlgorithm {

  private final int initialLimit;
  private final int maxLimit;
  private final double smoothing;
  private final int probeMultiplier;
  private final SplittableRandom random;

  private double estimated;
  private long noLoadRtt;
  private long probeCount;
  private double probeJitter;

  private VegasLimit(Builder builder) {
    this.initialLimit = builder.initialLimit;
    this.maxLimit = builder.maxLimit;
    this.smoothing = builder.smoothing;
    this.probeMultiplier = builder.probeMultiplier;
    this.random = new SplittableRandom(builder.seed);
    this.estimated = initialLimit;
    this.probeJitter = nextJitter();
  }

  /**
   * Returns a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private double nextJitter() {
    return 0.5 + random.nextDouble() * 0.5;
  }

  private static int log10(double limit) {
    return Math.max(1, (int) Math.log10(Math.max(1.0, limit)));
  }

  @Override
  public int initialLimit() {
    return initialLimit;
  }

  @Override
  public int maxLimit() {
    return maxLimit;
  }

  @Override
  public int update(SampleWindow window) {
    long rtt = window.minRttNanos();
    probeCount += window.samples();
    if (probeJitter * probeMultiplier * estimated <= probeCount) {
      probeJitter = nextJitter();
      probeCount = 0;
      noLoadRtt = rtt;
      return (int) estimated;
    }
    if (noLoadRtt == 0 || rtt < noLoadRtt) {
      noLoadRtt = rtt;
      return (int) estimated;
    }
    int log = log10(estimated);
    double next;
    if (window.didDrop()) {
      next = estimated - log;
    } else if (window.maxInFlight() * 2 < estimated) {
      return (int) estimated;
    } else {
      int queue = (int) Math.ceil(estimated * (1 - (double) noLoadRtt / rtt));
      if (queue <= log) {
        next = estimated + 6 * log;
      } else if (queue < 3 * log) {
        next = estimated + log;
      } else if (queue > 6 * log) {
        next = estimated - log;
      } else {
        return (int) estimated;
      }
    }
    next = Math.max(1, Math.min(maxLimit, next));
    estimated = (1 - smoothing) * estimated + smoothing * next;
    return (int) estimated;
  }

  @Override
  public String toString() {
    return "VegasLimit[max=" + maxLimit + ", smoothing=" + smoothing + ", probeMultiplier="
        + probeMultiplier + "]";
  }

  /**
   * Builds a {@link VegasLimit}.
   *
   * <p>Thread-safety: not thread-safe; reusable.
   */
  public static final class Builder {
    private int initialLimit = 20;
    private int maxLimit = 1000;
    private double smoothing = 1.0;
    private int probeMultiplier = 30;
    private long seed = 0x5EEDL;

    private Builder() {}

    /**
     * Sets the limit to start with (default 20).
     *
     * @param initialLimit at most {@code maxLimit}, checked by {@link #build()}
     * @return this builder
     * @throws IllegalArgumentException if not in {@code [1, MAX_LIMIT]}
     */
    public Builder initialLimit(int initialLimit) {
      this.initialLimit = Limits.checkLimit("initialLimit", initialLimit);
      return this;
    }

    /**
     * Sets the ceiling of the limit (default 1000).
     *
     * @param maxLimit the largest limit
     * @return this builder
     * @throws IllegalArgumentException if not in {@code [1, MAX_LIMIT]}
     */
    public Builder maxLimit(int maxLimit) {
      this.maxLimit = Limits.checkLimit("maxLimit", maxLimit);
      return this;
    }

    /**
     * Sets how much of each new estimate is taken (default 1.0).
     *
     * @param smoothing in {@code (0, 1]}
     * @return this builder
     * @throws IllegalArgumentException if not in {@code (0, 1]} or NaN
     */
    public Builder smoothing(double smoothing) {
      this.smoothing = Limits.checkRange("smoothing", smoothing, 0.0, true, 1.0, false);
      return this;
    }

    /**
     * Sets how often the no-load latency is measured again, in multiples of the limit
     * (default 30).
     *
     * @param probeMultiplier at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder probeMultiplier(int probeMultiplier) {
      this.probeMultiplier = Limits.checkAtLeast("probeMultiplier", probeMultiplier, 1);
      return this;
    }

    /**
     * Sets the seed of the probe jitter (default a constant, so runs are reproducible).
     *
     * @param seed any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Builds the algorithm.
     *
     * @return a new algorithm
     * @throws IllegalArgumentException if {@code initialLimit > maxLimit}
     */
    public VegasLimit build() {
      Limits.checkOrder("initialLimit", initialLimit, "maxLimit", maxLimit);
      return new VegasLimit(this);
    }
  }
}
