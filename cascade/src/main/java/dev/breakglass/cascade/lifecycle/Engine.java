package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Ticker;
import dev.breakglass.core.internal.DurationFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs one slice of a plan: each node's {@link Job} on the executor as soon as every node it
 * waits for has finished, under per-node budgets and one overall deadline.
 *
 * <p>Not thread-safe: {@link #run()} is called once, and the engine's state is confined to the
 * calling (coordinating) thread. Jobs run on executor threads and talk to the coordinator
 * through a queue and their own state word.
 */
final class Engine {

  /*
   * Design. One coordinating thread (the caller of shutdown()/recover()) owns all scheduling
   * state: pending-predecessor counters, a min-heap of ready nodes keyed by plan position (so
   * that whenever several nodes are ready, they are handed to the executor in plan order:
   * wave, then tier, then name), and a min-heap of timers (per-node budgets, and the next run
   * of a node that runs again, e.g. a health check polled every interval). Workers never touch
   * it.
   *
   * Each job posts itself to a LinkedBlockingQueue twice: when its first step begins (so the
   * coordinator arms its budget from the moment it actually runs, not when it was queued, and a
   * per-component timeout can never fire before the component's first step has begun) and when
   * it ends. The coordinator blocks in poll(timeout) until the next event or the earliest
   * timer. With a ticker other than Ticker.system() it cannot know how the ticker relates to
   * real time, so it re-reads it at least every SLICE_NANOS; this is what lets tests drive
   * timeouts and health polling with a ManualTicker. A job that ends asking to run again
   * (runAgainAt) puts its node to sleep on a timer; when the timer fires the spec makes the
   * node's next job, so a job never sleeps on an executor thread.
   *
   * Each job's life is a state word that the worker and the coordinator change by CAS (see
   * Job): a step is either claimed before an abandonment or never begins, and the coordinator
   * reads only what the worker published. A job never throws into its executor.
   *
   * An executor that refuses a job (RejectedExecutionException, or an Error such as the
   * OutOfMemoryError of a thread that cannot be created) does not make the node fail without
   * running: the job runs inline on the coordinator, as with Runnable::run, so the order still
   * holds and nothing that waits for the node begins before it has run.
   *
   * Re-entry: while a run is under way (`active`), a step of it that calls back into one of
   * its step owners (the sequencers the run holds) fails fast; see Job.inStepOf.
   *
   * Complexity: each node is pushed and popped at most once on the ready heap, each edge is
   * walked once, and each run of a node arms at most two timers: O((V + E + R) log V) per run
   * for R runs in all, with two queue events and one executor hand-off per run of a node that
   * has work; nodes without work run inline on the coordinator.
   */

  /** How often the coordinator re-reads a ticker that is not the system ticker. */
  static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** Which edges order the slice. */
  enum Direction {
    /** A node waits for its dependents: shutdown. */
    DEPENDENTS_FIRST,
    /** A node waits for its dependencies: startup. */
    DEPENDENCIES_FIRST,
    /** No ordering: health gates. */
    NONE
  }

  /**
   * The nodes a run covers: {@code order[from, to)} of a plan's order.
   *
   * @param order global indices in plan order
   * @param position global index to its position in {@code order}, or -1
   */
  @SuppressWarnings("ArrayRecordComponent") // internal: never compared, hashed or handed out
  record Slice(DependencyGraph graph, Direction direction, int[] order, int from, int to,
      int[] position) {}

  /**
   * What every engine of one sequencer run shares.
   *
   * @param origin the ticker reading at the start of the whole run (offsets in reports)
   * @param deadline the ticker reading of the overall deadline
   * @param deadlineLabel why nodes end when the deadline passes, e.g. "the shutdown deadline
   *     (20.000s) was reached"
   */
  record Run(Executor executor, Ticker ticker, long origin, long deadline,
      String deadlineLabel) {}

  /** What a run asks of its sequencer; called on the coordinating thread only. */
  interface Callbacks {
    /**
     * The job that does the node's work; a job without steps runs inline. Called again for a
     * node whose previous job ended asking to run again.
     */
    Job newJob(int node);

    /** Non-null to skip the node without running anything; it still releases its successors. */
    default @Nullable String skipReason(int node) {
      return null;
    }

    /**
     * The node's budget from the moment it begins, in nanoseconds, or Long.MAX_VALUE for none
     * besides the overall deadline.
     */
    long budgetNanos(int node, long startNanos, long remainingNanos);

    /** Words for a budget in a timeout's detail, e.g. "stop timeout 5.000s". */
    String budgetLabel(int node, long budgetNanos);

    /**
     * Whether a node that fails or times out halts the run: nothing more is started, waiting
     * nodes are skipped with {@link #haltReason}.
     */
    default boolean haltsOnFailure() {
      return false;
    }

    /** Why nodes were not started after {@code culprit} halted the run. */
    default String haltReason(int culprit) {
      throw new UnsupportedOperationException("this run never halts");
    }

    /** The node began (its job got a thread). */
    default void onBegin(int node, long budgetNanos) {}

    /** The node has its final result. */
    void onEnd(int node, NodeResult result);

    /**
     * Non-null once the run must end at once, with the reason: running nodes are abandoned,
     * the others skipped. Polled at least every {@link #SLICE_NANOS} if {@link #cancellable()}.
     */
    default @Nullable String cancelReason() {
      return null;
    }

    /** Whether {@link #cancelReason()} can ever be non-null. */
    default boolean cancellable() {
      return false;
    }

    /**
     * The sequencers whose methods must not be called from a step of this run, since the run
     * (or a lock it holds) waits for the step: see {@link Job#inStepOf(Object)}.
     */
    Object[] stepOwners();
  }

  private static final byte WAITING = 0;
  private static final byte SUBMITTED = 1;
  private static final byte SLEEPING = 2; // its job ended asking to run again, on a timer
  private static final byte FINAL = 3;
  private static final int[] NO_NODES = new int[0];

  private final DependencyGraph graph;
  private final Direction direction;
  private final int[] order;
  private final int from;
  private final int size;
  private final int[] position;
  private final Executor executor;
  private final Ticker ticker;
  private final boolean exactWaits;
  private final long origin;
  private final long deadline;
  private final String deadlineLabel;
  private final boolean haltOnFailure;
  private final Callbacks callbacks;
  private final Object[] owners;
  /** Whether {@link #run()} is under way: only then does a step of it block a re-entrant call. */
  private volatile boolean active;

  private final BlockingQueue<Job> events = new LinkedBlockingQueue<>();
  private final int[] pending;
  private final byte[] phase;
  private final @Nullable Job[] jobs;
  private final long[] budgets;
  private final int[] timerGenerations;
  private final @Nullable NodeResult[] results;
  private final IntHeap ready;
  private final DeadlineHeap timers;
  private int open;
  private boolean halted;
  private int haltCulprit = -1;
  /** The run is being ended at once (deadline, interrupt, cancellation): no halting on it. */
  private boolean expiring;
  private @Nullable String cancelled;

  Engine(Slice slice, Run run, Callbacks callbacks) {
    this.graph = slice.graph();
    this.direction = slice.direction();
    this.order = slice.order();
    this.from = slice.from();
    this.size = slice.to() - slice.from();
    this.position = slice.position();
    this.executor = run.executor();
    this.ticker = run.ticker();
    this.exactWaits = ticker == Ticker.system() && !callbacks.cancellable();
    this.origin = run.origin();
    this.deadline = run.deadline();
    this.deadlineLabel = run.deadlineLabel();
    this.haltOnFailure = callbacks.haltsOnFailure();
    this.callbacks = callbacks;
    this.owners = callbacks.stepOwners();
    this.pending = new int[size];
    this.phase = new byte[size];
    this.jobs = new Job[size];
    this.budgets = new long[size];
    this.timerGenerations = new int[size];
    this.results = new NodeResult[size];
    this.ready = new IntHeap(size);
    this.timers = new DeadlineHeap(size);
  }

  /** Runs the slice; returns one result per node, in slice order. */
  NodeResult[] run() {
    active = true;
    try {
      return runActive();
    } finally {
      active = false;
    }
  }

  /**
   * Returns why the run was cancelled ({@link Callbacks#cancelReason()}), or null if it was
   * not. Call after {@link #run()}.
   */
  @Nullable String cancelled() {
    return cancelled;
  }

  /** Whether this run is under way and waits for its steps on behalf of {@code owner}. */
  boolean waitsForStepsOf(Object owner) {
    if (active) {
      for (Object o : owners) {
        if (o == owner) {
          return true;
        }
      }
    }
    return false;
  }

  private NodeResult[] runActive() {
    open = size;
    for (int r = 0; r < size; r++) {
      int count = 0;
      for (int p : waitsFor(order[from + r])) {
        if (rankOf(p) >= 0) {
          count++;
        }
      }
      pending[r] = count;
      if (count == 0) {
        ready.push(r);
      }
    }
    boolean interrupted = false;
    while (open > 0) {
      long now = ticker.read();
      if (now - deadline >= 0) {
        expireAll(now, deadlineLabel);
        break;
      }
      String cancel = callbacks.cancelReason();
      if (cancel != null) {
        cancelled = cancel;
        expireAll(now, cancel);
        break;
      }
      expireDue(now);
      pump();
      if (open == 0) {
        break;
      }
      long wakeAt = deadline;
      if (!timers.isEmpty() && timers.peekKey() - wakeAt < 0) {
        wakeAt = timers.peekKey();
      }
      long wait = Math.max(0L, wakeAt - now);
      if (!exactWaits) {
        wait = Math.min(wait, SLICE_NANOS);
      }
      Job event;
      try {
        event = events.poll(wait, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
        expireAll(ticker.read(), "the run was interrupted");
        break;
      }
      while (event != null) {
        handle(event);
        event = events.poll();
      }
      pump();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    NodeResult[] settled = new NodeResult[size];
    for (int r = 0; r < size; r++) {
      settled[r] = Objects.requireNonNull(results[r], "a node left unsettled");
    }
    return settled;
  }

  // ---- scheduling ----

  private int[] waitsFor(int node) {
    return switch (direction) {
      case DEPENDENTS_FIRST -> graph.dependentIndices(node);
      case DEPENDENCIES_FIRST -> graph.dependencyIndices(node);
      case NONE -> NO_NODES;
    };
  }

  private int[] releases(int node) {
    return switch (direction) {
      case DEPENDENTS_FIRST -> graph.dependencyIndices(node);
      case DEPENDENCIES_FIRST -> graph.dependentIndices(node);
      case NONE -> NO_NODES;
    };
  }

  /** The node's rank in this slice, or -1 if it is outside. */
  private int rankOf(int node) {
    int r = position[node] - from;
    return r >= 0 && r < size ? r : -1;
  }

  /** Hands every ready node to the executor, in plan order. */
  private void pump() {
    while (!ready.isEmpty()) {
      int r = ready.pop();
      if (phase[r] != WAITING) {
        continue;
      }
      int node = order[from + r];
      if (halted) {
        finish(r, NodeResult.skipped(node, callbacks.haltReason(haltCulprit)));
        continue;
      }
      String skip = callbacks.skipReason(node);
      if (skip != null) {
        finish(r, NodeResult.skipped(node, skip));
        continue;
      }
      submit(r);
    }
  }

  /** Hands the node's next job to the executor; a job the executor refuses runs here. */
  private void submit(int r) {
    Job job = callbacks.newJob(order[from + r]);
    job.events = events;
    job.engine = this;
    jobs[r] = job;
    phase[r] = SUBMITTED;
    if (job.isTrivial()) {
      job.run(); // nothing to wait for: run inline, its events are handled below
      return;
    }
    try {
      executor.execute(job);
    } catch (Throwable refused) { // RejectedExecutionException; OutOfMemoryError: no thread
      if (!job.isQueued()) {
        // the executor took the job (it runs, or ran, and posts its events) and then threw:
        // not a refusal, but the report says so
        job.executorFailure = refused;
        return;
      }
      // Run it here, as Runnable::run would: whatever waits for this node then waits for its
      // steps, so the order holds. Its events are handled below, like a trivial job's.
      job.refusal = refused;
      job.run();
    }
  }

  private void handle(Job job) {
    int r = rankOf(job.node);
    if (r < 0 || jobs[r] != job || phase[r] != SUBMITTED) {
      return; // a late event of a job already settled
    }
    if (!job.beginHandled) {
      job.beginHandled = true;
      long began = job.beganNanos();
      long remaining = deadline - began;
      long budget = callbacks.budgetNanos(job.node, began, remaining);
      budgets[r] = budget;
      if (budget < remaining) {
        arm(r, began + budget);
      }
      callbacks.onBegin(job.node, budget);
      return;
    }
    ended(r, job);
  }

  /** A job ended on its own: settles its node, or puts it to sleep until its next run. */
  private void ended(int r, Job job) {
    if (job.runAgain) {
      phase[r] = SLEEPING;
      arm(r, job.runAgainAt);
    } else {
      finish(r, resultOfDone(job));
    }
  }

  /** Sets the node's one live timer; an earlier timer of the node becomes stale. */
  private void arm(int r, long at) {
    int generation = ++timerGenerations[r];
    timers.push(at, (long) generation << 32 | r);
  }

  private void expireDue(long now) {
    while (!timers.isEmpty() && timers.peekKey() - now <= 0) {
      long ticket = timers.pop();
      int r = (int) ticket;
      if ((int) (ticket >>> 32) != timerGenerations[r]) {
        continue; // replaced by a later timer of the node
      }
      if (phase[r] == SUBMITTED) {
        abandon(r, now, callbacks.budgetLabel(order[from + r], budgets[r]), true);
      } else if (phase[r] == SLEEPING) {
        submit(r);
      }
    }
  }

  /** The deadline passed, or the run was interrupted or cancelled: settle every open node now. */
  private void expireAll(long now, String reason) {
    expiring = true; // what this abandons is no culprit: the waiting nodes get the reason itself
    for (int r = 0; r < size; r++) {
      switch (phase[r]) {
        case WAITING -> finish(r, NodeResult.skipped(order[from + r], reason + " before its turn"));
        case SUBMITTED -> abandon(r, now, reason, false);
        case SLEEPING -> {
          Job last = job(r);
          finish(r, resultOfAbandoned(last, last.kinds.length, true, now, reason, false));
        }
        default -> { } // FINAL: settled already
      }
    }
  }

  /** The job of a node that has one: SUBMITTED, SLEEPING, or settled after either. */
  private Job job(int r) {
    return Objects.requireNonNull(jobs[r], "the node has no job");
  }

  private void abandon(int r, long now, String reason, boolean ownBudget) {
    Job job = job(r);
    int node = order[from + r];
    int witness = job.tryAbandon(now);
    switch (Job.phaseOf(witness)) {
      case Job.RUNNING -> {
        int claimed = Math.max(Job.stepsClaimed(witness), job.carried);
        finish(r, resultOfAbandoned(job, claimed, true, now, reason, ownBudget));
      }
      // its last step had returned, the next was not claimed
      case Job.BETWEEN -> finish(r,
          resultOfAbandoned(job, Job.stepsClaimed(witness), false, now, reason, ownBudget));
      case Job.QUEUED -> finish(r, job.carried > 0
          ? resultOfAbandoned(job, job.carried, true, now, reason, ownBudget)
          : NodeResult.skipped(node, reason + " while it waited for a thread" + poolNote()));
      default -> { // DONE: it ended just now (its event may be in the queue): settle it here
        if (ownBudget || !job.runAgain) {
          ended(r, job);
        } else {
          finish(r, resultOfAbandoned(job, job.kinds.length, true, now, reason, false));
        }
      }
    }
  }

  /** Why a job waited for a thread, when the run's default pool could not start one. */
  private String poolNote() {
    Throwable failure = executor instanceof DefaultPool pool ? pool.threadStartFailure() : null;
    return failure == null ? ""
        : " (the run's pool could not start another: " + Job.cause(failure) + ")";
  }

  private void finish(int r, NodeResult result) {
    phase[r] = FINAL;
    results[r] = result;
    open--;
    callbacks.onEnd(result.node(), result);
    if (haltOnFailure && !halted && !expiring
        && (result.outcome() == Outcome.FAILED || result.outcome() == Outcome.TIMED_OUT)) {
      halt(result.node());
    }
    for (int next : releases(result.node())) {
      int r2 = rankOf(next);
      if (r2 >= 0 && phase[r2] == WAITING && --pending[r2] == 0) {
        ready.push(r2);
      }
    }
  }

  /** Starts nothing more: waiting nodes are skipped, queued jobs cancelled. */
  private void halt(int culprit) {
    halted = true;
    haltCulprit = culprit;
    for (int r = 0; r < size; r++) {
      if (phase[r] == WAITING) {
        finish(r, NodeResult.skipped(order[from + r], callbacks.haltReason(culprit)));
      } else if (phase[r] == SUBMITTED && !job(r).beginHandled && job(r).tryCancel()) {
        finish(r, NodeResult.skipped(order[from + r], callbacks.haltReason(culprit)));
      }
    }
  }

  // ---- results ----

  private Duration offset(long nanos) {
    return Duration.ofNanos(nanos - origin);
  }

  private NodeResult resultOfDone(Job job) {
    List<StepReport> steps = new ArrayList<>(job.ended);
    for (int i = 0; i < job.ended; i++) {
      steps.add(new StepReport(job.kinds[i], offset(job.stepStarts[i]),
          Duration.ofNanos(job.stepEnds[i] - job.stepStarts[i]), job.stepFailures[i], false));
    }
    String detail = job.detail();
    Throwable refusal = job.refusal;
    if (refusal != null) {
      detail = append(detail, "the executor refused it (" + Job.cause(refusal)
          + "), so it ran on the calling thread");
    }
    Throwable executorFailure = job.executorFailure;
    if (executorFailure != null) {
      detail = append(detail, "the executor threw " + Job.cause(executorFailure)
          + " after taking it");
    }
    return new NodeResult(job.node, job.outcome(), true, offset(job.beganNanos()),
        offset(job.endNanos), steps, job.failure(), detail, job.health());
  }

  private static String append(String detail, String more) {
    return detail.isEmpty() ? more : detail + "; " + more;
  }

  /**
   * The result of a job abandoned after its worker claimed {@code claimed} steps: the last of
   * them is the one it was in if {@code inStep}, else it had returned. Reads only what the
   * worker wrote before its last successful CAS.
   */
  private NodeResult resultOfAbandoned(Job job, int claimed, boolean inStep, long now,
      String reason, boolean ownBudget) {
    List<StepReport> steps = new ArrayList<>(claimed);
    for (int i = 0; i < claimed; i++) {
      boolean current = inStep && i == claimed - 1;
      long end = current ? now : job.stepEnds[i];
      steps.add(new StepReport(job.kinds[i], offset(job.stepStarts[i]),
          Duration.ofNanos(end - job.stepStarts[i]), current ? null : job.stepFailures[i],
          current));
    }
    long began = claimed > 0 ? job.stepStarts[0] : job.startNanos;
    Throwable first = null;
    for (int i = 0; i < (inStep ? claimed - 1 : claimed) && first == null; i++) {
      first = job.stepFailures[i];
    }
    String where = claimed == 0 ? "before its first step"
        : job.kinds[claimed - 1] == StepKind.HEALTH_CHECK ? "while checking health"
        : !inStep ? "between " + job.kinds[claimed - 1].label() + " and "
            + job.kinds[claimed].label()
        : "in " + job.kinds[claimed - 1].label();
    String elapsed = DurationFormat.format(now - began);
    String detail = ownBudget
        ? "abandoned " + where + " after " + elapsed + " (" + reason + ")"
        : "abandoned " + where + " after " + elapsed + ": " + reason;
    return new NodeResult(job.node, Outcome.TIMED_OUT, claimed > 0, offset(began), offset(now),
        steps, first, detail, job.health());
  }

}
