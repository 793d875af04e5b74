package dev.breakglass.cascade.lifecycle;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The executor a sequencer run uses when the caller supplies none: daemon threads, started
 * only when every thread is busy, at most {@code maxThreads}, shut down when the run ends.
 * A run uses it without a maximum (see {@link RunExecutor}): a task that hangs holds one
 * thread, never the turn of another.
 *
 * <p>Thread-safe, like any {@link ThreadPoolExecutor}.
 */
final class DefaultPool extends ThreadPoolExecutor {

  /*
   * Design: a plain ThreadPoolExecutor either starts a thread for every task until it reaches
   * its core size (even when threads are idle) or, with a queue, never grows past the core.
   * Here the core size is 0 and the queue refuses a task (which makes the executor start a
   * non-core thread) while more tasks are unfinished than threads exist and the maximum is not
   * reached; otherwise the task is queued for an idle thread. This is the technique of
   * Tomcat's TaskQueue. A refusal that loses a race with the pool reaching its maximum falls
   * back to queueing. So 1,000 no-op components cost a few threads, and 8 components that each
   * block for a second get 8 threads.
   *
   * A thread that cannot be started (OutOfMemoryError: unable to create native thread, when a
   * container's process limit is reached) does not fail the task while the pool has threads:
   * the task is queued for the next thread that frees up, and the error is kept for the report
   * of whatever waited in vain (threadStartFailure).
   */

  private final AtomicInteger unfinished = new AtomicInteger();
  private final TaskQueue queue;
  private volatile @Nullable Throwable threadStartFailure;

  private DefaultPool(int maxThreads, TaskQueue queue, ThreadFactory threads) {
    super(0, maxThreads, 1, TimeUnit.SECONDS, queue, threads,
        (task, pool) -> {
          if (pool.isShutdown()) {
            throw new RejectedExecutionException("the run's pool is shut down");
          }
          queue.enqueue(task);
        });
    this.queue = queue;
  }

  static DefaultPool create(int maxThreads, String threadPrefix) {
    return create(maxThreads, daemonThreads(threadPrefix));
  }

  static DefaultPool create(int maxThreads, ThreadFactory threads) {
    TaskQueue queue = new TaskQueue();
    DefaultPool pool = new DefaultPool(maxThreads, queue, threads);
    queue.pool = pool;
    return pool;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Returns the first error with which the pool failed to start a thread, or null.
   *
   * @return the error, e.g. an {@code OutOfMemoryError: unable to create native thread}
   */
  @Nullable Throwable threadStartFailure() {
    return threadStartFailure;
  }

  @Override
  public void execute(Runnable task) {
    unfinished.incrementAndGet();
    try {
      super.execute(task);
    } catch (OutOfMemoryError noThread) {
      if (getPoolSize() == 0 || isShutdown()) {
        unfinished.decrementAndGet();
        throw noThread; // nothing would ever run it: the caller runs it itself
      }
      if (threadStartFailure == null) {
        threadStartFailure = noThread;
      }
      queue.enqueue(task); // the next thread that frees up runs it
    } catch (RuntimeException rejected) {
      unfinished.decrementAndGet();
      throw rejected;
    }
  }

  @Override
  protected void afterExecute(Runnable task, @Nullable Throwable failure) {
    unfinished.decrementAndGet();
  }

  /** Queues a task only when a thread is free or no more threads may start. */
  static final class TaskQueue extends LinkedBlockingQueue<Runnable> {
    private volatile @Nullable DefaultPool pool;

    @Override
    public boolean offer(Runnable task) {
      DefaultPool owner = pool;
      if (owner != null && owner.getPoolSize() < owner.getMaximumPoolSize()
          && owner.unfinished.get() > owner.getPoolSize()) {
        return false; // every thread is busy: make the executor start one
      }
      return super.offer(task);
    }

    void enqueue(Runnable task) {
      super.offer(task);
    }
  }
}
