package dev.breakglass.spring.boot.autoconfigure;

import dev.breakglass.cascade.lifecycle.ShutdownReport;
import dev.breakglass.cascade.lifecycle.ShutdownSequencer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link ShutdownSequencer} when the application context closes: a {@link
 * SmartLifecycle} that stops in {@link BreakglassProperties.Shutdown#phase() its phase}, by
 * default right after the web server's graceful shutdown, so the {@link BreakglassComponent}
 * beans stop in dependency order, under the sequencer's deadline, once no request is in
 * flight. The report is logged (INFO when clean, WARN otherwise, on the logger {@code
 * dev.breakglass.spring.boot}) and kept for {@link #lastReport()}.
 *
 * <p>Thread-safe.
 */
public final class ShutdownLifecycle implements SmartLifecycle {

  private static final Log LOG = LogFactory.getLog("dev.breakglass.spring.boot");

  private final ShutdownSequencer sequencer;
  private final int phase;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile @Nullable ShutdownReport lastReport;

  /**
   * Creates the lifecycle.
   *
   * @param sequencer the sequencer to run when the context closes
   * @param phase the phase to stop in
   * @throws NullPointerException if {@code sequencer} is null
   */
  public ShutdownLifecycle(ShutdownSequencer sequencer, int phase) {
    this.sequencer = Objects.requireNonNull(sequencer, "sequencer");
    this.phase = phase;
  }

  @Override
  public void start() {
    running.set(true);
  }

  /**
   * Runs the shutdown sequencer (once: a second stop returns at once), then logs its report.
   */
  @Override
  public void stop() {
    if (!running.compareAndSet(true, false)) {
      return;
    }
    ShutdownReport report = sequencer.shutdown();
    lastReport = report;
    if (report.isClean()) {
      LOG.info("dependency-ordered shutdown finished\n" + report.toText());
    } else {
      LOG.warn("dependency-ordered shutdown finished with failures\n" + report.toText());
    }
  }

  @Override
  public boolean isRunning() {
    return running.get();
  }

  @Override
  public int getPhase() {
    return phase;
  }

  /**
   * Returns the report of the shutdown run, once the context has stopped.
   *
   * @return the report, or {@code null} before the run
   */
  public @Nullable ShutdownReport lastReport() {
    return lastReport;
  }
}
