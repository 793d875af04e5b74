package dev.breakglass.circuitbreaker;

import static dev.breakglass.testing.Gen.weighted;
import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.circuitbreaker.CircuitBreakerConfig.WindowType;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.testing.Gen;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The breaker, driven by one thread through random sequences of calls, ticker advances,
 * calls held in flight and completed later (possibly in another period: low-level permits,
 * permit-less low-level calls and asynchronous calls), and manual transitions, against a
 * reference model that judges after every outcome and keeps every outcome in a plain list.
 * State, counts, rates, rejections and the published transitions must match exactly at every
 * check. Checks read {@code state()} and {@code metrics()}, which complete due transitions
 * themselves, so they happen only every {@code every} steps: in between, only the call path
 * notices deadlines (the lazy OPEN to HALF_OPEN transition, giving up on hung trials).
 */
class StateMachineModelTest {

  static final long MS = 1_000_000L;

  /** A step of the random sequence. */
  record Op(Kind kind, int arg) {}

  enum Kind {
    SUCCESS, FAILURE, BAD_RESULT, IGNORED, ADVANCE, HANG, HANG_PERMIT, HANG_ASYNC, COMPLETE,
    TO_OPEN, TO_CLOSED, TO_HALF_OPEN, TO_DISABLED, TO_FORCED_OPEN, TO_METRICS_ONLY, RESET
  }

  /** How a held call was let through, and how to complete it. */
  enum Via { PERMIT_LESS, PERMIT, ASYNC }

  /** A call let through and still in flight. */
  record Pending(Via via, long permit, CompletableFuture<String> stage, long admittedAt,
      long origin) {}

  /** The outcome kinds a COMPLETE op picks from, by {@code arg % 4}. */
  static final Kind[] COMPLETIONS = {Kind.SUCCESS, Kind.FAILURE, Kind.BAD_RESULT, Kind.IGNORED};

  static final class Ignored extends RuntimeException {
    Ignored() {
      super("ignored", null, false, false);
    }
  }

  static final class Boom extends RuntimeException {
    Boom() {
      super("boom", null, false, false);
    }
  }

  /** A configuration, the steps to drive the breaker through, and how often to check. */
  record Run(CircuitBreakerConfig config, List<Op> ops, int every) {}

  @Test
  void breaker_randomSingleThreadedSequences_matchReferenceModel() {
    Gen<Run> runs = source -> new Run(
        source.draw(configs()), source.draw(ops()), source.draw(Gen.ints(1, 6)));

    forAll(runs).tries(1000).check(run -> check(run.config(), run.ops(), run.every()));
  }

  /**
   * Time windows only, with outcomes and short advances: makes partial expiry of buckets
   * (which can raise a rate without any new failure) frequent.
   */
  @Test
  void timeWindow_outcomesAndShortAdvances_matchReferenceModel() {
    Gen<Run> runs = source -> new Run(source.draw(timeConfigs()), source.draw(timeOps()), 1);

    forAll(runs).tries(1000).check(run -> check(run.config(), run.ops(), run.every()));
  }

  private static void check(CircuitBreakerConfig config, List<Op> ops, int every) {
    ManualTicker ticker = new ManualTicker(1_000L * MS);
    CircuitBreaker breaker = CircuitBreaker.builder("model").config(config).ticker(ticker).build();
    List<String> published = new ArrayList<>();
    breaker.onStateTransition(t -> published.add(t.from() + "->" + t.to()));
    Model model = new Model(config, ticker.read());
    List<Pending> pending = new ArrayList<>();

    for (int step = 0; step < ops.size(); step++) {
      Op op = ops.get(step);
      apply(op, breaker, model, ticker, pending);
      if (step % every != every - 1 && step != ops.size() - 1) {
        continue; // no read: let the call path alone notice due transitions
      }
      State actual = breaker.state();
      model.read(ticker.read());
      assertThat(actual).as("state after %s", op).isEqualTo(model.state);
      CircuitBreakerMetrics metrics = breaker.metrics();
      long[] expected = model.counts(ticker.read());
      assertThat(new long[] {metrics.bufferedCalls(), metrics.failedCalls(), metrics.slowCalls()})
          .as("counts after %s in %s", op, model.state).containsExactly(expected);
      assertThat(metrics.failureRate()).as("failure rate after %s", op)
          .isEqualTo(model.failureRate(expected));
      assertThat(metrics.slowCallRate()).as("slow-call rate after %s", op)
          .isEqualTo(model.slowRate(expected));
      assertThat(metrics.notPermittedCalls()).as("rejections").isEqualTo(model.notPermitted);
      assertThat(published).as("transitions").isEqualTo(model.transitions);
    }
  }

  private static void apply(
      Op op, CircuitBreaker breaker, Model model, ManualTicker ticker, List<Pending> pending) {
    switch (op.kind()) {
      case SUCCESS:
      case FAILURE:
      case BAD_RESULT:
      case IGNORED: {
        boolean permitted = model.permit(ticker.read());
        long origin = model.origin();
        long duration = op.arg() * MS;
        boolean[] ran = {false};
        try {
          breaker.get(() -> {
            ran[0] = true;
            ticker.advanceNanos(duration);
            if (op.kind() == Kind.FAILURE) {
              throw new Boom();
            }
            if (op.kind() == Kind.IGNORED) {
              throw new Ignored();
            }
            return op.kind() == Kind.BAD_RESULT ? "bad" : "ok";
          });
        } catch (Boom | Ignored | CallNotPermittedException expected) {
          // outcome already recorded, or rejected
        }
        assertThat(ran[0]).as("permitted %s", op).isEqualTo(permitted);
        if (permitted) {
          model.outcome(op.kind(), duration, ticker.read(), origin);
        }
        break;
      }
      case ADVANCE:
        ticker.advanceNanos(op.arg() * MS);
        break;
      case HANG: {
        boolean permitted = model.permit(ticker.read());
        assertThat(breaker.tryAcquirePermission()).as("hang permitted").isEqualTo(permitted);
        if (permitted) {
          pending.add(new Pending(Via.PERMIT_LESS, 0L, new CompletableFuture<>(), ticker.read(),
              Model.UNKNOWN));
        }
        break;
      }
      case HANG_PERMIT: {
        boolean permitted = model.permit(ticker.read());
        long permit = breaker.tryAcquirePermit();
        assertThat(permit != CircuitBreaker.NO_PERMIT).as("hang permitted").isEqualTo(permitted);
        if (permitted) {
          pending.add(new Pending(Via.PERMIT, permit, new CompletableFuture<>(), ticker.read(),
              model.origin()));
        }
        break;
      }
      case HANG_ASYNC: {
        boolean permitted = model.permit(ticker.read());
        CompletableFuture<String> stage = new CompletableFuture<>();
        CompletionStage<String> result = breaker.getAsync(() -> stage);
        assertThat(result.toCompletableFuture().isCompletedExceptionally())
            .as("hang rejected").isEqualTo(!permitted);
        if (permitted) {
          pending.add(new Pending(Via.ASYNC, 0L, stage, ticker.read(), model.origin()));
        }
        break;
      }
      case COMPLETE:
        if (!pending.isEmpty()) {
          complete(pending.remove((op.arg() / 4) % pending.size()), COMPLETIONS[op.arg() % 4],
              breaker, model, ticker);
        }
        break;
      case TO_OPEN:
        assertThat(breaker.transitionToOpen()).isEqualTo(model.manual(State.OPEN, ticker.read()));
        break;
      case TO_CLOSED:
        assertThat(breaker.transitionToClosed())
            .isEqualTo(model.manual(State.CLOSED, ticker.read()));
        break;
      case TO_HALF_OPEN:
        assertThat(breaker.transitionToHalfOpen())
            .isEqualTo(model.manual(State.HALF_OPEN, ticker.read()));
        break;
      case TO_DISABLED:
        assertThat(breaker.transitionToDisabled())
            .isEqualTo(model.manual(State.DISABLED, ticker.read()));
        break;
      case TO_FORCED_OPEN:
        assertThat(breaker.transitionToForcedOpen())
            .isEqualTo(model.manual(State.FORCED_OPEN, ticker.read()));
        break;
      case TO_METRICS_ONLY:
        assertThat(breaker.transitionToMetricsOnly())
            .isEqualTo(model.manual(State.METRICS_ONLY, ticker.read()));
        break;
      default:
        breaker.reset();
        model.reset(ticker.read());
        break;
    }
  }

  /** Completes a held call with an outcome, through the API that let it through. */
  private static void complete(
      Pending call, Kind kind, CircuitBreaker breaker, Model model, ManualTicker ticker) {
    long duration = ticker.read() - call.admittedAt();
    RuntimeException error = kind == Kind.FAILURE ? new Boom()
        : kind == Kind.IGNORED ? new Ignored() : null;
    String value = kind == Kind.BAD_RESULT ? "bad" : "ok";
    switch (call.via()) {
      case PERMIT_LESS:
        if (error != null) {
          breaker.onError(duration, error);
        } else {
          breaker.onResult(duration, value);
        }
        break;
      case PERMIT:
        if (error != null) {
          breaker.onError(call.permit(), duration, error);
        } else {
          breaker.onResult(call.permit(), duration, value);
        }
        break;
      default:
        if (error != null) {
          call.stage().completeExceptionally(error);
        } else {
          call.stage().complete(value);
        }
        break;
    }
    model.outcome(kind, duration, ticker.read(), call.origin());
  }

  static Gen<List<Op>> ops() {
    Gen<Op> call = source -> new Op(
        source.draw(Gen.of(Kind.SUCCESS, Kind.SUCCESS, Kind.SUCCESS, Kind.FAILURE, Kind.FAILURE,
            Kind.BAD_RESULT, Kind.IGNORED)),
        source.draw(Gen.frequency(weighted(3, Gen.constant(0)), weighted(1, Gen.ints(1, 12)))));
    Gen<Op> advance = Gen.frequency(weighted(4, Gen.ints(1, 30)), weighted(1, Gen.ints(31, 400)))
        .map(ms -> new Op(Kind.ADVANCE, ms));
    Gen<Op> hang = Gen.of(Kind.HANG, Kind.HANG_PERMIT, Kind.HANG_ASYNC)
        .map(kind -> new Op(kind, 0));
    Gen<Op> complete = Gen.ints(0, 4 * 8 - 1).map(arg -> new Op(Kind.COMPLETE, arg));
    Gen<Op> other = Gen.of(Kind.TO_OPEN, Kind.TO_CLOSED, Kind.TO_HALF_OPEN, Kind.TO_DISABLED,
            Kind.TO_FORCED_OPEN, Kind.TO_METRICS_ONLY, Kind.RESET)
        .map(kind -> new Op(kind, 0));
    return Gen.frequency(weighted(24, call), weighted(6, advance), weighted(2, hang),
            weighted(3, complete), weighted(1, other))
        .list(40, 300);
  }

  static Gen<List<Op>> timeOps() {
    Gen<Op> call = Gen.of(Kind.SUCCESS, Kind.SUCCESS, Kind.FAILURE).map(kind -> new Op(kind, 0));
    Gen<Op> advance = Gen.ints(1, 15).map(ms -> new Op(Kind.ADVANCE, ms));
    return Gen.frequency(weighted(4, call), weighted(1, advance)).list(20, 120);
  }

  static Gen<CircuitBreakerConfig> timeConfigs() {
    return source -> {
      int buckets = source.draw(Gen.ints(2, 6));
      int bucketMs = source.draw(Gen.ints(5, 20));
      int min = source.draw(Gen.ints(1, 8));
      double threshold = source.draw(Gen.of(25.0, 34.0, 50.0, 67.0));
      return CircuitBreakerConfig.builder()
          .timeWindow(Duration.ofMillis((long) buckets * bucketMs), buckets)
          .minimumNumberOfCalls(min)
          .failureRateThreshold(threshold)
          .build();
    };
  }

  static Gen<CircuitBreakerConfig> configs() {
    Gen<CircuitBreakerConfig.Builder> countWindows = source -> {
      int size = source.draw(Gen.ints(1, 90));
      int min = source.draw(Gen.ints(1, size));
      return CircuitBreakerConfig.builder().countWindow(size).minimumNumberOfCalls(min);
    };
    Gen<CircuitBreakerConfig.Builder> timeWindows = source -> {
      int buckets = source.draw(Gen.ints(1, 6));
      int bucketMs = source.draw(Gen.ints(1, 40));
      int min = source.draw(Gen.ints(1, 12));
      return CircuitBreakerConfig.builder()
          .timeWindow(Duration.ofMillis((long) buckets * bucketMs), buckets)
          .minimumNumberOfCalls(min);
    };
    Gen<CircuitBreakerConfig.Builder> consecutive = Gen.ints(1, 6)
        .map(n -> CircuitBreakerConfig.builder().consecutiveFailures(n));
    Gen<CircuitBreakerConfig.Builder> windows = Gen.frequency(
        weighted(2, countWindows), weighted(3, timeWindows), weighted(1, consecutive));
    return source -> {
      CircuitBreakerConfig.Builder builder = source.draw(windows);
      double failureRate = source.draw(Gen.of(10.0, 25.0, 50.0, 60.0, 100.0));
      int slowMs = source.draw(Gen.ints(0, 8));
      double slowRate = source.draw(Gen.of(34.0, 50.0, 100.0));
      int permitted = source.draw(Gen.ints(1, 4));
      int maxWaitMs = source.draw(Gen.ints(0, 300));
      int waitMs = source.draw(Gen.ints(1, 200));
      boolean backoff = source.draw(Gen.booleans());
      builder.permittedNumberOfCallsInHalfOpenState(permitted)
          .maxWaitDurationInHalfOpenState(Duration.ofMillis(maxWaitMs))
          .ignoreExceptions(Ignored.class)
          .recordResult("bad"::equals);
      if (backoff) {
        builder.waitIntervalFunctionInOpenState(IntervalFunction.exponential(
            Duration.ofMillis(waitMs), 2.0, Duration.ofMillis(4L * waitMs)));
      } else {
        builder.waitDurationInOpenState(Duration.ofMillis(waitMs));
      }
      CircuitBreakerConfig probe = builder.build();
      if (probe.windowType() != WindowType.CONSECUTIVE_FAILURES) {
        builder.failureRateThreshold(failureRate);
        if (slowMs > 0) {
          builder.slowCallDurationThreshold(Duration.ofMillis(slowMs))
              .slowCallRateThreshold(slowRate);
        }
      }
      return builder.build();
    };
  }

  /** The reference: every outcome kept in plain lists, judged after every outcome. */
  static final class Model {
    /** The origin of a call let through by the permit-less API: the breaker cannot know. */
    static final long UNKNOWN = -1;
    final CircuitBreakerConfig config;
    State state = State.CLOSED;
    /** One more at every transition: identifies the HALF_OPEN period a trial belongs to. */
    long period = 1;
    long lastAdmission;
    final List<String> transitions = new ArrayList<>();
    long notPermitted;
    // CLOSED / METRICS_ONLY window
    final ArrayDeque<int[]> outcomes = new ArrayDeque<>(); // {failure, slow}
    final List<long[]> timed = new ArrayList<>(); // {epoch, failure, slow}
    long origin;
    long run;
    // OPEN / HALF_OPEN
    int attempt;
    long since;
    long wait;
    long[] tripCounts = {0, 0, 0};
    int permits;
    long trialCalls;
    long trialFailures;
    long trialSlow;

    Model(CircuitBreakerConfig config, long now) {
      this.config = config;
      this.origin = now;
    }

    boolean consecutive() {
      return config.windowType() == WindowType.CONSECUTIVE_FAILURES;
    }

    void transition(State to, long now) {
      transitions.add(state + "->" + to);
      state = to;
      since = now;
      period++;
      lastAdmission = now;
      if (to == State.CLOSED || to == State.METRICS_ONLY) {
        outcomes.clear();
        timed.clear();
        run = 0;
        origin = now;
      }
      if (to == State.HALF_OPEN) {
        permits = config.permittedNumberOfCallsInHalfOpenState();
        trialCalls = 0;
        trialFailures = 0;
        trialSlow = 0;
        wait = config.maxWaitInHalfOpenNanos();
      }
      if (to != State.OPEN && to != State.HALF_OPEN) {
        attempt = 0;
      }
    }

    void open(int nextAttempt, long[] counts, long now) {
      attempt = nextAttempt;
      long w = config.waitIntervalFunctionInOpenState().waitFor(nextAttempt).toNanos();
      transition(State.OPEN, now);
      wait = w;
      tripCounts = counts;
    }

    void halfOpen(long now) {
      attempt = Math.max(1, attempt);
      transition(State.HALF_OPEN, now);
    }

    /** What state() does: completes due transitions. */
    void read(long now) {
      if (state == State.OPEN && now - since >= wait) {
        halfOpen(now);
      } else if (state == State.HALF_OPEN && trialsTimedOut(now)) {
        open(attempt + 1, new long[] {trialCalls, trialFailures, trialSlow}, now);
      }
    }

    /** A trial outstanding, and the max wait passed since the last trial was let through. */
    boolean trialsTimedOut(long now) {
      return wait > 0 && outstanding() > 0 && now - lastAdmission >= wait;
    }

    /** Where the call just let through came from: its HALF_OPEN period, or 0. */
    long origin() {
      return state == State.HALF_OPEN ? period : 0;
    }

    boolean isTrial(long origin) {
      return state == State.HALF_OPEN
          && (origin == period || (origin == UNKNOWN && outstanding() > 0));
    }

    long outstanding() {
      long admitted = config.permittedNumberOfCallsInHalfOpenState() - permits;
      return Math.max(0, admitted - trialCalls);
    }

    boolean permit(long now) {
      switch (state) {
        case CLOSED:
        case METRICS_ONLY:
        case DISABLED:
          return true;
        case OPEN:
          if (now - since >= wait) {
            halfOpen(now);
            return permit(now);
          }
          notPermitted++;
          return false;
        case HALF_OPEN:
          if (permits > 0) {
            permits--;
            lastAdmission = now;
            return true;
          }
          if (trialsTimedOut(now)) {
            open(attempt + 1, new long[] {trialCalls, trialFailures, trialSlow}, now);
          }
          notPermitted++;
          return false;
        default:
          notPermitted++;
          return false;
      }
    }

    /**
     * A call completes: a trial counts only in its own HALF_OPEN period; any other call only
     * in a CLOSED or METRICS_ONLY window.
     */
    void outcome(Kind kind, long duration, long now, long origin) {
      boolean slow = config.slowCallDetection() && duration >= config.slowCallNanos();
      if (kind == Kind.IGNORED) {
        if (isTrial(origin)) {
          permits = Math.min(permits + 1, config.permittedNumberOfCallsInHalfOpenState());
        }
        return;
      }
      boolean failure = kind == Kind.FAILURE || kind == Kind.BAD_RESULT;
      if ((state == State.CLOSED || state == State.METRICS_ONLY) && origin <= 0) {
        if (consecutive()) {
          run = failure ? run + 1 : 0;
        } else if (config.windowType() == WindowType.COUNT_BASED) {
          outcomes.addLast(new int[] {failure ? 1 : 0, slow ? 1 : 0});
          if (outcomes.size() > config.windowSize()) {
            outcomes.removeFirst();
          }
        } else {
          timed.add(new long[] {epoch(now), failure ? 1 : 0, slow ? 1 : 0});
        }
        long[] counts = counts(now);
        if (state == State.CLOSED && exceeded(counts)) {
          open(1, counts, now);
        }
      } else if (isTrial(origin)) {
        trialCalls++;
        trialFailures += failure ? 1 : 0;
        trialSlow += slow ? 1 : 0;
        long[] trials = {trialCalls, trialFailures, trialSlow};
        int permitted = config.permittedNumberOfCallsInHalfOpenState();
        if (consecutive()) {
          if (failure) {
            open(attempt + 1, trials, now);
          } else if (trialCalls == permitted && trialFailures == 0) {
            transition(State.CLOSED, now);
          }
        } else if (trialCalls == permitted) {
          boolean failed = Thresholds.rate(trialFailures, trialCalls)
                  >= config.failureRateThreshold()
              || (config.slowCallDetection()
                  && Thresholds.rate(trialSlow, trialCalls) >= config.slowCallRateThreshold());
          if (failed) {
            open(attempt + 1, trials, now);
          } else {
            transition(State.CLOSED, now);
          }
        }
      }
    }

    long epoch(long now) {
      return Math.floorDiv(now - origin, config.bucketNanos());
    }

    boolean exceeded(long[] counts) {
      if (consecutive()) {
        return counts[1] >= config.consecutiveFailureThreshold();
      }
      if (counts[0] < config.minimumNumberOfCalls()) {
        return false;
      }
      return Thresholds.rate(counts[1], counts[0]) >= config.failureRateThreshold()
          || (config.slowCallDetection()
              && Thresholds.rate(counts[2], counts[0]) >= config.slowCallRateThreshold());
    }

    /** {calls, failures, slow} as metrics() reports them in the current state. */
    long[] counts(long now) {
      switch (state) {
        case CLOSED:
        case METRICS_ONLY:
          if (consecutive()) {
            return new long[] {run, run, 0};
          }
          if (config.windowType() == WindowType.COUNT_BASED) {
            long f = outcomes.stream().filter(o -> o[0] == 1).count();
            long s = outcomes.stream().filter(o -> o[1] == 1).count();
            return new long[] {outcomes.size(), f, s};
          }
          long oldest = epoch(now) - config.windowBuckets() + 1;
          long c = 0;
          long f = 0;
          long s = 0;
          for (long[] t : timed) {
            if (t[0] >= oldest) {
              c++;
              f += t[1];
              s += t[2];
            }
          }
          return new long[] {c, f, s};
        case OPEN:
          return tripCounts;
        case HALF_OPEN:
          return new long[] {trialCalls, trialFailures, trialSlow};
        default:
          return new long[] {0, 0, 0};
      }
    }

    /** The calls a rate needs: trial counts (HALF_OPEN, or OPEN after trials) need all. */
    long minimum() {
      return state == State.HALF_OPEN || (state == State.OPEN && attempt > 1)
          ? config.permittedNumberOfCallsInHalfOpenState()
          : config.minimumNumberOfCalls();
    }

    double failureRate(long[] counts) {
      boolean rated = !consecutive() && counts[0] >= minimum() && counts[0] > 0;
      return rated ? Thresholds.rate(counts[1], counts[0]) : -1.0;
    }

    double slowRate(long[] counts) {
      boolean rated = !consecutive() && counts[0] >= minimum() && counts[0] > 0
          && config.slowCallDetection();
      return rated ? Thresholds.rate(counts[2], counts[0]) : -1.0;
    }

    boolean manual(State target, long now) {
      if (state == target) {
        return false;
      }
      switch (target) {
        case OPEN:
          open(state == State.HALF_OPEN ? attempt + 1 : 1, new long[] {0, 0, 0}, now);
          break;
        case HALF_OPEN:
          halfOpen(now);
          break;
        default:
          transition(target, now);
          break;
      }
      return true;
    }

    void reset(long now) {
      transition(State.CLOSED, now);
      notPermitted = 0;
    }
  }
}
