package dev.breakglass.cascade.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Ticker;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ManualTicker} that stops one worker thread at an exact point of a job: its
 * {@code n}-th read on a thread of the given name blocks until {@link #resume()}. A sequencer
 * reads its ticker at fixed points of a job (when the job gets its thread, then before and
 * after each step), so a test can hold a worker between two steps, or just before its first,
 * while the coordinator acts. An interrupt aimed at the held worker is kept for it.
 */
final class PausingTicker implements Ticker {

  final ManualTicker time = new ManualTicker();
  private final String threadName;
  private final int pauseAt;
  private final AtomicInteger reads = new AtomicInteger();
  private final CountDownLatch paused = new CountDownLatch(1);
  private final CountDownLatch resumed = new CountDownLatch(1);

  PausingTicker(String threadName, int pauseAt) {
    this.threadName = threadName;
    this.pauseAt = pauseAt;
  }

  @Override
  public long read() {
    if (Thread.currentThread().getName().equals(threadName)
        && reads.incrementAndGet() == pauseAt) {
      paused.countDown();
      boolean interrupted = false;
      try {
        for (;;) {
          try {
            if (!resumed.await(10, TimeUnit.SECONDS)) {
              throw new AssertionError("the paused worker was never resumed");
            }
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
    return time.read();
  }

  /** Waits until the worker is held. */
  void awaitPaused() throws InterruptedException {
    assertThat(paused.await(10, TimeUnit.SECONDS)).as("the worker reached the pause").isTrue();
  }

  void resume() {
    resumed.countDown();
  }
}
