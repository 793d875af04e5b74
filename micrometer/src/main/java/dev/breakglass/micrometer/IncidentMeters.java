package dev.breakglass.micrometer;

import dev.breakglass.core.EventListener;
import dev.breakglass.core.Severity;
import dev.breakglass.core.incident.Incident;
import dev.breakglass.core.incident.IncidentChange;
import dev.breakglass.core.incident.IncidentTracker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Meters for an {@link IncidentTracker}: whether an incident is open and how bad it got, how
 * many incidents opened, escalated and resolved, and, per peak severity, how long resolved
 * incidents took to detect, mitigate, recover and resolve.
 *
 * <pre>{@code
 * IncidentMeters.of(tracker).bindTo(meterRegistry);
 * }</pre>
 *
 * <table class="striped">
 *   <caption>Meters of an incident tracker</caption>
 *   <thead><tr><th>name</th><th>type</th><th>tags</th><th>value</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@value #OPEN}</td><td>gauge</td><td></td><td>1 while an incident is open, else
 *       0</td></tr>
 *   <tr><td>{@value #PEAK_SEVERITY}</td><td>gauge</td><td></td><td>the open incident's peak
 *       severity: 0 NORMAL, 1 MINOR, 2 MAJOR, 3 CRITICAL; 0 while none is open</td></tr>
 *   <tr><td>{@value #OPENED}</td><td>counter</td><td></td><td>the incidents opened since
 *       binding</td></tr>
 *   <tr><td>{@value #ESCALATIONS}</td><td>counter</td><td></td><td>the rises of an open
 *       incident's peak severity since binding</td></tr>
 *   <tr><td>{@value #RESOLVED}</td><td>counter</td><td></td><td>the incidents resolved since
 *       binding, by the rule or by hand</td></tr>
 *   <tr><td>{@value #TIME_TO_DETECT}</td><td>timer</td><td>{@code severity}: normal, minor,
 *       major, critical (the incident's peak)</td><td>per resolved incident that was
 *       detected: {@link Incident#timeToDetect()}</td></tr>
 *   <tr><td>{@value #TIME_TO_MITIGATE}</td><td>timer</td><td>{@code severity}</td><td>per
 *       resolved incident that was mitigated: {@link Incident#timeToMitigate()}</td></tr>
 *   <tr><td>{@value #TIME_TO_RECOVER}</td><td>timer</td><td>{@code severity}</td><td>per
 *       resolved incident that recovered: {@link Incident#timeToRecover()}</td></tr>
 *   <tr><td>{@value #TIME_TO_RESOLVE}</td><td>timer</td><td>{@code severity}</td><td>per
 *       resolved incident: {@link Incident#timeToResolve()}</td></tr>
 *   <tr><td>{@value #DURATION}</td><td>timer</td><td>{@code severity}</td><td>per resolved
 *       incident: {@link Incident#duration()}</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>A timer records once per incident, when it resolves, under its peak severity (four
 * values, so a dashboard reads the mean time to mitigate per severity). The timers publish
 * service-level buckets at 1, 2, 5, 15 and 30 minutes: the response objectives per severity
 * (CRITICAL under 60 s, MAJOR under 2 min, MINOR under 5 min, anything else under 15 min) and
 * the longest recovery target (30 min), so the share of incidents that met an objective is a
 * ratio of two series; a {@code MeterFilter} may change them. Every meter also has the tags
 * given to {@link #of(IncidentTracker, Iterable)}.
 *
 * <p>Everything is fed by the tracker's {@link IncidentTracker#onChange change listeners}
 * (an incident opening, escalating or resolving: rare events), on the thread that delivers the
 * change; the two gauges read what the last change said, so a scrape does not copy the open
 * incident or take the tracker's lock. An incident open when the binder is bound is read once,
 * then followed by its changes.
 *
 * <p>Thread-safe: binding, closing and the meters' reads may happen on any threads.
 */
public final class IncidentMeters implements MeterBinder, AutoCloseable {

  /** The name of the gauge that is 1 while an incident is open. */
  public static final String OPEN = "breakglass.incidents.open";
  /** The name of the counter of incidents opened. */
  public static final String OPENED = "breakglass.incidents.opened";
  /** The name of the counter of incidents resolved. */
  public static final String RESOLVED = "breakglass.incidents.resolved";
  /** The name of the counter of escalations (rises of an open incident's peak severity). */
  public static final String ESCALATIONS = "breakglass.incidents.escalations";
  /** The name of the gauge of the open incident's peak severity. */
  public static final String PEAK_SEVERITY = "breakglass.incident.peak.severity";
  /** The name of the timer of the time to detect, by peak severity. */
  public static final String TIME_TO_DETECT = "breakglass.incident.time.to.detect";
  /** The name of the timer of the time to mitigate, by peak severity. */
  public static final String TIME_TO_MITIGATE = "breakglass.incident.time.to.mitigate";
  /** The name of the timer of the time to recover, by peak severity. */
  public static final String TIME_TO_RECOVER = "breakglass.incident.time.to.recover";
  /** The name of the timer of the time to resolve, by peak severity. */
  public static final String TIME_TO_RESOLVE = "breakglass.incident.time.to.resolve";
  /** The name of the timer of the incidents' durations, by peak severity. */
  public static final String DURATION = "breakglass.incident.duration";

  private static final Severity[] SEVERITIES = Severity.values();

  /** The response objectives per severity (1, 2, 5, 15 min) and the longest recovery target. */
  private static final Duration[] OBJECTIVES = {Duration.ofMinutes(1), Duration.ofMinutes(2),
      Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30)};

  private final IncidentTracker tracker;
  private final Tags tags;
  private final Bindings<Binding> bindings = new Bindings<>("IncidentMeters", Binding::close);

  private IncidentMeters(IncidentTracker tracker, Tags tags) {
    this.tracker = tracker;
    this.tags = tags;
  }

  /**
   * Returns meters for {@code tracker}.
   *
   * @param tracker the incident tracker
   * @return a binder, not yet bound
   * @throws NullPointerException if {@code tracker} is null
   */
  public static IncidentMeters of(IncidentTracker tracker) {
    return of(tracker, Tags.empty());
  }

  /**
   * Returns meters for {@code tracker} with more tags on every meter.
   *
   * @param tracker the incident tracker
   * @param tags tags for every meter, such as {@code service=checkout}
   * @return a binder, not yet bound
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if a tag's key is {@code severity}, which the timers set
   */
  public static IncidentMeters of(IncidentTracker tracker, Iterable<Tag> tags) {
    Objects.requireNonNull(tracker, "tracker");
    return new IncidentMeters(tracker, MeterTags.userTags(tags, "severity"));
  }

  /**
   * Registers the meters in {@code registry} and starts following the tracker's changes.
   *
   * @param registry the meter registry
   * @throws NullPointerException if {@code registry} is null
   * @throws IllegalStateException if this binder was closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Binding binding = bindings.add(new Binding(Objects.requireNonNull(registry, "registry")));
    Current current = new Current();
    binding.add(Gauge.builder(OPEN, current, c -> c.open ? 1 : 0)
        .tags(tags)
        .description("1 while an incident is open, else 0")
        .strongReference(true)
        .register(registry));
    binding.add(Gauge.builder(PEAK_SEVERITY, current, c -> c.peak)
        .tags(tags)
        .description("The open incident's peak severity: 0 NORMAL, 1 MINOR, 2 MAJOR,"
            + " 3 CRITICAL; 0 while none is open")
        .strongReference(true)
        .register(registry));
    Counter opened = binding.add(Counter.builder(OPENED).tags(tags)
        .description("The incidents opened")
        .register(registry));
    Counter escalations = binding.add(Counter.builder(ESCALATIONS).tags(tags)
        .description("The rises of an open incident's peak severity")
        .register(registry));
    Counter resolved = binding.add(Counter.builder(RESOLVED).tags(tags)
        .description("The incidents resolved, by the rule or by hand")
        .register(registry));
    Timer[][] timers = new Timer[SEVERITIES.length][];
    for (Severity severity : SEVERITIES) {
      timers[severity.ordinal()] = new Timer[] {
          timer(binding, TIME_TO_DETECT, severity,
              "From an incident's first signal to its detection"),
          timer(binding, TIME_TO_MITIGATE, severity,
              "From an incident's first signal to its first mitigation"),
          timer(binding, TIME_TO_RECOVER, severity,
              "From an incident's first signal to every component involved being healthy"),
          timer(binding, TIME_TO_RESOLVE, severity,
              "From an incident's first signal to its resolution"),
          timer(binding, DURATION, severity, "How long a resolved incident lasted")};
    }
    binding.add(tracker.onChange(EventListener.named("IncidentMeters",
        (IncidentChange change) -> {
          Incident incident = change.incident();
          switch (change.type()) {
            case OPENED -> opened.increment();
            case ESCALATED -> escalations.increment();
            case RESOLVED -> {
              resolved.increment();
              record(incident, timers[incident.peakSeverity().ordinal()]);
            }
          }
          current.follow(change);
        })));
    // after subscribing, so a change between the two is either in the reading or followed
    current.start(tracker.current());
  }

  private Timer timer(Binding binding, String name, Severity severity, String description) {
    return binding.add(Timer.builder(name)
        .tags(tags).tag("severity", MeterTags.value(severity))
        .description(description + ", by the incident's peak severity")
        .serviceLevelObjectives(OBJECTIVES)
        .register(binding.registry()));
  }

  private static void record(Incident incident, Timer[] timers) {
    incident.timeToDetect().ifPresent(timers[0]::record);
    incident.timeToMitigate().ifPresent(timers[1]::record);
    incident.timeToRecover().ifPresent(timers[2]::record);
    incident.timeToResolve().ifPresent(timers[3]::record);
    timers[4].record(incident.duration());
  }

  /**
   * Removes every meter this binder registered and stops following the tracker. Idempotent.
   */
  @Override
  public void close() {
    bindings.close();
  }

  @Override
  public String toString() {
    return "IncidentMeters[tags=" + tags + "]"; // the tracker has no name and no toString
  }


  /**
   * What the gauges show: the open incident, as the latest change (or, before any, the reading
   * at binding) described it. Written under its monitor, read without.
   */
  private static final class Current {
    volatile boolean open;
    volatile int peak;
    private boolean followed;

    /** Takes the reading at binding, unless a change arrived since: that one is newer. */
    synchronized void start(Optional<Incident> incident) {
      if (!followed) {
        set(incident.isPresent(), incident.map(i -> i.peakSeverity().ordinal()).orElse(0));
      }
    }

    synchronized void follow(IncidentChange change) {
      followed = true;
      boolean isOpen = change.type() != IncidentChange.Type.RESOLVED;
      set(isOpen, isOpen ? change.incident().peakSeverity().ordinal() : 0);
    }

    private void set(boolean isOpen, int peakLevel) {
      open = isOpen;
      peak = peakLevel;
    }
  }
}
