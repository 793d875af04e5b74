package dev.breakglass.core;

import dev.breakglass.core.internal.ListenerFailures;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * Core's default {@link ListenerErrorHandler}: logs at WARNING through {@link System.Logger},
 * core having no logging dependency. The other modules supply their own default, which logs
 * through SLF4J.
 */
enum LoggingListenerErrorHandler implements ListenerErrorHandler {
  INSTANCE;

  static final System.Logger LOGGER = System.getLogger("dev.breakglass.core");

  @Override
  public void onListenerError(String owner, Object listener, Object event, Throwable error) {
    Objects.requireNonNull(error, "error");
    LOGGER.log(Level.WARNING, () -> ListenerFailures.listenerFailure(owner, listener, event),
        error);
  }

  @Override
  public String toString() {
    return "ListenerErrorHandler.logging()";
  }
}
