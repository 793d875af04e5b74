package dev.breakglass.core;

import dev.breakglass.core.internal.PlainText;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, in-memory record of the notable things that happened to a service: breaker
 * transitions, severity changes, sheds, rollbacks, shutdown steps. After an incident it reads
 * as a timeline ({@link #toText()}) or exports as JSON ({@link #toJson()}).
 *
 * <pre>{@code
 * IncidentJournal journal = IncidentJournal.create(1_000);
 * journal.record("payments", "transition", "CLOSED -> OPEN: failure rate 62.5% >= 50.0%");
 * System.out.println(journal.toText());
 * }</pre>
 *
 * <p><b>Bounds.</b> The journal keeps the {@link #capacity()} most recent entries, at most
 * {@value #MAX_CAPACITY}; recording beyond it evicts the oldest. {@link #recordedCount()} and
 * {@link #evictedCount()} say how many were recorded and dropped in all. One entry's text is
 * bounded too: a detail longer than {@value #MAX_DETAIL_LENGTH} characters, or a source or
 * kind longer than {@value #MAX_NAME_LENGTH}, is cut to that many characters (never inside a
 * surrogate pair) followed by a marker saying how many were cut, as in
 * {@code "xxxx… [cut 67104768 chars]"}. An entry is never refused for its size.
 *
 * <p><b>Ordering.</b> Every entry gets a {@link JournalEntry#sequence() sequence number} when
 * it is recorded; snapshots are in sequence order, which is the order the journal learned of
 * the entries. Entries recorded by one thread appear in the order that thread recorded them.
 * Entries recorded at the same moment by different threads are ordered by sequence, and their
 * timestamps may differ from that order by the few nanoseconds between taking a number and
 * reading the clocks.
 *
 * <p><b>Timestamps.</b> Each entry has a {@link JournalEntry#nanoTime() monotonic timestamp},
 * from the journal's {@link Ticker}, for durations and ordering, and a
 * {@link JournalEntry#time() wall-clock time}, from its clock, to line the journal up with logs;
 * the wall-clock time follows the system clock, which can be set back. {@link #record} stamps
 * an entry with the moment of recording, so one thread's entries have non-decreasing
 * monotonic timestamps (given a monotonic ticker, such as the default). A component that
 * learns of its events after the fact (a circuit breaker publishes a transition after any
 * transition already being published; the cascade manager delivers severity changes one at a
 * time) uses {@link #recordAt} to stamp the entry with the moment the event happened instead:
 * such an entry takes its sequence number when it is recorded and its timestamps from when it
 * happened, so a snapshot is in time order only as long as nothing records after the fact;
 * sort by {@code nanoTime} for time order. A component that records its own events in the
 * order they happened keeps its entries in both orders.
 *
 * <p><b>Cost.</b> Recording is lock-free: one atomic increment, one ticker and one clock read,
 * the entry allocation, and a compare-and-set into a ring slot ({@link #recordAt}: one more
 * ticker read when the recorder's ticker is not the journal's). It is cheap enough to call on
 * every state change, but it does allocate, so it is not meant for per-call hot paths.
 *
 * <p>Thread-safe: any number of threads may record and read at once. A snapshot taken while
 * other threads are recording contains every entry whose recording completed before the
 * snapshot began and that had not been evicted; entries being recorded at that moment may or
 * may not be included. {@link #toText()} and {@link #toJson()} take their counts and their
 * entries from one such snapshot, so the two always agree.
 */
public final class IncidentJournal {

  /*
   * Design: a ring of `capacity` slots (an AtomicReferenceArray) and a global sequence counter.
   * record() claims sequence s with getAndIncrement, builds the entry, and stores it into slot
   * s % capacity with a CAS loop that only replaces an older entry (lower sequence) or an empty
   * slot. The CAS matters when writers lap each other: a slow writer of s must not overwrite
   * the faster writer of s + capacity, so the ring always ends up holding the newest entry for
   * each slot and "the last `capacity` entries" is exact once writers are quiescent.
   * Readers take the counter value `end`, then read slots for s in [end - capacity, end) and
   * keep the entries whose sequence is exactly s, which yields a sequence-ordered snapshot
   * without locking writers out. `end` is the snapshot's recorded count: the renderings derive
   * "recorded" and "evicted" from the same `end` their entries were read against (reading the
   * counter again would count writes the entry list never saw). A sequence in the window whose
   * slot does not hold it was still being written, or was overwritten by a write that began
   * after `end` was read: the text header calls those "in flight".
   *
   * recordAt(ticker, t, ...) measures the entry's age with the recorder's ticker (its reading
   * now minus t) and subtracts it from one reading of the journal's own ticker and clock, so
   * both timestamps of the entry move back by the same amount whatever the recorder's ticker
   * is; when it is the journal's own, one reading serves both and nanoTime is exactly t.
   */

  /** The capacity {@link Builder} uses unless told otherwise. */
  public static final int DEFAULT_CAPACITY = 1024;

  /**
   * The largest capacity a journal accepts: 2<sup>20</sup> entries. The ring's slots are
   * allocated up front (4 or 8 bytes each), and a timeline much longer than this is no longer
   * something a person reads.
   */
  public static final int MAX_CAPACITY = 1 << 20;

  /**
   * The longest detail kept whole, in {@code char}s; a longer one is cut to this length and a
   * marker {@code "… [cut N chars]"} is appended.
   */
  public static final int MAX_DETAIL_LENGTH = 4096;

  /**
   * The longest source or kind kept whole, in {@code char}s; a longer one is cut to this length
   * and a marker {@code "… [cut N chars]"} is appended.
   */
  public static final int MAX_NAME_LENGTH = 256;

  private final int capacity;
  private final Ticker ticker;
  private final InstantSource clock;
  private final AtomicReferenceArray<JournalEntry> slots;
  private final AtomicLong nextSequence = new AtomicLong();
  private final Listeners<JournalEntry> listeners;

  private IncidentJournal(Builder builder) {
    this.capacity = builder.capacity;
    this.ticker = builder.ticker;
    this.clock = builder.clock;
    this.slots = new AtomicReferenceArray<>(capacity);
    this.listeners = Listeners.create("IncidentJournal", builder.listenerErrorHandler);
  }

  /**
   * Creates a journal that keeps the given number of entries, timed by
   * {@link Ticker#system()} and the system UTC clock.
   *
   * @param capacity how many entries to keep, at most {@value #MAX_CAPACITY}; the oldest are
   *     evicted beyond it
   * @return a new, empty journal
   * @throws IllegalArgumentException if {@code capacity <= 0} or
   *     {@code capacity > }{@value #MAX_CAPACITY}
   */
  public static IncidentJournal create(int capacity) {
    return builder().capacity(capacity).build();
  }

  /**
   * Returns a builder for a journal with a custom capacity, ticker or clock.
   *
   * @return a new builder, with capacity {@value #DEFAULT_CAPACITY}, the system ticker and
   *     the system UTC clock
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Records an entry, stamped with the moment of recording. A source, kind or detail longer
   * than its limit ({@value #MAX_NAME_LENGTH}, {@value #MAX_DETAIL_LENGTH}) is cut, with a
   * marker saying how much.
   *
   * @param source what the entry is about (a breaker's or component's name)
   * @param kind what happened: a short, stable word such as {@code "transition"}
   * @param detail a human-readable description; may be empty
   * @return the recorded entry
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if {@code source} or {@code kind} is blank
   */
  public JournalEntry record(String source, String kind, String detail) {
    return record(EventCategory.INFO, source, kind, null, null, null, detail);
  }

  /**
   * Records an entry of the given {@link EventCategory category}, stamped with the moment of
   * recording, with no severity, tier or health. Text is cut as by
   * {@link #record(String, String, String)}.
   *
   * @param category what the entry means for an incident
   * @param source what the entry is about (a breaker's or component's name)
   * @param kind what happened: a short, stable word such as {@code "shed"}
   * @param detail a human-readable description; may be empty
   * @return the recorded entry
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if {@code source} or {@code kind} is blank
   */
  public JournalEntry record(EventCategory category, String source, String kind, String detail) {
    return record(category, source, kind, null, null, null, detail);
  }

  /**
   * Records an entry of the given {@link EventCategory category} with the severity, tier and
   * health it speaks of, stamped with the moment of recording. Text is cut as by
   * {@link #record(String, String, String)}.
   *
   * @param category what the entry means for an incident
   * @param source what the entry is about (a breaker's or component's name)
   * @param kind what happened: a short, stable word such as {@code "severity"}
   * @param severity the severity the entry reports, or null
   * @param tier the tier the entry is about, or null
   * @param health the health of {@code source} after the event, or null
   * @param detail a human-readable description; may be empty
   * @return the recorded entry
   * @throws NullPointerException if {@code category}, {@code source}, {@code kind} or
   *     {@code detail} is null
   * @throws IllegalArgumentException if {@code source} or {@code kind} is blank
   */
  public JournalEntry record(EventCategory category, String source, String kind,
      @Nullable Severity severity, @Nullable Tier tier, @Nullable Health health, String detail) {
    Objects.requireNonNull(category, "category");
    requireNonBlank(source, "source");
    requireNonBlank(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    long sequence = nextSequence.getAndIncrement();
    return store(new JournalEntry(sequence, ticker.read(), clock.instant(),
        cut(source, MAX_NAME_LENGTH), cut(kind, MAX_NAME_LENGTH), cut(detail, MAX_DETAIL_LENGTH),
        JournalEntry.Facts.of(category, severity, tier, health)));
  }

  /**
   * Records an entry about something that happened earlier, stamped with the moment it
   * happened: {@code nanoTime}, a reading of the recorder's {@code ticker} taken at that
   * moment. Components that learn of their events after the fact use it, so that an event
   * is not stamped later than it happened by however long its delivery took.
   *
   * <p>The entry's age is measured with the recorder's ticker ({@code ticker.read() -
   * nanoTime}) and both of its timestamps are that much earlier than the journal's own
   * {@link Builder#ticker ticker} and {@link Builder#clock clock} read now: its
   * {@link JournalEntry#nanoTime() nanoTime} is the journal's ticker reading minus the age
   * (exactly {@code nanoTime} when {@code ticker} is the journal's own), and its
   * {@link JournalEntry#time() wall-clock time} is the clock's instant minus the age. So the
   * recorder's ticker need not be the journal's: a recorder driven by a {@link ManualTicker}
   * can share a journal timed by the system ticker. Only time that passed on the recorder's
   * ticker counts, though: a manual ticker that was not advanced between the event and the
   * recording gives age zero, the moment of recording.
   *
   * <p>The entry takes its sequence number now, so in a snapshot it follows the entries
   * recorded before it even if they happened later (see Ordering in the class documentation).
   * Text is cut as by {@link #record}.
   *
   * @param ticker the recorder's ticker, the one {@code nanoTime} was read from
   * @param nanoTime the recorder's ticker reading when the event happened
   * @param source what the entry is about (a breaker's or component's name)
   * @param kind what happened: a short, stable word such as {@code "transition"}
   * @param detail a human-readable description; may be empty
   * @return the recorded entry
   * @throws NullPointerException if {@code ticker}, {@code source}, {@code kind} or
   *     {@code detail} is null
   * @throws IllegalArgumentException if {@code source} or {@code kind} is blank, or
   *     {@code nanoTime} is later than {@code ticker}'s reading now (a moment still to come)
   */
  public JournalEntry recordAt(
      Ticker ticker, long nanoTime, String source, String kind, String detail) {
    return recordAt(ticker, nanoTime, EventCategory.INFO, source, kind, null, null, null, detail);
  }

  /**
   * Records an entry of the given {@link EventCategory category} about something that
   * happened earlier, with the severity, tier and health it speaks of; timestamps as by
   * {@link #recordAt(Ticker, long, String, String, String)}, text cut as by
   * {@link #record(String, String, String)}.
   *
   * @param ticker the recorder's ticker, the one {@code nanoTime} was read from
   * @param nanoTime the recorder's ticker reading when the event happened
   * @param category what the entry means for an incident
   * @param source what the entry is about (a breaker's or component's name)
   * @param kind what happened: a short, stable word such as {@code "transition"}
   * @param severity the severity the entry reports, or null
   * @param tier the tier the entry is about, or null
   * @param health the health of {@code source} after the event, or null
   * @param detail a human-readable description; may be empty
   * @return the recorded entry
   * @throws NullPointerException if {@code ticker}, {@code category}, {@code source},
   *     {@code kind} or {@code detail} is null
   * @throws IllegalArgumentException if {@code source} or {@code kind} is blank, or
   *     {@code nanoTime} is later than {@code ticker}'s reading now (a moment still to come)
   */
  public JournalEntry recordAt(Ticker ticker, long nanoTime, EventCategory category,
      String source, String kind, @Nullable Severity severity, @Nullable Tier tier,
      @Nullable Health health, String detail) {
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(category, "category");
    requireNonBlank(source, "source");
    requireNonBlank(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    long journalNow = this.ticker.read();
    long recorderNow = ticker == this.ticker ? journalNow : ticker.read();
    long age = recorderNow - nanoTime;
    if (age < 0) {
      throw new IllegalArgumentException("nanoTime must not be later than the ticker's reading"
          + " now (" + recorderNow + "), was " + nanoTime);
    }
    Instant time = clock.instant().minusNanos(age);
    long sequence = nextSequence.getAndIncrement();
    return store(new JournalEntry(sequence, journalNow - age, time,
        cut(source, MAX_NAME_LENGTH), cut(kind, MAX_NAME_LENGTH), cut(detail, MAX_DETAIL_LENGTH),
        JournalEntry.Facts.of(category, severity, tier, health)));
  }

  /** Puts a new entry into its slot and tells the listeners. */
  private JournalEntry store(JournalEntry entry) {
    long sequence = entry.sequence();
    int index = (int) (sequence % capacity);
    for (;;) {
      JournalEntry current = slots.get(index);
      if (current != null && current.sequence() > sequence) {
        break; // a newer entry already took the slot: ours is evicted on arrival
      }
      if (slots.compareAndSet(index, current, entry)) {
        break;
      }
    }
    if (listeners.hasListeners()) {
      listeners.publish(entry);
    }
    return entry;
  }

  /**
   * Registers a listener called with every entry recorded from now on, on the recording
   * thread, after the entry is stored. Use it to print or ship the timeline as it happens.
   *
   * @param listener called with each new entry
   * @return the subscription that unregisters the listener
   * @throws NullPointerException if {@code listener} is null
   */
  public Subscription onRecord(EventListener<? super JournalEntry> listener) {
    return listeners.add(listener);
  }

  /**
   * Returns the retained entries, oldest first. While other threads record, a later call to
   * {@link #recordedCount()} may count entries this snapshot does not hold; the renderings
   * ({@link #toText()}, {@link #toJson()}) take both from one snapshot.
   *
   * @return an immutable snapshot in sequence order
   */
  public List<JournalEntry> entries() {
    return entriesBefore(nextSequence.get());
  }

  /** The retained entries with a sequence below {@code end}, a value of the counter. */
  private List<JournalEntry> entriesBefore(long end) {
    long start = Math.max(0L, end - capacity);
    List<JournalEntry> result = new ArrayList<>((int) (end - start));
    for (long sequence = start; sequence < end; sequence++) {
      JournalEntry entry = slots.get((int) (sequence % capacity));
      if (entry != null && entry.sequence() == sequence) {
        result.add(entry);
      }
    }
    return Collections.unmodifiableList(result);
  }

  /**
   * Returns the ticker that stamps this journal's entries, so that something reading the
   * journal (an {@link dev.breakglass.core.incident.IncidentTracker}) can tell how long ago an
   * entry happened.
   *
   * @return the journal's ticker
   */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * Returns how many entries this journal keeps at most.
   *
   * @return the capacity given at creation
   */
  public int capacity() {
    return capacity;
  }

  /**
   * Returns how many entries have been recorded since creation, including evicted ones.
   *
   * @return the total number of recordings started
   */
  public long recordedCount() {
    return nextSequence.get();
  }

  /**
   * Returns how many entries have been evicted to respect the capacity.
   *
   * @return {@code max(0, recordedCount() - capacity())}
   */
  public long evictedCount() {
    return Math.max(0L, nextSequence.get() - capacity);
  }

  /**
   * Renders the retained entries as a timeline a person can read: one line per entry, in
   * sequence order, with its offset from the earliest retained entry (monotonic time, to the
   * millisecond), its wall-clock time (UTC, always to the millisecond, so every timestamp has
   * the same width), source, kind and detail, in aligned columns.
   *
   * <pre>
   * incident journal: 2 entries (0 evicted, capacity 1024)
   *   +0.000s  2026-11-21T09:14:03.120Z  payments  transition  CLOSED -&gt; OPEN: failure rate 62.5%
   *   +0.250s  2026-11-21T09:14:03.370Z  cascade   severity    NORMAL -&gt; MAJOR: payments DOWN
   * </pre>
   *
   * <p>Source, kind and detail come from user code and are printed escaped, so that each entry
   * is exactly one line and nothing reaches a terminal as a control sequence: a backslash is
   * doubled; newline, carriage return and tab print as {@code \n}, {@code \r} and
   * {@code \t}; other control characters (C0, DEL, C1), the Unicode line and paragraph
   * separators, the bidirectional formatting controls and lone surrogates print as
   * {@code \}{@code uXXXX}.
   *
   * <p>The header's counts come from the same snapshot as the lines. When other threads are
   * recording, it can also name entries "in flight": the snapshot's range holds them, but they
   * were still being written, or were being evicted by newer ones, as it was taken.
   *
   * @return the timeline, ending with a line break
   */
  public String toText() {
    long end = nextSequence.get();
    return JournalRendering.text(entriesBefore(end), end, capacity);
  }

  /**
   * Renders the retained entries as a JSON object: {@code capacity}, {@code recorded},
   * {@code evicted}, and {@code entries}, an array of objects with {@code sequence},
   * {@code nanoTime}, {@code time} (ISO-8601, UTC), {@code source}, {@code kind} and
   * {@code detail}, followed, only where they apply, by {@code category} (absent for
   * {@link EventCategory#INFO}), {@code severity}, {@code tier} and {@code health} (enum
   * names). Strings are escaped per RFC 8259, so the output is valid JSON for any
   * recorded text, lone surrogates included; the characters {@link #toText()} escapes are
   * written as {@code \}{@code uXXXX} escapes here too, so the document is also safe to print.
   * The counts come from the same snapshot as the entries; {@code recorded - evicted} minus
   * the number of entries is how many were in flight (see {@link #toText()}).
   *
   * @return the journal as a JSON document
   */
  public String toJson() {
    long end = nextSequence.get();
    return JournalRendering.json(entriesBefore(end), end, capacity);
  }

  @Override
  public String toString() {
    return "IncidentJournal[capacity=" + capacity + ", recorded=" + recordedCount() + "]";
  }

  static String requireNonBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(
          name + " must not be blank, was '" + PlainText.escape(value) + "'");
    }
    return value;
  }

  /**
   * {@code value} if it has at most {@code max} chars, else its first {@code max} (one fewer
   * if the cut would split a surrogate pair) and a marker saying how many were cut.
   */
  static String cut(String value, int max) {
    int length = value.length();
    if (length <= max) {
      return value;
    }
    int keep = max;
    if (Character.isHighSurrogate(value.charAt(keep - 1))
        && Character.isLowSurrogate(value.charAt(keep))) {
      keep--;
    }
    int cut = length - keep;
    return value.substring(0, keep) + "\u2026 [cut " + cut + (cut == 1 ? " char]" : " chars]");
  }

  /**
   * Builds an {@link IncidentJournal}. Not thread-safe; reusable: each {@link #build()}
   * creates an independent journal.
   */
  public static final class Builder {
    private int capacity = DEFAULT_CAPACITY;
    private Ticker ticker = Ticker.system();
    private InstantSource clock = Clock.systemUTC();
    private ListenerErrorHandler listenerErrorHandler = ListenerErrorHandler.logging();

    private Builder() {}

    /**
     * Sets how many entries the journal keeps.
     *
     * @param capacity the number of most recent entries to keep, at most
     *     {@value IncidentJournal#MAX_CAPACITY}
     * @return this builder
     * @throws IllegalArgumentException if {@code capacity <= 0} or
     *     {@code capacity > }{@value IncidentJournal#MAX_CAPACITY}
     */
    public Builder capacity(int capacity) {
      if (capacity <= 0) {
        throw new IllegalArgumentException("capacity must be > 0, was " + capacity);
      }
      if (capacity > MAX_CAPACITY) {
        throw new IllegalArgumentException("capacity must be <= " + MAX_CAPACITY
            + " (IncidentJournal.MAX_CAPACITY), was " + capacity);
      }
      this.capacity = capacity;
      return this;
    }

    /**
     * Sets the monotonic time source for {@link JournalEntry#nanoTime()}.
     *
     * @param ticker the ticker, e.g. a {@link ManualTicker} in tests
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Sets the wall-clock time source for {@link JournalEntry#time()}.
     *
     * @param clock the clock, e.g. {@code Clock.fixed(...)} in tests
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets what happens when an {@link #onRecord} listener throws.
     *
     * @param handler the handler; by default {@link ListenerErrorHandler#logging()}
     * @return this builder
     * @throws NullPointerException if {@code handler} is null
     */
    public Builder listenerErrorHandler(ListenerErrorHandler handler) {
      this.listenerErrorHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Creates a journal with this builder's settings.
     *
     * @return a new, empty journal
     */
    public IncidentJournal build() {
      return new IncidentJournal(this);
    }
  }
}
