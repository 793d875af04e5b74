package dev.breakglass.cascade.lifecycle;

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

  @Test
  void execute_threadCannotStart_queuesTheTaskForABusyThreadAndKeepsTheError()
      throws InterruptedException {
    AtomicInteger created = new AtomicInteger();
    OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread");
    pool = DefaultPool.create(Integer.MAX_VALUE, task -> {
      if (created.incrementAndGet() > 1) {
        throw noThread;
      }
      Thread thread = new Thread(task, "only");
      thread.setDaemon(true);
      return thread;
    });
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(2);
    pool.execute(() -> {
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      done.countDown();
    });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    pool.execute(done::countDown); // every thread is busy, and no other can start

    assertThat(pool.threadStartFailure()).isSameAs(noThread);
    assertThat(pool.getQueue()).hasSize(1);
    release.countDown();
    assertThat(done.await(10, TimeUnit.SECONDS)).as("the queued task ran on the freed thread")
        .isTrue();
  }

  @Test
  void execute_noThreadCanStartAtAll_throwsSoThatTheCallerRunsIt() {
    OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread");
    pool = DefaultPool.create(Integer.MAX_VALUE, task -> {
      throw noThread;
    });

    assertThatThrownBy(() -> pool.execute(() -> { })).isSameAs(noThread);
    assertThat(pool.getQueue()).isEmpty();
  }

  @Test
  void execute_noMaximum_startsAThreadForEveryBlockedTask() throws InterruptedException {
    pool = DefaultPool.create(Integer.MAX_VALUE, "unbounded-");
    int tasks = 100;
    CountDownLatch allRunning = new CountDownLatch(tasks);
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < tasks; i++) {
      pool.execute(() -> {
        allRunning.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }

    assertThat(allRunning.await(10, TimeUnit.SECONDS)).as("all ran at once").isTrue();
    release.countDown();
    assertThat(pool.getLargestPoolSize()).isEqualTo(tasks);
  }
}
