package dev.breakglass.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ScheduledExecutorService} for tests that runs nothing by itself: its tasks run on
 * the thread that calls {@link #runDue()}, {@link #advance(Duration)} or {@link #runNext()},
 * when the {@link ManualTicker} that drives it says they are due. Give it to anything that
 * schedules work (a circuit breaker's automatic transition from OPEN to HALF_OPEN, a periodic
 * {@code evaluate()}) and the test decides when time passes and when the work runs, without
 * sleeping.
 *
 * <pre>{@code
 * ManualTicker ticker = new ManualTicker();
 * ManualScheduler scheduler = new ManualScheduler(ticker);
 * CircuitBreaker breaker = CircuitBreaker.builder("payments")
 *     .config(CircuitBreakerConfig.builder().automaticTransitionToHalfOpen(true).build())
 *     .ticker(ticker).scheduler(scheduler).build();
 * // ... trip the breaker: it schedules the end of its 60 s wait in OPEN ...
 * scheduler.advance(Duration.ofSeconds(60));   // the timer runs at 60 s: HALF_OPEN, no call
 * }</pre>
 *
 * <p><b>When tasks run.</b> A task is due once the ticker reads its due time or later: the
 * reading when it was scheduled plus its delay (a negative delay counts as zero, a delay of
 * more than 2<sup>62</sup> ns, about 146 years, as that). Due tasks run earliest due time
 * first, and tasks due at the same time in the order they were scheduled.
 * <ul>
 *   <li>{@link #runDue()} runs every task that is due at the ticker's current reading,
 *       including the tasks those tasks schedule, if they are due too (so a task that keeps
 *       scheduling itself with no delay keeps it running). It does not move the ticker.
 *   <li>{@link #advance(Duration)} moves the ticker forward, stopping at the due time of each
 *       task on the way to run it then, so that every task runs at the reading it was due at,
 *       as it would in real time: a task that schedules another sees the time of its own run.
 *   <li>{@link #runNext()} runs the earliest task even if it is not due: a timer that fires
 *       early, as one on another clock may.
 * </ul>
 *
 * <p><b>What runs how.</b> {@link #execute}, {@link #submit(Runnable)} and the other
 * {@code submit} and {@code invoke} methods schedule with no delay, so their tasks run at the
 * next {@code runDue()}; {@code invokeAll} and {@code invokeAny} wait for that, so call them on
 * another thread than the one that runs the tasks. A periodic task runs again one period after
 * its previous due time ({@link #scheduleAtFixedRate}: an advance over several periods runs it
 * once for each) or one delay after its previous run returned, by the ticker
 * ({@link #scheduleWithFixedDelay}). As with
 * {@link java.util.concurrent.ScheduledThreadPoolExecutor}, what a task scheduled or
 * submitted throws completes its future exceptionally ({@link ScheduledFuture#get()} throws an
 * {@link ExecutionException} with it) and ends a periodic task. A task given to
 * {@link #execute} has no future to hold its exception, so the method that ran it rethrows it,
 * once the task is finished, as a worker thread would hand it to its uncaught-exception
 * handler; the tasks not yet run stay queued. A cancelled task leaves the queue at once.
 *
 * <p><b>Shutting down.</b> After {@link #shutdown()} new tasks are rejected with
 * {@link RejectedExecutionException}, which is also how a test makes a scheduler reject
 * work; periodic tasks are cancelled, and delayed tasks already queued still run when due.
 * {@link #shutdownNow()} removes every queued task and returns them. The scheduler is
 * terminated once it is shut down and no task is queued or running; it never interrupts the
 * threads that run its tasks.
 *
 * <p>Thread-safe: any thread may schedule, cancel or run tasks; each task runs once per due
 * time, on one thread, and never while the scheduler holds its lock. The ticker may also be
 * advanced directly; {@link #advance(Duration)} moves it by at least the amount given.
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {

  /** Delays beyond this count as this: due times stay comparable by subtraction. */
  private static final long MAX_DELAY_NANOS = 1L << 62;

  private final ManualTicker ticker;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition terminated = lock.newCondition();
  @GuardedBy("lock")
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>((a, b) -> a.compareDue(b));
  @GuardedBy("lock")
  private long sequence;
  @GuardedBy("lock")
  private int running;
  @GuardedBy("lock")
  private boolean shutdown;

  /**
   * Creates a scheduler driven by a ticker.
   *
   * @param ticker the ticker whose readings decide when tasks are due; share it with the code
   *     under test
   * @throws NullPointerException if {@code ticker} is null
   */
  public ManualScheduler(ManualTicker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /**
   * Returns the ticker that drives this scheduler.
   *
   * @return the ticker given at creation
   */
  public ManualTicker ticker() {
    return ticker;
  }

  // ---------------------------------------------------------------------------------- running

  /**
   * Runs every task that is due at the ticker's current reading, on the calling thread,
   * earliest due first; tasks that they schedule run too if they are due. The ticker does not
   * move.
   *
   * @return how many task runs there were (a periodic task counts once per run)
   * @throws RuntimeException whatever a task given to {@link #execute} threw (an
   *     {@link Error} as it is), after that task; the tasks not yet run stay queued
   */
  public int runDue() {
    int ran = 0;
    for (Task<?> task = takeDue(ticker.read()); task != null; task = takeDue(ticker.read())) {
      run(task);
      ran++;
    }
    return ran;
  }

  /**
   * Moves the ticker forward by {@code amount}, running each task that falls due on the way at
   * its due time: the ticker is advanced to a task's due time, the task runs on the calling
   * thread, and so on until the end of the amount, where the tasks due then run too.
   *
   * @param amount how far to move the ticker; zero runs what is due now
   * @return how many task runs there were (a periodic task counts once per run)
   * @throws NullPointerException if {@code amount} is null
   * @throws IllegalArgumentException if {@code amount} is negative
   * @throws ArithmeticException if {@code amount} does not fit in a {@code long} of
   *     nanoseconds
   * @throws RuntimeException whatever a task given to {@link #execute} threw (an
   *     {@link Error} as it is), after that task; the ticker then stays at that task's due
   *     time
   */
  public int advance(Duration amount) {
    long end = ticker.read() + ManualTicker.nanos(amount);
    int ran = 0;
    for (Task<?> task = takeDue(end); task != null; task = takeDue(end)) {
      long early = task.due - ticker.read();
      if (early > 0) {
        ticker.advanceNanos(early);
      }
      run(task);
      ran++;
    }
    long rest = end - ticker.read();
    if (rest > 0) {
      ticker.advanceNanos(rest);
    }
    return ran;
  }

  /**
   * Runs the earliest queued task now, on the calling thread, even if it is not due: a timer
   * that fires before its time. The ticker does not move.
   *
   * @return {@code true} if a task ran; {@code false} if none is queued
   * @throws RuntimeException whatever a task given to {@link #execute} threw (an
   *     {@link Error} as it is)
   */
  public boolean runNext() {
    Task<?> task;
    lock.lock();
    try {
      task = queue.poll();
      if (task == null) {
        return false;
      }
      running++;
    } finally {
      lock.unlock();
    }
    run(task);
    return true;
  }

  /**
   * Returns how many tasks are queued: scheduled, not cancelled, and not running now.
   *
   * @return the number of queued tasks, due or not
   */
  public int queuedTasks() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the due time of the earliest queued task.
   *
   * @return the ticker reading at which it is due, or empty if no task is queued
   */
  public OptionalLong nextDueNanos() {
    lock.lock();
    try {
      Task<?> next = queue.peek();
      return next == null ? OptionalLong.empty() : OptionalLong.of(next.due);
    } finally {
      lock.unlock();
    }
  }

  /** Removes the earliest task if it is due at {@code now}, counting it as running. */
  private @Nullable Task<?> takeDue(long now) {
    lock.lock();
    try {
      Task<?> next = queue.peek();
      if (next == null || next.due - now > 0) {
        return null;
      }
      queue.poll();
      running++;
      return next;
    } finally {
      lock.unlock();
    }
  }

  /** Runs a task taken from the queue, re-queues it if it is periodic and should run again. */
  private void run(Task<?> task) {
    boolean again = false;
    try {
      again = task.runOnce();
    } finally {
      lock.lock();
      try {
        running--;
        if (again) {
          if (shutdown) {
            task.cancelQueued();
          } else {
            task.due = task.nextDue();
            queue.add(task);
          }
        }
        signalIfTerminated();
      } finally {
        lock.unlock();
      }
    }
    task.rethrowIfExecuted();
  }

  // ------------------------------------------------------------------------------- scheduling

  /**
   * Schedules a task to run once, when the ticker reads now plus {@code delay}.
   *
   * @param command the task
   * @param delay the delay; zero or negative: due now
   * @param unit the unit of {@code delay}
   * @return a future that completes when the task has run (with {@code null}) or thrown
   * @throws NullPointerException if {@code command} or {@code unit} is null
   * @throws RejectedExecutionException if the scheduler is shut down
   */
  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Objects.requireNonNull(command, "command");
    return enqueue(new Task<>(Executors.callable(command), due(delay, unit), 0L, false));
  }

  /**
   * Schedules a value-returning task to run once, when the ticker reads now plus
   * {@code delay}.
   *
   * @param callable the task
   * @param delay the delay; zero or negative: due now
   * @param unit the unit of {@code delay}
   * @param <V> the type of the task's result
   * @return a future that completes with the task's result, or with what it threw
   * @throws NullPointerException if {@code callable} or {@code unit} is null
   * @throws RejectedExecutionException if the scheduler is shut down
   */
  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    Objects.requireNonNull(callable, "callable");
    return enqueue(new Task<>(callable, due(delay, unit), 0L, false));
  }

  /**
   * Schedules a task to run periodically: first after {@code initialDelay}, then every
   * {@code period} after its previous due time, so that it keeps its rhythm however late it
   * runs (an advance over several periods runs it once for each). It stops when cancelled,
   * when it throws, or when the scheduler shuts down.
   *
   * @param command the task
   * @param initialDelay the delay of the first run; zero or negative: due now
   * @param period the period, positive
   * @param unit the unit of both
   * @return a future that never completes normally: it is cancelled, or fails with what the
   *     task threw
   * @throws NullPointerException if {@code command} or {@code unit} is null
   * @throws IllegalArgumentException if {@code period} is not positive
   * @throws RejectedExecutionException if the scheduler is shut down
   */
  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    Objects.requireNonNull(command, "command");
    long every = positive(period, unit, "period");
    return enqueue(new Task<>(Executors.callable(command), due(initialDelay, unit), every,
        false));
  }

  /**
   * Schedules a task to run periodically: first after {@code initialDelay}, then
   * {@code delay} after each run returned, by the ticker. It stops when cancelled, when it
   * throws, or when the scheduler shuts down.
   *
   * @param command the task
   * @param initialDelay the delay of the first run; zero or negative: due now
   * @param delay the delay between the end of a run and the next one, positive
   * @param unit the unit of both
   * @return a future that never completes normally: it is cancelled, or fails with what the
   *     task threw
   * @throws NullPointerException if {@code command} or {@code unit} is null
   * @throws IllegalArgumentException if {@code delay} is not positive
   * @throws RejectedExecutionException if the scheduler is shut down
   */
  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    Objects.requireNonNull(command, "command");
    long after = positive(delay, unit, "delay");
    return enqueue(new Task<>(Executors.callable(command), due(initialDelay, unit), -after,
        false));
  }

  /**
   * Queues a task to run at the next {@link #runDue()} (it is due now). What it throws is
   * rethrown by the method that runs it, after it.
   *
   * @param command the task
   * @throws NullPointerException if {@code command} is null
   * @throws RejectedExecutionException if the scheduler is shut down
   */
  @Override
  @SuppressWarnings("FutureReturnValueIgnored") // execute has no future: runDue rethrows
  public void execute(Runnable command) {
    Objects.requireNonNull(command, "command");
    enqueue(new Task<>(Executors.callable(command), ticker.read(), 0L, true));
  }

  private long due(long delay, TimeUnit unit) {
    Objects.requireNonNull(unit, "unit");
    long nanos = Math.min(Math.max(0L, unit.toNanos(delay)), MAX_DELAY_NANOS);
    return ticker.read() + nanos;
  }

  private static long positive(long amount, TimeUnit unit, String name) {
    Objects.requireNonNull(unit, "unit");
    if (amount <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + amount + " " + unit);
    }
    return Math.min(unit.toNanos(amount), MAX_DELAY_NANOS);
  }

  private <V> Task<V> enqueue(Task<V> task) {
    lock.lock();
    try {
      if (shutdown) {
        throw new RejectedExecutionException(this + " is shut down");
      }
      task.sequence = sequence++;
      queue.add(task);
      return task;
    } finally {
      lock.unlock();
    }
  }

  private void remove(Task<?> task) {
    lock.lock();
    try {
      if (queue.remove(task)) {
        signalIfTerminated();
      }
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------ lifecycle

  /**
   * Rejects new tasks from now on and cancels the queued periodic tasks; queued delayed tasks
   * still run when they are due. Calling it again does nothing.
   */
  @Override
  public void shutdown() {
    List<Task<?>> periodic = new ArrayList<>();
    lock.lock();
    try {
      shutdown = true;
      queue.removeIf(task -> task.isPeriodic() && periodic.add(task));
      signalIfTerminated();
    } finally {
      lock.unlock();
    }
    for (Task<?> task : periodic) {
      task.cancelQueued();
    }
  }

  /**
   * Rejects new tasks from now on and removes every queued task, without running or
   * cancelling it. Tasks running now finish undisturbed.
   *
   * @return the removed tasks, earliest due first
   */
  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> removed = new ArrayList<>();
    lock.lock();
    try {
      shutdown = true;
      for (Task<?> task = queue.poll(); task != null; task = queue.poll()) {
        removed.add(task);
      }
      signalIfTerminated();
    } finally {
      lock.unlock();
    }
    return removed;
  }

  /**
   * Tells whether {@link #shutdown()} or {@link #shutdownNow()} was called.
   *
   * @return {@code true} once the scheduler rejects new tasks
   */
  @Override
  public boolean isShutdown() {
    lock.lock();
    try {
      return shutdown;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Tells whether the scheduler is shut down with no task queued or running.
   *
   * @return {@code true} once nothing is left to run
   */
  @Override
  public boolean isTerminated() {
    lock.lock();
    try {
      return isTerminatedLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits, in real time, until the scheduler is terminated: shut down, with its last task run
   * (by another thread) or removed.
   *
   * @param timeout how long to wait at most
   * @param unit the unit of {@code timeout}
   * @return {@code true} if it is terminated; {@code false} if the time ran out first
   * @throws NullPointerException if {@code unit} is null
   * @throws InterruptedException if the waiting thread is interrupted
   */
  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lock();
    try {
      while (!isTerminatedLocked()) {
        if (nanos <= 0) {
          return false;
        }
        nanos = terminated.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @GuardedBy("lock")
  private boolean isTerminatedLocked() {
    return shutdown && queue.isEmpty() && running == 0;
  }

  @GuardedBy("lock")
  private void signalIfTerminated() {
    if (isTerminatedLocked()) {
      terminated.signalAll();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      Task<?> next = queue.peek();
      return "ManualScheduler[" + queue.size() + " queued"
          + (next == null ? "" : ", next due at " + next.due + "ns")
          + (shutdown ? ", shut down" : "") + ", " + ticker + "]";
    } finally {
      lock.unlock();
    }
  }

  /**
   * A queued task and its future. {@code due} and {@code sequence} are written under the
   * scheduler's lock (or before the task is published through it) and read under it, except
   * by {@link #getDelay}, which reads {@code due} as of its last write.
   */
  private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
    /** 0: runs once; positive: fixed rate; negative: fixed delay (as in the JDK). */
    private final long period;
    /** Given to {@code execute}: what it throws is rethrown by whoever runs it. */
    private final boolean executed;
    private volatile long due;
    private long sequence;

    Task(Callable<V> callable, long due, long period, boolean executed) {
      super(callable);
      this.due = due;
      this.period = period;
      this.executed = executed;
    }

    /** Runs the task; returns whether a periodic task should run again. */
    boolean runOnce() {
      if (period == 0) {
        run();
        return false;
      }
      return runAndReset();
    }

    long nextDue() {
      return period > 0 ? due + period : ticker.read() - period;
    }

    void cancelQueued() {
      super.cancel(false);
    }

    void rethrowIfExecuted() {
      if (!executed || !isDone() || isCancelled()) {
        return;
      }
      try {
        get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException("a task given to execute threw " + cause, cause);
      } catch (InterruptedException | CancellationException e) {
        throw new AssertionError("a finished task neither blocks nor is cancelled", e);
      }
    }

    int compareDue(Task<?> other) {
      long difference = due - other.due;
      if (difference != 0) {
        return difference < 0 ? -1 : 1;
      }
      return Long.compare(sequence, other.sequence);
    }

    @Override
    public boolean isPeriodic() {
      return period != 0;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - ticker.read(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      if (other == this) {
        return 0;
      }
      if (other instanceof ManualScheduler.Task<?> task && task.scheduler() == scheduler()) {
        return compareDue(task);
      }
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    private ManualScheduler scheduler() {
      return ManualScheduler.this;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        remove(this);
      }
      return cancelled;
    }

    @Override
    public String toString() {
      return "task due at " + due + "ns" + (isPeriodic() ? ", periodic" : "");
    }
  }
}
