package dev.breakglass.cascade.degradation;

import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.core.EventCategory;
import dev.breakglass.core.EventListener;
import dev.breakglass.core.Health;
import dev.breakglass.core.HealthSource;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ListenerErrorHandler;
import dev.breakglass.core.Listeners;
import dev.breakglass.core.Severity;
import dev.breakglass.core.SeverityDeclarations;
import dev.breakglass.core.Subscription;
import dev.breakglass.core.Ticker;
import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.DeliveryQueue;
import dev.breakglass.core.internal.DurationFormat;
import dev.breakglass.core.internal.ListenerFailures;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Degrades a service in a controlled way when its dependencies fail: holds the current
 * {@link Severity}, sheds work by {@link Tier} as it rises, and restores it with hysteresis.
 *
 * <pre>{@code
 * CascadeManager manager = CascadeManager.builder()
 *     .graph(graph)                                  // components, tiers, blast radius
 *     .feature("recommendations", Tier.STANDARD)
 *     .feature("analytics", Tier.ENHANCED)
 *     .journal(journal)
 *     .build();
 * manager.watch(paymentsBreaker);                    // a HealthSource named "payments"
 *
 * // per request: one volatile read, no lock, no allocation
 * if (manager.isEnabled("recommendations")) { ... }
 * if (!manager.admit(Tier.STANDARD)) { return degradedAnswer(); }
 * pool.resize((int) (maxThreads * manager.capacityFactor()));
 * }</pre>
 *
 * <p><b>Shedding ladder.</b> Each severity has a {@link Mode}: the tiers it admits and a
 * capacity factor. By default the {@code NORMAL} severity admits everything, {@code MINOR}
 * defers {@code ENHANCED}-tier work, {@code MAJOR} sheds {@code STANDARD}- and {@code
 * ENHANCED}-tier work at capacity factor 0.6, and the {@code CRITICAL} severity keeps only
 * {@code CRITICAL}-tier work ("minimal service mode"), also at 0.6 (see {@link
 * Builder#admitUpTo} and {@link Builder#capacityFactor}).
 *
 * <p><b>Escalation.</b> Components report their {@link Health} through {@link
 * #report(String, Health)} or a {@link #watch(HealthSource) watched} health source (a circuit
 * breaker); the {@link Builder#escalate rules} turn each component's tier and health into a
 * severity, a component {@code DOWN} puts its {@link #blastRadius(String) blast radius} at
 * risk, and the severity is the worst any rule indicates. Rising is immediate.
 *
 * <p><b>De-escalation with hysteresis.</b> When the rules indicate a lower severity, the
 * manager waits for a {@link Builder#cooldown cooldown} (default 30 s) of better signals, then
 * steps down one level; each further level needs another full cooldown. The wait is checked
 * on every {@link #report} and on {@link #evaluate()}, which an application with quiet periods
 * calls from its own scheduler (the manager starts no threads).
 *
 * <p><b>Manual declaration.</b> {@link #declare} sets a severity by hand, with who and why,
 * overriding the rules until {@link #clearDeclaration cleared}.
 *
 * <p><b>Listeners and the journal.</b> After every severity change the manager records it in
 * the {@link Builder#journal journal} (source {@code "cascade"}; the detail names the signal
 * and the rule, e.g. {@code "NORMAL -> MAJOR: payments (CRITICAL) DOWN, rule critical-down"}),
 * then calls the {@link #onSeverityChange severity listeners}, then the {@link #onChange
 * listeners} of every component and feature whose allowance changed: most expendable tier
 * first when degrading, most important first when restoring. The hot-path queries see a change
 * as soon as it is made; listeners are told right after, one change at a time, in order,
 * normally on the thread that caused it (if another thread is delivering changes at that
 * moment, that thread delivers this one too; a change a listener causes is delivered after the
 * current one). Journal entries are stamped with the moment of the change by the manager's
 * {@link Builder#ticker ticker} (see {@link IncidentJournal#recordAt}).
 *
 * <p>Thread-safe. {@link #admit}, {@link #isEnabled}, {@link Feature#isEnabled()},
 * {@link #capacityFactor} and {@link #mode()} are lock-free single reads. Signals,
 * declarations and evaluations are serialized by a lock that is never held while listeners,
 * the journal or other user code run.
 */
public final class CascadeManager implements SeverityDeclarations {

  /*
   * Design.
   *
   * Read side: the current Mode (severity, admitted-tier limit, capacity factor) is one of four
   * immutable objects precomputed at build time (the Ladder), published through one field with
   * setRelease and read with getAcquire. admit/isEnabled/capacityFactor are therefore a single
   * acquire load plus a compare, allocation-free and lock-free, and a reader can never combine
   * the admitted tiers of one severity with the capacity factor of another: they live in the
   * same immutable object. isEnabled(name) first probes the Roster's NameIndex, an immutable
   * open-addressing table (identity compare first), and reads the tier from an int array
   * parallel to its slots: no node, no boxing. Both arrays are copied into final fields here to
   * save a dereference. The fields of this object are final apart from `mode`, which changes
   * only with the severity, so readers' cache lines are not disturbed by signal processing (the
   * mutable writer state lives in HealthBoard and SeverityControl, separate objects).
   *
   * Write side: report/evaluate/declare/clear run under a ReentrantLock (never
   * `synchronized`, so virtual threads do not pin). Processing a signal updates preallocated
   * arrays and counters in HealthBoard (O(1), or O(blast radius) when a component goes DOWN or
   * comes back); SeverityControl compares the indicated severity with the current one and runs
   * the hysteresis: no allocation and no clock read unless the severity changes or a cooldown
   * is running.
   *
   * Delivery: a change becomes a Notice, added under the lock to a DeliveryQueue (core's
   * ordered delivery, the queue-drain pattern), so notices are queued in the order of the
   * changes; after the lock is released the caller calls deliver(), and the ChangePublisher
   * hands each notice to the journal and the listeners outside any lock, one thread at a time,
   * in order. A caller that finds another thread delivering returns at once (that thread
   * delivers its notice too), a listener may report reentrantly (its change is delivered after
   * the current one), and a VirtualMachineError in a listener leaves the queue to the next
   * caller.
   *
   * Admission: admit(Tier) answers from the current Mode alone. Deferral (work of a tier the
   * mode sheds, held and replayed when it is restored) sits beside it as its own class, asking
   * admit(Tier) like any caller; adaptive admission (a limiter that sizes concurrency from
   * measured latency, scaled by the mode's capacity factor) belongs beside it the same way. The
   * manager's read side does not change for them.
   */

  /** The journal source of every entry the manager records. */
  static final String SOURCE = "cascade";

  /** Where listener failures are logged, at WARN, unless the builder names a handler. */
  private static final Logger LOGGER = LoggerFactory.getLogger("dev.breakglass.cascade");
  static final ListenerErrorHandler LOGGING_HANDLER = ListenerFailures.logging(
      "ListenerErrorHandler[SLF4J logger dev.breakglass.cascade]", LOGGER::warn);

  private static final VarHandle MODE;

  static {
    try {
      MODE = MethodHandles.lookup().findVarHandle(CascadeManager.class, "mode", Mode.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Mode[] modes;
  /** The {@link Roster}'s name index keys, held here to save a dereference in isEnabled. */
  private final String[] slotKeys;
  /** The tier ordinal of each member by slot of the name index, for isEnabled. */
  private final int[] tierBySlot;
  private final Roster roster;
  private final HealthBoard board;
  private final SeverityControl control;
  private final DeliveryQueue<Notice> notices;
  private final Ticker ticker;
  private final @Nullable IncidentJournal journal;
  private final Listeners<SeverityChange> severityListeners;
  private final ReentrantLock lock = new ReentrantLock();

  // accessed through MODE; the constructor sets it (MODE.setRelease), which NullAway cannot see
  @SuppressWarnings({"unused", "NullAway.Init"})
  private volatile Mode mode;

  private CascadeManager(Builder builder, List<Roster.Registration> registrations, Mode[] modes,
      EscalationRules rules) {
    this.ticker = builder.ticker;
    this.journal = builder.journal;
    this.modes = modes;
    this.severityListeners = Listeners.create(SOURCE, builder.listenerErrorHandler);
    this.roster = new Roster(this, registrations, builder.graph, builder.listenerErrorHandler);
    this.slotKeys = roster.slotKeys();
    this.tierBySlot = roster.tierBySlot();
    this.board = new HealthBoard(
        roster.componentNames(), roster.componentTiers(), roster.blastRadius(), rules);
    this.control = new SeverityControl(board, ticker, builder.cooldownNanos, this::change);
    this.notices = new DeliveryQueue<>(
        new ChangePublisher(roster, severityListeners, ticker, journal));
    MODE.setRelease(this, modes[Severity.NORMAL.ordinal()]); // every component starts UP
  }

  /**
   * Returns a builder with the default ladder, rules and cooldown, and no components.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- hot-path queries

  /**
   * Tells whether work of the given tier is admitted at the current severity: one acquire
   * read, no lock, no allocation.
   *
   * @param tier the tier of the work
   * @return {@code true} if it may run, {@code false} if it is shed
   * @throws NullPointerException if {@code tier} is null
   */
  public boolean admit(Tier tier) {
    return tier.ordinal() <= currentMode().limit;
  }

  /**
   * Tells whether a registered feature or component may run at the current severity: a hash
   * lookup and one acquire read, no lock, no allocation. A {@link #feature(String) Feature
   * handle} saves the lookup.
   *
   * @param name the name of a registered feature or component
   * @return {@code true} if its tier is admitted
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if no feature or component has that name
   */
  public boolean isEnabled(String name) {
    int slot = NameIndex.slotOf(slotKeys, Objects.requireNonNull(name, "name"));
    if (slot < 0) {
      throw Roster.unknown(name);
    }
    return tierBySlot[slot] <= currentMode().limit;
  }

  /**
   * Returns the capacity factor of the current severity, for pools and limiters to shrink to:
   * one acquire read.
   *
   * @return a factor in {@code (0, 1]}; {@code 1.0} at full capacity
   */
  public double capacityFactor() {
    return currentMode().capacityFactor();
  }

  /**
   * Returns the current mode: severity, admitted tiers and capacity factor, read at once as
   * one consistent snapshot.
   *
   * @return the current mode
   */
  public Mode mode() {
    return currentMode();
  }

  /**
   * Returns the current severity.
   *
   * @return the severity right now
   */
  public Severity severity() {
    return currentMode().severity();
  }

  /**
   * Returns the mode of the ladder for a given severity.
   *
   * @param severity a severity
   * @return what the service may do at that severity
   * @throws NullPointerException if {@code severity} is null
   */
  public Mode mode(Severity severity) {
    return modes[severity.ordinal()];
  }

  /**
   * Returns the handle of a registered feature (or component), whose
   * {@link Feature#isEnabled()} is a single read without a lookup.
   *
   * @param name the name of a registered feature or component
   * @return the handle; the same instance on every call
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if no feature or component has that name
   */
  public Feature feature(String name) {
    return roster.member(name).handle();
  }

  Mode currentMode() {
    return (Mode) MODE.getAcquire(this);
  }

  // ---------------------------------------------------------------- signals

  /**
   * Reports a component's health: from a breaker listener, a health check, anything. Escalates
   * at once if the rules now indicate a worse severity; otherwise advances the de-escalation
   * cooldown. Reporting the health a component already has changes nothing (apart from that
   * cooldown check), so periodic health checks may report every time.
   *
   * <p>Costs a hash lookup and an uncontended lock; allocates nothing and reads no clock unless
   * the severity changes or a cooldown is running.
   *
   * @param component the name of a registered component
   * @param health its health now
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if no component has that name (features do not report
   *     health)
   */
  public void report(String component, Health health) {
    Member member = roster.component(component);
    Objects.requireNonNull(health, "health");
    lock.lock();
    try {
      board.apply(member.component(), health);
      control.settle(severity(), member.component());
    } finally {
      lock.unlock();
    }
    notices.deliver();
  }

  /** Applies a watched source's health; see {@link HealthWatch#eventApplied}. */
  void reportWatched(HealthWatch watch, Health health, boolean initial) {
    lock.lock();
    try {
      if (initial && watch.eventApplied) {
        return; // a change event overtook the initial reading: it is newer
      }
      if (!initial) {
        watch.eventApplied = true;
      }
      board.apply(watch.member.component(), health);
      control.settle(severity(), watch.member.component());
    } finally {
      lock.unlock();
    }
    notices.deliver();
  }

  /**
   * Checks whether a running cooldown has ended and, if so, steps the severity down one
   * level. Reports do this too; call this periodically when signals may be quiet for longer
   * than a cooldown (the manager starts no threads of its own).
   *
   * @return the severity after the evaluation
   */
  public Severity evaluate() {
    Severity after;
    lock.lock();
    try {
      control.settle(severity(), -1);
      after = severity(); // this evaluation's result, not whatever a later report made it
    } finally {
      lock.unlock();
    }
    notices.deliver();
    return after;
  }

  /**
   * Watches a health source, such as a circuit breaker, reporting under its own
   * {@link HealthSource#name() name}; the same as {@code watch(source.name(), source)}.
   *
   * @param source the source to watch; its name must be a registered component
   * @return the subscription that stops the watch
   * @throws NullPointerException if {@code source} is null
   * @throws IllegalArgumentException if no component has the source's name
   */
  public Subscription watch(HealthSource source) {
    Objects.requireNonNull(source, "source");
    return watch(source.name(), source);
  }

  /**
   * Watches a health source, such as a circuit breaker, and reports its health for a component:
   * its current health at once, then every {@link dev.breakglass.core.HealthChange} it
   * publishes. A change published while the watch starts wins over the initial reading.
   *
   * <p>Closing the subscription stops the forwarding; the component keeps the health last
   * reported until something reports again.
   *
   * @param component the name of a registered component
   * @param source the source whose health is the component's
   * @return the subscription that stops the watch
   * @throws NullPointerException if an argument is null, or the source's health is null (the
   *     watch is then closed)
   * @throws IllegalArgumentException if no component has that name
   */
  public Subscription watch(String component, HealthSource source) {
    Member member = roster.component(component);
    Objects.requireNonNull(source, "source");
    return HealthWatch.start(this, member, source);
  }

  // ---------------------------------------------------------------- declarations

  /**
   * Declares a severity by hand. It takes effect at once, up or down, and overrides the rules
   * until {@link #clearDeclaration cleared}; a later declaration replaces it. The journal
   * records who declared it and why.
   *
   * @param severity the severity to hold
   * @param by who declares it, e.g. {@code "alice (on call)"}
   * @param reason why, e.g. {@code "payments provider incident INC-4711"}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code by} or {@code reason} is blank
   */
  @Override
  public void declare(Severity severity, String by, String reason) {
    Declaration declaration = new Declaration(severity, by, reason);
    lock.lock();
    try {
      Declaration previous = control.declare(declaration);
      if (journal != null) {
        notices.add(new Notice.JournalOnly(ticker.read(),
            severity == Severity.NORMAL ? EventCategory.INFO : EventCategory.DETECTION, "declared",
            severity + " declared by " + by + ": " + reason
                + (previous == null ? ""
                    : " (replaces " + previous.severity() + " declared by " + previous.by()
                        + ")")));
      }
      control.settle(severity(), -1);
    } finally {
      lock.unlock();
    }
    notices.deliver();
  }

  /**
   * Clears the declared severity and hands control back to the rules: if they indicate a
   * worse severity it applies at once; if they indicate a better one, the severity steps down
   * through the cooldown as usual, starting now.
   *
   * @param by who clears it
   * @param reason why
   * @return {@code true} if a declaration was in force, {@code false} if there was none
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code by} or {@code reason} is blank
   */
  @Override
  public boolean clearDeclaration(String by, String reason) {
    Declaration.requireNonBlank(by, "by");
    Declaration.requireNonBlank(reason, "reason");
    lock.lock();
    try {
      Declaration previous = control.declare(null);
      if (previous == null) {
        return false;
      }
      if (journal != null) {
        notices.add(new Notice.JournalOnly(ticker.read(), EventCategory.INFO, "cleared",
            previous.severity() + " declared by " + previous.by() + " cleared by " + by + ": "
                + reason + "; rules indicate " + board.indicated()));
      }
      control.settle(severity(), -1);
    } finally {
      lock.unlock();
    }
    notices.deliver();
    return true;
  }

  /**
   * Returns the declaration in force, if any.
   *
   * @return the declared severity with who and why, or empty if the rules are in control
   */
  public Optional<Declaration> declaration() {
    lock.lock();
    try {
      return Optional.ofNullable(control.declared());
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- component queries

  /**
   * Returns the health last reported for a component ({@link Health#UP} until something
   * reports).
   *
   * @param component the name of a registered component
   * @return its reported health
   * @throws NullPointerException if {@code component} is null
   * @throws IllegalArgumentException if no component has that name
   */
  public Health health(String component) {
    Member member = roster.component(component);
    lock.lock();
    try {
      return board.reported(member.component());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the components at risk when the given one goes {@code DOWN}: everything that
   * depends on it in the dependency graph, directly or not. While it is {@code DOWN}, the rules
   * see each of them as at least {@code DEGRADED}.
   *
   * @param component the name of a registered component
   * @return an immutable set of names, sorted; empty for a component outside the graph
   * @throws NullPointerException if {@code component} is null
   * @throws IllegalArgumentException if no component has that name
   */
  public Set<String> blastRadius(String component) {
    Member member = roster.component(component);
    TreeSet<String> names = new TreeSet<>();
    for (int dependent : board.blastRadius(member.component())) {
      names.add(board.name(dependent));
    }
    return Collections.unmodifiableSet(names);
  }

  // ---------------------------------------------------------------- listeners

  /**
   * Registers a listener called after every severity change, after the journal entry and
   * before the component and feature listeners.
   *
   * @param listener called with each change
   * @return the subscription that unregisters the listener
   * @throws NullPointerException if {@code listener} is null
   */
  public Subscription onSeverityChange(EventListener<? super SeverityChange> listener) {
    return severityListeners.add(listener);
  }

  /**
   * Registers a listener called whenever what a component or feature may do changes: when it
   * is shed, when it is restored, and, while it is admitted, when the capacity factor
   * changes. Use it to disable a feature, resize a pool or pause a batch job.
   *
   * @param name the name of a registered component or feature
   * @param listener called with each change
   * @return the subscription that unregisters the listener
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if no component or feature has that name
   */
  public Subscription onChange(String name, EventListener<? super AdmissionChange> listener) {
    return roster.member(name).listeners().add(listener);
  }

  @Override
  public String toString() {
    return "CascadeManager[" + severity() + ", " + roster.componentCount() + " components, "
        + (roster.memberCount() - roster.componentCount()) + " features]";
  }

  // ---------------------------------------------------------------- internals

  /** The ticker the manager reads, for the work that runs beside it (deferral). */
  Ticker ticker() {
    return ticker;
  }

  /** The journal the manager records in, if any, for the work that runs beside it. */
  @Nullable IncidentJournal journal() {
    return journal;
  }

  /**
   * Publishes the new mode to readers and queues its delivery, stamped for the journal with
   * the time of the change (delivery may come later). Lock held; called by SeverityControl.
   */
  private void change(Severity to, String cause) {
    Mode from = currentMode();
    Mode next = modes[to.ordinal()];
    MODE.setRelease(this, next);
    long at = journal == null ? 0L : ticker.read();
    notices.add(new Notice.SeverityChanged(from, next, cause, at));
  }

  /**
   * Builds a {@link CascadeManager}: its components and features, shedding ladder, escalation
   * rules, cooldown, ticker and journal.
   *
   * <pre>{@code
   * CascadeManager manager = CascadeManager.builder()
   *     .graph(graph)                                // components, tiers and edges
   *     .component("reporting-db", Tier.ENHANCED)    // a component outside the graph
   *     .feature("recommendations", Tier.STANDARD)
   *     .capacityFactor(Severity.MAJOR, 0.5)
   *     .cooldown(Duration.ofMinutes(2))
   *     .journal(journal)
   *     .build();
   * }</pre>
   *
   * <p>Setters validate their arguments at once and name the bad value; {@link #build()}
   * checks the options against each other. Not thread-safe; reusable: each {@code build()}
   * creates an independent manager.
   */
  public static final class Builder {
    /** The default cooldown before each step down. */
    private static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(30);

    private @Nullable DependencyGraph graph;
    private final Roster.Registrations registrations = new Roster.Registrations();
    private final Ladder ladder = new Ladder();
    private final EscalationRules rules = new EscalationRules();
    private long cooldownNanos = DEFAULT_COOLDOWN.toNanos();
    private Ticker ticker = Ticker.system();
    private @Nullable IncidentJournal journal;
    private ListenerErrorHandler listenerErrorHandler = LOGGING_HANDLER;

    private Builder() {}

    /**
     * Takes the components, their tiers and their dependencies from a dependency graph.
     * Each component is shed, and judged by the rules, by its <em>declared</em>
     * {@link Component#tier() tier}, not by its {@link DependencyGraph#effectiveTier(String)
     * effective tier}: the usual topology has a CRITICAL-tier front depending on everything it
     * routes to, and promotion would make its STANDARD- and ENHANCED-tier dependencies
     * impossible to shed, and turn a recommendations outage into a MAJOR incident. (Effective
     * tiers order recovery phases; they are not a measure of how much work matters.) What a failing
     * component does to the components that use it is captured by its blast radius, its
     * {@link DependencyGraph#transitiveDependentsOf(String) transitive dependents}, which count
     * as DEGRADED. Replaces a graph set before.
     *
     * @param graph the service's dependency graph
     * @return this builder
     * @throws NullPointerException if {@code graph} is null
     */
    public Builder graph(DependencyGraph graph) {
      this.graph = Objects.requireNonNull(graph, "graph");
      return this;
    }

    /**
     * Registers a component outside the dependency graph: it reports health, is shed by its
     * tier, and has no blast radius.
     *
     * @param name a unique name
     * @param tier how much it matters
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank or already registered
     */
    public Builder component(String name, Tier tier) {
      return register(name, tier, false);
    }

    /**
     * Registers a feature: a named piece of work with a tier that
     * {@link CascadeManager#isEnabled(String)} answers for. Features do not report health.
     *
     * @param name a unique name (components and features share one namespace)
     * @param tier how much it matters
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank or already registered
     */
    public Builder feature(String name, Tier tier) {
      return register(name, tier, true);
    }

    private Builder register(String name, Tier tier, boolean feature) {
      Declaration.requireNonBlank(name, "name");
      registrations.add(name, Objects.requireNonNull(tier, "tier"), feature);
      return this;
    }

    /**
     * Sets the least important tier admitted at a severity: that tier and every more
     * important one run, every less important one is shed. Defaults: {@code NORMAL} admits up
     * to {@code ENHANCED} (everything), {@code MINOR} up to {@code STANDARD}, {@code MAJOR} up
     * to {@code ESSENTIAL}, the {@code CRITICAL} severity only the {@code CRITICAL} tier. A
     * severity left at its default gives way to the settings around it: it admits no more
     * than a milder severity set to admit less, and no less than a harsher severity set to
     * admit more.
     *
     * @param severity the severity to configure
     * @param leastImportantAdmitted the least important tier it admits
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder admitUpTo(Severity severity, Tier leastImportantAdmitted) {
      Objects.requireNonNull(severity, "severity");
      ladder.admitUpTo(severity,
          Objects.requireNonNull(leastImportantAdmitted, "leastImportantAdmitted"));
      return this;
    }

    /**
     * Sets the capacity factor of a severity: the share of normal capacity that pools and
     * limiters should run at. Defaults: 1.0 at {@code NORMAL} and {@code MINOR}, 0.6 at
     * {@code MAJOR} and {@code CRITICAL} severity. A severity left at its default gives way to the
     * settings around it: no more than a milder severity's setting, no less than a harsher
     * one's.
     *
     * @param severity the severity to configure
     * @param factor a factor in {@code (0, 1]}
     * @return this builder
     * @throws NullPointerException if {@code severity} is null
     * @throws IllegalArgumentException if {@code factor} is not in {@code (0, 1]}
     */
    public Builder capacityFactor(Severity severity, double factor) {
      Objects.requireNonNull(severity, "severity");
      if (!(factor > 0.0 && factor <= 1.0)) {
        throw new IllegalArgumentException(
            "capacityFactor for " + severity + " must be in (0, 1], was " + factor);
      }
      ladder.capacityFactor(severity, factor);
      return this;
    }

    /**
     * Sets the severity that one component of a tier in a given health indicates. Defaults:
     * a {@code CRITICAL}- or {@code ESSENTIAL}-tier component {@code DOWN} indicates
     * {@code MAJOR}; a {@code STANDARD}- or {@code ENHANCED}-tier one {@code DOWN} indicates
     * {@code MINOR}; any tier
     * {@code DEGRADED} (including at risk from a {@code DOWN} dependency) indicates
     * {@code MINOR}. {@code UP} always indicates {@code NORMAL}. Use {@code NORMAL} to make a
     * tier's health ignored.
     *
     * @param tier the component's tier
     * @param health {@link Health#DEGRADED} or {@link Health#DOWN}
     * @param severity the severity it indicates
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code health} is {@link Health#UP}
     */
    public Builder escalate(Tier tier, Health health, Severity severity) {
      Objects.requireNonNull(tier, "tier");
      Objects.requireNonNull(health, "health");
      Objects.requireNonNull(severity, "severity");
      if (health == Health.UP) {
        throw new IllegalArgumentException(
            "health must be DEGRADED or DOWN (UP always indicates NORMAL), was UP");
      }
      rules.escalate(tier, health, severity);
      return this;
    }

    /**
     * Sets the mass-outage rule: when more than {@code moreThan} {@code CRITICAL}- or
     * {@code ESSENTIAL}-tier components are {@code DOWN} at once, the rules indicate
     * {@code severity}. Default: more than 3 indicate the {@code CRITICAL} severity. A tier
     * whose {@code DOWN} rule indicates {@code NORMAL} ({@link #escalate ignored}) does not
     * count.
     *
     * @param moreThan how many such components may be down before the rule applies
     * @param severity the severity it indicates
     * @return this builder
     * @throws NullPointerException if {@code severity} is null
     * @throws IllegalArgumentException if {@code moreThan} is negative
     */
    public Builder massOutage(int moreThan, Severity severity) {
      if (moreThan < 0) {
        throw new IllegalArgumentException("moreThan must be >= 0, was " + moreThan);
      }
      rules.massOutage(moreThan, Objects.requireNonNull(severity, "severity"));
      return this;
    }

    /**
     * Sets how long the rules must keep indicating a lower severity before the manager steps
     * down one level; each further level needs another cooldown. Zero steps down one level
     * per evaluation. Default 30 seconds.
     *
     * @param cooldown the cooldown, zero or positive
     * @return this builder
     * @throws NullPointerException if {@code cooldown} is null
     * @throws IllegalArgumentException if {@code cooldown} is negative
     */
    public Builder cooldown(Duration cooldown) {
      Objects.requireNonNull(cooldown, "cooldown");
      if (cooldown.isNegative()) {
        throw new IllegalArgumentException("cooldown must not be negative, was " + cooldown);
      }
      this.cooldownNanos = DurationFormat.saturatedNanos(cooldown); // past 292 years: never
      return this;
    }

    /**
     * Sets the time source for cooldowns and for the journal's timestamps: each entry is
     * stamped with this ticker's reading at the change, translated by the journal into its
     * own clocks (see {@link IncidentJournal#recordAt}).
     *
     * @param ticker the ticker, e.g. a {@link dev.breakglass.core.ManualTicker} in tests;
     *     {@link Ticker#system()} by default
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Sets the journal that records every severity change, shed, restoration and declaration,
     * each stamped with the moment it happened rather than the moment it was delivered. None
     * by default.
     *
     * @param journal the incident journal
     * @return this builder
     * @throws NullPointerException if {@code journal} is null
     */
    public Builder journal(IncidentJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * Sets what happens when a listener throws. By default each failure is logged at WARN,
     * with its stack trace, on the SLF4J logger {@code dev.breakglass.cascade}: the message
     * names the owner ({@code cascade}, or {@code cascade:<component or feature>}), the
     * listener (see {@link ListenerErrorHandler}) and the event. If the handler given here
     * throws, that is logged there too.
     *
     * @param handler receives listeners' exceptions
     * @return this builder
     * @throws NullPointerException if {@code handler} is null
     */
    public Builder listenerErrorHandler(ListenerErrorHandler handler) {
      Objects.requireNonNull(handler, "handler");
      this.listenerErrorHandler = handler == LOGGING_HANDLER
          ? handler
          : ListenerFailures.guarded(handler, LOGGER::warn);
      return this;
    }

    /**
     * Checks the options against each other and creates the manager, at severity
     * {@code NORMAL} with every component {@code UP}.
     *
     * @return a new manager
     * @throws IllegalArgumentException if a higher severity is set to admit a tier that a lower
     *     one is set to shed, or to a higher capacity factor than a lower one is set to; if a
     *     tier's {@code DOWN} rule indicates a milder severity than its {@code DEGRADED} rule; or
     *     if a registered name is also a component of the graph
     */
    public CascadeManager build() {
      Mode[] modes = ladder.modes();
      EscalationRules checked = rules.validatedCopy();
      return new CascadeManager(this, registrations.withGraph(graph), modes, checked);
    }
  }
}
