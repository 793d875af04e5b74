package dev.breakglass.circuitbreaker;

import dev.breakglass.core.ManualTicker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose tasks run only when the test says so, at the times of a ManualTicker.
 * Supports what breakers use: {@code schedule(Runnable, delay, unit)}.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

  private final ManualTicker ticker;
  private final List<Task> tasks = new ArrayList<>();
  private boolean rejecting;

  ManualScheduler(ManualTicker ticker) {
    this.ticker = ticker;
  }

  /** Makes every later schedule() throw RejectedExecutionException, like a shut-down pool. */
  synchronized void rejectAll() {
    rejecting = true;
  }

  synchronized int pending() {
    return tasks.size();
  }

  synchronized long nextDueNanos() {
    return tasks.stream().mapToLong(t -> t.due).min().orElseThrow();
  }

  /** Runs the earliest task now, even if it is not due: a timer that fires early. */
  void runNext() {
    Task next;
    synchronized (this) {
      next = tasks.stream().min(Comparator.comparingLong(t -> t.due)).orElseThrow();
      tasks.remove(next);
    }
    next.command.run();
  }

  /** Runs every task due at the ticker's current time (tasks they schedule included). */
  int runDue() {
    int ran = 0;
    for (;;) {
      Task next;
      synchronized (this) {
        next = tasks.stream().filter(t -> t.due - ticker.read() <= 0)
            .min(Comparator.comparingLong(t -> t.due)).orElse(null);
        if (next == null) {
          return ran;
        }
        tasks.remove(next);
      }
      next.command.run();
      ran++;
    }
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    if (rejecting) {
      throw new RejectedExecutionException("rejecting");
    }
    Task task = new Task(command, ticker.read() + unit.toNanos(delay));
    tasks.add(task);
    return task;
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable c, long i, long p, TimeUnit u) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable c, long i, long d, TimeUnit u) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public void shutdown() {
    rejectAll();
  }

  @Override
  public List<Runnable> shutdownNow() {
    rejectAll();
    return List.of();
  }

  @Override
  public synchronized boolean isShutdown() {
    return rejecting;
  }

  @Override
  public boolean isTerminated() {
    return isShutdown();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isShutdown();
  }

  private final class Task implements ScheduledFuture<Object> {
    final Runnable command;
    final long due;

    Task(Runnable command, long due) {
      this.command = command;
      this.due = due;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - ticker.read(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      synchronized (ManualScheduler.this) {
        return tasks.remove(this);
      }
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean isDone() {
      return false;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }
  }
}
