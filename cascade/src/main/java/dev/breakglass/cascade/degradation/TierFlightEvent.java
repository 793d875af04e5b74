package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * JDK Flight Recorder events for a tier shed or restored by a severity change, one per tier,
 * committed right after that change's {@link SeverityFlightEvent}. Enabled by default in a
 * recording; with no recording running, {@link jdk.jfr.Event#shouldCommit()} is false and
 * nothing is built.
 *
 * <p>Not thread-safe: each instance is used by one thread.
 */
final class TierFlightEvent {

  private TierFlightEvent() {}

  static void commit(boolean shed, Tier tier, Severity severity, String members) {
    if (shed) {
      Shed event = new Shed();
      if (event.shouldCommit()) {
        event.tier = tier.name();
        event.severity = severity.name();
        event.members = members;
        event.commit();
      }
    } else {
      Restored event = new Restored();
      if (event.shouldCommit()) {
        event.tier = tier.name();
        event.severity = severity.name();
        event.members = members;
        event.commit();
      }
    }
  }

  /** A tier's work stopped being admitted. */
  @Name("dev.breakglass.TierShed")
  @Label("Tier Shed")
  @Description("The cascade manager stopped admitting a tier's work")
  @Category({"breakglass", "Cascade"})
  @StackTrace(false)
  static final class Shed extends jdk.jfr.Event {
    @Label("Tier")
    @Description("The tier shed")
    @Nullable String tier;

    @Label("Severity")
    @Description("The severity that sheds it")
    @Nullable String severity;

    @Label("Members")
    @Description("The components and features of the tier")
    @Nullable String members;
  }

  /** A tier's work is admitted again. */
  @Name("dev.breakglass.TierRestored")
  @Label("Tier Restored")
  @Description("The cascade manager admits a tier's work again")
  @Category({"breakglass", "Cascade"})
  @StackTrace(false)
  static final class Restored extends jdk.jfr.Event {
    @Label("Tier")
    @Description("The tier restored")
    @Nullable String tier;

    @Label("Severity")
    @Description("The severity that admits it again")
    @Nullable String severity;

    @Label("Members")
    @Description("The components and features of the tier")
    @Nullable String members;
  }
}
