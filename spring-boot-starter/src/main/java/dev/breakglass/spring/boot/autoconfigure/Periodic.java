package dev.breakglass.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs one task every interval on one daemon thread of its own, between {@link #start()} and
 * {@link #stop()}; a run that throws (anything but a {@link VirtualMachineError}) is logged and
 * the schedule goes on. The periodic work of
 * the starter's lifecycle beans ({@link CascadeEvaluation}, {@link IncidentRefresh}).
 *
 * <p>Thread-safe.
 */
final class Periodic {

  private static final Log LOG = LogFactory.getLog("dev.breakglass.spring.boot");

  private final String threadName;
  private final long intervalNanos;
  private final Runnable task;
  private @Nullable ScheduledExecutorService scheduler; // guarded by this

  /**
   * @param threadName the thread's name, and what the log says failed
   * @param property the property {@code interval} comes from, for the exception's message
   * @param interval how often, positive
   * @param task what to run
   * @throws IllegalArgumentException if {@code interval} is not positive, or longer than a
   *     {@code long} of nanoseconds (292 years)
   */
  Periodic(String threadName, String property, Duration interval, Runnable task) {
    this.threadName = threadName;
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(property + " must be positive, was " + interval);
    }
    try {
      this.intervalNanos = interval.toNanos();
    } catch (ArithmeticException tooLong) {
      throw new IllegalArgumentException(
          property + " must be at most 292 years, was " + interval, tooLong);
    }
    this.task = task;
  }

  synchronized void start() {
    if (scheduler != null) {
      return;
    }
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    s.scheduleWithFixedDelay(this::runOnce, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    scheduler = s;
  }

  private void runOnce() {
    try {
      task.run();
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable e) {
      // keep running: a throw would end the schedule silently (the executor keeps it in a
      // future nobody reads), and the next run may succeed
      LOG.warn(threadName + " failed; the next run is in " + Duration.ofNanos(intervalNanos), e);
    }
  }

  synchronized void stop() {
    ScheduledExecutorService s = scheduler;
    if (s != null) {
      s.shutdownNow();
      scheduler = null;
    }
  }

  synchronized boolean isRunning() {
    return scheduler != null;
  }
}
