package dev.breakglass.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One record of an {@link IncidentJournal}.
 *
 * <p>Besides its text ({@code source}, {@code kind}, {@code detail}), an entry carries what a
 * machine needs to derive incidents from a journal: its {@link EventCategory category}, and,
 * where they apply, the severity, tier and health it speaks of. Entries recorded with
 * {@link IncidentJournal#record(String, String, String)} are {@link EventCategory#INFO} with no
 * severity, tier or health.
 *
 * @param sequence the entry's position in its journal: {@code 0} for the first entry ever
 *     recorded, then one more for each entry; gaps in a snapshot mean evicted entries (or,
 *     while other threads record, entries still being written)
 * @param nanoTime the journal's {@link Ticker} reading when the event happened: when the entry
 *     was recorded, or, for an entry recorded after the fact with
 *     {@link IncidentJournal#recordAt}, that reading minus the entry's age; use it for
 *     durations and ordering, never as a date
 * @param time the wall-clock time when the event happened, by the journal's clock (moved back
 *     by the same age as {@code nanoTime}): use it to line the journal up with logs and
 *     dashboards
 * @param source what the entry is about: a breaker's name, a component, {@code "cascade"}
 * @param kind what happened, a short stable word such as {@code "transition"} or
 *     {@code "shed"}, suitable for filtering
 * @param detail a human-readable description, possibly empty
 * @param category what the entry means for an incident
 * @param severity the severity the entry reports (the new level of a severity change), or
 *     null if it reports none
 * @param tier the tier the entry is about (a tier shed or restored), or null
 * @param health the health of {@code source} after the event (a breaker's state as health:
 *     CLOSED is UP, HALF_OPEN DEGRADED, OPEN DOWN), or null if the entry does not say
 */
public record JournalEntry(
    long sequence,
    long nanoTime,
    Instant time,
    String source,
    String kind,
    String detail,
    EventCategory category,
    @Nullable Severity severity,
    @Nullable Tier tier,
    @Nullable Health health) {

  /**
   * Validates the components.
   *
   * @param sequence the entry's position in its journal
   * @param nanoTime the journal's ticker reading when the event happened
   * @param time the wall-clock time when the event happened
   * @param source what the entry is about
   * @param kind what happened
   * @param detail a human-readable description, possibly empty
   * @param category what the entry means for an incident
   * @param severity the severity the entry reports, or null
   * @param tier the tier the entry is about, or null
   * @param health the health of {@code source} after the event, or null
   * @throws NullPointerException if {@code time}, {@code source}, {@code kind},
   *     {@code detail} or {@code category} is null
   * @throws IllegalArgumentException if {@code sequence} is negative, or {@code source} or
   *     {@code kind} is blank
   */
  public JournalEntry {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
    }
    Objects.requireNonNull(time, "time");
    IncidentJournal.requireNonBlank(source, "source");
    IncidentJournal.requireNonBlank(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(category, "category");
  }

  /**
   * Creates an {@link EventCategory#INFO} entry with no severity, tier or health.
   *
   * @param sequence the entry's position in its journal
   * @param nanoTime the journal's ticker reading when the event happened
   * @param time the wall-clock time when the event happened
   * @param source what the entry is about
   * @param kind what happened
   * @param detail a human-readable description, possibly empty
   * @throws NullPointerException if {@code time}, {@code source}, {@code kind} or
   *     {@code detail} is null
   * @throws IllegalArgumentException if {@code sequence} is negative, or {@code source} or
   *     {@code kind} is blank
   */
  public JournalEntry(
      long sequence, long nanoTime, Instant time, String source, String kind, String detail) {
    this(sequence, nanoTime, time, source, kind, detail, EventCategory.INFO, null, null, null);
  }
}
