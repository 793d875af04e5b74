package dev.breakglass.core;

/**
 * Decides what happens when a listener throws.
 *
 * <p>breakglass never lets a listener's exception break the caller (the code whose call
 * produced the event), and never drops it silently: it is handed to a
 * {@code ListenerErrorHandler}. What it does by default depends on the owner:
 *
 * <ul>
 *   <li>The circuit breaker and the cascade manager log it at {@code WARN} through SLF4J, on
 *       the loggers {@code dev.breakglass.circuitbreaker} and {@code dev.breakglass.cascade},
 *       so that it reaches the application's logging (logback, Log4j, ...).
 *   <li>Core's own owners (an {@link IncidentJournal}, or {@link Listeners} created without a
 *       handler) use {@link #logging()}, which logs at {@code WARNING} through
 *       {@link System.Logger}: core has no dependency, not even on SLF4J. Route it with
 *       {@code org.slf4j:slf4j-jdk-platform-logging}, or give the journal a handler.
 * </ul>
 *
 * <p>Each report names the owner, the listener and the event. A listener is named by its
 * {@code toString()} if its class overrides it (see {@link EventListener#named}); a lambda
 * by the class that declares it and the interface it implements; anything else by its class.
 *
 * <p>Supply your own handler to count failures, to record them in an
 * {@link IncidentJournal}, or, in tests, to collect them so that the test can assert that no
 * listener failed.
 *
 * <p>Implementations must be thread-safe. A handler cannot make the failure reach the caller:
 * if a handler itself throws, its exception (with the listener's attached as suppressed) is
 * logged, through the owner module's logger, and the caller still carries on.
 */
@FunctionalInterface
public interface ListenerErrorHandler {

  /**
   * Called when a listener threw while handling an event.
   *
   * @param owner the name of the component whose listener failed (a breaker's name, say)
   * @param listener the listener that threw
   * @param event the event it was handling
   * @param error what it threw; never a {@link VirtualMachineError}, which is rethrown instead
   */
  void onListenerError(String owner, Object listener, Object event, Throwable error);

  /**
   * Returns core's default handler, which logs each failure at {@code WARNING} on the
   * {@code System.Logger} named {@code dev.breakglass.core}, with the owner, the listener,
   * the event and the stack trace. (The circuit breaker and the cascade manager default to
   * their SLF4J loggers instead.)
   *
   * @return the logging handler, a stateless singleton
   */
  static ListenerErrorHandler logging() {
    return LoggingListenerErrorHandler.INSTANCE;
  }
}
