package dev.breakglass.core.internal;

import dev.breakglass.core.ListenerErrorHandler;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * How the breakglass modules report a failing listener: the text of the report, a readable
 * name for the listener, and the default handlers built over a module's logger.
 *
 * <p>Core has no logging dependency, so the modules that log through SLF4J hand in their
 * logger's {@code warn(String, Throwable)}; the handlers built here format the report and
 * call it. Everything here runs only after a listener (or a handler) has thrown: nothing is
 * on a hot path, and nothing is cached.
 *
 * <p>Thread-safe: stateless; the handlers it returns are as thread-safe as the {@code warn}
 * they were given (an SLF4J logger's is).
 */
public final class ListenerFailures {

  private ListenerFailures() {}

  /**
   * Returns a handler that reports each listener failure as one warning with its stack trace:
   * {@code "Listener <describe(listener)> of <owner> threw while handling <event>"}.
   *
   * @param name what the handler's {@code toString()} says, such as the logger's name
   * @param warn receives the message and the listener's exception
   * @return a stateless handler
   * @throws NullPointerException if an argument is null
   */
  public static ListenerErrorHandler logging(String name, BiConsumer<String, Throwable> warn) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(warn, "warn");
    return new ListenerErrorHandler() {
      @Override
      public void onListenerError(String owner, Object listener, Object event, Throwable error) {
        warn.accept(listenerFailure(owner, listener, event), error);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /**
   * Returns a handler that hands each failure to {@code handler} and, if that handler throws,
   * reports the handler's exception (with the listener's attached as suppressed) to
   * {@code warn} instead of letting it escape. A {@link VirtualMachineError} is rethrown.
   *
   * @param handler the handler the user configured
   * @param warn receives the message and the handler's exception
   * @return a handler that never throws anything but a {@code VirtualMachineError} (or what
   *     {@code warn} throws); its {@code toString()} is the handler's
   * @throws NullPointerException if an argument is null
   */
  public static ListenerErrorHandler guarded(
      ListenerErrorHandler handler, BiConsumer<String, Throwable> warn) {
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(warn, "warn");
    return new ListenerErrorHandler() {
      @Override
      public void onListenerError(String owner, Object listener, Object event, Throwable error) {
        try {
          handler.onListenerError(owner, listener, event, error);
        } catch (VirtualMachineError fatal) {
          throw fatal;
        } catch (Throwable handlerError) {
          if (handlerError != error) { // a handler that rethrows the error it was given
            handlerError.addSuppressed(error);
          }
          warn.accept(handlerFailure(handler, owner, listener, event), handlerError);
        }
      }

      @Override
      public String toString() {
        return handler.toString();
      }
    };
  }

  /**
   * The report of a failing listener.
   *
   * @param owner the name of the component whose listener failed
   * @param listener the listener that threw
   * @param event the event it was handling
   * @return {@code "Listener <describe(listener)> of <owner> threw while handling <event>"}
   */
  public static String listenerFailure(String owner, Object listener, Object event) {
    return "Listener " + describe(listener) + " of " + owner + " threw while handling "
        + safeToString(event);
  }

  /**
   * The report of a {@link ListenerErrorHandler} that threw while it reported a failing
   * listener.
   *
   * @param handler the handler that threw
   * @param owner the name of the component whose listener failed
   * @param listener the listener whose failure was being reported
   * @param event the event the listener was handling
   * @return the message, naming the handler, the owner, the listener and the event
   */
  public static String handlerFailure(
      ListenerErrorHandler handler, String owner, Object listener, Object event) {
    return "ListenerErrorHandler " + describe(handler) + " of " + owner
        + " threw while reporting that listener " + describe(listener)
        + " threw while handling " + safeToString(event);
  }

  /**
   * Names a listener (or any user callback) for a log message, as readably as its class
   * allows.
   *
   * <ul>
   *   <li>A class that overrides {@code toString()}, such as a listener made with
   *       {@code EventListener.named}, is named by it: that is the name its author gave it.
   *   <li>A lambda or method reference, whose runtime class has a synthetic name such as
   *       {@code app.Main$$Lambda$201/0x0000000800c4b1d8}, is named by the class that
   *       declares it and the interfaces it implements:
   *       {@code "lambda in app.Main implementing dev.breakglass.core.EventListener"}.
   *   <li>Any other object is named by its class, without the identity hash code of
   *       {@code Object.toString()}: {@code "app.AuditListener"}.
   * </ul>
   *
   * <p>A {@code toString()} that throws is ignored, and the class names the listener.
   *
   * @param listener the listener to name
   * @return a name for it, never null
   */
  public static String describe(Object listener) {
    Class<?> type = listener.getClass();
    if (overridesToString(type)) {
      try {
        String name = listener.toString();
        if (name != null) {
          return name;
        }
      } catch (RuntimeException | LinkageError ignored) {
        // its own toString() is broken: the class names it below, which always works
      }
    }
    return type.isHidden() ? hiddenClassName(type) : type.getName();
  }

  /**
   * Names a hidden class: a lambda's is {@code Declaring$$Lambda$N/0x...} (JDK 17) or
   * {@code Declaring$$Lambda/0x...} (JDK 21 and later).
   */
  private static String hiddenClassName(Class<?> type) {
    String name = type.getName();
    int lambda = name.indexOf("$$Lambda");
    int end = lambda >= 0 ? lambda : name.indexOf('/');
    StringBuilder text = new StringBuilder(lambda >= 0 ? "lambda" : "hidden class")
        .append(" in ").append(end > 0 ? name.substring(0, end) : name);
    Class<?>[] interfaces = type.getInterfaces();
    for (int i = 0; i < interfaces.length; i++) {
      text.append(i == 0 ? " implementing " : ", ").append(interfaces[i].getName());
    }
    return text.toString();
  }

  private static boolean overridesToString(Class<?> type) {
    try {
      Method toString = type.getMethod("toString");
      return toString.getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException | SecurityException e) {
      return false;
    }
  }

  private static String safeToString(Object value) {
    try {
      return String.valueOf(value);
    } catch (RuntimeException | LinkageError e) {
      return value.getClass().getName() + " (its toString() threw " + e + ")";
    }
  }
}
