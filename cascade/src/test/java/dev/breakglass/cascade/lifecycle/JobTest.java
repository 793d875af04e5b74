package dev.breakglass.cascade.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.ManualTicker;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The job state protocol between a worker and the coordinator, step by step: a worker is held
 * at an exact point while the coordinator abandons its job.
 */
class JobTest {

  private final ManualTicker ticker = new ManualTicker();

  /** Runs drain and release, stopping at {@code holdAt} (0 before drain ... 2 after release). */
  static final class HeldJob extends Job {
    final int holdAt;
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch go = new CountDownLatch(1);
    final List<String> seen = new CopyOnWriteArrayList<>();

    HeldJob(ManualTicker ticker, int holdAt) {
      super(0, ticker, new StepKind[] {StepKind.DRAIN, StepKind.RELEASE});
      this.holdAt = holdAt;
    }

    @Override
    void body() {
      for (int i = 0; i < 2; i++) {
        hold(i);
        if (!beginStep(i, ticker.read())) {
          seen.add("step " + i + " not begun");
          return;
        }
        seen.add("step " + i);
        endStep(i, null, ticker.read());
      }
      hold(2);
    }

    private void hold(int point) {
      if (point != holdAt) {
        return;
      }
      held.countDown();
      try {
        assertThat(go.await(10, TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        seen.add("interrupted");
        return;
      }
      seen.add(Thread.currentThread().isInterrupted() ? "interrupted" : "not interrupted");
    }

    @Override
    Outcome successOutcome() {
      return Outcome.STOPPED;
    }

    @Override
    void onLateFinish(String what) {
      seen.add("late: " + what);
    }
  }

  private Thread start(HeldJob job, BlockingQueue<Job> events) throws InterruptedException {
    job.events = events;
    Thread worker = new Thread(job, "worker");
    worker.start();
    assertThat(job.held.await(10, TimeUnit.SECONDS)).isTrue();
    return worker;
  }

  @Test
  void tryAbandon_afterTheLastStepReturned_settlesTheJobAsDoneAndTheWorkerPostsNothingMore()
      throws Exception {
    HeldJob job = new HeldJob(ticker, 2);
    BlockingQueue<Job> events = new LinkedBlockingQueue<>();
    Thread worker = start(job, events);

    int witness = job.tryAbandon(ticker.read());
    job.go.countDown();
    worker.join(10_000);

    assertThat(Job.phaseOf(witness)).isEqualTo(Job.DONE);
    assertThat(events).containsExactly(job); // the "began" event only
    assertThat(job.outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(job.seen).containsExactly("step 0", "step 1", "not interrupted");
  }

  @Test
  void tryAbandon_betweenTwoSteps_abandonsWithoutAnInterruptAndTheNextStepNeverBegins()
      throws Exception {
    HeldJob job = new HeldJob(ticker, 1);
    Thread worker = start(job, new LinkedBlockingQueue<>());

    int witness = job.tryAbandon(ticker.read());
    job.go.countDown();
    worker.join(10_000);

    assertThat(Job.phaseOf(witness)).isEqualTo(Job.BETWEEN);
    assertThat(Job.stepsClaimed(witness)).isEqualTo(1);
    assertThat(job.seen).containsExactly("step 0", "not interrupted", "step 1 not begun",
        "late: drain returned just before the component was abandoned; release did not run");
  }

  @Test
  void tryAbandon_beforeTheFirstStep_abandonsAndNoStepBeginsOrReportsLate() throws Exception {
    HeldJob job = new HeldJob(ticker, 0);
    Thread worker = start(job, new LinkedBlockingQueue<>());

    int witness = job.tryAbandon(ticker.read());
    job.go.countDown();
    worker.join(10_000);

    assertThat(witness).isEqualTo(Job.running(0));
    assertThat(job.seen).containsExactly("not interrupted", "step 0 not begun");
  }
}
