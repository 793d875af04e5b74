package dev.breakglass.cascade.degradation;

import java.time.Duration;

/**
 * Loss-based limit: additive increase while calls succeed and in-flight work is near the
 * limit, multiplicative decrease when a call is dropped or too slow. After concurrency-limits'
 * {@code AIMDLimit} (0.5.x defaults: initial 20, min 20, max 200, back-off ratio 0.9, timeout
 * 5 s).
 *
 * <p>Per closed {@link SampleWindow}: if the window has a drop or its average latency exceeds
 * the timeout, {@code limit = max(minLimit, min(limit - 1, floor(limit * backoffRatio)))};
 * otherwise, if the window's peak in-flight count reached half the limit,
 * {@code limit = limit + 1}; otherwise (the caller is not using the limit) it stays. Unlike
 * concurrency-limits, which updates on every call, the limit moves once per window.
 *
 * <p>Thread-safety: not thread-safe; see {@link LimitAlgorithm}. Create one per limiter.
 */
public final class AimdLimit implements LimitAlgorithm {

  private final int minLimit;
  private final int maxLimit;
  private final int initialLimit;
  private final double backoffRatio;
  private final long timeoutNanos;

  private AimdLimit(Builder builder) {
    this.minLimit = builder.minLimit;
    this.maxLimit = builder.maxLimit;
    this.initialLimit = builder.initialLimit;
    this.backoffRatio = builder.backoffRatio;
    this.timeoutNanos = builder.timeout.toNanos();
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
    int limit = window.limit();
    if (window.didDrop() || window.averageRttNanos() > timeoutNanos) {
      return Math.max(minLimit, Math.min(limit - 1, (int) (limit * backoffRatio)));
    }
    if (window.maxInFlight() * 2 >= limit) {
      return Math.min(maxLimit, limit + 1);
    }
    return limit;
  }

  @Override
  public String toString() {
    return "AimdLimit[min=" + minLimit + ", max=" + maxLimit + ", backoffRatio=" + backoffRatio
        + ", timeout=" + Duration.ofNanos(timeoutNanos) + "]";
  }

  /**
   * Builds an {@link AimdLimit}.
   *
   * <p>Thread-safety: not thread-safe; reusable.
   */
  public static final class Builder {
    private int initialLimit = 20;
    private int minLimit = 20;
    private int maxLimit = 200;
    private double backoffRatio = 0.9;
    private Duration timeout = Duration.ofSeconds(5);

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
     * @param minLimit the smallest limit a decrease leads to
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
     * @param maxLimit the largest limit an increase leads to
     * @return this builder
     * @throws IllegalArgumentException if not in {@code [1, MAX_LIMIT]}
     */
    public Builder maxLimit(int maxLimit) {
      this.maxLimit = Limits.checkLimit("maxLimit", maxLimit);
      return this;
    }

    /**
     * Sets the factor a drop multiplies the limit by (default 0.9).
     *
     * @param backoffRatio in {@code [0.5, 1.0)}
     * @return this builder
     * @throws IllegalArgumentException if not in {@code [0.5, 1.0)} or NaN
     */
    public Builder backoffRatio(double backoffRatio) {
      this.backoffRatio = Limits.checkRange("backoffRatio", backoffRatio, 0.5, false, 1.0, true);
      return this;
    }

    /**
     * Sets the average latency above which a window counts as a drop (default 5 s).
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Limits.checkPositive("timeout", timeout);
      return this;
    }

    /**
     * Builds the algorithm.
     *
     * @return a new algorithm
     * @throws IllegalArgumentException if {@code minLimit <= initialLimit <= maxLimit} does
     *     not hold
     */
    public AimdLimit build() {
      Limits.checkOrder("minLimit", minLimit, "initialLimit", initialLimit);
      Limits.checkOrder("initialLimit", initialLimit, "maxLimit", maxLimit);
      return new AimdLimit(this);
    }
  }
}
