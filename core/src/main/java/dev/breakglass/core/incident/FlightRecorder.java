package dev.breakglass.core.incident;

import java.util.Optional;

/**
 * Whether this module can use the JDK Flight Recorder. Core requires {@code jdk.jfr} statically
 * (core's only run-time requirement is {@code java.base}): on the class path, or when another
 * module of the application requires {@code jdk.jfr} (circuit-breaker and cascade do), it is
 * read; in a runtime image linked without it, or a module graph that does not resolve it, the
 * incident events are skipped and no {@code jdk.jfr} class is loaded.
 *
 * <p>Thread-safe: a constant.
 */
final class FlightRecorder {

  /** Whether {@code jdk.jfr} is present and readable from this class's module. */
  static final boolean AVAILABLE = available();

  private FlightRecorder() {}

  private static boolean available() {
    Optional<Module> jfr = ModuleLayer.boot().findModule("jdk.jfr");
    return jfr.isPresent() && FlightRecorder.class.getModule().canRead(jfr.get());
  }
}
