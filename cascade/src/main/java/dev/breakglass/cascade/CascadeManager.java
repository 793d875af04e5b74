package dev.breakglass.cascade;

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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleFunction;
import org.jspecify.annotations.Nullable;

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
 * capacity factor. Defaults: {@code NORMAL} admits everything; {@code MINOR} defers
 * {@code ENHANCED} work; {@code MAJOR} sheds {@code STANDARD} and {@code ENHANCED} and runs at
 * capacity factor 0.6; {@code CRITICAL} keeps only {@code CRITICAL} work ("minimal service
 * mode"), also at 0.6. A higher severity never admits a tier a lower one sheds, nor grants more
 * capacity; the builder rejects a ladder that would.
 *
 * <p><b>Escalation.</b> Components report their {@link Health} through
 * {@link #report(String, Health)} or a {@link #watch(HealthSource) watched} health source (a
 * circuit breaker). Default rules, by the component's tier: a {@code CRITICAL} or
 * {@code ESSENTIAL} component {@code DOWN} means {@code MAJOR}; more than 3
 * {@code CRITICAL}/{@code ESSENTIAL} components {@code DOWN} at once mean {@code CRITICAL}; a
 * {@code STANDARD} or {@code ENHANCED} component {@code DOWN}, or anything {@code DEGRADED},
 * means {@code MINOR}. A component {@code DOWN} puts its {@link #blastRadius(String) blast
 * radius}, everything that depends on it in the dependency graph, at risk: the rules see those
 * components as at least {@code DEGRADED}. The severity is the worst any rule indicates, and
 * rising is immediate.
 *
 * <p><b>De-escalation with hysteresis.</b> When the rules indicate a lower severity, the
 * manager waits for a cooldown (default 30 s) of better signals, then steps down one level; each
 * further level needs another full cooldown. A signal that indicates the current severity or
 * worse cancels the wait. The wait is checked on every {@link #report}, and on
 * {@link #evaluate()}, which an application with quiet periods calls from its own scheduler
 * (the manager starts no threads):
 * {@code scheduler.scheduleAtFixedRate(manager::evaluate, 1, 1, TimeUnit.SECONDS)}.
 *
 * <p><b>Manual declaration.</b> {@link #declare} sets a severity by hand, with who and why,
 * overriding the rules until {@link #clearDeclaration cleared}; clearing hands control back
 * to the rules, so a lower indicated severity is then reached through the cooldown.
 *
 * <p><b>Listeners and the journal.</b> After every severity change the manager records it in
 * the {@link Builder#journal journal} (source {@code "cascade"}, kinds {@code "severity"},
 * {@code "shed"}, {@code "restored"}, {@code "declared"}, {@code "cleared"}; the detail names
 * the signal and the rule, e.g. {@code "NORMAL -> MAJOR: payments (CRITICAL) DOWN, rule
 * critical-down"}), then calls the {@link #onSeverityChange severity listeners}, then the
 * {@link #onChange listeners} of every component and feature whose allowance changed: most
 * expendable tier first when degrading, most important first when restoring, registration
 * order within a tier. The hot-path queries see a change as soon as it is made; listeners are
 * told right after, one change at a time, in order. Normally they run on the thread that
 * caused the change before its call returns; if another thread is delivering changes at that
 * moment, that thread delivers this one too, and if a listener itself reports or declares, the
 * resulting change is delivered after the current one has been delivered to every listener.
 * Journal entries are stamped with the moment of the change by the manager's
 * {@link Builder#ticker ticker} (see {@link IncidentJournal#recordAt}), not with the moment of
 * their delivery.
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
   * immutable objects precomputed at build time, published through one field with
   * setRelease and read with getAcquire. admit/isEnabled/capacityFactor are therefore a single
   * acquire load plus a compare, allocation-free and lock-free, and a reader can never combine
   * the admitted tiers of one severity with the capacity factor of another: they live in the
   * same immutable object. isEnabled(name) first probes NameIndex, an immutable
   * open-addressing table (identity compare first), and reads the tier from an int array
   * parallel to its slots: no node, no boxing. The fields of this object are final apart from
   * `mode`, which changes only with the severity, so readers' cache lines are not disturbed by
   * signal processing (the mutable writer state lives in HealthBoard and Control, separate
   * objects).
   *
   * Write side: report/evaluate/declare/clear run under a ReentrantLock (never
   * `synchronized`, so virtual threads do not pin). Processing a signal updates preallocated
   * arrays and counters in HealthBoard (O(1), or O(blast radius) when a component goes DOWN or
   * comes back) and compares the indicated severity with the current one: no allocation and
   * no clock read unless the severity changes or a cooldown is running. The hysteresis is a
   * single timer: `betterSince` starts when the indicated severity first drops below the
   * current one, is cancelled when it rises back, and each step down restarts it, so two steps
   * down are always at least a cooldown apart.
   *
   * Delivery: a severity change becomes a notice in a FIFO queue (under the lock) and is
   * delivered (journal, severity listeners, component and feature listeners) outside the lock
   * by one thread at a time: whichever thread finds the queue non-empty and nobody delivering
   * takes the `delivering` flag and drains the queue; the decision to stop draining and the
   * clearing of the flag happen atomically under the lock, so no notice is stranded. This keeps
   * user code out of the lock (no deadlock if a listener reports), preserves order, and lets a
   * listener report reentrantly. Cf. the drain pattern of Caffeine's BoundedLocalCache.
   */

  /** The journal source of every entry the manager records. */
  static final String SOURCE = "cascade";

  private static final VarHandle MODE;

  static {
    try {
      MODE = MethodHandles.lookup().findVarHandle(CascadeManager.class, "mode", Mode.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final Tier[] TIERS = Tier.values();

  private final Mode[] modes;
  private final NameIndex nameIndex;
  /** {@link #nameIndex}'s keys, held here to save a dereference in isEnabled. */
  private final String[] slotKeys;
  /** Members by slot of {@link #nameIndex}; null for empty slots. */
  private final @Nullable Member[] membersBySlot;
  /** The tier ordinal of each member by slot of {@link #nameIndex}, for isEnabled. */
  private final int[] tierBySlot;
  private final int memberCount;
  private final Member[][] membersByTier;
  private final String[] tierMemberNames;
  private final int componentCount;
  private final HealthBoard board;
  private final Ticker ticker;
  private final long cooldownNanos;
  private final @Nullable IncidentJournal journal;
  private final Listeners<SeverityChange> severityListeners;
  private final ReentrantLock lock = new ReentrantLock();
  private final Control control = new Control();

  @SuppressWarnings("unused") // accessed through MODE
  private volatile Mode mode;

  /** The writer-side state besides the health board; guarded by {@link #lock}. */
  private static final class Control {
    @Nullable Declaration declared;
    boolean cooling;
    long betterSince;
    boolean delivering;
    final ArrayDeque<Notice> pending = new ArrayDeque<>();
  }

  /** A registered component or feature. */
  static final class Member {
    final String name;
    final Tier tier;
    /** The component's index on the health board, or -1 for a feature. */
    final int component;
    final Listeners<AdmissionChange> listeners;
    final Feature handle;

    Member(CascadeManager manager, String name, Tier tier, int component,
        ListenerErrorHandler errorHandler) {
      this.name = name;
      this.tier = tier;
      this.component = component;
      this.listeners = Listeners.create(SOURCE + ":" + name, errorHandler);
      this.handle = new Feature(manager, name, tier);
    }

    boolean isComponent() {
      return component >= 0;
    }
  }

  private CascadeManager(
      Builder builder, List<Registration> registrations, Tier[] ladder, double[] factors) {
    this.ticker = builder.ticker;
    this.cooldownNanos = builder.cooldownNanos;
    this.journal = builder.journal;
    this.severityListeners = Listeners.create(SOURCE, builder.listenerErrorHandler);
    this.modes = new Mode[Severity.values().length];
    for (Severity severity : Severity.values()) {
      modes[severity.ordinal()] =
          new Mode(severity, ladder[severity.ordinal()], factors[severity.ordinal()]);
    }

    List<Registration> components = new ArrayList<>();
    List<Registration> features = new ArrayList<>();
    for (Registration registration : registrations) {
      (registration.feature ? features : components).add(registration);
    }
    int n = components.size();
    String[] names = new String[n];
    Tier[] tiers = new Tier[n];
    int[][] blastRadius = new int[n][];
    DependencyGraph graph = builder.graph;
    for (int i = 0; i < n; i++) {
      Registration registration = components.get(i);
      names[i] = registration.name;
      tiers[i] = registration.tier;
      blastRadius[i] = registration.graphIndex >= 0 && graph != null
          ? graph.transitiveDependentIndices(registration.graphIndex) // graph order = board order
          : new int[0];
    }
    this.componentCount = n;
    Severity[][] rules = new Severity[TIERS.length][];
    for (int t = 0; t < TIERS.length; t++) {
      rules[t] = builder.rules[t].clone();
    }
    this.board = new HealthBoard(names, tiers, blastRadius, rules,
        builder.massMoreThan, builder.massSeverity);

    List<Member> all = new ArrayList<>();
    List<List<Member>> byTier = new ArrayList<>();
    for (int t = 0; t < TIERS.length; t++) {
      byTier.add(new ArrayList<>());
    }
    int index = 0;
    for (Registration registration : components) {
      Member member = new Member(this, registration.name, registration.tier, index++,
          builder.listenerErrorHandler);
      all.add(member);
      byTier.get(member.tier.ordinal()).add(member);
    }
    for (Registration registration : features) {
      Member member = new Member(this, registration.name, registration.tier, -1,
          builder.listenerErrorHandler);
      all.add(member);
      byTier.get(member.tier.ordinal()).add(member);
    }
    List<String> memberNames = new ArrayList<>();
    for (Member member : all) {
      memberNames.add(member.name);
    }
    this.nameIndex = new NameIndex(memberNames);
    this.slotKeys = nameIndex.keys();
    this.membersBySlot = new Member[nameIndex.capacity()];
    this.tierBySlot = new int[nameIndex.capacity()];
    for (Member member : all) {
      int slot = nameIndex.slotOf(member.name);
      membersBySlot[slot] = member;
      tierBySlot[slot] = member.tier.ordinal();
    }
    this.memberCount = all.size();
    this.membersByTier = new Member[TIERS.length][];
    this.tierMemberNames = new String[TIERS.length];
    for (int t = 0; t < TIERS.length; t++) {
      membersByTier[t] = byTier.get(t).toArray(new Member[0]);
      StringBuilder text = new StringBuilder();
      for (Member member : membersByTier[t]) {
        text.append(text.length() == 0 ? "" : ", ").append(member.name);
      }
      tierMemberNames[t] = text.toString();
    }
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
      throw unknown(name);
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
    return member(name).handle;
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
    Member member = component(component);
    Objects.requireNonNull(health, "health");
    boolean deliver;
    lock.lock();
    try {
      board.apply(member.component, health);
      settle(member.component);
      deliver = mustDeliver();
    } finally {
      lock.unlock();
    }
    if (deliver) {
      deliverPending();
    }
  }

  /** Applies a watched source's health; see {@link HealthWatch#eventApplied}. */
  void reportWatched(HealthWatch watch, Health health, boolean initial) {
    boolean deliver;
    lock.lock();
    try {
      if (initial && watch.eventApplied) {
        return; // a change event overtook the initial reading: it is newer
      }
      if (!initial) {
        watch.eventApplied = true;
      }
      board.apply(watch.member.component, health);
      settle(watch.member.component);
      deliver = mustDeliver();
    } finally {
      lock.unlock();
    }
    if (deliver) {
      deliverPending();
    }
  }

  /**
   * Checks whether a running cooldown has ended and, if so, steps the severity down one
   * level. Reports do this too; call this periodically when signals may be quiet for longer
   * than a cooldown (the manager starts no threads of its own).
   *
   * @return the severity after the evaluation
   */
  public Severity evaluate() {
    boolean deliver;
    lock.lock();
    try {
      settle(-1);
      deliver = mustDeliver();
    } finally {
      lock.unlock();
    }
    if (deliver) {
      deliverPending();
    }
    return severity();
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
    Member member = component(component);
    Objects.requireNonNull(source, "source");
    HealthWatch watch = new HealthWatch(this, member, source.name());
    Subscription subscription = source.onHealthChange(watch);
    try {
      reportWatched(watch, Objects.requireNonNull(source.health(), "source.health()"), true);
    } catch (RuntimeException | Error failure) {
      subscription.close(); // do not leave a half-made watch behind
      throw failure;
    }
    return subscription;
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
  public void declare(Severity severity, String by, String reason) {
    Declaration declaration = new Declaration(severity, by, reason);
    boolean deliver;
    lock.lock();
    try {
      Declaration previous = control.declared;
      control.declared = declaration;
      if (journal != null) {
        control.pending.add(new JournalNotice(ticker.read(), "declared",
            severity + " declared by " + by + ": " + reason
                + (previous == null ? ""
                    : " (replaces " + previous.severity() + " declared by " + previous.by()
                        + ")")));
      }
      settle(-1);
      deliver = mustDeliver();
    } finally {
      lock.unlock();
    }
    if (deliver) {
      deliverPending();
    }
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
  public boolean clearDeclaration(String by, String reason) {
    Declaration.requireNonBlank(by, "by");
    Declaration.requireNonBlank(reason, "reason");
    boolean deliver;
    lock.lock();
    try {
      Declaration previous = control.declared;
      if (previous == null) {
        return false;
      }
      control.declared = null;
      if (journal != null) {
        control.pending.add(new JournalNotice(ticker.read(), "cleared",
            previous.severity() + " declared by " + previous.by() + " cleared by " + by + ": "
                + reason + "; rules indicate " + board.indicated()));
      }
      settle(-1);
      deliver = mustDeliver();
    } finally {
      lock.unlock();
    }
    if (deliver) {
      deliverPending();
    }
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
      return Optional.ofNullable(control.declared);
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
    Member member = component(component);
    lock.lock();
    try {
      return board.reported(member.component);
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
    Member member = component(component);
    TreeSet<String> names = new TreeSet<>();
    for (int dependent : board.blastRadius(member.component)) {
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
    return member(name).listeners.add(listener);
  }

  @Override
  public String toString() {
    return "CascadeManager[" + severity() + ", " + componentCount + " components, "
        + (memberCount - componentCount) + " features]";
  }

  // ---------------------------------------------------------------- internals

  /** The registered member of that name, or null; {@code what} names a null argument. */
  private @Nullable Member lookup(String name, String what) {
    int slot = nameIndex.slotOf(Objects.requireNonNull(name, what));
    return slot < 0 ? null : membersBySlot[slot];
  }

  private Member member(String name) {
    Member member = lookup(name, "name");
    if (member == null) {
      throw unknown(name);
    }
    return member;
  }

  private static IllegalArgumentException unknown(String name) {
    return new IllegalArgumentException("unknown feature or component '" + name + "'");
  }

  private Member component(String name) {
    Member member = lookup(name, "component");
    if (member == null) {
      throw new IllegalArgumentException("unknown component '" + name + "'");
    }
    if (!member.isComponent()) {
      throw new IllegalArgumentException("'" + name
          + "' is a feature, not a component: only components report health and have a blast"
          + " radius");
    }
    return member;
  }

  /** Brings the severity in line with the declaration or the rules. Lock held. */
  private void settle(int trigger) {
    Mode current = currentMode();
    Severity severity = current.severity();
    Declaration declared = control.declared;
    if (declared != null) {
      control.cooling = false;
      if (declared.severity() != severity) {
        change(current, declared.severity(),
            "declared by " + declared.by() + ": " + declared.reason());
      }
      return;
    }
    Severity indicated = board.indicated();
    int comparison = indicated.compareTo(severity);
    if (comparison > 0) {
      control.cooling = false;
      change(current, indicated, board.explain(indicated, trigger));
    } else if (comparison == 0) {
      control.cooling = false;
    } else {
      long now = ticker.read();
      if (!control.cooling) {
        control.cooling = true;
        control.betterSince = now;
      }
      if (now - control.betterSince >= cooldownNanos) {
        Severity next = severity.deescalated();
        change(current, next, "cooldown " + Texts.duration(cooldownNanos)
            + " of better signals elapsed; rules indicate " + indicated
            + (indicated == Severity.NORMAL ? "" : " (" + board.explain(indicated, trigger) + ")"));
        if (indicated.compareTo(next) < 0) {
          control.betterSince = now;
        } else {
          control.cooling = false;
        }
      }
    }
  }

  /**
   * Publishes the new mode to readers and queues its delivery, stamped for the journal with
   * the time of the change (delivery may come later). Lock held.
   */
  private void change(Mode from, Severity to, String cause) {
    Mode next = modes[to.ordinal()];
    MODE.setRelease(this, next);
    long at = journal == null ? 0L : ticker.read();
    control.pending.add(new SeverityNotice(from, next, cause, at));
  }

  /** Lock held. */
  private boolean mustDeliver() {
    return !control.delivering && !control.pending.isEmpty();
  }

  /** Delivers queued notices, unless another thread is already doing so. Lock not held. */
  private void deliverPending() {
    lock.lock();
    try {
      if (control.delivering || control.pending.isEmpty()) {
        return;
      }
      control.delivering = true;
    } finally {
      lock.unlock();
    }
    boolean drained = false;
    try {
      for (;;) {
        Notice next;
        lock.lock();
        try {
          next = control.pending.poll();
          if (next == null) {
            control.delivering = false;
            drained = true;
            return;
          }
        } finally {
          lock.unlock();
        }
        next.deliver();
      }
    } finally {
      if (!drained) { // a listener threw a VirtualMachineError: let the next caller go on
        lock.lock();
        try {
          control.delivering = false;
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** Something to deliver outside the lock, in order. */
  private abstract static class Notice {
    abstract void deliver();
  }

  /** A journal entry about a declaration, made at {@code at} (a reading of the ticker). */
  private final class JournalNotice extends Notice {
    private final long at;
    private final String kind;
    private final String detail;

    JournalNotice(long at, String kind, String detail) {
      this.at = at;
      this.kind = kind;
      this.detail = detail;
    }

    @Override
    void deliver() {
      if (journal != null) {
        journal.recordAt(ticker, at, SOURCE, kind, detail);
      }
    }
  }

  /**
   * A severity change made at {@code at} (a reading of the ticker, taken only with a journal):
   * journal entries, then severity listeners, then member listeners.
   */
  private final class SeverityNotice extends Notice {
    private final Mode from;
    private final Mode to;
    private final String cause;
    private final long at;

    SeverityNotice(Mode from, Mode to, String cause, long at) {
      this.from = from;
      this.to = to;
      this.cause = cause;
      this.at = at;
    }

    @Override
    void deliver() {
      boolean degrading = to.severity().isWorseThan(from.severity());
      if (journal != null) {
        record(journal, degrading);
      }
      if (severityListeners.hasListeners()) {
        severityListeners.publish(new SeverityChange(from, to, cause));
      }
      for (int k = 0; k < TIERS.length; k++) {
        Tier tier = TIERS[degrading ? TIERS.length - 1 - k : k];
        boolean affected = from.admits(tier) != to.admits(tier)
            || (to.admits(tier) && from.capacityFactor() != to.capacityFactor());
        if (!affected) {
          continue;
        }
        for (Member member : membersByTier[tier.ordinal()]) {
          if (member.listeners.hasListeners()) {
            member.listeners.publish(new AdmissionChange(member.name, tier, from, to, cause));
          }
        }
      }
    }

    private void record(IncidentJournal journal, boolean degrading) {
      String capacity = from.capacityFactor() == to.capacityFactor()
          ? ""
          : "; capacity " + from.capacityFactor() + " -> " + to.capacityFactor();
      journal.recordAt(ticker, at, SOURCE, "severity",
          from.severity() + " -> " + to.severity() + ": " + cause + capacity);
      for (int k = 0; k < TIERS.length; k++) {
        Tier tier = TIERS[degrading ? TIERS.length - 1 - k : k];
        if (from.admits(tier) == to.admits(tier)) {
          continue;
        }
        String names = tierMemberNames[tier.ordinal()];
        String kind = degrading ? "shed" : "restored";
        journal.recordAt(ticker, at, SOURCE, kind,
            tier + " " + kind + " at " + to.severity() + (names.isEmpty() ? "" : ": " + names));
      }
    }
  }

  /** A component or feature to register, as collected by the builder. */
  private static final class Registration {
    final String name;
    final Tier tier;
    final boolean feature;
    final int graphIndex;

    Registration(String name, Tier tier, boolean feature, int graphIndex) {
      this.name = name;
      this.tier = tier;
      this.feature = feature;
      this.graphIndex = graphIndex;
    }

    String kind() {
      return feature ? "a feature" : graphIndex >= 0 ? "a component of the graph" : "a component";
    }
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
    private final LinkedHashMap<String, Registration> registrations = new LinkedHashMap<>();
    private final Tier[] admitUpTo = {Tier.ENHANCED, Tier.STANDARD, Tier.ESSENTIAL, Tier.CRITICAL};
    private final double[] capacity = {1.0, 1.0, 0.6, 0.6};
    private final boolean[] admitSet = new boolean[4];
    private final boolean[] capacitySet = new boolean[4];
    private final Severity[][] rules = {
        /* CRITICAL  */ {Severity.NORMAL, Severity.MINOR, Severity.MAJOR},
        /* ESSENTIAL */ {Severity.NORMAL, Severity.MINOR, Severity.MAJOR},
        /* STANDARD  */ {Severity.NORMAL, Severity.MINOR, Severity.MINOR},
        /* ENHANCED  */ {Severity.NORMAL, Severity.MINOR, Severity.MINOR},
    };
    private int massMoreThan = 3;
    private Severity massSeverity = Severity.CRITICAL;
    private long cooldownNanos = DEFAULT_COOLDOWN.toNanos();
    private Ticker ticker = Ticker.system();
    private @Nullable IncidentJournal journal;
    private ListenerErrorHandler listenerErrorHandler = ListenerErrorHandler.logging();

    private Builder() {}

    /**
     * Takes the components, their tiers and their dependencies from a dependency graph.
     * Each component is shed, and judged by the rules, by its <em>declared</em>
     * {@link Component#tier() tier}, not by its {@link DependencyGraph#effectiveTier(String)
     * effective tier}: the usual topology has a CRITICAL front depending on everything it
     * routes to, and promotion would make its STANDARD and ENHANCED dependencies impossible to
     * shed, and turn a recommendations outage into a MAJOR incident. (Effective tiers order
     * recovery phases; they are not a measure of how much work matters.) What a failing
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
      Objects.requireNonNull(tier, "tier");
      Registration previous = registrations.get(name);
      if (previous != null) {
        throw new IllegalArgumentException("duplicate registration: '" + name
            + "' is already registered as " + previous.kind() + " (" + previous.tier + ")");
      }
      registrations.put(name, new Registration(name, tier, feature, -1));
      return this;
    }

    /**
     * Sets the least important tier admitted at a severity: that tier and every more
     * important one run, every less important one is shed. Defaults: {@code NORMAL} admits up
     * to {@code ENHANCED} (everything), {@code MINOR} up to {@code STANDARD}, {@code MAJOR} up
     * to {@code ESSENTIAL}, {@code CRITICAL} only {@code CRITICAL}. A severity left at its
     * default gives way to the settings around it: it admits no more than a milder severity
     * set to admit less, and no less than a harsher severity set to admit more.
     *
     * @param severity the severity to configure
     * @param leastImportantAdmitted the least important tier it admits
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder admitUpTo(Severity severity, Tier leastImportantAdmitted) {
      Objects.requireNonNull(severity, "severity");
      admitUpTo[severity.ordinal()] =
          Objects.requireNonNull(leastImportantAdmitted, "leastImportantAdmitted");
      admitSet[severity.ordinal()] = true;
      return this;
    }

    /**
     * Sets the capacity factor of a severity: the share of normal capacity that pools and
     * limiters should run at. Defaults: 1.0 at {@code NORMAL} and {@code MINOR}, 0.6 at
     * {@code MAJOR} and {@code CRITICAL}. A severity left at its default gives way to the
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
      capacity[severity.ordinal()] = factor;
      capacitySet[severity.ordinal()] = true;
      return this;
    }

    /**
     * Sets the severity that one component of a tier in a given health indicates. Defaults:
     * {@code CRITICAL} or {@code ESSENTIAL} and {@code DOWN} indicate {@code MAJOR};
     * {@code STANDARD} or {@code ENHANCED} and {@code DOWN} indicate {@code MINOR}; any tier
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
      rules[tier.ordinal()][health.ordinal()] = severity;
      return this;
    }

    /**
     * Sets the mass-outage rule: when more than {@code moreThan} components of tier
     * {@code CRITICAL} or {@code ESSENTIAL} are {@code DOWN} at once, the rules indicate
     * {@code severity}. Default: more than 3 indicate {@code CRITICAL}. A tier whose
     * {@code DOWN} rule indicates {@code NORMAL} ({@link #escalate ignored}) does not count.
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
      this.massSeverity = Objects.requireNonNull(severity, "severity");
      this.massMoreThan = moreThan;
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
      long nanos;
      try {
        nanos = cooldown.toNanos();
      } catch (ArithmeticException tooLong) {
        nanos = Long.MAX_VALUE; // about 292 years: never
      }
      this.cooldownNanos = nanos;
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
     * Sets what happens when a listener throws; by default it is logged at WARNING.
     *
     * @param handler receives listeners' exceptions
     * @return this builder
     * @throws NullPointerException if {@code handler} is null
     */
    public Builder listenerErrorHandler(ListenerErrorHandler handler) {
      this.listenerErrorHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Resolves one rung of the ladder per severity: values must not rise with severity.
     * Explicit settings must agree with each other; a default is clamped between the nearest
     * explicit settings on either side (the defaults alone are already monotone, and so are
     * the bounds, so the result is too).
     */
    private static double[] resolve(
        double[] values,
        boolean[] explicit,
        String what,
        String verb,
        DoubleFunction<String> show) {
      Severity[] severities = Severity.values();
      for (int low = 0; low < values.length; low++) {
        for (int high = low + 1; high < values.length; high++) {
          if (explicit[low] && explicit[high] && values[high] > values[low]) {
            throw new IllegalArgumentException("a higher severity must not " + what + ": "
                + severities[low] + " " + verb + " " + show.apply(values[low]) + ", "
                + severities[high] + " " + verb + " " + show.apply(values[high]));
          }
        }
      }
      double[] result = values.clone();
      for (int s = 0; s < values.length; s++) {
        if (explicit[s]) {
          continue;
        }
        double upper = Double.POSITIVE_INFINITY;
        double lower = Double.NEGATIVE_INFINITY;
        for (int other = 0; other < values.length; other++) {
          if (explicit[other] && other < s) {
            upper = Math.min(upper, values[other]);
          } else if (explicit[other] && other > s) {
            lower = Math.max(lower, values[other]);
          }
        }
        result[s] = Math.max(lower, Math.min(upper, values[s]));
      }
      return result;
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
      double[] admitted = new double[admitUpTo.length];
      for (int s = 0; s < admitted.length; s++) {
        admitted[s] = admitUpTo[s].ordinal();
      }
      admitted = resolve(admitted, admitSet, "admit a tier a lower one sheds", "admits up to",
          value -> TIERS[(int) value].toString());
      Tier[] ladder = new Tier[admitted.length];
      for (int s = 0; s < ladder.length; s++) {
        ladder[s] = TIERS[(int) admitted[s]];
      }
      double[] factors = resolve(capacity, capacitySet, "have a higher capacity factor", "has",
          Double::toString);
      for (Tier tier : TIERS) {
        Severity degraded = rules[tier.ordinal()][Health.DEGRADED.ordinal()];
        Severity down = rules[tier.ordinal()][Health.DOWN.ordinal()];
        if (degraded.isWorseThan(down)) {
          throw new IllegalArgumentException("the rule for " + tier + " DOWN (" + down
              + ") must be at least as severe as the rule for " + tier + " DEGRADED ("
              + degraded + ")");
        }
      }
      List<Registration> all = new ArrayList<>();
      if (graph != null) {
        for (int i = 0; i < graph.size(); i++) {
          Component component = graph.componentAt(i);
          Registration clash = registrations.get(component.name());
          if (clash != null) {
            throw new IllegalArgumentException("duplicate registration: '" + component.name()
                + "' is a component of the graph and is also registered as " + clash.kind());
          }
          all.add(new Registration(
              component.name(), component.tier(), false, i));
        }
      }
      all.addAll(registrations.values());
      return new CascadeManager(this, all, ladder, factors);
    }
  }
}
