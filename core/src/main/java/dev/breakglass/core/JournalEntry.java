package dev.breakglass.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One record of an {@link IncidentJournal}.
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
 */
public record JournalEntry(
    long sequence, long nanoTime, Instant time, String source, String kind, String detail) {

  /**
   * Validates the components.
   *
   * @param sequence the entry's position in its journal
   * @param nanoTime the journal's ticker reading when the event happened
   * @param time the wall-clock time when the event happened
   * @param source what the entry is about
   * @param kind what happened
   * @param detail a human-readable description, possibly empty
   *
   * @throws NullPointerException if {@code time}, {@code source}, {@code kind} or
   *     {@code detail} is null
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
  }
}
