package dev.breakglass.core.incident;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.EventListener;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.ListenerErrorHandler;
import dev.breakglass.core.Listeners;
import dev.breakglass.core.Subscription;
import dev.breakglass.core.internal.DeliveryQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Derives {@link Incident incidents} from an {@link IncidentJournal}'s
 * {@link EventCategory typed entries}: live, as a listener of the journal, or after the fact,
 * from a snapshot ({@link #analyse}).
 *
 * <pre>{@code
 * IncidentTracker tracker = IncidentTracker.watch(journal);   // 5-minute window
 * tracker.onChange(change -> pager.notify(change.type(), change.incident()));
 * ...
 * tracker.refresh();                       // now and then: resolves after a quiet window
 * Incident last = tracker.incidents().get(0);
 * System.out.println(IncidentReport.markdown(last));
 * }</pre>
 *
 * <p><b>The rules.</b>
 * <ul>
 *   <li>An incident <em>opens</em> at the first trouble entry ({@link EventCategory#SIGNAL
 *       SIGNAL}, {@link EventCategory#DETECTION DETECTION} or {@link EventCategory#MITIGATION
 *       MITIGATION}) while none is open, or when a person {@link #openIncident opens} one. While
 *       it is open, every entry the tracker sees belongs to it, from any component: signals
 *       within the correlation window of each other are one incident. Entries between
 *       incidents belong to none; no entry belongs to two.
 *   <li>It <em>resolves</em> once the severity is {@link dev.breakglass.core.Severity#NORMAL
 *       NORMAL}, every component that reported a {@link JournalEntry#health() health} during it
 *       is UP again (every breaker involved is CLOSED), and the {@link Builder#window window}
 *       has passed since then with no trouble entry. Its {@link Milestone#RESOLVED} time is
 *       the start of that quiet window. A person can {@link #closeIncident close} it at any
 *       time; one opened by hand is closed by hand only.
 *   <li>Milestones: {@link Milestone#STARTED} at the opening entry, {@link Milestone#DETECTED}
 *       at the first detection, {@link Milestone#MITIGATED} at the first mitigation (a
 *       mitigation journalled before the detection it answers counts from the detection),
 *       {@link Milestone#RECOVERED} when every component involved is UP again (if none reported
 *       a health: the first recovery after the last trouble), {@link Milestone#RESOLVED} as
 *       above; each never earlier than the one before.
 *   <li>The severity is the one the latest entry with a {@link JournalEntry#severity()
 *       severity} reported (the cascade manager's severity changes); the peak is the worst
 *       during the incident, and a rise of the peak is an
 *       {@link IncidentChange.Type#ESCALATED escalation}.
 * </ul>
 *
 * <p><b>Time.</b> The tracker reads time from the entries; nothing happens between entries
 * unless {@link #refresh()} is called, which reads the journal's ticker and resolves the open
 * incident if its quiet window has passed. Call it periodically (or after the last entry of a
 * test, with a {@code ManualTicker} advanced past the window).
 *
 * <p><b>Flight recorder.</b> Each change is also a JDK Flight Recorder event,
 * {@code dev.breakglass.Incident} (number, change, status, peak severity, components, time to
 * detect, mitigate and recover, duration), committed just before the listeners hear it; while no
 * recording is running only an empty event object is made (no field is filled), and nothing
 * at all where the runtime has no {@code jdk.jfr}.
 *
 * <p><b>Memory.</b> The tracker keeps the open incident and the {@link Builder#retain last
 * resolved ones} (100 by default), each with its entries; older ones are dropped, so a
 * long-running service's tracker stays bounded. {@link #analyse} keeps every incident of the
 * snapshot it is given.
 *
 * <p>Thread-safe: entries are applied under a lock that guards the tracker's own state only
 * (never held while user code runs); listeners are called outside it, one at a time, in the
 * order of the changes, on a thread that recorded or refreshed.
 */
public final class IncidentTracker implements AutoCloseable {

  /** The correlation window {@link Builder} uses unless told otherwise: five minutes. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

  /** How many resolved incidents a tracker keeps unless told otherwise: 100. */
  public static final int DEFAULT_RETAIN = 100;

  /** The kind of the entry {@link #openIncident} records (category DETECTION). */
  public static final String OPENED_KIND = "incident-opened";

  /** The kind of the entry {@link #closeIncident} records (category RESOLUTION). */
  public static final String CLOSED_KIND = "incident-closed";

  private final IncidentJournal journal;
  private final Correlator correlator;
  private final ReentrantLock lock = new ReentrantLock();
  private final Listeners<IncidentChange> listeners;
  private final DeliveryQueue<IncidentChange> deliveries;
  private final Subscription subscription;

  private IncidentTracker(Builder builder) {
    this.journal = builder.journal;
    this.correlator = new Correlator(builder.window, builder.retain);
    this.listeners = Listeners.create("IncidentTracker", builder.listenerErrorHandler);
    this.deliveries = new DeliveryQueue<>(this::publish);
    this.subscription = journal.onRecord(this::accept);
  }

  /**
   * Starts tracking the incidents of a journal, with the {@link #DEFAULT_WINDOW default
   * window}, from the entries it records from now on.
   *
   * @param journal the journal to watch
   * @return a tracker registered as a listener of {@code journal}
   * @throws NullPointerException if {@code journal} is null
   */
  public static IncidentTracker watch(IncidentJournal journal) {
    return builder(journal).build();
  }

  /**
   * Returns a builder for a tracker of the given journal.
   *
   * @param journal the journal to watch
   * @return a new builder
   * @throws NullPointerException if {@code journal} is null
   */
  public static Builder builder(IncidentJournal journal) {
    return new Builder(journal);
  }

  /**
   * Derives the incidents of a journal snapshot after the fact: the entries are taken in time
   * order ({@code nanoTime}, then sequence), then an incident whose quiet window has passed by
   * {@code nowNanos} is resolved. Deterministic: the same entries, window and time give equal
   * incidents.
   *
   * @param entries the entries, for example {@link IncidentJournal#entries()}
   * @param window the correlation window
   * @param nowNanos the journal's ticker reading to judge the quiet window by (the journal's
   *     ticker now, or the last entry's {@code nanoTime} to resolve nothing beyond the entries)
   * @return the incidents, oldest first; the last may be open
   * @throws NullPointerException if {@code entries}, an entry or {@code window} is null
   * @throws IllegalArgumentException if {@code window} is negative
   */
  public static List<Incident> analyse(List<JournalEntry> entries, Duration window,
      long nowNanos) {
    Correlator correlator = new Correlator(requireWindow(window));
    List<JournalEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(JournalEntry::nanoTime)
        .thenComparingLong(JournalEntry::sequence));
    List<IncidentChange> ignored = new ArrayList<>();
    for (JournalEntry entry : sorted) {
      correlator.accept(Objects.requireNonNull(entry, "entry"), ignored);
      ignored.clear();
    }
    correlator.advance(nowNanos, ignored);
    return correlator.incidents();
  }

  /**
   * Derives the incidents of a journal's current snapshot, judging the quiet window by the
   * journal's ticker now: {@link #analyse(List, Duration, long)} of
   * {@link IncidentJournal#entries()}.
   *
   * @param journal the journal
   * @param window the correlation window
   * @return the incidents, oldest first; the last may be open
   * @throws NullPointerException if {@code journal} or {@code window} is null
   * @throws IllegalArgumentException if {@code window} is negative
   */
  public static List<Incident> analyse(IncidentJournal journal, Duration window) {
    List<JournalEntry> entries = journal.entries();
    return analyse(entries, window, journal.ticker().read());
  }

  /** Delivers one change: its flight-recorder event, then the listeners, in change order. */
  private void publish(IncidentChange change) {
    if (FlightRecorder.AVAILABLE) {
      IncidentFlightEvent.commit(change);
    }
    listeners.publish(change);
  }

  private void accept(JournalEntry entry) {
    List<IncidentChange> changes = new ArrayList<>(2);
    lock.lock();
    try {
      correlator.accept(entry, changes);
      changes.forEach(deliveries::add);
    } finally {
      lock.unlock();
    }
    if (!changes.isEmpty()) {
      deliveries.deliver();
    }
  }

  /**
   * Resolves the open incident if its quiet window has passed by the journal's ticker now.
   *
   * @return whether an incident was resolved
   */
  public boolean refresh() {
    List<IncidentChange> changes = new ArrayList<>(1);
    lock.lock();
    try {
      correlator.advance(journal.ticker().read(), changes);
      changes.forEach(deliveries::add);
    } finally {
      lock.unlock();
    }
    if (!changes.isEmpty()) {
      deliveries.deliver();
    }
    return !changes.isEmpty();
  }

  /**
   * Opens an incident by hand: records a {@link EventCategory#DETECTION DETECTION} entry of
   * kind {@value #OPENED_KIND} with source {@code by} and detail {@code reason}. If an incident
   * is open already, it becomes one opened by hand. An incident opened by hand is resolved only
   * by {@link #closeIncident}.
   *
   * @param by who opens it
   * @param reason why
   * @return the recorded entry
   * @throws NullPointerException if either is null
   * @throws IllegalArgumentException if {@code by} is blank
   */
  public JournalEntry openIncident(String by, String reason) {
    return journal.record(EventCategory.DETECTION, by, OPENED_KIND, reason);
  }

  /**
   * Closes the open incident by hand: records a {@link EventCategory#RESOLUTION RESOLUTION}
   * entry of kind {@value #CLOSED_KIND} with source {@code by} and detail {@code reason}; the
   * incident resolves at it, whatever its state.
   *
   * @param by who closes it
   * @param reason why
   * @return the recorded entry
   * @throws NullPointerException if either is null
   * @throws IllegalArgumentException if {@code by} is blank
   * @throws IllegalStateException if no incident is open
   */
  public JournalEntry closeIncident(String by, String reason) {
    lock.lock();
    try {
      if (!correlator.isOpen()) {
        throw new IllegalStateException("no incident is open; nothing for " + by + " to close");
      }
    } finally {
      lock.unlock();
    }
    return journal.record(EventCategory.RESOLUTION, by, CLOSED_KIND, reason);
  }

  /**
   * Returns the incidents the tracker keeps (the {@link Builder#retain retained} resolved ones
   * and the open one), oldest first; the last may be open, as a snapshot.
   *
   * @return an immutable list
   */
  public List<Incident> incidents() {
    lock.lock();
    try {
      return List.copyOf(correlator.incidents());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the open incident as a snapshot, else the last one resolved: what a status page
   * shows. Cheaper than {@code incidents()}, which copies every retained incident.
   *
   * @return the open or last incident, or empty if there has been none
   */
  public Optional<Incident> last() {
    lock.lock();
    try {
      return Optional.ofNullable(correlator.last());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the open incident, as a snapshot.
   *
   * @return the open incident, or empty if none is open
   */
  public Optional<Incident> current() {
    lock.lock();
    try {
      return Optional.ofNullable(correlator.current());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Registers a listener told when an incident opens, escalates or resolves.
   *
   * @param listener the listener
   * @return the subscription that unregisters it
   * @throws NullPointerException if {@code listener} is null
   */
  public Subscription onChange(EventListener<? super IncidentChange> listener) {
    return listeners.add(listener);
  }

  /** Stops watching the journal; the incidents derived so far stay readable. Idempotent. */
  @Override
  public void close() {
    subscription.close();
  }

  private static Duration requireWindow(Duration window) {
    Objects.requireNonNull(window, "window");
    if (window.isNegative()) {
      throw new IllegalArgumentException("window must not be negative, was " + window);
    }
    return window;
  }

  /** Builds an {@link IncidentTracker}. Not thread-safe. */
  public static final class Builder {
    private final IncidentJournal journal;
    private Duration window = DEFAULT_WINDOW;
    private int retain = DEFAULT_RETAIN;
    private ListenerErrorHandler listenerErrorHandler = ListenerErrorHandler.logging();

    private Builder(IncidentJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
    }

    /**
     * Sets the correlation window: how long things must stay quiet before an incident
     * resolves by the rule.
     *
     * @param window the window; zero resolves as soon as everything is back to normal
     * @return this builder
     * @throws NullPointerException if {@code window} is null
     * @throws IllegalArgumentException if {@code window} is negative
     */
    public Builder window(Duration window) {
      this.window = requireWindow(window);
      return this;
    }

    /**
     * Sets how many resolved incidents the tracker keeps; when one more resolves, the oldest
     * is dropped (its listeners heard of it, and it may be in a report already).
     *
     * @param retain at least 1; by default {@value IncidentTracker#DEFAULT_RETAIN}
     * @return this builder
     * @throws IllegalArgumentException if {@code retain} is less than 1
     */
    public Builder retain(int retain) {
      if (retain < 1) {
        throw new IllegalArgumentException("retain must be at least 1, was " + retain);
      }
      this.retain = retain;
      return this;
    }

    /**
     * Sets what happens when an {@link #onChange} listener throws.
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
     * Creates the tracker and registers it as a listener of the journal.
     *
     * @return a new tracker
     */
    public IncidentTracker build() {
      return new IncidentTracker(this);
    }
  }
}
