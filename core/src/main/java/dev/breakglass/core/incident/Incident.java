package dev.breakglass.core.incident;

import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One incident, derived from an {@link dev.breakglass.core.IncidentJournal} by an
 * {@link IncidentTracker}: its milestones and the durations between them, its peak severity
 * and the time spent at each, the components it affected, what was done to mitigate it, and
 * the journal entries it is made of.
 *
 * <p>Times are readings of the journal's {@link dev.breakglass.core.Ticker} ({@code nanos}),
 * for durations, with the wall-clock {@link Instant} of each milestone for people. An
 * incident still open is a snapshot: its durations run to the latest moment the tracker had
 * seen when the snapshot was taken ({@link #endNanos()}).
 *
 * <p>Immutable and thread-safe.
 */
public final class Incident {

  /** Whether an incident is still open. */
  public enum Status {
    /** Still open: not yet resolved. */
    OPEN,
    /** Resolved, by the rule or by hand. */
    RESOLVED
  }

  private final int number;
  private final Status status;
  private final long[] milestones; // Long.MIN_VALUE: not reached
  private final @Nullable Instant[] milestoneTimes;
  private final long endNanos;
  private final Severity peakSeverity;
  private final EnumMap<Severity, Duration> timeAtSeverity;
  private final List<SeverityStep> severitySteps;
  private final List<ComponentImpact> components;
  private final List<Mitigation> mitigations;
  private final List<JournalEntry> runs;
  private final List<JournalEntry> entries;
  private final @Nullable Declaration openedBy;
  private final @Nullable Declaration closedBy;
  private final Duration window;

  Incident(int number, Status status, long[] milestones, @Nullable Instant[] milestoneTimes,
      long endNanos, Severity peakSeverity, EnumMap<Severity, Duration> timeAtSeverity,
      List<SeverityStep> severitySteps, List<ComponentImpact> components,
      List<Mitigation> mitigations, List<JournalEntry> runs, List<JournalEntry> entries,
      @Nullable Declaration openedBy, @Nullable Declaration closedBy, Duration window) {
    this.number = number;
    this.status = status;
    this.milestones = milestones.clone();
    this.milestoneTimes = milestoneTimes.clone();
    this.endNanos = endNanos;
    this.peakSeverity = peakSeverity;
    this.timeAtSeverity = new EnumMap<>(timeAtSeverity);
    this.severitySteps = List.copyOf(severitySteps);
    this.components = List.copyOf(components);
    this.mitigations = List.copyOf(mitigations);
    this.runs = List.copyOf(runs);
    this.entries = List.copyOf(entries);
    this.openedBy = openedBy;
    this.closedBy = closedBy;
    this.window = window;
  }

  /**
   * Returns the incident's number: 1 for the first incident a tracker saw, then one more each.
   *
   * @return the number, at least 1
   */
  public int number() {
    return number;
  }

  /**
   * Returns whether the incident is still open.
   *
   * @return the status
   */
  public Status status() {
    return status;
  }

  /**
   * Returns when a milestone was reached, by the journal's ticker.
   *
   * @param milestone the milestone
   * @return its ticker reading, or empty if not reached (yet)
   * @throws NullPointerException if {@code milestone} is null
   */
  public OptionalLong nanos(Milestone milestone) {
    long value = milestones[milestone.ordinal()];
    return value == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(value);
  }

  /**
   * Returns the wall-clock time a milestone was reached.
   *
   * @param milestone the milestone
   * @return its time, or empty if not reached (yet)
   * @throws NullPointerException if {@code milestone} is null
   */
  public Optional<Instant> time(Milestone milestone) {
    return Optional.ofNullable(milestoneTimes[milestone.ordinal()]);
  }

  /**
   * Returns the time between two milestones.
   *
   * @param from the earlier milestone
   * @param to the later milestone
   * @return {@code to - from}, or empty if either was not reached
   * @throws NullPointerException if either is null
   */
  public Optional<Duration> between(Milestone from, Milestone to) {
    long a = milestones[from.ordinal()];
    long b = milestones[to.ordinal()];
    if (a == Long.MIN_VALUE || b == Long.MIN_VALUE) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(b - a));
  }

  /**
   * Returns the time to detect: from {@link Milestone#STARTED} to {@link Milestone#DETECTED}.
   *
   * @return the duration, or empty if not detected
   */
  public Optional<Duration> timeToDetect() {
    return between(Milestone.STARTED, Milestone.DETECTED);
  }

  /**
   * Returns the time to mitigate: from {@link Milestone#STARTED} to
   * {@link Milestone#MITIGATED}.
   *
   * @return the duration, or empty if nothing was mitigated
   */
  public Optional<Duration> timeToMitigate() {
    return between(Milestone.STARTED, Milestone.MITIGATED);
  }

  /**
   * Returns the time to recover: from {@link Milestone#STARTED} to
   * {@link Milestone#RECOVERED}.
   *
   * @return the duration, or empty if not recovered
   */
  public Optional<Duration> timeToRecover() {
    return between(Milestone.STARTED, Milestone.RECOVERED);
  }

  /**
   * Returns the time to resolve: from {@link Milestone#STARTED} to {@link Milestone#RESOLVED}.
   *
   * @return the duration, or empty if not resolved
   */
  public Optional<Duration> timeToResolve() {
    return between(Milestone.STARTED, Milestone.RESOLVED);
  }

  /**
   * Returns when the incident started, by the journal's ticker.
   *
   * @return the {@link Milestone#STARTED} reading
   */
  public long startNanos() {
    return milestones[Milestone.STARTED.ordinal()];
  }

  /**
   * Returns when the incident ended: its {@link Milestone#RESOLVED} reading, or for an open
   * incident the latest moment the tracker had seen.
   *
   * @return a ticker reading, never before {@link #startNanos()}
   */
  public long endNanos() {
    return endNanos;
  }

  /**
   * Returns how long the incident lasted: from its start to its end.
   *
   * @return {@code endNanos() - startNanos()}
   */
  public Duration duration() {
    return Duration.ofNanos(endNanos - startNanos());
  }

  /**
   * Returns the worst severity reached during the incident.
   *
   * @return the peak; {@link Severity#NORMAL} if no entry reported a severity
   */
  public Severity peakSeverity() {
    return peakSeverity;
  }

  /**
   * Returns how long the incident spent at each severity, from its start to its end.
   *
   * @return an unmodifiable map with an entry for every severity, in severity order
   */
  public Map<Severity, Duration> timeAtSeverity() {
    return Collections.unmodifiableMap(timeAtSeverity);
  }

  /**
   * Returns the severity over the incident: back-to-back steps from its start to its end.
   *
   * @return the steps, in time order
   */
  public List<SeverityStep> severitySteps() {
    return severitySteps;
  }

  /**
   * Returns the components that recorded a non-{@link dev.breakglass.core.EventCategory#INFO
   * INFO} entry during the incident, in the order they first did.
   *
   * @return the components; those {@link ComponentImpact#affected() affected} are its blast
   *     radius
   */
  public List<ComponentImpact> components() {
    return components;
  }

  /**
   * Returns what was done to limit the damage, in the order it started.
   *
   * @return the mitigations
   */
  public List<Mitigation> mitigations() {
    return mitigations;
  }

  /**
   * Returns the entries of the shutdown and recovery runs during the incident: their plans and
   * outcomes (source {@code "shutdown"} or {@code "recovery"}, kind {@code "plan"},
   * {@code "isolate"}, {@code "recover-isolated"}, {@code "done"} or {@code "stopped"}).
   *
   * @return the entries, in the order they were recorded
   */
  public List<JournalEntry> runs() {
    return runs;
  }

  /**
   * Returns the journal entries the incident is made of: every entry the tracker saw from the
   * one that opened it to the one that resolved it.
   *
   * @return the entries, in the order the tracker saw them
   */
  public List<JournalEntry> entries() {
    return entries;
  }

  /**
   * Returns who opened the incident by hand, and why.
   *
   * @return the declaration, or empty if it opened at a failure signal
   */
  public Optional<Declaration> openedBy() {
    return Optional.ofNullable(openedBy);
  }

  /**
   * Returns who closed the incident by hand, and why.
   *
   * @return the declaration, or empty if it is open or was resolved by the rule
   */
  public Optional<Declaration> closedBy() {
    return Optional.ofNullable(closedBy);
  }

  /**
   * Returns the correlation window of the tracker that derived the incident.
   *
   * @return the window
   */
  public Duration window() {
    return window;
  }

  @Override
  public String toString() {
    return "Incident[#" + number + ", " + status + ", peak " + peakSeverity + ", "
        + entries.size() + " entries]";
  }

  /**
   * The severity from one moment of an incident to the next.
   *
   * @param severity the severity
   * @param startNanos from when, by the journal's ticker
   * @param endNanos until when
   */
  public record SeverityStep(Severity severity, long startNanos, long endNanos) {

    /**
     * Validates the components.
     *
     * @param severity the severity
     * @param startNanos from when
     * @param endNanos until when
     * @throws NullPointerException if {@code severity} is null
     * @throws IllegalArgumentException if {@code endNanos} is before {@code startNanos}
     */
    public SeverityStep {
      java.util.Objects.requireNonNull(severity, "severity");
      if (endNanos - startNanos < 0) {
        throw new IllegalArgumentException("endNanos must not be before startNanos ("
            + startNanos + "), was " + endNanos);
      }
    }
  }
}
