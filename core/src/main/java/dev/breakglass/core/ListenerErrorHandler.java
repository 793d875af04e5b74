package dev.breakglass.core;

/**
 * Decides what happens when a listener throws.
 *
 * <p>breakglass never lets a listener's exception break the caller (the code whose call
 * produced the event), and never drops it silently: it is handed to a
 * {@code ListenerErrorHandler}. The default, {@link #logging()}, logs it at {@code WARNING}
 * through {@link System.Logger} (route it to SLF4J or Log4j with their
 * {@code System.LoggerFinder} bindings). Supply your own to count failures, to record them in
 * an {@link IncidentJournal}, or, in tests, to collect them so that the test can assert that
 * no listener failed.
 *
 * <p>Implementations must be thread-safe. A handler cannot make the failure reach the caller:
 * if a handler itself throws, its exception (with the listener's attached as suppressed) is
 * logged through {@link System.Logger} and the caller still carries on.
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
   * Returns the default handler, which logs each failure at {@code WARNING} on the
   * {@code System.Logger} named {@code dev.breakglass.listeners}, with the owner, the listener,
   * the event and the stack trace.
   *
   * @return the logging handler, a stateless singleton
   */
  static ListenerErrorHandler logging() {
    return LoggingListenerErrorHandler.INSTANCE;
  }
}
