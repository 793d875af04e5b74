package dev.breakglass.circuitbreaker;

import dev.breakglass.core.ListenerErrorHandler;
import dev.breakglass.core.internal.ListenerFailures;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this module logs, and where: the SLF4J logger {@code dev.breakglass.circuitbreaker},
 * at WARN, only when user code (a listener, a handler, an {@link IntervalFunction}) has
 * thrown. Never on a call's path otherwise.
 */
final class Slf4jLogging {
  static final Logger LOGGER = LoggerFactory.getLogger("dev.breakglass.circuitbreaker");

  private static final BiConsumer<String, Throwable> WARN = LOGGER::warn;

  /** The default listener error handler of breakers and registries. */
  static final ListenerErrorHandler DEFAULT_HANDLER = ListenerFailures.logging(
      "ListenerErrorHandler[SLF4J logger dev.breakglass.circuitbreaker]", WARN);

  private Slf4jLogging() {}

  /**
   * Returns the handler a breaker reports to: the default as it is, any other handler wrapped
   * so that its own exception is logged here rather than escaping.
   */
  static ListenerErrorHandler guarded(ListenerErrorHandler handler) {
    return handler == DEFAULT_HANDLER ? handler : ListenerFailures.guarded(handler, WARN);
  }
}
