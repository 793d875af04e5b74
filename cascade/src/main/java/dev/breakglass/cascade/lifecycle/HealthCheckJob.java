package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Health;
import dev.breakglass.core.Ticker;
import dev.breakglass.core.internal.DurationFormat;
import org.jspecify.annotations.Nullable;

/**
 * One call of a component's health check. A check that does not report healthy before the
 * gate's deadline asks to run again one interval after it began (at once if it took longer),
 * so the coordinator polls on the ticker's time and no thread sleeps; each check carries on
 * the count, start and last results of the checks before it. A check that is interrupted or
 * throws a VirtualMachineError is not called again: the component is reported unhealthy,
 * with that exception.
 */
final class HealthCheckJob extends Job {
  private static final StepKind[] KINDS = {StepKind.HEALTH_CHECK};

  private final HealthCheck check;
  private final long gateDeadline;
  private final long intervalNanos;
  private final boolean acceptDegraded;
  private final String timeoutLabel;
  private final boolean continued;
  private volatile @Nullable Health lastHealth;
  private int checks;
  private @Nullable Throwable lastFailure;
  private boolean healthy;

  /** The first check of a gate ({@code previous} null) or the next one after it. */
  HealthCheckJob(int node, Ticker ticker, HealthCheck check, long gateDeadline, long intervalNanos,
      boolean acceptDegraded, String timeoutLabel, @Nullable HealthCheckJob previous) {
    super(node, ticker, KINDS);
    this.check = check;
    this.gateDeadline = gateDeadline;
    this.intervalNanos = intervalNanos;
    this.acceptDegraded = acceptDegraded;
    this.timeoutLabel = timeoutLabel;
    this.continued = previous != null;
    if (previous != null) {
      stepStarts[0] = previous.stepStarts[0];
      carried = 1;
      checks = previous.checks;
      lastHealth = previous.lastHealth;
      lastFailure = previous.lastFailure;
    }
  }

  @Override
  void body() {
    long checkStart = ticker.read();
    if (!beginStep(0, continued ? stepStarts[0] : checkStart)) {
      return; // abandoned
    }
    checks++;
    boolean again = true;
    Throwable thrown = null;
    try {
      Health health = check.check();
      if (health == null) {
        throw new NullPointerException("the health check returned null");
      }
      lastHealth = health;
      healthy = health == Health.UP || (acceptDegraded && health == Health.DEGRADED);
    } catch (Throwable t) {
      thrown = t;
      lastFailure = t;
      // interrupted, or a VirtualMachineError: no further check
      again = !(t instanceof InterruptedException || t instanceof VirtualMachineError);
    }
    long end = ticker.read();
    if (again && !healthy && end - gateDeadline < 0) { // decided before the end is published
      long next = checkStart + intervalNanos;
      runAgainAt(next - gateDeadline > 0 ? gateDeadline : next);
    }
    endStep(0, healthy ? null : lastFailure, end);
    if (thrown instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  Outcome outcome() {
    return healthy ? Outcome.STARTED : Outcome.UNHEALTHY;
  }

  @Override
  Outcome successOutcome() {
    return Outcome.STARTED;
  }

  @Override
  @Nullable Throwable failure() {
    return healthy ? null : lastFailure;
  }

  @Override
  String detail() {
    Health health = lastHealth;
    String took = DurationFormat.format(endNanos - stepStarts[0]);
    String tries = TextLayout.plural(checks, "check", "checks");
    if (healthy) {
      return health + " after " + tries + " in " + took;
    }
    Throwable failure = lastFailure;
    return (health == null ? "no health reported" : health.toString()) + " after " + tries
        + " in " + took + " (" + timeoutLabel + ")"
        + (failure == null ? "" : "; last check threw " + cause(failure));
  }

  @Override
  @Nullable Health health() {
    return lastHealth;
  }
}
