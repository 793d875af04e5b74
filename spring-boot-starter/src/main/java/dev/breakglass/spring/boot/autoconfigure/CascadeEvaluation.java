package dev.breakglass.spring.boot.autoconfigure;

import dev.breakglass.cascade.degradation.CascadeManager;
import java.time.Duration;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Calls {@link CascadeManager#evaluate()} every {@link BreakglassProperties.Cascade#evaluationInterval()
 * evaluation interval} on one daemon thread, so that the severity steps down after a cooldown
 * even when no signal arrives (the manager starts no threads of its own). Starts with the
 * context and stops early in its shutdown. An evaluation that throws is logged, and the next
 * one runs on schedule.
 *
 * <p>Thread-safe.
 */
public final class CascadeEvaluation implements SmartLifecycle {

  private final Periodic periodic;

  /**
   * Creates the evaluation.
   *
   * @param manager the manager to evaluate
   * @param interval how often, positive
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public CascadeEvaluation(CascadeManager manager, Duration interval) {
    Objects.requireNonNull(manager, "manager");
    this.periodic = new Periodic("breakglass-cascade-evaluation",
        "breakglass.cascade.evaluation-interval", interval, manager::evaluate);
  }

  @Override
  public void start() {
    periodic.start();
  }

  @Override
  public void stop() {
    periodic.stop();
  }

  @Override
  public boolean isRunning() {
    return periodic.isRunning();
  }
}
