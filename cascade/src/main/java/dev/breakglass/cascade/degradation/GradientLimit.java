package dev.breakglass.cascade.degradation;

/**
 * Latency-gradient limit: shrinks the limit as the short-term average latency rises above the
 * long-term average, and lets it grow by a small queue allowance while they agree. After
 * concurrency-limits' {@code Gradient2Limit} (0.5.x defaults: initial 20, min 20, max 200,
 * smoothing 0.2, queue size 4, long window 600 samples); the same idea as Envoy's adaptive
 * concurrency filter ({@code gradient = minRTT / sampleRTT}).
 *
 * <p>Per closed {@link SampleWindow}, with {@code shortRtt} the window's average latency and
 * {@code longRtt} an exponential average of it over about {@code longWindow} calls (a plain
 * average over the first 10 windows):
 * <pre>
 * if longRtt / shortRtt &gt; 2: longRtt = longRtt * 0.9          (recover quickly after load)
 * if maxInFlight &lt; limit / 2: keep the limit                   (the caller is not using it)
 * gradient = clamp(longRtt / shortRtt, 0.5, 1.0)
 * limit    = limit * (1 - smoothing) + (gradient * limit + queueSize) * smoothing
 * limit    = clamp(limit, minLimit, maxLimit)
 * </pre>
 *
 * <p>Thread-safety: not thread-safe; see {@link LimitAlgorithm}. Create one per limiter.
 */
public final class GradientLimit implements LimitAlgorithm {

  private static final int WARMUP_WINDOWS = 10;

  private final int minLimit;
  private final int maxLimit;
  private final int initialLimit;
  private final double smoothing;
  private final int queueSize;
  private final int longWindow;

  private double estimated;
  private double longRtt;
  private int windows;

  private GradientLimit(Builder builder) {
    this.minLimit = builder.minLimit;
    this.maxLimit = builder.maxLimit;
    this.initialLimit = builder.initialLimit;
    this.smoothing = builder.smoothing;
    this.queueSize = builder.queueSize;
    this.longWindow = builder.longWindow;
    this.estimated = initialLimit;
  }

  /**
   * Returns a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
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
    double shortRtt = window.averageRttNanos();
    if (windows < WARMUP_WINDOWS) {
      windows++;
      longRtt += (shortRtt - longRtt) / windows;
    } else {
      double factor = Math.min(1.0, 2.0 * window.samples() / (longWindow + 1.0));
      longRtt += (shortRtt - longRtt) * factor;
    }
    if (longRtt / shortRtt > 2) {
      longRtt *= 0.9;
    }
    if (window.maxInFlight() < estimated / 2) {
      return (int) estimated;
    }
    double gradient = Math.max(0.5, Math.min(1.0, longRtt / shortRtt));
    double next = estimated * gradient + queueSize;
    next = estimated * (1 - smoothing) + next * smoothing;
    estimated = Math.max(minLimit, Math.min(maxLimit, next));
    return (int) estimated;
  }

  @Override
  public String toString() {
    return "GradientLimit[min=" + minLimit + ", max=" + maxLimit + ", smoothing=" + smoothing
        + ", queueSize=" + queueSize + ", longWindow=" + longWindow + "]";
  }

  /**
   * Builds a {@link GradientLimit}.
   *
   * <p>Thread-safety: not thread-safe; reusable.
   */
  public static final class Builder {
    private int initialLimit = 20;
    private int minLimit = 20;
    private int maxLimit = 200;
    private double smoothing = 0.2;
    private int queueSize = 4;
    private int longWindow = 600;

    private Builder() {}

    /**
     * Sets the limit to start with (default 20).
     *
     * @param initialLimit in {@code [minLimit, maxLimit]}, checked by {@link #build()}
     * @return this builder
     * @throws IllegalArgumentException if not in {@code [1, MAX_LIMIT]}
     */
    public Builder initialLimit(int initialLimit) {
      this.initialLimit = Limits.checkLimit("initialLimit", initialLimit);
      return this;
    }

    /**
     * Sets the floor of the limit (default 20).
     *
     * @param minLimit the smallest limit the gradient leads to
     * @return this builder
     * @throws IllegalArgumentException if not in {@code [1, MAX_LIMIT]}
     */
    public Builder minLimit(int minLimit) {
      this.minLimit = Limits.checkLimit("minLimit", minLimit);
      return this;
    }

    /**
     * Sets the ceiling of the limit (default 200).
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
     * Sets how much of each new estimate is taken (default 0.2).
     *
     * @param smoothing in {@code (0, 1]}; 1 takes the new estimate whole
     * @return this builder
     * @throws IllegalArgumentException if not in {@code (0, 1]} or NaN
     */
    public Builder smoothing(double smoothing) {
      this.smoothing = Limits.checkRange("smoothing", smoothing, 0.0, true, 1.0, false);
      return this;
    }

    /**
     * Sets how far the limit may grow per window while latencies stay flat (default 4).
     *
     * @param queueSize at least 0
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder queueSize(int queueSize) {
      this.queueSize = Limits.checkAtLeast("queueSize", queueSize, 0);
      return this;
    }

    /**
     * Sets the number of calls the long-term average latency spans (default 600).
     *
     * @param longWindow at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder longWindow(int longWindow) {
      this.longWindow = Limits.checkAtLeast("longWindow", longWindow, 1);
      return this;
    }

    /**
     * Builds the algorithm.
     *
     * @return a new algorithm
     * @throws IllegalArgumentException if {@code minLimit <= initialLimit <= maxLimit} does
     *     not hold
     */
    public GradientLimit build() {
      Limits.checkOrder("minLimit", minLimit, "initialLimit", initialLimit);
      Limits.checkOrder("initialLimit", initialLimit, "maxLimit", maxLimit);
      return new GradientLimit(this);
    }
  }
}
