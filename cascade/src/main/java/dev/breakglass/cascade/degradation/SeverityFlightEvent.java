package dev.breakglass.cascade.degradation;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * A JDK Flight Recorder event for each severity change of a {@link CascadeManager}, committed
 * when the change is delivered (see {@link ChangePublisher}). Enabled by default in a
 * recording; with no recording running, {@link #shouldCommit()} is false and nothing is built.
 *
 * <p>Not thread-safe: each instance is used by one thread.
 */
@Name("dev.breakglass.SeverityChange")
@Label("Severity Change")
@Description("The cascade manager's severity changed")
@Category({"breakglass", "Cascade"})
@StackTrace(false)
final class SeverityFlightEvent extends jdk.jfr.Event {

  @Label("From")
  @Description("The severity before the change")
  @Nullable String from;

  @Label("To")
  @Description("The severity after the change")
  @Nullable String to;

  @Label("Cause")
  @Description("The signal and rule, or the declaration, that caused the change")
  @Nullable String cause;

  @Label("Capacity Factor")
  @Description("The capacity factor after the change")
  double capacityFactor;

  static void commit(Mode from, Mode to, String cause) {
    SeverityFlightEvent event = new SeverityFlightEvent();
    if (event.shouldCommit()) {
      event.from = from.severity().name();
      event.to = to.severity().name();
      event.cause = cause;
      event.capacityFactor = to.capacityFactor();
      event.commit();
    }
  }
}
