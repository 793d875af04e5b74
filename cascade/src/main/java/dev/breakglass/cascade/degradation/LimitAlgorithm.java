package dev.breakglass.cascade.degradation;

/**
 * How an {@link AdmissionLimiter} finds its concurrency limit: a function from the limiter's
 * recent calls (one {@link SampleWindow} at a time) to the next limit.
 *
 * <p>Four are provided, each with the parameters and defaults of the corresponding algorithm of
 * Netflix concurrency-limits 0.5.x: {@link FixedLimit} (a constant), {@link AimdLimit}
 * (additive increase, multiplicative decrease on drops), {@link GradientLimit} (the gradient of
 * the short-term to the long-term average latency, after concurrency-limits' Gradient2) and
 * {@link VegasLimit} (queue estimate from the minimum latency, after TCP Vegas).
 *
 * <p><b>Contract.</b> An algorithm instance holds state and serves one limiter: the limiter's
 * builder takes a {@link java.util.function.Supplier} and asks it for a fresh instance on every
 * {@code build()}. The limiter calls {@link #update(SampleWindow)} from one thread at a time
 * (whichever thread closes a window), with a happens-before edge between consecutive calls, so
 * an implementation needs no synchronization of its own. {@code update} runs on a releasing
 * caller's thread: it must be quick and must not block.
 *
 * <p>Thread-safety: implementations need not be thread-safe (see the contract above).
 */
public interface LimitAlgorithm {

  /**
   * Returns the limit to start with.
   *
   * @return the initial limit, in {@code [1, maxLimit()]}
   */
  int initialLimit();

  /**
   * Returns the largest limit this algorithm will ever return. The limiter sizes its permit
   * table from it.
   *
   * @return the maximum limit, at least 1 and at most {@link AdmissionLimiter#MAX_LIMIT}
   */
  int maxLimit();

  /**
   * Whether this algorithm uses call latencies. If not, the limiter never reads its ticker on
   * the call path.
   *
   * @return {@code true} (the default) if {@link SampleWindow#averageRttNanos()} and
   *     {@link SampleWindow#minRttNanos()} must be measured
   */
  default boolean measuresLatency() {
    return true;
  }

  /**
   * Computes the next limit from a closed window of samples.
   *
   * @param window the calls completed since the previous window closed; valid only during this
   *     call (the limiter reuses it)
   * @return the new limit; the limiter clamps it to {@code [1, maxLimit()]}
   */
  int update(SampleWindow window);
}
