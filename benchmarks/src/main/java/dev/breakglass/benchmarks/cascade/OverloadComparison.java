package dev.breakglass.benchmarks.cascade;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.AbstractPartitionedLimiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.breakglass.cascade.degradation.AdmissionLimiter;
import dev.breakglass.cascade.degradation.FixedLimit;
import dev.breakglass.cascade.degradation.GradientLimit;
import dev.breakglass.cascade.degradation.LimitAlgorithm;
import dev.breakglass.cascade.degradation.OverloadSimulation;
import dev.breakglass.cascade.degradation.OverloadSimulation.Gate;
import dev.breakglass.cascade.degradation.OverloadSimulation.Result;
import dev.breakglass.cascade.degradation.VegasLimit;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The overload comparison of docs/benchmarks.md: the deterministic {@link OverloadSimulation}
 * (16 workers, service 5 ms + exp(5 ms), client timeout 100 ms, tier mix 20/30/30/20, 60 s of
 * virtual time of which the first 10 s are warm-up) at 0.5×, 1×, 2× and 4× the server's
 * capacity, with no limiter, a plain fixed limit, Netflix concurrency-limits 0.5.4
 * ({@code Gradient2Limit} in a {@code SimpleLimiter}, and in a partitioned limiter with the tier
 * mix as partitions) and breakglass's {@link AdmissionLimiter} (fixed, gradient, Vegas). Not a
 * JMH benchmark: it measures outcomes in virtual time, not speed, and prints a Markdown table.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.breakglass.benchmarks.cascade.OverloadComparison
 * </pre>
 */
public final class OverloadComparison {

  private OverloadComparison() {}

  /**
   * Runs the comparison and prints the table.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    OverloadSimulation simulation = new OverloadSimulation(OverloadSimulation.Setup.standard());
    System.out.println(Result.header());
    for (double load : new double[] {0.5, 1.0, 2.0, 4.0}) {
      print(simulation.run("no limiter", load, ticker -> OverloadSimulation.unlimited()));
      print(simulation.run("fixed limit 32", load, ticker -> OverloadSimulation.fixed(32)));
      print(simulation.run("concurrency-limits Gradient2", load,
          ticker -> netflix(SimpleLimiter.newBuilder().limit(Gradient2Limit.newDefault())
              .nanoClock(ticker::read).build())));
      print(simulation.run("concurrency-limits Gradient2, partitioned", load,
          ticker -> netflix(new TierPartitioned().partitionResolver(Tier::name)
              .partition("CRITICAL", 0.2).partition("ESSENTIAL", 0.3)
              .partition("STANDARD", 0.3).partition("ENHANCED", 0.2)
              .limit(Gradient2Limit.newDefault()).nanoClock(ticker::read).build())));
      print(simulation.run("breakglass, fixed 20", load,
          ticker -> breakglass(ticker, () -> FixedLimit.of(20))));
      print(simulation.run("breakglass, gradient", load,
          ticker -> breakglass(ticker, () -> GradientLimit.builder().build())));
      print(simulation.run("breakglass, Vegas", load,
          ticker -> breakglass(ticker, () -> VegasLimit.builder().build())));
    }
  }

  private static void print(Result result) {
    System.out.println(result.row());
  }

  private static Gate breakglass(ManualTicker ticker, Supplier<LimitAlgorithm> algorithm) {
    return OverloadSimulation.of(
        AdmissionLimiter.builder("sim").algorithm(algorithm).ticker(ticker).build());
  }

  /** A partitioned limiter keyed by tier (concurrency-limits' builder is abstract). */
  static final class TierPartitioned
      extends AbstractPartitionedLimiter.Builder<TierPartitioned, Tier> {
    @Override
    protected TierPartitioned self() {
      return this;
    }
  }

  /** concurrency-limits as a gate: a token is an index into the listeners handed out. */
  private static Gate netflix(Limiter<Tier> limiter) {
    List<Limiter.Listener> listeners = new ArrayList<>();
    return new Gate() {
      @Override
      public long tryAcquire(Tier tier) {
        Optional<Limiter.Listener> listener = limiter.acquire(tier);
        if (listener.isEmpty()) {
          return 0;
        }
        listeners.add(listener.get());
        return listeners.size();
      }

      @Override
      public void complete(long token, boolean dropped) {
        Limiter.Listener listener = listeners.set((int) token - 1, null);
        if (dropped) {
          listener.onDropped();
        } else {
          listener.onSuccess();
        }
      }

      @Override
      public int limit() {
        return limiter instanceof com.netflix.concurrency.limits.limiter.AbstractLimiter<?> a
            ? a.getLimit() : -1;
      }
    };
  }
}
