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
 * @param facts what the entry means for an incident: its {@link #category() category} and the
 *     {@link #severity() severity}, {@link #tier() tier} and {@link #health() health} it speaks
 *     of, one shared instance per combination (so a typed entry is no bigger than an untyped
 *     one)
 */
public record JournalEntry(
    long sequence,
    long nanoTime,
    Instant time,
    String source,
    String kind,
    String detail,
    Facts facts) {

  /**
   * Validates the components.
   *
   * @param sequence the entry's position in its journal
   * @param nanoTime the journal's ticker reading when the event happened
   * @param time the wall-clock time when the event happened
   * @param source what the entry is about
   * @param kind what happened
   * @param detail a human-readable description, possibly empty
   * @param facts what the entry means for an incident
   * @throws NullPointerException if {@code time}, {@code source}, {@code kind},
   *     {@code detail} or {@code facts} is null
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
    Objects.requireNonNull(facts, "facts");
  }

  /**
   * Creates an entry with the given category, severity, tier and health.
   *
   * @param sequence the entry's position in its journal
   * @param nanoTime the journal's ticker reading when the event happened
   * @param time the wall-clock time when the event happened
   * @param source what the entry is about
   * @param kind what happened
   * @param detail a human-readable description, possibly empty
   * @param category what the entry means for an incident
   * @param severity the severity the service is at after the event, or null
   * @param tier the tier the entry is about, or null
   * @param health the health of {@code source} after the event, or null
   * @throws NullPointerException if {@code time}, {@code source}, {@code kind},
   *     {@code detail} or {@code category} is null
   * @throws IllegalArgumentException if {@code sequence} is negative, or {@code source} or
   *     {@code kind} is blank
   */
  public JournalEntry(long sequence, long nanoTime, Instant time, String source, String kind,
      String detail, EventCategory category, @Nullable Severity severity, @Nullable Tier tier,
      @Nullable Health health) {
    this(sequence, nanoTime, time, source, kind, detail,
        Facts.of(category, severity, tier, health));
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
    this(sequence, nanoTime, time, source, kind, detail, Facts.INFO);
  }

  /**
   * Returns what the entry means for an incident.
   *
   * @return {@code facts().category()}
   */
  public EventCategory category() {
    return facts.category();
  }

  /**
   * Returns the severity the service is at after the event (the cascade manager's severity
   * changes carry the new level).
   *
   * @return {@code facts().severity()}, or null if the entry reports none
   */
  public @Nullable Severity severity() {
    return facts.severity();
  }

  /**
   * Returns the tier the entry is about (a tier shed or restored).
   *
   * @return {@code facts().tier()}, or null
   */
  public @Nullable Tier tier() {
    return facts.tier();
  }

  /**
   * Returns the health of the entry's source after the event (a breaker's state as health:
   * CLOSED is UP, HALF_OPEN DEGRADED, OPEN DOWN).
   *
   * @return {@code facts().health()}, or null if the entry does not say
   */
  public @Nullable Health health() {
    return facts.health();
  }

  /**
   * What an entry means for an incident: its category and, where they apply, the severity, tier
   * and health it speaks of. Every combination exists once: {@link #of} returns a shared
   * instance and never allocates, so a typed entry costs what an untyped one does (one
   * reference in the entry).
   *
   * @param category what the entry means for an incident
   * @param severity the severity the service is at after the event, or null
   * @param tier the tier the entry is about, or null
   * @param health the health of the entry's source after the event, or null
   */
  public record Facts(EventCategory category, @Nullable Severity severity, @Nullable Tier tier,
      @Nullable Health health) {

    private static final EventCategory[] CATEGORIES = EventCategory.values();
    private static final Severity[] SEVERITIES = Severity.values();
    private static final Tier[] TIERS = Tier.values();
    private static final Health[] HEALTHS = Health.values();
    private static final Facts[] ALL = all();

    /** An {@link EventCategory#INFO} entry's facts: no severity, tier or health. */
    public static final Facts INFO = of(EventCategory.INFO, null, null, null);

    /**
     * Validates the components. Prefer {@link #of}, which shares instances.
     *
     * @param category what the entry means for an incident
     * @param severity the severity, or null
     * @param tier the tier, or null
     * @param health the health, or null
     * @throws NullPointerException if {@code category} is null
     */
    public Facts {
      Objects.requireNonNull(category, "category");
    }

    /**
     * Returns the shared instance for a combination.
     *
     * @param category what the entry means for an incident
     * @param severity the severity the service is at after the event, or null
     * @param tier the tier the entry is about, or null
     * @param health the health of the entry's source after the event, or null
     * @return the facts, a shared instance
     * @throws NullPointerException if {@code category} is null
     */
    public static Facts of(EventCategory category, @Nullable Severity severity,
        @Nullable Tier tier, @Nullable Health health) {
      Objects.requireNonNull(category, "category");
      return ALL[index(category, severity, tier, health)];
    }

    private static int index(EventCategory category, @Nullable Severity severity,
        @Nullable Tier tier, @Nullable Health health) {
      int index = category.ordinal();
      index = index * (SEVERITIES.length + 1) + (severity == null ? 0 : severity.ordinal() + 1);
      index = index * (TIERS.length + 1) + (tier == null ? 0 : tier.ordinal() + 1);
      return index * (HEALTHS.length + 1) + (health == null ? 0 : health.ordinal() + 1);
    }

    private static Facts[] all() {
      Facts[] all = new Facts[CATEGORIES.length * (SEVERITIES.length + 1) * (TIERS.length + 1)
          * (HEALTHS.length + 1)];
      for (EventCategory c : CATEGORIES) {
        for (int s = 0; s <= SEVERITIES.length; s++) {
          for (int t = 0; t <= TIERS.length; t++) {
            for (int h = 0; h <= HEALTHS.length; h++) {
              Severity severity = s == 0 ? null : SEVERITIES[s - 1];
              Tier tier = t == 0 ? null : TIERS[t - 1];
              Health health = h == 0 ? null : HEALTHS[h - 1];
              all[index(c, severity, tier, health)] = new Facts(c, severity, tier, health);
            }
          }
        }
      }
      return all;
    }
  }
}
