package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.circuitbreaker.OutcomeWindow.Counts;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads on one breaker: admission limits, no lost outcomes, transitions once. */
class ConcurrencyTest {

  private static final int THREADS = 16;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void shutDown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** Runs the task on every thread at once (released together by a latch); returns results. */
  private <T> List<T> onAllThreads(Callable<T> task) throws Exception {
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      futures.add(pool.submit(() -> {
        ready.countDown();
        go.await();
        return task.call();
      }));
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    go.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get(60, TimeUnit.SECONDS));
    }
    return results;
  }

  @Test
  void halfOpen_manyThreadsAskingAtOnce_admitsExactlyThePermittedTrials() throws Exception {
    for (int permitted : new int[] {1, 3, 10}) {
      for (int round = 0; round < 20; round++) {
        CircuitBreaker breaker = CircuitBreaker.of("trials", CircuitBreakerConfig.builder()
            .permittedNumberOfCallsInHalfOpenState(permitted).build());
        breaker.transitionToHalfOpen();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();

        List<Integer> admitted = onAllThreads(() -> {
          int mine = 0;
          for (int i = 0; i < 50; i++) {
            if (breaker.tryAcquirePermission()) {
              mine++;
              maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            }
          }
          return mine;
        });

        assertThat(admitted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(permitted);
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(permitted);
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
      }
    }
  }

  @Test
  void halfOpen_trialsCompletingConcurrently_decideOnceAndNeverOverAdmit() throws Exception {
    for (int round = 0; round < 50; round++) {
      CircuitBreaker breaker = CircuitBreaker.of("trials", CircuitBreakerConfig.builder()
          .permittedNumberOfCallsInHalfOpenState(5)
          .maxWaitDurationInHalfOpenState(Duration.ZERO).build());
      List<CircuitBreakerEvent.StateTransition> transitions = new CopyOnWriteArrayList<>();
      breaker.transitionToHalfOpen();
      breaker.onStateTransition(transitions::add);
      AtomicInteger ran = new AtomicInteger();
      CountDownLatch attempted = new CountDownLatch(THREADS);
      CountDownLatch release = new CountDownLatch(1);

      List<Future<String>> calls = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        calls.add(pool.submit(() -> breaker.get(() -> {
          ran.incrementAndGet();
          attempted.countDown();
          await(release); // the trial stays in flight until every thread has asked
          return "ok";
        }, e -> {
          attempted.countDown();
          return "rejected";
        })));
      }
      assertThat(attempted.await(30, TimeUnit.SECONDS)).isTrue();

      // every thread has asked while the trials were in flight: exactly the permitted ran
      assertThat(ran.get()).isEqualTo(5);
      assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
      release.countDown();
      List<String> answers = new ArrayList<>();
      for (Future<String> call : calls) {
        answers.add(call.get(30, TimeUnit.SECONDS));
      }
      assertThat(answers).filteredOn("ok"::equals).hasSize(5);
      assertThat(transitions).singleElement()
          .matches(t -> t.from() == State.HALF_OPEN && t.to() == State.CLOSED);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void countWindow_manyThreadsRecording_noOutcomeLostOrCountedTwice() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.of("counts", CircuitBreakerConfig.builder()
        .countWindow(1 << 20).failureRateThreshold(100).build());
    int perThread = 20_000;

    List<Integer> failures = onAllThreads(() -> {
      int mine = 0;
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (int i = 0; i < perThread; i++) {
        if (random.nextInt(10) == 0) {
          breaker.onError(0, new IOException());
          mine++;
        } else {
          breaker.onSuccess(0);
        }
      }
      return mine;
    });

    CircuitBreakerMetrics metrics = breaker.metrics();
    assertThat(metrics.bufferedCalls()).isEqualTo((long) THREADS * perThread);
    assertThat(metrics.failedCalls())
        .isEqualTo(failures.stream().mapToLong(Integer::longValue).sum());
    assertThat(metrics.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void countWindow_smallerThanTraffic_holdsExactlyTheWindowSizeAndConsistentTotals()
      throws Exception {
    CircuitBreaker breaker = CircuitBreaker.of("counts", CircuitBreakerConfig.builder()
        .countWindow(1_000).failureRateThreshold(100).build());

    onAllThreads(() -> {
      for (int i = 0; i < 10_000; i++) {
        if (i % 4 == 0) {
          breaker.onError(0, new IOException()); // every thread fails exactly 25 %
        } else {
          breaker.onSuccess(0);
        }
      }
      return null;
    });

    CircuitBreakerMetrics metrics = breaker.metrics();
    assertThat(metrics.bufferedCalls()).isEqualTo(1_000);
    // the ring holds whole batches of 25 % each, give or take the batch boundaries
    assertThat(metrics.failureRate()).isBetween(15.0, 35.0);
  }

  @Test
  void countWindow_manyThreadsOverwritingTheRing_totalsMatchTheRingSlotBySlot()
      throws Exception {
    for (int size : new int[] {1, 31, 1_000}) {
      CountWindow window = new CountWindow(size, 1);
      int perThread = 5_000;

      onAllThreads(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < perThread; i++) {
          int outcome = random.nextInt(4); // success, failure, slow, slow failure
          if (window.record(outcome, 0L) && random.nextInt(8) == 0) {
            window.snapshot(0L, true); // judgements race with recording, as in the breaker
          }
        }
        return null;
      });

      Counts totals = window.snapshot(0L, false); // quiescent: hands every batch over
      assertThat(window.handedOver()).isEqualTo((long) THREADS * perThread);
      assertThat(totals).as("window of %d", size).isEqualTo(window.recount());
      assertThat(totals.calls()).isEqualTo(size);
    }
  }

  @Test
  void timeWindow_manyThreadsRecording_countsEveryOutcome() throws Exception {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.builder("time").ticker(ticker)
        .config(CircuitBreakerConfig.builder().timeWindow(Duration.ofSeconds(10))
            .failureRateThreshold(100).build())
        .build();
    int perThread = 10_000;

    List<Integer> failures = onAllThreads(() -> {
      int mine = 0;
      for (int i = 0; i < perThread; i++) {
        if (i % 7 == 0) {
          breaker.onError(0, new IOException());
          mine++;
        } else {
          breaker.onSuccess(0);
        }
        if (i % 1_000 == 999) {
          ticker.advance(Duration.ofMillis(50)); // move through buckets while recording
        }
      }
      return mine;
    });

    CircuitBreakerMetrics metrics = breaker.metrics();
    assertThat(metrics.bufferedCalls()).isEqualTo((long) THREADS * perThread);
    assertThat(metrics.failedCalls())
        .isEqualTo(failures.stream().mapToLong(Integer::longValue).sum());
  }

  @Test
  void trip_manyThreadsFailingAtOnce_opensExactlyOnce() throws Exception {
    for (int round = 0; round < 30; round++) {
      IncidentJournal journal = IncidentJournal.create(100);
      CircuitBreaker breaker = CircuitBreaker.builder("trip").journal(journal)
          .config(CircuitBreakerConfig.builder().countWindow(20).build()).build();
      List<CircuitBreakerEvent.StateTransition> transitions = new CopyOnWriteArrayList<>();
      breaker.onStateTransition(transitions::add);

      onAllThreads(() -> {
        for (int i = 0; i < 10; i++) {
          breaker.onError(0, new IOException());
        }
        return null;
      });

      assertThat(transitions).singleElement()
          .matches(t -> t.from() == State.CLOSED && t.to() == State.OPEN);
      assertThat(journal.entries()).hasSize(1);
    }
  }

  @Test
  void transitions_racingThreads_publishedOnceEachAndInOrder() throws Exception {
    ManualTicker ticker = new ManualTicker();
    IncidentJournal journal = IncidentJournal.create(100_000);
    CircuitBreaker breaker = CircuitBreaker.builder("race").ticker(ticker).journal(journal)
        .config(CircuitBreakerConfig.builder().countWindow(4)
            .permittedNumberOfCallsInHalfOpenState(2)
            .waitDurationInOpenState(Duration.ofMillis(1)).build())
        .build();
    List<CircuitBreakerEvent.StateTransition> transitions = new CopyOnWriteArrayList<>();
    AtomicInteger concurrentListeners = new AtomicInteger();
    AtomicInteger maxConcurrentListeners = new AtomicInteger();
    breaker.onStateTransition(t -> {
      maxConcurrentListeners.accumulateAndGet(concurrentListeners.incrementAndGet(), Math::max);
      transitions.add(t);
      concurrentListeners.decrementAndGet();
    });

    onAllThreads(() -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (int i = 0; i < 3_000; i++) {
        int action = random.nextInt(100);
        if (action < 45) {
          breaker.get(() -> "ok", e -> "fallback");
        } else if (action < 90) {
          breaker.get(() -> {
            throw new IllegalStateException();
          }, e -> "fallback");
        } else if (action < 95) {
          ticker.advance(Duration.ofMillis(1));
        } else if (action < 97) {
          breaker.transitionToClosed();
        } else if (action < 98) {
          breaker.transitionToForcedOpen();
        } else {
          breaker.reset();
        }
      }
      return null;
    });

    assertThat(transitions).hasSizeGreaterThan(10);
    assertThat(maxConcurrentListeners.get()).isEqualTo(1);
    for (int i = 1; i < transitions.size(); i++) {
      assertThat(transitions.get(i).from()).as("transition %d follows %d", i, i - 1)
          .isEqualTo(transitions.get(i - 1).to());
    }
    State settled = breaker.state(); // may complete a due OPEN -> HALF_OPEN first
    assertThat(transitions.get(transitions.size() - 1).to()).isEqualTo(settled);
    assertThat(journal.entries()).hasSize(transitions.size());
  }
}
