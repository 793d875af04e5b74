package dev.breakglass.core.incident;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * A JDK Flight Recorder event for each change an {@link IncidentTracker} delivers: an incident
 * opened, escalated or resolved. Enabled by default in a recording; with no recording running,
 * {@link #shouldCommit()} is false and no field is filled (the empty event object is all that
 * is made).
 *
 * <p>Core reads {@code jdk.jfr} only if the runtime has it ({@code requires static}): callers go
 * through {@link FlightRecorder#AVAILABLE}, and this class is loaded only when it is true.
 *
 * <p>Not thread-safe: each instance is used by one thread.
 */
@Name("dev.breakglass.Incident")
@Label("Incident")
@Description("An incident derived from the journal opened, escalated or resolved")
@Category({"breakglass", "Incidents"})
@StackTrace(false)
final class IncidentFlightEvent extends jdk.jfr.Event {

  /** The value of a timespan field whose milestone the incident has not reached. */
  static final long NOT_REACHED = Long.MIN_VALUE;

  @Label("Number")
  @Description("The incident's number in its tracker, from 1")
  int number;

  @Label("Change")
  @Description("OPENED, ESCALATED or RESOLVED")
  @Nullable String change;

  @Label("Status")
  @Description("OPEN or RESOLVED, after the change")
  @Nullable String status;

  @Label("Peak Severity")
  @Description("The worst severity during the incident so far")
  @Nullable String peakSeverity;

  @Label("Components")
  @Description("The components involved, comma-separated")
  @Nullable String components;

  @Label("Time to Detect")
  @Description("From the first signal to the first detection; N/A if not detected yet")
  @Timespan(Timespan.NANOSECONDS)
  long timeToDetect;

  @Label("Time to Mitigate")
  @Description("From the first signal to the first mitigation; N/A if not mitigated yet")
  @Timespan(Timespan.NANOSECONDS)
  long timeToMitigate;

  @Label("Time to Recover")
  @Description("From the first signal to every component up again; N/A if not recovered yet")
  @Timespan(Timespan.NANOSECONDS)
  long timeToRecover;

  @Label("Duration")
  @Description("From the first signal to the resolution, or to the latest entry while open")
  @Timespan(Timespan.NANOSECONDS)
  long incidentDuration;

  static void commit(IncidentChange change) {
    IncidentFlightEvent event = new IncidentFlightEvent();
    if (event.shouldCommit()) {
      Incident incident = change.incident();
      event.number = incident.number();
      event.change = change.type().name();
      event.status = incident.status().name();
      event.peakSeverity = incident.peakSeverity().name();
      event.components = incident.components().stream().map(ComponentImpact::name)
          .collect(Collectors.joining(", "));
      event.timeToDetect = nanos(incident.timeToDetect());
      event.timeToMitigate = nanos(incident.timeToMitigate());
      event.timeToRecover = nanos(incident.timeToRecover());
      event.incidentDuration = incident.duration().toNanos();
      event.commit();
    }
  }

  private static long nanos(Optional<Duration> duration) {
    return duration.map(Duration::toNanos).orElse(NOT_REACHED);
  }
}
