package dev.breakglass.spring.boot.autoconfigure;

import dev.breakglass.cascade.degradation.CascadeManager;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Calls {@link CascadeManager#evaluate()} every {@link BreakglassProperties.Cascade#evaluationInterval()
 * evaluation interval} on one daemon thread, so that the severity steps down after a cooldown
 * even when no signal arrives (the manager starts no threads of its own). Starts with the
 * context and stops early in its shutdown.
 *
 * <p>Thread-safe.
 */
public final class CascadeEvaluation implements SmartLifecycle {

  private static final Log LOG = LogFactory.getLog("dev.breakglass.spring.boot");

  private final CascadeManager manager;
  private final Duration interval;
  private @Nullable ScheduledExecutorService scheduler; // guarded by this

  /**
   * Creates the evaluation.
   *
   * @param manager the manager to evaluate
   * @param interval how often, positive
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public CascadeEvaluation(CascadeManager manager, Duration interval) {
    this.manager = Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "breakglass.cascade.evaluation-interval must be positive, was " + interval);
    }
    this.interval = interval;
  }

  @Override
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "breakglass-cascade-evaluation");
      t.setDaemon(true);
      return t;
    });
    long nanos = interval.toNanos();
    s.scheduleWithFixedDelay(this::evaluate, nanos, nanos, TimeUnit.NANOSECONDS);
    scheduler = s;
  }

  private void evaluate() {
    try {
      manager.evaluate();
    } catch (RuntimeException e) { // keep evaluating: one failure must not end the schedule
      LOG.warn("cascade evaluation failed", e);
    }
  }

  @Override
  public synchronized void stop() {
    ScheduledExecutorService s = scheduler;
    if (s != null) {
      s.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }
}
