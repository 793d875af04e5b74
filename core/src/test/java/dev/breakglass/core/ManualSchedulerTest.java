package dev.breakglass.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

  private final ManualTicker ticker = new ManualTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final List<String> ran = Collections.synchronizedList(new ArrayList<>());

  private Runnable note(String name) {
    return () -> ran.add(name + "@" + ticker.read());
  }

  @Test
  void runDue_taskNotYetDue_runsNothing() {
    scheduler.schedule(note("a"), 10, TimeUnit.NANOSECONDS);
    ticker.advanceNanos(9);

    assertThat(scheduler.runDue()).isZero();
    assertThat(ran).isEmpty();
    assertThat(scheduler.queuedTasks()).isEqualTo(1);
    assertThat(scheduler.nextDueNanos()).hasValue(10);
  }

  @Test
  void runDue_severalDue_runsEarliestFirstAndTiesInSchedulingOrder() {
    scheduler.schedule(note("late"), 30, TimeUnit.NANOSECONDS);
    scheduler.schedule(note("first"), 10, TimeUnit.NANOSECONDS);
    scheduler.schedule(note("second"), 10, TimeUnit.NANOSECONDS);
    scheduler.schedule(note("never"), 31, TimeUnit.NANOSECONDS);
    ticker.advanceNanos(30);

    assertThat(scheduler.runDue()).isEqualTo(3);

    assertThat(ran).containsExactly("first@30", "second@30", "late@30");
    assertThat(scheduler.nextDueNanos()).hasValue(31);
  }

  @Test
  void runDue_taskSchedulesDueTask_runsItToo() {
    scheduler.execute(() -> scheduler.execute(note("child")));

    assertThat(scheduler.runDue()).isEqualTo(2);
    assertThat(ran).containsExactly("child@0");
  }

  @Test
  void advance_overSeveralDueTimes_runsEachTaskAtItsDueTime() {
    scheduler.schedule(note("b"), 20, TimeUnit.SECONDS);
    scheduler.schedule(() -> {
      ran.add("a@" + ticker.read());
      scheduler.schedule(note("from-a"), 5, TimeUnit.SECONDS); // due at 15 s, before b
    }, 10, TimeUnit.SECONDS);

    assertThat(scheduler.advance(Duration.ofSeconds(60))).isEqualTo(3);

    long s = TimeUnit.SECONDS.toNanos(1);
    assertThat(ran).containsExactly("a@" + 10 * s, "from-a@" + 15 * s, "b@" + 20 * s);
    assertThat(ticker.read()).isEqualTo(60 * s);
  }

  @Test
  void advance_taskDueAtTheEnd_runsIt() {
    scheduler.schedule(note("edge"), 5, TimeUnit.SECONDS);

    scheduler.advance(Duration.ofSeconds(5));

    assertThat(ran).containsExactly("edge@" + TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void advance_negativeAmount_throwsNamingIt() {
    assertThatThrownBy(() -> scheduler.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("amount must not be negative, was PT-1S");
    assertThatThrownBy(() -> scheduler.advance(Duration.ofDays(365L * 300)))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("was PT2628000H");
  }

  @Test
  void runNext_taskNotDue_runsItEarlyWithoutMovingTheTicker() {
    scheduler.schedule(note("early"), 1, TimeUnit.HOURS);

    assertThat(scheduler.runNext()).isTrue();

    assertThat(ran).containsExactly("early@0");
    assertThat(scheduler.runNext()).isFalse();
    assertThat(scheduler.nextDueNanos()).isEmpty();
  }

  @Test
  void scheduleAtFixedRate_advanceOverSeveralPeriods_runsOncePerPeriodAtItsDueTimes() {
    scheduler.scheduleAtFixedRate(note("tick"), 1, 2, TimeUnit.NANOSECONDS);

    assertThat(scheduler.advance(Duration.ofNanos(7))).isEqualTo(4);

    assertThat(ran).containsExactly("tick@1", "tick@3", "tick@5", "tick@7");
    assertThat(scheduler.nextDueNanos()).hasValue(9);
  }

  @Test
  void scheduleAtFixedRate_runDueAfterALongPause_catchesUpOncePerPeriod() {
    scheduler.scheduleAtFixedRate(note("tick"), 0, 10, TimeUnit.NANOSECONDS);
    ticker.advanceNanos(25);

    assertThat(scheduler.runDue()).isEqualTo(3); // due at 0, 10 and 20

    assertThat(ran).containsExactly("tick@25", "tick@25", "tick@25");
    assertThat(scheduler.nextDueNanos()).hasValue(30);
  }

  @Test
  void scheduleWithFixedDelay_runsDelayAfterEachRunReturned() {
    scheduler.scheduleWithFixedDelay(() -> {
      ran.add("tick@" + ticker.read());
      ticker.advanceNanos(1); // the run takes 1 ns
    }, 0, 10, TimeUnit.NANOSECONDS);

    scheduler.advance(Duration.ofNanos(25));

    assertThat(ran).containsExactly("tick@0", "tick@11", "tick@22");
    assertThat(scheduler.nextDueNanos()).hasValue(33);
  }

  @Test
  void schedulePeriodic_nonPositivePeriod_throwsNamingIt() {
    assertThatThrownBy(() -> scheduler.scheduleAtFixedRate(note("x"), 0, 0, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("period must be positive, was 0 SECONDS");
    assertThatThrownBy(() -> scheduler.scheduleWithFixedDelay(note("x"), 0, -1, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must be positive, was -1 SECONDS");
  }

  @Test
  void schedule_negativeOrHugeDelay_isDueNowOrEffectivelyNever() {
    scheduler.schedule(note("now"), -5, TimeUnit.SECONDS);
    scheduler.schedule(note("never"), Long.MAX_VALUE, TimeUnit.DAYS);

    scheduler.advance(Duration.ofDays(365L * 100));

    assertThat(ran).containsExactly("now@0");
    assertThat(scheduler.nextDueNanos()).hasValue(1L << 62);
  }

  @Test
  void schedule_callable_futureHoldsItsResult() throws Exception {
    ScheduledFuture<String> future = scheduler.schedule(() -> "done", 1, TimeUnit.SECONDS);
    assertThat(future.isDone()).isFalse();
    assertThat(future.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(1000);

    scheduler.advance(Duration.ofSeconds(1));

    assertThat(future.get()).isEqualTo("done");
    assertThat(future.getDelay(TimeUnit.NANOSECONDS)).isZero();
  }

  @Test
  void schedule_taskThrows_futureFailsAndRunDueGoesOn() {
    RuntimeException boom = new IllegalStateException("boom");
    ScheduledFuture<?> failing = scheduler.schedule(() -> {
      throw boom;
    }, 0, TimeUnit.SECONDS);
    scheduler.schedule(note("after"), 0, TimeUnit.SECONDS);

    assertThat(scheduler.runDue()).isEqualTo(2);

    assertThatThrownBy(failing::get).isInstanceOf(ExecutionException.class).hasCause(boom);
    assertThat(ran).containsExactly("after@0");
  }

  @Test
  void scheduleAtFixedRate_taskThrows_isNotRunAgain() {
    AtomicInteger runs = new AtomicInteger();
    ScheduledFuture<?> future = scheduler.scheduleAtFixedRate(() -> {
      runs.incrementAndGet();
      throw new IllegalStateException("boom");
    }, 0, 1, TimeUnit.SECONDS);

    scheduler.advance(Duration.ofSeconds(5));

    assertThat(runs).hasValue(1);
    assertThat(future.isDone()).isTrue();
    assertThat(scheduler.queuedTasks()).isZero();
  }

  @Test
  void execute_taskThrows_rethrownAfterItRanAndTheRestStayQueued() {
    RuntimeException boom = new IllegalStateException("boom");
    scheduler.execute(() -> {
      throw boom;
    });
    scheduler.execute(note("next"));

    assertThatThrownBy(scheduler::runDue).isSameAs(boom);

    assertThat(scheduler.queuedTasks()).isEqualTo(1);
    assertThat(scheduler.runDue()).isEqualTo(1);
    assertThat(ran).containsExactly("next@0");
  }

  @Test
  void submit_taskThrows_onlyItsFutureFails() {
    Future<?> future = scheduler.submit(() -> {
      throw new IllegalStateException("boom");
    });

    assertThat(scheduler.runDue()).isEqualTo(1);

    assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("boom");
  }

  @Test
  void cancel_queuedTask_leavesTheQueueAndNeverRuns() {
    ScheduledFuture<?> future = scheduler.schedule(note("cancelled"), 1, TimeUnit.SECONDS);

    assertThat(future.cancel(false)).isTrue();

    assertThat(scheduler.queuedTasks()).isZero();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(ran).isEmpty();
    assertThatThrownBy(future::get).isInstanceOf(CancellationException.class);
  }

  @Test
  void shutdown_rejectsNewTasks_cancelsPeriodic_runsQueuedDelayed() throws Exception {
    ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(note("p"), 1, 1, TimeUnit.SECONDS);
    scheduler.schedule(note("delayed"), 2, TimeUnit.SECONDS);

    scheduler.shutdown();

    assertThat(scheduler.isShutdown()).isTrue();
    assertThat(periodic.isCancelled()).isTrue();
    assertThatThrownBy(() -> scheduler.execute(note("rejected")))
        .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("shut down");
    assertThat(scheduler.isTerminated()).isFalse();
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(ran).containsExactly("delayed@" + TimeUnit.SECONDS.toNanos(2));
    assertThat(scheduler.isTerminated()).isTrue();
    assertThat(scheduler.awaitTermination(0, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shutdownNow_returnsQueuedTasksUnrun_andTerminates() {
    scheduler.schedule(note("b"), 2, TimeUnit.SECONDS);
    scheduler.schedule(note("a"), 1, TimeUnit.SECONDS);

    List<Runnable> removed = scheduler.shutdownNow();

    assertThat(removed).hasSize(2);
    assertThat(removed.get(0)).hasToString("task due at " + TimeUnit.SECONDS.toNanos(1) + "ns");
    assertThat(scheduler.isTerminated()).isTrue();
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(ran).isEmpty();
  }

  @Test
  void awaitTermination_lastTaskRunByAnotherThread_returnsTrue() throws Exception {
    scheduler.schedule(note("last"), 1, TimeUnit.SECONDS);
    scheduler.shutdown();
    assertThat(scheduler.awaitTermination(0, TimeUnit.SECONDS)).isFalse();
    Thread runner = new Thread(() -> scheduler.advance(Duration.ofSeconds(1)));

    runner.start();

    assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    runner.join();
    assertThat(ran).hasSize(1);
  }

  @Test
  void runDue_manyThreadsSchedulingAndRunning_eachTaskRunsExactlyOnce() throws Exception {
    int threads = 8;
    int perThread = 2_000;
    AtomicInteger[] runs = new AtomicInteger[threads * perThread];
    for (int i = 0; i < runs.length; i++) {
      runs[i] = new AtomicInteger();
    }
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    AtomicInteger ranByRunners = new AtomicInteger();
    for (int t = 0; t < threads; t++) {
      int first = t * perThread;
      workers.add(new Thread(() -> {
        await(start);
        for (int i = first; i < first + perThread; i++) {
          AtomicInteger counter = runs[i];
          scheduler.schedule(counter::incrementAndGet, i % 3, TimeUnit.NANOSECONDS);
          if (i % 50 == 0) {
            ranByRunners.addAndGet(scheduler.runDue());
          }
        }
      }));
    }
    workers.forEach(Thread::start);
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    int rest = scheduler.advance(Duration.ofNanos(2));

    assertThat(ranByRunners.get() + rest).isEqualTo(runs.length);
    for (AtomicInteger counter : runs) {
      assertThat(counter).hasValue(1);
    }
    assertThat(scheduler.queuedTasks()).isZero();
  }

  @Test
  void toString_namesQueueAndTicker() {
    scheduler.schedule(note("a"), 5, TimeUnit.NANOSECONDS);

    assertThat(scheduler)
        .hasToString("ManualScheduler[1 queued, next due at 5ns, ManualTicker[0ns]]");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
