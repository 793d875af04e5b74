package dev.breakglass.core;

import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
 * <p><b>Bounds.</b> The journal keeps the {@link #capacity()} most recent entries; recording
 * beyond it evicts the oldest. {@link #recordedCount()} and {@link #evictedCount()} say how
 * many were recorded and dropped in all.
 *
 * <p><b>Ordering.</b> Every entry gets a {@link JournalEntry#sequence() sequence number} when
 * it is recorded; snapshots are in sequence order. Entries recorded by one thread appear in
 * the order that thread recorded them, with non-decreasing {@link JournalEntry#nanoTime()
 * monotonic timestamps} (given a monotonic {@link Ticker}, such as the default); their
 * {@link JournalEntry#time() wall-clock times} follow the system clock, which can be set back.
 * Entries recorded at the same moment by different threads are ordered by sequence, and their
 * timestamps may differ from that order by the few nanoseconds between taking a number and
 * reading the clocks.
 *
 * <p><b>Timestamps.</b> An entry is stamped when it is recorded. A component that records
 * its events after the fact (a circuit breaker publishes a transition after any transition
 * already being published) stamps them at publication, which can be later than the moment
 * the event happened by however long the listeners before it took.
 *
 * <p><b>Cost.</b> Recording is lock-free: one atomic increment, one ticker and one clock read,
 * the entry allocation, and a compare-and-set into a ring slot. It is cheap enough to call on
 * every state change, but it does allocate, so it is not meant for per-call hot paths.
 *
 * <p>Thread-safe: any number of threads may record and read at once. A snapshot taken while
 * other threads are recording contains every entry whose recording completed before the
 * snapshot began and that had not been evicted; entries being recorded at that moment may or
 * may not be included.
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
   * without locking writers out.
   */

  /** The capacity {@link Builder} uses unless told otherwise. */
  public static final int DEFAULT_CAPACITY = 1024;

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
   * @param capacity how many entries to keep; the oldest are evicted beyond it
   * @return a new, empty journal
   * @throws IllegalArgumentException if {@code capacity <= 0}
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
   * Records an entry.
   *
   * @param source what the entry is about (a breaker's or component's name)
   * @param kind what happened: a short, stable word such as {@code "transition"}
   * @param detail a human-readable description; may be empty
   * @return the recorded entry
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if {@code source} or {@code kind} is blank
   */
  public JournalEntry record(String source, String kind, String detail) {
    requireNonBlank(source, "source");
    requireNonBlank(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    long sequence = nextSequence.getAndIncrement();
    JournalEntry entry =
        new JournalEntry(sequence, ticker.read(), clock.instant(), source, kind, detail);
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
   * Returns the retained entries, oldest first.
   *
   * @return an immutable snapshot in sequence order
   */
  public List<JournalEntry> entries() {
    long end = nextSequence.get();
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
   * Renders the retained entries as a timeline a person can read: one line per entry with its
   * offset from the first retained entry (monotonic time), its wall-clock time (UTC, to the
   * millisecond), source, kind
   * and detail, in aligned columns.
   *
   * <pre>
   * incident journal: 2 entries (0 evicted, capacity 1024)
   *   +0.000s  2026-11-21T09:14:03.120Z  payments  transition  CLOSED -&gt; OPEN: failure rate 62.5%
   *   +0.250s  2026-11-21T09:14:03.370Z  cascade   severity    NORMAL -&gt; MAJOR: payments DOWN
   * </pre>
   *
   * @return the timeline, ending with a line break
   */
  public String toText() {
    return JournalRendering.text(entries(), recordedCount(), capacity);
  }

  /**
   * Renders the retained entries as a JSON object: {@code capacity}, {@code recorded},
   * {@code evicted}, and {@code entries}, an array of objects with {@code sequence},
   * {@code nanoTime}, {@code time} (ISO-8601, UTC), {@code source}, {@code kind} and
   * {@code detail}. Strings are escaped per RFC 8259, so the output is valid JSON for any
   * recorded text, lone surrogates included.
   *
   * @return the journal as a JSON document
   */
  public String toJson() {
    return JournalRendering.json(entries(), recordedCount(), capacity);
  }

  @Override
  public String toString() {
    return "IncidentJournal[capacity=" + capacity + ", recorded=" + recordedCount() + "]";
  }

  static String requireNonBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
    }
    return value;
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
     * @param capacity the number of most recent entries to keep
     * @return this builder
     * @throws IllegalArgumentException if {@code capacity <= 0}
     */
    public Builder capacity(int capacity) {
      if (capacity <= 0) {
        throw new IllegalArgumentException("capacity must be > 0, was " + capacity);
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
