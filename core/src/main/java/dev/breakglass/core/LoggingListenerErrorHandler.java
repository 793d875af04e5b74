package dev.breakglass.core;

import java.lang.System.Logger.Level;
import java.util.Objects;

/** The default {@link ListenerErrorHandler}: logs at WARNING. */
enum LoggingListenerErrorHandler implements ListenerErrorHandler {
  INSTANCE;

  static final System.Logger LOGGER = System.getLogger("dev.breakglass.listeners");

  @Override
  public void onListenerError(String owner, Object listener, Object event, Throwable error) {
    Objects.requireNonNull(error, "error");
    LOGGER.log(
        Level.WARNING,
        () -> "Listener " + listener + " of " + owner + " threw while handling " + event,
        error);
  }

  @Override
  public String toString() {
    return "ListenerErrorHandler.logging()";
  }
}
