package dev.breakglass.cascade.degradation;

import dev.breakglass.core.EventListener;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ListenerErrorHandler;
import dev.breakglass.core.Listeners;
import dev.breakglass.core.Subscription;
import dev.breakglass.core.Ticker;
import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.DeliveryQueue;
import dev.breakglass.core.internal.DurationFormat;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Defers the work of tiers a {@link CascadeManager} sheds instead of dropping it: holds it in a
 * bounded queue per tier while the tier is shed, and replays it, oldest first and most important
 * tier first, at a controlled rate once the tier is admitted again.
 *
 * <pre>{@code
 * Deferral deferral = Deferral.builder(manager, scheduler)
 *     .capacity(1000)                          // per tier
 *     .maxWait(Duration.ofMinutes(5))          // then the work expires
 *     .replayRate(50)                          // items per second, all tiers together
 *     .build();
 *
 * deferral.submit(Tier.ENHANCED, () -> analytics.record(order))
 *     .whenComplete((ok, failure) -> { if (failure != null) metrics.lost(failure); });
 * }</pre>
 *
 * <p><b>Submitting.</b> {@link #submit(Tier, Runnable)} asks the manager whether the tier is
 * admitted. If it is, the work <em>runs at once on the calling thread</em> and the returned stage
 * is already complete (normally, or exceptionally with what the work threw); this path is one
 * acquire read and allocates nothing when the work succeeds. If the tier is shed, the work is
 * queued and the returned stage completes when it has run, or exceptionally with a stackless
 * {@link DeferralException} naming the tier and the {@link DeferralException.Reason reason} it
 * will not run here: {@code OVERFLOW} (the tier's queue was full: it is never queued),
 * {@code EXPIRED} (it waited longer than its maximum wait), {@code HANDED_BACK} or {@code CLOSED}
 * (see Shutdown). Nothing is dropped silently: every piece of shed work ends exactly once as
 * replayed, expired, handed back or rejected, and is {@link #counts() counted} as such.
 *
 * <p><b>Replaying.</b> While work waits, a replay tick runs on the given scheduler every
 * {@link Builder#replayInterval replay interval} (default 100 ms; no tick is scheduled while
 * nothing waits). Each tick expires work whose deadline has passed, then takes work from the
 * queues of the tiers the manager admits at that moment, most important tier first and oldest
 * first within a tier, as many as a token bucket filled at the {@link Builder#replayRate replay
 * rate} allows (default 100 per second; at most one interval's worth, and at least one item, per
 * tick, so a long shed spell does not build up a burst), and runs them one after another on the
 * scheduler's thread. Just before each item runs its tier is checked again; if it has been shed
 * meanwhile, the item and those after it go back to the front of their queues, in order. Work
 * that must not occupy the scheduler's thread should hand itself to an executor. Work that runs
 * at once because its tier is admitted does not wait behind a backlog of the same tier: the
 * order is first-in first-out among the deferred items of a tier. If the scheduler rejects a
 * tick (it was shut down), everything waiting expires, naming the rejection, rather than wait
 * forever.
 *
 * <p><b>Shutdown.</b> One of {@link #drain()} (replay everything now, on the calling thread),
 * {@link #expireAll(String)} (expire everything with a reason) or {@link #handBack()} (return
 * everything still pending to the caller) settles every pending item and closes the deferral:
 * from then on, shed work is rejected with reason {@code CLOSED} (admitted work still runs at
 * once). Each fits a {@code ShutdownSequencer} component step:
 *
 * <pre>{@code
 * Component.builder("deferred-work").tier(Tier.STANDARD)
 *     .onDrain(deferral::drain)                            // or:
 *     .onFlush(() -> outbox.saveAll(deferral.handBack()))
 *     .build();
 * }</pre>
 *
 * <p><b>Events and the journal.</b> Not one per item: for each tier, one when an
 * <em>episode</em> begins (work queued while the tier's queue was empty), one the first time its
 * queue overflows in the episode, and one when the queue is empty again, with the episode's
 * counts (see {@link DeferralEvent}). They go to the {@link #onEvent listeners} and, when there
 * is one (by default the manager's), the journal, source {@code "cascade"}, kinds
 * {@code "deferring"}, {@code "overflow"} and {@code "deferral-ended"}, stamped with the moment
 * they happened, in order, one at a time, outside any lock.
 *
 * <p>Thread-safe. Submitting admitted work is lock-free. Queuing, replay ticks and the shutdown
 * methods are serialized by a lock that is never held while work, stage dependents, listeners or
 * the journal run. {@code drain()} does not wait for items a replay tick has already taken.
 */
public final class Deferral {

  /*
   * Design. The admitted path reads the manager's mode (one acquire load) and runs the work:
   * nothing else, so it costs what CascadeManager.admit costs plus the work. The shed path is
   * not a hot path (it is taken while the service is degraded, and allocates a stage anyway), so
   * the queues are plain ArrayDeques under one ReentrantLock (not synchronized: virtual threads
   * must not pin), held only to move items and counters, never while user code runs.
   *
   * Replay is a one-shot scheduler task that reschedules itself while anything waits, so at
   * most one tick is outstanding and an idle deferral costs nothing. Its rate is a token bucket
   * (tokens = elapsed * rate, capped at max(1, rate * interval)). Expiry is swept on ticks, and
   * only when the earliest deadline of a tier's queue has passed, so a tick over a long queue is
   * O(1) unless something actually expired.
   *
   * An item is in exactly one place at a time: a queue, a tick's or a shutdown call's hands, or
   * settled; its CompletableFuture is completed by whoever took it, once. Counters move with it
   * under the lock, which keeps deferred == pending + replayed + expired + handedBack exact
   * (an item a tick takes counts as replayed; if its tier is shed again before it runs it goes
   * back to the queue and the count back with it).
   *
   * Events are queued under the lock in a DeliveryQueue (core's serialized, ordered delivery)
   * and delivered after the lock is released, the same way the manager delivers its changes.
   */

  /** The stage returned for admitted work that ran and returned normally: shared, immutable. */
  private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

  private static final Tier[] TIERS = Tier.values();

  /** Waits longer than this count as this: deadlines stay comparable by subtraction. */
  private static final long MAX_WAIT_NANOS = 1L << 62;

  private final CascadeManager manager;
  private final ScheduledExecutorService scheduler;
  private final Ticker ticker;
  private final @Nullable IncidentJournal journal;
  private final Listeners<DeferralEvent> listeners;
  private final DeliveryQueue<Note> notes;
  private final long defaultMaxWaitNanos;
  private final double replayRate;
  private final long intervalNanos;
  private final double maxTokens;
  private final Runnable tickTask = this::tick;
  private final ReentrantLock lock = new ReentrantLock();
  private final TierState[] tiers;

  // guarded by lock
  private boolean scheduled;
  private boolean closed;
  private double tokens;
  private long lastRefill;

  private Deferral(Builder builder) {
    this.manager = builder.manager;
    this.scheduler = builder.scheduler;
    this.ticker = manager.ticker();
    this.journal = builder.journalSet ? builder.journal : manager.journal();
    this.listeners = Listeners.create(CascadeManager.SOURCE, builder.listenerErrorHandler);
    this.notes = new DeliveryQueue<>(this::publish);
    this.defaultMaxWaitNanos = builder.maxWaitNanos;
    this.replayRate = builder.replayRate;
    this.intervalNanos = builder.intervalNanos;
    this.maxTokens = Math.max(1.0, replayRate * intervalNanos / 1e9);
    this.tiers = new TierState[TIERS.length];
    for (Tier tier : TIERS) {
      tiers[tier.ordinal()] = new TierState(tier, builder.capacities[tier.ordinal()]);
    }
    this.tokens = maxTokens;
    this.lastRefill = ticker.read();
  }

  /**
   * Returns a builder for a deferral of the given manager's shed work, replayed by ticks on the
   * given scheduler.
   *
   * @param manager the manager whose {@link CascadeManager#admit admit(tier)} decides what is
   *     shed; its ticker times the deferral and its journal, if any, is the deferral's default
   * @param scheduler runs the replay ticks (and the replayed work, unless it hands itself off);
   *     in tests, core's {@code ManualScheduler}
   * @return a new builder with the defaults
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(CascadeManager manager, ScheduledExecutorService scheduler) {
    return new Builder(manager, scheduler);
  }

  // ---------------------------------------------------------------- submitting

  /**
   * Runs the work now if its tier is admitted, otherwise defers it for at most the builder's
   * {@link Builder#maxWait maximum wait}.
   *
   * @param tier the tier of the work
   * @param work the work
   * @return a stage that completes when the work has run (exceptionally with what it threw), or
   *     exceptionally with a {@link DeferralException} if it will not run here; already complete
   *     if the tier was admitted
   * @throws NullPointerException if an argument is null
   * @throws VirtualMachineError if admitted work threw one (rethrown, not captured in the stage)
   */
  public CompletionStage<Void> submit(Tier tier, Runnable work) {
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(work, "work");
    if (manager.admit(tier)) {
      return runNow(work);
    }
    return defer(tier, work, defaultMaxWaitNanos);
  }

  /**
   * Runs the work now if its tier is admitted, otherwise defers it for at most {@code maxWait}.
   *
   * @param tier the tier of the work
   * @param maxWait how long the work may wait while its tier is shed before it expires; positive
   * @param work the work
   * @return a stage that completes when the work has run (exceptionally with what it threw), or
   *     exceptionally with a {@link DeferralException} if it will not run here; already complete
   *     if the tier was admitted
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code maxWait} is zero or negative
   * @throws VirtualMachineError if admitted work threw one (rethrown, not captured in the stage)
   */
  public CompletionStage<Void> submit(Tier tier, Duration maxWait, Runnable work) {
    Objects.requireNonNull(tier, "tier");
    long maxWaitNanos = positiveNanos(maxWait, "maxWait");
    Objects.requireNonNull(work, "work");
    if (manager.admit(tier)) {
      return runNow(work);
    }
    return defer(tier, work, maxWaitNanos);
  }

  private static CompletionStage<Void> runNow(Runnable work) {
    try {
      work.run();
      return DONE;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      return CompletableFuture.failedStage(e);
    }
  }

  private CompletionStage<Void> defer(Tier tier, Runnable work, long maxWaitNanos) {
    DeferralException rejection = null;
    Pending pending = null;
    boolean schedule = false;
    lock.lock();
    try {
      long now = ticker.read();
      TierState state = tiers[tier.ordinal()];
      if (closed) {
        state.refused++;
        rejection = new DeferralException(tier, DeferralException.Reason.CLOSED,
            "the deferral was closed (drained, expired or handed back)");
      } else if (state.queue.size() >= state.capacity) {
        state.overflowed++;
        state.episodeOverflowed++;
        if (!state.overflowReported) {
          state.overflowReported = true;
          note(state, DeferralEvent.Kind.OVERFLOWING, now);
        }
        rejection = new DeferralException(tier, DeferralException.Reason.OVERFLOW,
            "queue full (" + state.capacity + ")");
      } else {
        pending = new Pending(tier, work, now, now + maxWaitNanos);
        state.deferred++;
        enqueue(state, pending, false, now);
        if (!scheduled) {
          scheduled = true;
          schedule = true;
        }
      }
    } finally {
      lock.unlock();
    }
    notes.deliver();
    if (rejection != null) {
      return CompletableFuture.failedStage(rejection);
    }
    if (schedule) {
      scheduleTick();
    }
    return Objects.requireNonNull(pending).future;
  }

  /** Adds to the back (or, for work given back by a tick, the front). Lock held. */
  private void enqueue(TierState state, Pending pending, boolean front, long now) {
    boolean starting = !state.active;
    if (starting) {
      state.active = true;
      state.episodeStart = now;
    }
    if (state.queue.isEmpty() || pending.deadline - state.earliestDeadline < 0) {
      state.earliestDeadline = pending.deadline;
    }
    state.episodeDeferred++;
    if (front) {
      state.queue.addFirst(pending);
    } else {
      state.queue.addLast(pending);
    }
    if (starting) {
      note(state, DeferralEvent.Kind.STARTED, now);
    }
  }

  // ---------------------------------------------------------------- replaying

  // The tick settles its own failures (see tick()); the Future would only repeat them.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void scheduleTick() {
    try {
      scheduler.schedule(tickTask, intervalNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Nothing would ever replay what waits: settle it now rather than leave it hanging.
      lock.lock();
      try {
        scheduled = false;
      } finally {
        lock.unlock();
      }
      settleAll(DeferralException.Reason.EXPIRED,
          "the scheduler rejected the replay tick (" + e + ")", false);
    }
  }

  /** One replay tick; runs on the scheduler. */
  private void tick() {
    List<Pending> expired = new ArrayList<>();
    List<Pending> due = new ArrayList<>();
    lock.lock();
    try {
      long now = ticker.read();
      tokens = Math.min(maxTokens, tokens + (now - lastRefill) * replayRate / 1e9);
      lastRefill = now;
      for (TierState state : tiers) {
        if (state.queue.isEmpty()) {
          continue;
        }
        if (now - state.earliestDeadline >= 0) {
          sweep(state, now, expired);
        }
        if (manager.admit(state.tier)) {
          while (tokens >= 1.0 && !state.queue.isEmpty()) {
            tokens -= 1.0;
            due.add(state.queue.pollFirst());
            state.replayed++;
            state.episodeReplayed++;
          }
        }
        endIfEmpty(state, now);
      }
    } finally {
      lock.unlock();
    }
    notes.deliver();
    for (Pending pending : expired) {
      pending.future.completeExceptionally(new DeferralException(pending.tier,
          DeferralException.Reason.EXPIRED, "waited longer than its maximum wait of "
              + DurationFormat.format(pending.deadline - pending.deferredAt)));
    }
    VirtualMachineError fatal = null;
    for (int i = 0; i < due.size(); i++) {
      Pending pending = due.get(i);
      if (!manager.admit(pending.tier)) {
        giveBack(due, i); // shed again since the tick took it
        break;
      }
      try {
        pending.work.run();
        pending.future.complete(null);
      } catch (VirtualMachineError e) {
        pending.future.completeExceptionally(e);
        giveBack(due, i + 1);
        fatal = e;
        break;
      } catch (Throwable e) {
        pending.future.completeExceptionally(e);
      }
    }
    boolean again;
    lock.lock();
    try {
      again = !closed && hasPending();
      scheduled = again;
    } finally {
      lock.unlock();
    }
    notes.deliver();
    if (again) {
      scheduleTick();
    }
    if (fatal != null) {
      throw fatal;
    }
  }

  /** Expires every item of the queue whose deadline has passed. Lock held. */
  private void sweep(TierState state, long now, List<Pending> expired) {
    long earliest = 0;
    boolean first = true;
    for (Iterator<Pending> it = state.queue.iterator(); it.hasNext(); ) {
      Pending pending = it.next();
      if (now - pending.deadline >= 0) {
        it.remove();
        expired.add(pending);
        state.expired++;
        state.episodeExpired++;
      } else if (first || pending.deadline - earliest < 0) {
        earliest = pending.deadline;
        first = false;
      }
    }
    state.earliestDeadline = earliest;
  }

  /** Puts items a tick took but did not run back at the front of their queues, in order. */
  private void giveBack(List<Pending> due, int from) {
    List<Pending> closedMeanwhile = new ArrayList<>();
    lock.lock();
    try {
      long now = ticker.read();
      for (int j = due.size() - 1; j >= from; j--) {
        Pending pending = due.get(j);
        TierState state = tiers[pending.tier.ordinal()];
        state.replayed--;
        if (closed) {
          state.expired++;
          closedMeanwhile.add(pending);
          continue;
        }
        if (state.active) {
          state.episodeReplayed--;
          state.episodeDeferred--; // enqueue counts it again
        }
        enqueue(state, pending, true, now);
      }
    } finally {
      lock.unlock();
    }
    for (Pending pending : closedMeanwhile) {
      pending.future.completeExceptionally(new DeferralException(pending.tier,
          DeferralException.Reason.EXPIRED,
          "the deferral was closed while its replay waited for the tier to be admitted again"));
    }
  }

  private void endIfEmpty(TierState state, long now) {
    if (state.active && state.queue.isEmpty()) {
      note(state, DeferralEvent.Kind.ENDED, now);
      state.active = false;
      state.overflowReported = false;
      state.episodeDeferred = 0;
      state.episodeReplayed = 0;
      state.episodeExpired = 0;
      state.episodeOverflowed = 0;
      state.episodeHandedBack = 0;
    }
  }

  private boolean hasPending() {
    for (TierState state : tiers) {
      if (!state.queue.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- shutdown

  /**
   * Replays every pending item now, on the calling thread, whatever the current severity and
   * rate: most important tier first, oldest first within a tier; then closes the deferral. A
   * shutdown step for work that must not be lost and may still run.
   *
   * <p>An item whose work throws completes its stage exceptionally with that and the rest still
   * run; a {@link VirtualMachineError} ends the drain: the items after it expire (reason
   * {@code EXPIRED}, naming the error) and the error is rethrown.
   *
   * @return how many items were replayed (whether their work succeeded or threw)
   * @throws VirtualMachineError if an item's work threw one
   */
  public int drain() {
    List<Pending> taken = takeAll(Outcome.REPLAYED);
    for (int i = 0; i < taken.size(); i++) {
      Pending pending = taken.get(i);
      try {
        pending.work.run();
        pending.future.complete(null);
      } catch (VirtualMachineError e) {
        pending.future.completeExceptionally(e);
        expireRest(taken, i + 1, e);
        throw e;
      } catch (Throwable e) {
        pending.future.completeExceptionally(e);
      }
    }
    return taken.size();
  }

  private void expireRest(List<Pending> taken, int from, Throwable cause) {
    lock.lock();
    try {
      for (int j = from; j < taken.size(); j++) {
        TierState state = tiers[taken.get(j).tier.ordinal()];
        state.replayed--;
        state.expired++;
      }
    } finally {
      lock.unlock();
    }
    for (int j = from; j < taken.size(); j++) {
      Pending pending = taken.get(j);
      pending.future.completeExceptionally(new DeferralException(pending.tier,
          DeferralException.Reason.EXPIRED, "the drain was ended by " + cause));
    }
  }

  /**
   * Expires every pending item with the given reason and closes the deferral: their stages
   * complete exceptionally with a {@link DeferralException} of reason {@code EXPIRED} whose
   * message includes {@code reason}. A shutdown step for work that is not worth keeping.
   *
   * @param reason why, for the submitters, e.g. {@code "service shutting down"}
   * @return how many items expired
   * @throws NullPointerException if {@code reason} is null
   */
  public int expireAll(String reason) {
    Objects.requireNonNull(reason, "reason");
    return settleAll(DeferralException.Reason.EXPIRED, "expired: " + reason, true).size();
  }

  /**
   * Removes every pending item and returns it to the caller, most important tier first, oldest
   * first within a tier, and closes the deferral. The submitters' stages complete exceptionally
   * with a {@link DeferralException} of reason {@code HANDED_BACK}; the caller now owns the work
   * (to persist it to an outbox, say). A shutdown step for work that must not be lost but must
   * not run here.
   *
   * @return the pending work, in replay order; empty if none
   */
  public List<DeferredWork> handBack() {
    List<Pending> taken = settleAll(DeferralException.Reason.HANDED_BACK,
        "handed back before it could be replayed", true);
    List<DeferredWork> result = new ArrayList<>(taken.size());
    for (Pending pending : taken) {
      result.add(new DeferredWork(pending.tier, pending.work, pending.deferredAt,
          pending.deadline));
    }
    return List.copyOf(result);
  }

  /**
   * Tells whether {@link #drain()}, {@link #expireAll} or {@link #handBack()} has been called.
   *
   * @return {@code true} if shed work is now rejected with reason {@code CLOSED}
   */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  private enum Outcome { REPLAYED, EXPIRED, HANDED_BACK }

  /** Takes and completes every pending item with a rejection; closes if asked. */
  private List<Pending> settleAll(DeferralException.Reason reason, String detail, boolean close) {
    List<Pending> taken;
    if (close) {
      taken = takeAll(reason == DeferralException.Reason.HANDED_BACK
          ? Outcome.HANDED_BACK : Outcome.EXPIRED);
    } else {
      taken = take(Outcome.EXPIRED, false);
    }
    for (Pending pending : taken) {
      pending.future.completeExceptionally(new DeferralException(pending.tier, reason, detail));
    }
    return taken;
  }

  private List<Pending> takeAll(Outcome outcome) {
    return take(outcome, true);
  }

  /** Removes every pending item, counting it as the outcome; delivers the events. */
  private List<Pending> take(Outcome outcome, boolean close) {
    List<Pending> taken = new ArrayList<>();
    lock.lock();
    try {
      if (close) {
        closed = true;
      }
      long now = ticker.read();
      for (TierState state : tiers) {
        int n = state.queue.size();
        taken.addAll(state.queue);
        state.queue.clear();
        switch (outcome) {
          case REPLAYED -> {
            state.replayed += n;
            state.episodeReplayed += n;
          }
          case EXPIRED -> {
            state.expired += n;
            state.episodeExpired += n;
          }
          case HANDED_BACK -> {
            state.handedBack += n;
            state.episodeHandedBack += n;
          }
        }
        endIfEmpty(state, now);
      }
    } finally {
      lock.unlock();
    }
    notes.deliver();
    return taken;
  }

  // ---------------------------------------------------------------- observing

  /**
   * Returns how many items wait now, in all tiers.
   *
   * @return the number of pending items
   */
  public int pending() {
    lock.lock();
    try {
      int total = 0;
      for (TierState state : tiers) {
        total += state.queue.size();
      }
      return total;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the counts of one tier.
   *
   * @param tier the tier
   * @return a snapshot of its counts
   * @throws NullPointerException if {@code tier} is null
   */
  public DeferralCounts counts(Tier tier) {
    Objects.requireNonNull(tier, "tier");
    lock.lock();
    try {
      return tiers[tier.ordinal()].counts();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the counts of every tier, taken at one instant.
   *
   * @return one snapshot per tier, most important first
   */
  public List<DeferralCounts> counts() {
    lock.lock();
    try {
      List<DeferralCounts> result = new ArrayList<>(tiers.length);
      for (TierState state : tiers) {
        result.add(state.counts());
      }
      return List.copyOf(result);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Registers a listener for the episodes of every tier's queue (see {@link DeferralEvent}).
   * Listeners run one at a time, in order, outside any lock, on the thread that caused the
   * event or on one delivering events at that moment; one that throws is handed to the
   * {@link Builder#listenerErrorHandler listener error handler}.
   *
   * @param listener the listener
   * @return the subscription that unregisters it
   * @throws NullPointerException if {@code listener} is null
   */
  public Subscription onEvent(EventListener<? super DeferralEvent> listener) {
    return listeners.add(listener);
  }

  @Override
  public String toString() {
    return "Deferral[" + pending() + " pending" + (isClosed() ? ", closed" : "") + "]";
  }

  // ---------------------------------------------------------------- events

  /** An event and the moment it happened. */
  private record Note(DeferralEvent event, long at) {}

  /** Lock held. */
  private void note(TierState state, DeferralEvent.Kind kind, long now) {
    notes.add(new Note(new DeferralEvent(kind, state.tier, manager.severity(),
        state.episodeDeferred, state.episodeReplayed, state.episodeExpired,
        state.episodeOverflowed, state.episodeHandedBack, now - state.episodeStart), now));
  }

  /** Delivers one event: the journal first, then the listeners. Never under the lock. */
  private void publish(Note note) {
    DeferralEvent event = note.event();
    if (journal != null) {
      journal.recordAt(ticker, note.at(), CascadeManager.SOURCE, kind(event.kind()),
          detail(event));
    }
    if (listeners.hasListeners()) {
      listeners.publish(event);
    }
  }

  private static String kind(DeferralEvent.Kind kind) {
    return switch (kind) {
      case STARTED -> "deferring";
      case OVERFLOWING -> "overflow";
      case ENDED -> "deferral-ended";
    };
  }

  private String detail(DeferralEvent event) {
    Tier tier = event.tier();
    return switch (event.kind()) {
      case STARTED -> tier + " work deferred at " + event.severity() + ": queue capacity "
          + tiers[tier.ordinal()].capacity + ", max wait "
          + DurationFormat.format(defaultMaxWaitNanos) + ", replayed at " + replayRate + "/s";
      case OVERFLOWING -> tier + " deferral queue full (" + tiers[tier.ordinal()].capacity
          + ") at " + event.severity() + ": rejecting new " + tier + " work until it drains";
      case ENDED -> tier + " deferral ended at " + event.severity() + " after "
          + DurationFormat.format(event.elapsedNanos()) + ": " + event.deferred() + " deferred, "
          + event.replayed() + " replayed, " + event.expired() + " expired, "
          + event.handedBack() + " handed back, " + event.overflowed() + " rejected (queue full)";
    };
  }

  // ---------------------------------------------------------------- state

  /** One deferred item; in exactly one place at a time. */
  private static final class Pending {
    final Tier tier;
    final Runnable work;
    final long deferredAt;
    final long deadline;
    final CompletableFuture<Void> future = new CompletableFuture<>();

    Pending(Tier tier, Runnable work, long deferredAt, long deadline) {
      this.tier = tier;
      this.work = work;
      this.deferredAt = deferredAt;
      this.deadline = deadline;
    }
  }

  /** The queue and counters of one tier; guarded by the deferral's lock. */
  private static final class TierState {
    final Tier tier;
    final int capacity;
    final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** The earliest deadline in the queue; meaningful only while it is not empty. */
    long earliestDeadline;
    long deferred;
    long replayed;
    long expired;
    long overflowed;
    long handedBack;
    long refused;
    boolean active;
    boolean overflowReported;
    long episodeStart;
    long episodeDeferred;
    long episodeReplayed;
    long episodeExpired;
    long episodeOverflowed;
    long episodeHandedBack;

    TierState(Tier tier, int capacity) {
      this.tier = tier;
      this.capacity = capacity;
    }

    DeferralCounts counts() {
      return new DeferralCounts(tier, queue.size(), deferred, replayed, expired, overflowed,
          handedBack, refused);
    }
  }

  private static long positiveNanos(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
    return Math.min(DurationFormat.saturatedNanos(duration), MAX_WAIT_NANOS);
  }

  // ---------------------------------------------------------------- builder

  /**
   * Configures a {@link Deferral}. Reusable and not thread-safe; each {@link #build()} makes an
   * independent deferral.
   */
  public static final class Builder {

    /** The default capacity of each tier's queue. */
    static final int DEFAULT_CAPACITY = 1000;

    private final CascadeManager manager;
    private final ScheduledExecutorService scheduler;
    private final int[] capacities = new int[TIERS.length];
    private long maxWaitNanos = Duration.ofMinutes(5).toNanos();
    private double replayRate = 100.0;
    private long intervalNanos = Duration.ofMillis(100).toNanos();
    private @Nullable IncidentJournal journal;
    private boolean journalSet;
    private ListenerErrorHandler listenerErrorHandler = CascadeManager.LOGGING_HANDLER;

    private Builder(CascadeManager manager, ScheduledExecutorService scheduler) {
      this.manager = Objects.requireNonNull(manager, "manager");
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      java.util.Arrays.fill(capacities, DEFAULT_CAPACITY);
    }

    /**
     * Sets the capacity of every tier's queue (default 1000). Work of a shed tier whose queue
     * is full is rejected with reason {@code OVERFLOW}.
     *
     * @param capacity the most items one tier's queue holds
     * @return this builder
     * @throws IllegalArgumentException if {@code capacity} is zero or negative
     */
    public Builder capacity(int capacity) {
      java.util.Arrays.fill(capacities, requirePositive(capacity));
      return this;
    }

    /**
     * Sets the capacity of one tier's queue (default 1000).
     *
     * @param tier the tier
     * @param capacity the most items its queue holds
     * @return this builder
     * @throws NullPointerException if {@code tier} is null
     * @throws IllegalArgumentException if {@code capacity} is zero or negative
     */
    public Builder capacity(Tier tier, int capacity) {
      Objects.requireNonNull(tier, "tier");
      capacities[tier.ordinal()] = requirePositive(capacity);
      return this;
    }

    private static int requirePositive(int capacity) {
      if (capacity <= 0) {
        throw new IllegalArgumentException("capacity must be > 0, was " + capacity);
      }
      return capacity;
    }

    /**
     * Sets how long work may wait while its tier is shed before it expires (default 5 minutes);
     * {@link Deferral#submit(Tier, Duration, Runnable)} sets it per item.
     *
     * @param maxWait the maximum wait; positive
     * @return this builder
     * @throws NullPointerException if {@code maxWait} is null
     * @throws IllegalArgumentException if {@code maxWait} is zero or negative
     */
    public Builder maxWait(Duration maxWait) {
      this.maxWaitNanos = positiveNanos(maxWait, "maxWait");
      return this;
    }

    /**
     * Sets how many items per second are replayed once their tier is admitted again, all
     * tiers together (default 100).
     *
     * @param perSecond the replay rate; finite and positive
     * @return this builder
     * @throws IllegalArgumentException if {@code perSecond} is NaN, infinite, zero or negative
     */
    public Builder replayRate(double perSecond) {
      if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
        throw new IllegalArgumentException(
            "replayRate must be a finite number of items per second > 0, was " + perSecond);
      }
      this.replayRate = perSecond;
      return this;
    }

    /**
     * Sets how often the replay tick runs while work waits (default 100 ms). Each tick replays
     * at most an interval's worth of the {@link #replayRate replay rate}, and at least one item.
     *
     * @param interval the interval between ticks; positive
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     */
    public Builder replayInterval(Duration interval) {
      this.intervalNanos = positiveNanos(interval, "replayInterval");
      return this;
    }

    /**
     * Sets the journal the deferral records its episodes in (default: the manager's journal,
     * if it has one).
     *
     * @param journal the journal
     * @return this builder
     * @throws NullPointerException if {@code journal} is null
     */
    public Builder journal(IncidentJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      this.journalSet = true;
      return this;
    }

    /**
     * Sets what happens when a {@link Deferral#onEvent listener} throws (default: logged at
     * WARN on the SLF4J logger {@code dev.breakglass.cascade}).
     *
     * @param handler the handler
     * @return this builder
     * @throws NullPointerException if {@code handler} is null
     */
    public Builder listenerErrorHandler(ListenerErrorHandler handler) {
      this.listenerErrorHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Builds the deferral. It schedules nothing until work is deferred.
     *
     * @return a new deferral
     */
    public Deferral build() {
      return new Deferral(this);
    }
  }
}
