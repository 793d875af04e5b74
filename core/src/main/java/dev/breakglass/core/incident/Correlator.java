package dev.breakglass.core.incident;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.Health;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Severity;
import dev.breakglass.core.internal.DurationFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The incident rules, applied to one entry at a time. Not thread-safe: the
 * {@link IncidentTracker} calls it under its lock, {@link IncidentTracker#analyse} on one
 * thread.
 *
 * <p>An incident opens at the first trouble entry (SIGNAL, DETECTION, MITIGATION, or a person
 * opening one) while none is open, and takes every entry the correlator sees until it
 * resolves; entries between incidents belong to none. It resolves by the rule once the
 * severity is NORMAL, every component that reported a health during it is UP, and a whole
 * window has passed since both that and the last trouble entry; by hand, at a close entry. An
 * incident opened by hand is resolved by hand only.
 */
final class Correlator {

  private static final long NONE = Long.MIN_VALUE;
  private static final Set<String> RUN_SOURCES = Set.of("shutdown", "recovery");
  private static final Set<String> RUN_KINDS =
      Set.of("plan", "isolate", "recover-isolated", "done", "stopped");

  private final long window;
  private final Duration windowDuration;
  private final int retain;
  private final ArrayDeque<Incident> resolved = new ArrayDeque<>();
  private final Map<String, Health> health = new HashMap<>();
  private @Nullable Draft open;
  private Severity severity = Severity.NORMAL;
  private int nextNumber = 1;
  private long latest = NONE;

  Correlator(Duration window) {
    this(window, Integer.MAX_VALUE);
  }

  /** {@code retain}: how many resolved incidents to keep, the oldest dropped first. */
  Correlator(Duration window, int retain) {
    this.retain = retain;
    this.windowDuration = window;
    this.window = DurationFormat.saturatedNanos(window);
  }

  /** Applies one entry; appends what changed to {@code changes}. */
  void accept(JournalEntry entry, List<IncidentChange> changes) {
    long t = entry.nanoTime();
    advance(t, changes);
    Severity before = severity;
    if (entry.severity() != null) {
      severity = entry.severity();
    }
    @Nullable Health priorHealth = null;
    if (entry.health() != null) {
      priorHealth = health.put(entry.source(), entry.health());
    }
    boolean manualOpen = isManual(entry, IncidentTracker.OPENED_KIND, EventCategory.DETECTION);
    boolean manualClose = isManual(entry, IncidentTracker.CLOSED_KIND, EventCategory.RESOLUTION);
    Draft draft = open;
    boolean opened = false;
    if (draft == null) {
      if (!entry.category().isTrouble()) {
        return; // between incidents: belongs to none
      }
      draft = new Draft(nextNumber++, entry, before);
      open = draft;
      opened = true;
    }
    boolean escalated = draft.add(entry, priorHealth, severity, manualOpen, manualClose);
    if (opened) {
      changes.add(new IncidentChange(IncidentChange.Type.OPENED, snapshot(draft)));
    } else if (escalated) {
      changes.add(new IncidentChange(IncidentChange.Type.ESCALATED, snapshot(draft)));
    }
    if (manualClose) {
      resolve(draft, t, entry.time(),
          new Declaration(entry.source(), entry.detail(), t, entry.time()), changes);
    } else {
      advance(latest, changes);
    }
  }

  /** Resolves the open incident if, by {@code now}, the quiet window has passed. */
  void advance(long now, List<IncidentChange> changes) {
    if (latest == NONE || now - latest > 0) {
      latest = now;
    }
    Draft draft = open;
    if (draft == null || draft.openedBy != null || draft.calmSince == NONE) {
      return;
    }
    long quietFrom = draft.calmSince;
    Instant quietTime = draft.calmTime;
    if (draft.lastTrouble - quietFrom > 0) {
      quietFrom = draft.lastTrouble;
      quietTime = draft.lastTroubleTime;
    }
    long recovered = draft.anyHealth ? draft.allUpSince : draft.firstRecovery;
    if (recovered != NONE && recovered - quietFrom > 0) { // recovered later still
      quietFrom = recovered;
      quietTime = draft.anyHealth ? draft.allUpTime : draft.firstRecoveryTime;
    }
    if (latest - quietFrom >= window) {
      resolve(draft, quietFrom, Objects.requireNonNull(quietTime), null, changes);
    }
  }

  private void resolve(Draft draft, long at, Instant time, @Nullable Declaration closedBy,
      List<IncidentChange> changes) {
    draft.closedBy = closedBy;
    draft.set(Milestone.RESOLVED, Math.max(at, draft.start()), time);
    Incident incident = build(draft, Incident.Status.RESOLVED);
    resolved.addLast(incident);
    if (resolved.size() > retain) {
      resolved.removeFirst();
    }
    open = null;
    changes.add(new IncidentChange(IncidentChange.Type.RESOLVED, incident));
  }

  /** Every incident, oldest first, the open one (if any) as a snapshot. */
  List<Incident> incidents() {
    List<Incident> all = new ArrayList<>(resolved);
    Draft draft = open;
    if (draft != null) {
      all.add(snapshot(draft));
    }
    return all;
  }

  /** The open incident as a snapshot, else the last one resolved, else null. */
  @Nullable Incident last() {
    Draft draft = open;
    return draft != null ? snapshot(draft) : resolved.peekLast();
  }

  @Nullable Incident current() {
    Draft draft = open;
    return draft == null ? null : snapshot(draft);
  }

  boolean isOpen() {
    return open != null;
  }

  private Incident snapshot(Draft draft) {
    return build(draft, Incident.Status.OPEN);
  }

  private static boolean isManual(JournalEntry entry, String kind, EventCategory category) {
    return entry.category() == category && entry.kind().equals(kind);
  }

  private Incident build(Draft d, Incident.Status status) {
    long start = d.start();
    long[] ms = d.milestones.clone();
    Instant[] times = d.times.clone();
    boolean byRule = status == Incident.Status.RESOLVED && d.closedBy == null;
    if (ms[Milestone.RECOVERED.ordinal()] == NONE) {
      long candidate = d.anyHealth ? d.allUpSince : d.firstRecovery;
      Instant candidateTime = d.anyHealth ? d.allUpTime : d.firstRecoveryTime;
      if (candidate == NONE && byRule) {
        candidate = ms[Milestone.RESOLVED.ordinal()];
        candidateTime = times[Milestone.RESOLVED.ordinal()];
      }
      if (candidate != NONE && candidateTime != null) { // a candidate always has its time
        ms[Milestone.RECOVERED.ordinal()] = candidate;
        times[Milestone.RECOVERED.ordinal()] = candidateTime;
      }
    }
    // Milestones never go backwards: one reached "before" an earlier one counts at it.
    long floor = start;
    for (int i = 0; i < ms.length; i++) {
      if (ms[i] == NONE) {
        continue;
      }
      if (ms[i] - floor < 0) {
        times[i] = Objects.requireNonNull(times[i]).plusNanos(floor - ms[i]);
        ms[i] = floor;
      }
      floor = ms[i];
    }
    long end = status == Incident.Status.RESOLVED
        ? ms[Milestone.RESOLVED.ordinal()]
        : Math.max(start, Math.max(d.last, latest));
    // severity steps
    EnumMap<Severity, Duration> timeAt = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      timeAt.put(s, Duration.ZERO);
    }
    List<Incident.SeverityStep> steps = new ArrayList<>();
    long from = start;
    Severity current = d.severityAtOpen;
    for (int i = 0; i < d.severityTimes.size(); i++) {
      long t = clamp(d.severityTimes.get(i), from, end);
      Severity next = d.severities.get(i);
      if (next == current) {
        continue;
      }
      if (t - from > 0) {
        steps.add(new Incident.SeverityStep(current, from, t));
        timeAt.merge(current, Duration.ofNanos(t - from), Duration::plus);
      }
      from = t;
      current = next;
    }
    steps.add(new Incident.SeverityStep(current, from, end));
    timeAt.merge(current, Duration.ofNanos(end - from), Duration::plus);
    // components
    List<ComponentImpact> components = new ArrayList<>(d.components.size());
    for (Component c : d.components.values()) {
      List<ComponentImpact.HealthSpan> spans = new ArrayList<>();
      long spanFrom = NONE;
      Health spanHealth = null;
      for (int i = 0; i < c.healthTimes.size(); i++) {
        long t = clamp(c.healthTimes.get(i), spanFrom == NONE ? start : spanFrom, end);
        Health h = c.healths.get(i);
        if (spanHealth != null && h != spanHealth) {
          if (t - spanFrom > 0) {
            spans.add(new ComponentImpact.HealthSpan(spanHealth, spanFrom, t));
          }
          spanFrom = t;
          spanHealth = h;
        } else if (spanHealth == null) {
          spanFrom = t;
          spanHealth = h;
        }
      }
      if (spanHealth != null) {
        spans.add(new ComponentImpact.HealthSpan(spanHealth, spanFrom, end));
      }
      components.add(new ComponentImpact(c.name, c.worst, spans, c.entries));
    }
    List<Mitigation> mitigations = new ArrayList<>(d.mitigations.size());
    for (OpenMitigation m : d.mitigations) {
      long mStart = clamp(m.start, start, end);
      boolean ended = m.end != NONE;
      long mEnd = ended ? clamp(m.end, mStart, end) : end;
      mitigations.add(new Mitigation(m.entry.source(), m.entry.kind(), m.entry.tier(),
          m.entry.detail(), mStart, mEnd, ended));
    }
    return new Incident(d.number, status, ms, times, end, d.peak, timeAt, steps, components,
        mitigations, d.runs, d.entries, d.openedBy, d.closedBy, windowDuration);
  }

  private static long clamp(long value, long low, long high) {
    if (value - low < 0) {
      return low;
    }
    return value - high > 0 ? high : value;
  }

  /** A component's entries in the open incident. */
  private static final class Component {
    final String name;
    final List<Long> healthTimes = new ArrayList<>();
    final List<Health> healths = new ArrayList<>();
    @Nullable Health last;
    Health worst = Health.UP;
    int entries;

    Component(String name) {
      this.name = name;
    }
  }

  /** A mitigation not yet ended ({@code end == NONE}) or ended. */
  private static final class OpenMitigation {
    final JournalEntry entry;
    final long start;
    long end = NONE;

    OpenMitigation(JournalEntry entry, long start) {
      this.entry = entry;
      this.start = start;
    }
  }

  /** The open incident, mutable. */
  private static final class Draft {
    final int number;
    final Severity severityAtOpen;
    final List<JournalEntry> entries = new ArrayList<>();
    final long[] milestones = new long[Milestone.values().length];
    final Instant[] times = new Instant[Milestone.values().length];
    final List<Long> severityTimes = new ArrayList<>();
    final List<Severity> severities = new ArrayList<>();
    final Map<String, Component> components = new LinkedHashMap<>();
    final List<OpenMitigation> mitigations = new ArrayList<>();
    final List<JournalEntry> runs = new ArrayList<>();
    Severity peak;
    @Nullable Declaration openedBy;
    @Nullable Declaration closedBy;
    long last;
    long lastTrouble = NONE;
    @Nullable Instant lastTroubleTime;
    long calmSince = NONE;
    @Nullable Instant calmTime;
    boolean anyHealth;
    long allUpSince = NONE;
    @Nullable Instant allUpTime;
    long firstRecovery = NONE;
    @Nullable Instant firstRecoveryTime;

    Draft(int number, JournalEntry first, Severity severityAtOpen) {
      this.number = number;
      this.severityAtOpen = severityAtOpen;
      this.peak = severityAtOpen;
      Arrays.fill(milestones, NONE);
      milestones[Milestone.STARTED.ordinal()] = first.nanoTime();
      times[Milestone.STARTED.ordinal()] = first.time();
      last = first.nanoTime();
    }

    long start() {
      return milestones[Milestone.STARTED.ordinal()];
    }

    void set(Milestone milestone, long at, Instant time) {
      milestones[milestone.ordinal()] = at;
      times[milestone.ordinal()] = time;
    }

    /** Takes an entry; returns whether the peak severity rose. */
    boolean add(JournalEntry e, @Nullable Health priorHealth, Severity severityNow,
        boolean manualOpen, boolean manualClose) {
      entries.add(e);
      long t = e.nanoTime();
      if (t - last > 0) {
        last = t;
      }
      EventCategory category = e.category();
      if (category != EventCategory.INFO || e.health() != null) {
        Component c = components.computeIfAbsent(e.source(), Component::new);
        c.entries++;
        Health h = e.health();
        if (h != null) {
          if (c.healths.isEmpty() && t - start() > 0) {
            c.healthTimes.add(start()); // its health before this entry, from the start
            c.healths.add(priorHealth == null ? Health.UP : priorHealth);
          }
          c.healthTimes.add(t);
          c.healths.add(h);
          c.last = h;
          c.worst = Health.worst(c.worst, h);
          anyHealth = true;
        }
      }
      if (manualOpen && openedBy == null) {
        openedBy = new Declaration(e.source(), e.detail(), t, e.time());
      }
      if (category.isTrouble()) {
        if (lastTrouble == NONE || t - lastTrouble > 0) {
          lastTrouble = t;
          lastTroubleTime = e.time();
        }
        firstRecovery = NONE;
        firstRecoveryTime = null;
        if (milestones[Milestone.DETECTED.ordinal()] == NONE
            && category == EventCategory.DETECTION) {
          set(Milestone.DETECTED, t, e.time());
        }
        if (category == EventCategory.MITIGATION) {
          if (milestones[Milestone.MITIGATED.ordinal()] == NONE) {
            set(Milestone.MITIGATED, t, e.time());
          }
          mitigations.add(new OpenMitigation(e, t));
        }
      } else if (category == EventCategory.RECOVERY || category == EventCategory.RESOLUTION) {
        if (firstRecovery == NONE && !manualClose) {
          firstRecovery = t;
          firstRecoveryTime = e.time();
        }
        if (e.health() == null || e.health() == Health.UP) {
          for (OpenMitigation m : mitigations) {
            if (m.end == NONE && m.entry.source().equals(e.source())
                && m.entry.tier() == e.tier()) {
              m.end = t - m.start < 0 ? m.start : t;
            }
          }
        }
      }
      if (RUN_SOURCES.contains(e.source()) && RUN_KINDS.contains(e.kind())) {
        runs.add(e);
      }
      boolean escalated = false;
      if (e.severity() != null) {
        severityTimes.add(t);
        severities.add(e.severity());
        if (e.severity().isWorseThan(peak)) {
          peak = e.severity();
          escalated = true;
        }
      }
      boolean allUp = true;
      for (Component c : components.values()) {
        if (c.last != null && c.last != Health.UP) {
          allUp = false;
          break;
        }
      }
      if (anyHealth) {
        if (!allUp) {
          allUpSince = NONE;
          allUpTime = null;
        } else if (allUpSince == NONE) {
          allUpSince = t;
          allUpTime = e.time();
        }
      }
      boolean calm = allUp && severityNow == Severity.NORMAL;
      if (!calm) {
        calmSince = NONE;
        calmTime = null;
      } else if (calmSince == NONE) {
        calmSince = t;
        calmTime = e.time();
      }
      return escalated;
    }
  }
}
