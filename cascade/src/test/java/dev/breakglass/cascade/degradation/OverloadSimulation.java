package dev.breakglass.cascade.degradation;

import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Tier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A deterministic discrete-event simulation of a server under overload, in virtual time on a
 * {@link ManualTicker}: a pool of {@code workers} with a FIFO queue in front, service times
 * {@code base + exponential(mean)} from a seeded generator, Poisson arrivals at a multiple of
 * the pool's capacity with a tier mix, and clients that give up after a timeout (the server
 * does not know: it still serves a request whose client has left, as a plain pool does).
 *
 * <p>A {@link Gate} decides which arrivals enter; a refused arrival costs nothing and is
 * answered at once. An admitted request's client-observed latency is its time to completion,
 * or the timeout if that is shorter; it counts as goodput if it completed within the timeout.
 * The gate hears every completion with whether the client had given up (a drop).
 *
 * <p>Used by the cascade tests (breakglass's limiter against the targets of issue 14) and by
 * the benchmarks module (the same runs with other limiters, for the comparison table).
 *
 * <p>Thread-safety: not thread-safe; one run at a time per instance.
 */
public final class OverloadSimulation {

  /** Decides admissions: the thing under test. */
  public interface Gate {
    /**
     * Asks to admit a request.
     *
     * @param tier the request's tier
     * @return a positive token, or 0 or less to refuse
     */
    long tryAcquire(Tier tier);

    /**
     * Hears that an admitted request completed.
     *
     * @param token what {@link #tryAcquire(Tier)} returned
     * @param dropped whether the client had given up before it completed
     */
    void complete(long token, boolean dropped);

    /**
     * Returns the current limit, for the stability report.
     *
     * @return the limit, or -1 if the gate has none
     */
    default int limit() {
      return -1;
    }
  }

  /** The simulated server and workload. */
  public record Setup(int workers, long serviceBaseNanos, long serviceMeanExtraNanos,
      long timeoutNanos, double[] tierMix, long durationNanos, long warmupNanos,
      long convergedAfterNanos, long seed) {

    /** 16 workers, service 5 ms + exp(5 ms) (mean 10 ms), timeout 100 ms, 60 s, mix 20/30/30/20. */
    public static Setup standard() {
      return new Setup(16, 5_000_000L, 5_000_000L, 100_000_000L,
          new double[] {0.2, 0.3, 0.3, 0.2}, 60_000_000_000L, 10_000_000_000L,
          20_000_000_000L, 42L);
    }

    /**
     * Returns the pool's capacity.
     *
     * @return requests per second the workers can serve
     */
    public double capacityPerSecond() {
      return workers * 1e9 / (serviceBaseNanos + serviceMeanExtraNanos);
    }
  }

  /** The outcome of one tier in a run. */
  public record TierResult(Tier tier, long offered, long admitted, long good, long p50Nanos,
      long p99Nanos) {

    /**
     * Returns goodput as a fraction of what the tier offered.
     *
     * @return good / offered
     */
    public double goodShare() {
      return offered == 0 ? 1.0 : (double) good / offered;
    }
  }

  /** The outcome of a run. */
  public record Result(String gate, double load, double capacityPerSecond, double seconds,
      TierResult[] tiers, int limitMin, int limitMedian, int limitMax) {

    /**
     * Returns the goodput of all tiers as a fraction of the server's capacity.
     *
     * @return good requests per second / capacity
     */
    public double goodputOfCapacity() {
      long good = 0;
      for (TierResult t : tiers) {
        good += t.good();
      }
      return good / seconds / capacityPerSecond;
    }

    /**
     * Returns a tier's outcome.
     *
     * @param tier the tier
     * @return its result
     */
    public TierResult tier(Tier tier) {
      return tiers[tier.ordinal()];
    }

    /**
     * Whether the limit stayed within 20 % of its median after convergence.
     *
     * @return true if stable, or if the gate has no limit
     */
    public boolean limitStable() {
      return limitMedian < 0
          || (limitMax <= limitMedian * 1.2 && limitMin >= limitMedian * 0.8);
    }

    /**
     * Renders the run as one Markdown table row.
     *
     * @return the row
     */
    public String row() {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "| %s | %.1f× | %.0f %% |", gate, load,
          100 * goodputOfCapacity()));
      for (TierResult t : tiers) {
        out.append(t.admitted() == 0
            ? String.format(Locale.ROOT, " %.0f %% · – |", 100 * t.goodShare())
            : String.format(Locale.ROOT, " %.0f %% · %.0f / %.0f |", 100 * t.goodShare(),
                t.p50Nanos() / 1e6, t.p99Nanos() / 1e6));
      }
      out.append(limitMedian < 0 ? " – |" : String.format(Locale.ROOT, " %d (%d–%d) |",
          limitMedian, limitMin, limitMax));
      return out.toString();
    }

    /**
     * Returns the header of the table {@link #row()} renders into.
     *
     * @return two Markdown lines
     */
    public static String header() {
      return "| gate | load | goodput (of capacity) | CRITICAL good · p50 / p99 ms"
          + " | ESSENTIAL | STANDARD | ENHANCED | limit after 20 s: median (min–max) |\n"
          + "|---|---|---|---|---|---|---|---|";
    }
  }

  private static final int ARRIVAL = 0;
  private static final int DONE = 1;

  private record Event(long time, long seq, int type, int request) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
    }
  }

  private final Setup setup;

  /**
   * Creates a simulation of a setup.
   *
   * @param setup the server and workload
   */
  public OverloadSimulation(Setup setup) {
    this.setup = setup;
  }

  /**
   * Runs the simulation once.
   *
   * @param name the gate's name in the result
   * @param load offered load as a multiple of capacity
   * @param gateFactory makes the gate from the run's ticker (every run starts from scratch)
   * @return the outcome
   */
  public Result run(String name, double load, Function<ManualTicker, Gate> gateFactory) {
    ManualTicker ticker = new ManualTicker(0L);
    Gate gate = gateFactory.apply(ticker);
    SplittableRandom random = new SplittableRandom(setup.seed());
    double meanGap = 1e9 / (load * setup.capacityPerSecond());
    int capacity = (int) (load * setup.capacityPerSecond() * setup.durationNanos() / 1e9 * 1.1)
        + 16;
    Tier[] tierOf = new Tier[capacity];
    long[] arrival = new long[capacity];
    long[] token = new long[capacity];
    int[] queue = new int[capacity];
    int queueHead = 0;
    int queueTail = 0;
    int busy = 0;
    int requests = 0;
    long seq = 0;
    PriorityQueue<Event> events = new PriorityQueue<>();
    events.add(new Event(0L, seq++, ARRIVAL, -1));
    long[][] latencies = new long[4][capacity];
    int[] latencyCount = new int[4];
    long[] offered = new long[4];
    long[] admitted = new long[4];
    long[] good = new long[4];
    List<Integer> limits = new ArrayList<>();
    long nextLimitSample = setup.convergedAfterNanos();
    while (!events.isEmpty()) {
      Event e = events.poll();
      ticker.advanceNanos(e.time() - ticker.read());
      long now = e.time();
      while (now >= nextLimitSample && nextLimitSample < setup.durationNanos()) {
        limits.add(gate.limit());
        nextLimitSample += 1_000_000_000L;
      }
      if (e.type() == ARRIVAL) {
        long gap = (long) (-Math.log(1.0 - random.nextDouble()) * meanGap);
        if (now + gap < setup.durationNanos() && requests + 1 < capacity) {
          events.add(new Event(now + gap, seq++, ARRIVAL, -1));
        }
        int r = requests++;
        Tier tier = drawTier(random.nextDouble());
        tierOf[r] = tier;
        arrival[r] = now;
        boolean measured = now >= setup.warmupNanos();
        if (measured) {
          offered[tier.ordinal()]++;
        }
        long t = gate.tryAcquire(tier);
        if (t <= 0) {
          continue;
        }
        token[r] = t;
        if (measured) {
          admitted[tier.ordinal()]++;
        }
        if (busy < setup.workers()) {
          busy++;
          events.add(new Event(now + serviceTime(random), seq++, DONE, r));
        } else {
          queue[queueTail++] = r;
        }
      } else {
        int r = e.request();
        long latency = now - arrival[r];
        boolean dropped = latency > setup.timeoutNanos();
        gate.complete(token[r], dropped);
        if (arrival[r] >= setup.warmupNanos()) {
          int t = tierOf[r].ordinal();
          latencies[t][latencyCount[t]++] = Math.min(latency, setup.timeoutNanos());
          if (!dropped) {
            good[t]++;
          }
        }
        if (queueHead < queueTail) {
          int next = queue[queueHead++];
          events.add(new Event(now + serviceTime(random), seq++, DONE, next));
        } else {
          busy--;
        }
      }
    }
    TierResult[] tiers = new TierResult[4];
    for (Tier tier : Tier.values()) {
      int t = tier.ordinal();
      long[] sorted = Arrays.copyOf(latencies[t], latencyCount[t]);
      Arrays.sort(sorted);
      tiers[t] = new TierResult(tier, offered[t], admitted[t], good[t], percentile(sorted, 0.50),
          percentile(sorted, 0.99));
    }
    int[] sortedLimits = limits.stream().mapToInt(Integer::intValue).sorted().toArray();
    int min = sortedLimits.length == 0 ? -1 : sortedLimits[0];
    int max = sortedLimits.length == 0 ? -1 : sortedLimits[sortedLimits.length - 1];
    int median = sortedLimits.length == 0 ? -1 : sortedLimits[sortedLimits.length / 2];
    double seconds = (setup.durationNanos() - setup.warmupNanos()) / 1e9;
    return new Result(name, load, setup.capacityPerSecond(), seconds, tiers, min, median, max);
  }

  private Tier drawTier(double u) {
    double[] mix = setup.tierMix();
    double sum = 0;
    for (int t = 0; t < mix.length - 1; t++) {
      sum += mix[t];
      if (u < sum) {
        return Tier.values()[t];
      }
    }
    return Tier.values()[mix.length - 1];
  }

  private long serviceTime(SplittableRandom random) {
    return setup.serviceBaseNanos()
        + (long) (-Math.log(1.0 - random.nextDouble()) * setup.serviceMeanExtraNanos());
  }

  private static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  /**
   * A gate that admits everything.
   *
   * @return the gate
   */
  public static Gate unlimited() {
    return new Gate() {
      @Override
      public long tryAcquire(Tier tier) {
        return 1;
      }

      @Override
      public void complete(long token, boolean dropped) {}
    };
  }

  /**
   * A plain fixed limit on requests in flight, blind to tiers.
   *
   * @param limit the limit
   * @return the gate
   */
  public static Gate fixed(int limit) {
    return new Gate() {
      int inFlight;

      @Override
      public long tryAcquire(Tier tier) {
        if (inFlight >= limit) {
          return 0;
        }
        inFlight++;
        return 1;
      }

      @Override
      public void complete(long token, boolean dropped) {
        inFlight--;
      }

      @Override
      public int limit() {
        return limit;
      }
    };
  }

  /**
   * breakglass's limiter as a gate.
   *
   * @param limiter the limiter, built with the run's ticker
   * @return the gate
   */
  public static Gate of(AdmissionLimiter limiter) {
    return new Gate() {
      @Override
      public long tryAcquire(Tier tier) {
        return limiter.tryAcquire(tier);
      }

      @Override
      public void complete(long token, boolean dropped) {
        if (dropped) {
          limiter.onDropped(token);
        } else {
          limiter.onSuccess(token);
        }
      }

      @Override
      public int limit() {
        return limiter.effectiveLimit();
      }
    };
  }
}
