package dev.breakglass.cascade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DefaultPoolTest {

  private DefaultPool pool = DefaultPool.create(4, "test-pool-");

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void execute_blockingTasks_startsAThreadForEachUpToTheMaximumAndQueuesTheRest()
      throws InterruptedException {
    CountDownLatch fourRunning = new CountDownLatch(4);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch allDone = new CountDownLatch(8);
    for (int i = 0; i < 8; i++) {
      pool.execute(() -> {
        fourRunning.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        allDone.countDown();
      });
    }

    assertThat(fourRunning.await(10, TimeUnit.SECONDS)).as("4 ran at once").isTrue();
    assertThat(pool.getQueue()).hasSize(4);
    release.countDown();
    assertThat(allDone.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.getLargestPoolSize()).isEqualTo(4);
  }

  @Test
  void execute_eachTaskAfterThePreviousCompleted_reusesTheIdleThread() {
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 200; i++) {
      pool.execute(ran::incrementAndGet);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (pool.getCompletedTaskCount() <= i && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // completed counts a task once it is fully done, afterExecute too
      }
    }

    assertThat(ran).hasValue(200);
    assertThat(pool.getLargestPoolSize()).isEqualTo(1);
  }

  @Test
  void execute_threads_areNamedDaemons() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    Thread[] seen = new Thread[1];
    pool.execute(() -> {
      seen[0] = Thread.currentThread();
      done.countDown();
    });

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(seen[0].isDaemon()).isTrue();
    assertThat(seen[0].getName()).isEqualTo("test-pool-1");
  }

  @Test
  void execute_afterShutdown_isRejected() {
    pool.shutdown();

    assertThatThrownBy(() -> pool.execute(() -> { }))
        .isInstanceOf(RejectedExecutionException.class);
  }
}
