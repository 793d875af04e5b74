package dev.breakglass.spring.boot.autoconfigure;

import dev.breakglass.core.incident.IncidentTracker;
import java.time.Duration;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Calls {@link IncidentTracker#refresh()} every {@link
 * BreakglassProperties.Incidents#refreshInterval() refresh interval} on one daemon thread, so
 * that an incident resolves once its quiet window has passed even when nothing more is
 * journalled (the tracker starts no threads of its own). Starts with the context and stops
 * early in its shutdown. A refresh that throws is logged, and the next one runs on schedule.
 *
 * <p>Thread-safe.
 */
public final class IncidentRefresh implements SmartLifecycle {

  private final Periodic periodic;

  /**
   * Creates the refresh.
   *
   * @param tracker the tracker to refresh
   * @param interval how often, positive
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public IncidentRefresh(IncidentTracker tracker, Duration interval) {
    Objects.requireNonNull(tracker, "tracker");
    this.periodic = new Periodic("breakglass-incident-refresh",
        "breakglass.incidents.refresh-interval", interval, tracker::refresh);
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
