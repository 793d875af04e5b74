package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Health;
import dev.breakglass.core.Ticker;
import dev.breakglass.core.internal.DurationFormat;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs one slice of a plan: each node's job on the executor as soon as every node it waits for
 * has finished, under per-node budgets and one overall deadline.
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
   * A job's life is one int state word changed by compare-and-set (VarHandle, volatile mode).
   * Its low bits are the phase, its high bits count the steps the worker has claimed:
   *   QUEUED -> RUNNING(0) -> RUNNING(1) -> BETWEEN(1) -> RUNNING(2) -> ... -> BETWEEN(n)
   *          -> DONE                                                      (the worker)
   *   QUEUED -> CANCELLED                                                 (the coordinator)
   *   RUNNING(k) or BETWEEN(k) -> INTERRUPTING -> ABANDONED               (the coordinator)
   *   BETWEEN(k) -> DONE, once step k - 1 was the last the job will run   (the coordinator)
   * RUNNING(k) means step k - 1 is running (or, for k = 0, no step has begun); BETWEEN(k) that
   * it has returned and step k is not claimed yet. The worker claims step i with a CAS to
   * RUNNING(i + 1) and marks its return with a CAS to BETWEEN(i + 1); the coordinator abandons
   * with a CAS to INTERRUPTING: whichever lands first wins. So a step either was claimed before
   * the abandonment or never begins (an abandoned component never begins a step after the
   * components it depends on have been released), and both sides know whether the abandonment
   * found a step running or landed between two: the report and the journal's "late" entry say
   * which. A job abandoned when its last step has already returned is simply done: the
   * coordinator settles it (CAS BETWEEN(n) -> DONE) and the worker, losing its own CAS to a
   * DONE, posts nothing. Abandoning follows FutureTask.cancel(true): the winner of the CAS to
   * INTERRUPTING interrupts the worker if a step is running, then publishes ABANDONED with
   * setRelease; a worker that finishes meanwhile loses its CAS to DONE, spins while
   * INTERRUPTING so that the interrupt cannot leak into the executor's next task, clears it,
   * and reports a late finish.
   *
   * Results of finished jobs are read after taking their DONE event from the queue (the queue
   * gives happens-before), or after the coordinator's own CAS to DONE, which reads what the
   * worker published with BETWEEN(n). An abandoned job may still be running, so the
   * coordinator reads only what the worker wrote before its last successful CAS: the witness of
   * the abandoning CAS says how many steps were claimed and whether the last had returned, and
   * each step's start time is written before the CAS that claims it, its end and failure before
   * the CAS that marks its return.
   *
   * A job never throws into its executor. A step's exception, including an Error, is its
   * failure; a VirtualMachineError (StackOverflowError, OutOfMemoryError, ...) also ends the
   * job: the component's later steps do not run (its state is unknown, the error may have
   * struck halfway through an update) and are reported as skipped with the cause. Everything
   * else in the run goes on: the coordinator never sees the error as anything but a result.
   *
   * An executor that refuses a job (RejectedExecutionException, or an Error such as the
   * OutOfMemoryError of a thread that cannot be created) does not make the node fail unrun: the
   * job runs inline on the coordinator, as with Runnable::run, so the order still holds and
   * nothing that waits for the node begins before it has run.
   *
   * Re-entry: a job marks its thread, while its body runs, with a thread-local chain of the
   * jobs it is running (a step may run a nested run inline). A sequencer method called from a
   * step checks the chain and fails fast when a still-active engine of the same sequencer runs
   * that step: that engine waits for the step, so the call would wait for itself.
   *
   * Complexity: each node is pushed and popped at most once on the ready heap, each edge is
   * walked once, and each run of a node arms at most two timers: O((V + E + R) log V) per run
   * for R runs in all, with two queue events and one executor hand-off per run of a node that
   * has work; nodes without work run inline on the coordinator.
   */

  static final int QUEUED = 0;
  static final int RUNNING = 1;
  static final int DONE = 2;
  static final int CANCELLED = 3;
  static final int INTERRUPTING = 4;
  static final int ABANDONED = 5;
  static final int BETWEEN = 6;
  private static final int PHASE_BITS = 3;
  private static final int PHASE_MASK = (1 << PHASE_BITS) - 1;

  /** The state of a running job whose worker has claimed {@code steps} steps. */
  static int running(int steps) {
    return RUNNING | steps << PHASE_BITS;
  }

  /** The state of a running job whose step {@code steps - 1} has returned. */
  static int between(int steps) {
    return BETWEEN | steps << PHASE_BITS;
  }

  static int phaseOf(int state) {
    return state & PHASE_MASK;
  }

  static int stepsClaimed(int state) {
    return state >>> PHASE_BITS;
  }

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

  /** What a run needs from its sequencer; called on the coordinating thread only. */
  interface Spec {
    /**
     * The job that does the node's work; a job without steps runs inline. Called again for a
     * node whose previous job ended asking to run again.
     */
    Job newJob(int node);

    /** Non-null to skip the node without running anything; it still releases its successors. */
    @Nullable String skipReason(int node);

    /**
     * The node's budget from the moment it begins, in nanoseconds, or Long.MAX_VALUE for none
     * besides the overall deadline.
     */
    long budgetNanos(int node, long startNanos, long remainingNanos);

    /** Words for a budget in a timeout's detail, e.g. "stop timeout 5.000s". */
    String budgetLabel(int node, long budgetNanos);

    /** Why nodes were not started after {@code culprit} made the run halt. */
    String haltReason(int culprit);

    /** The node began (its job got a thread). */
    void onBegin(int node, long budgetNanos);

    /** The node has its final result. */
    void onEnd(int node, Result result);

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
     * (or a lock it holds) waits for the step: see {@link #inStepOf(Object)}.
     */
    Object[] stepOwners();
  }

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
  private final Spec spec;
  private final Object[] owners;
  /** Whether {@link #run()} is under way: only then does a step of it block a re-entrant call. */
  private volatile boolean active;

  private final BlockingQueue<Job> events = new LinkedBlockingQueue<>();
  private final int[] pending;
  private final byte[] phase;
  private final @Nullable Job[] jobs;
  private final long[] budgets;
  private final int[] timerGenerations;
  private final @Nullable Result[] results;
  private final IntHeap ready;
  private final DeadlineHeap timers;
  private int open;
  private boolean halted;
  private int haltCulprit = -1;
  /** The run is being ended at once (deadline, interrupt, cancellation): no halting on it. */
  private boolean expiring;
  private @Nullable String cancelled;

  private static final byte WAITING = 0;
  private static final byte SUBMITTED = 1;
  private static final byte SLEEPING = 2; // its job ended asking to run again, on a timer
  private static final byte FINAL = 3;

  /**
   * @param order global indices in plan order; the slice is {@code order[from, to)}
   * @param position global index to its position in {@code order}
   * @param origin ticker reading of the start of the whole run (offsets in reports)
   * @param deadline ticker reading of the overall deadline
   */
  Engine(DependencyGraph graph, Direction direction, int[] order, int from, int to,
      int[] position, Executor executor, Ticker ticker, long origin, long deadline,
      String deadlineLabel, boolean haltOnFailure, Spec spec) {
    this.graph = graph;
    this.direction = direction;
    this.order = order;
    this.from = from;
    this.size = to - from;
    this.position = position;
    this.executor = executor;
    this.ticker = ticker;
    this.exactWaits = ticker == Ticker.system() && !spec.cancellable();
    this.origin = origin;
    this.deadline = deadline;
    this.deadlineLabel = deadlineLabel;
    this.haltOnFailure = haltOnFailure;
    this.spec = spec;
    this.owners = spec.stepOwners();
    this.pending = new int[size];
    this.phase = new byte[size];
    this.jobs = new Job[size];
    this.budgets = new long[size];
    this.timerGenerations = new int[size];
    this.results = new Result[size];
    this.ready = new IntHeap(size);
    this.timers = new DeadlineHeap(size);
  }

  /** Runs the slice; returns one result per node, in slice order. */
  Result[] run() {
    active = true;
    try {
      return runActive();
    } finally {
      active = false;
    }
  }

  /**
   * Returns why the run was cancelled ({@link Spec#cancelReason()}), or null if it was not.
   * Call after {@link #run()}.
   */
  @Nullable String cancelled() {
    return cancelled;
  }

  private Result[] runActive() {
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
      String cancel = spec.cancelReason();
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
    return results.clone();
  }

  // ---- scheduling ----

  private int[] waitsFor(int node) {
    switch (direction) {
      case DEPENDENTS_FIRST:
        return graph.dependentIndices(node);
      case DEPENDENCIES_FIRST:
        return graph.dependencyIndices(node);
      default:
        return NO_NODES;
    }
  }

  private int[] releases(int node) {
    switch (direction) {
      case DEPENDENTS_FIRST:
        return graph.dependencyIndices(node);
      case DEPENDENCIES_FIRST:
        return graph.dependentIndices(node);
      default:
        return NO_NODES;
    }
  }

  private static final int[] NO_NODES = new int[0];

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
        finish(r, Result.skipped(node, spec.haltReason(haltCulprit)));
        continue;
      }
      String skip = spec.skipReason(node);
      if (skip != null) {
        finish(r, Result.skipped(node, skip));
        continue;
      }
      submit(r);
    }
  }

  /** Hands the node's next job to the executor; a job the executor refuses runs here. */
  private void submit(int r) {
    Job job = spec.newJob(order[from + r]);
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
      long budget = spec.budgetNanos(job.node, began, remaining);
      budgets[r] = budget;
      if (budget < remaining) {
        arm(r, began + budget);
      }
      spec.onBegin(job.node, budget);
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
        abandon(r, now, spec.budgetLabel(order[from + r], budgets[r]), true);
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
        case WAITING:
          finish(r, Result.skipped(order[from + r], reason + " before its turn"));
          break;
        case SUBMITTED:
          abandon(r, now, reason, false);
          break;
        case SLEEPING:
          Job last = jobs[r];
          finish(r, resultOfAbandoned(last, last.kinds.length, true, now, reason, false));
          break;
        default:
          break;
      }
    }
  }

  private void abandon(int r, long now, String reason, boolean ownBudget) {
    Job job = jobs[r];
    int node = order[from + r];
    int witness = job.tryAbandon(now);
    switch (phaseOf(witness)) {
      case RUNNING:
        int claimed = Math.max(stepsClaimed(witness), job.carried);
        finish(r, resultOfAbandoned(job, claimed, true, now, reason, ownBudget));
        break;
      case BETWEEN: // its last step had returned, the next was not claimed
        finish(r, resultOfAbandoned(job, stepsClaimed(witness), false, now, reason, ownBudget));
        break;
      case QUEUED:
        finish(r, job.carried > 0
            ? resultOfAbandoned(job, job.carried, true, now, reason, ownBudget)
            : Result.skipped(node, reason + " while it waited for a thread" + poolNote()));
        break;
      default: // DONE: it ended just now (its event may be in the queue): settle it here
        if (ownBudget || !job.runAgain) {
          ended(r, job);
        } else {
          finish(r, resultOfAbandoned(job, job.kinds.length, true, now, reason, false));
        }
        break;
    }
  }

  /** Why a job waited for a thread, when the run's default pool could not start one. */
  private String poolNote() {
    Throwable failure = executor instanceof DefaultPool
        ? ((DefaultPool) executor).threadStartFailure() : null;
    return failure == null ? ""
        : " (the run's pool could not start another: " + Texts.cause(failure) + ")";
  }

  private void finish(int r, Result result) {
    phase[r] = FINAL;
    results[r] = result;
    open--;
    spec.onEnd(result.node, result);
    if (haltOnFailure && !halted && !expiring
        && (result.outcome == Outcome.FAILED || result.outcome == Outcome.TIMED_OUT)) {
      halt(result.node);
    }
    for (int next : releases(result.node)) {
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
        finish(r, Result.skipped(order[from + r], spec.haltReason(culprit)));
      } else if (phase[r] == SUBMITTED && !jobs[r].beginHandled && jobs[r].tryCancel()) {
        finish(r, Result.skipped(order[from + r], spec.haltReason(culprit)));
      }
    }
  }

  // ---- results ----

  private Duration offset(long nanos) {
    return Duration.ofNanos(nanos - origin);
  }

  private Result resultOfDone(Job job) {
    List<StepReport> steps = new ArrayList<>(job.ended);
    for (int i = 0; i < job.ended; i++) {
      steps.add(new StepReport(job.kinds[i], offset(job.stepStarts[i]),
          Duration.ofNanos(job.stepEnds[i] - job.stepStarts[i]), job.stepFailures[i], false));
    }
    Result result = new Result(job.node, job.outcome(), true);
    result.start = offset(job.beganNanos());
    result.end = offset(job.endNanos);
    result.steps = steps;
    result.failure = job.failure();
    String detail = job.detail();
    Throwable refusal = job.refusal;
    if (refusal != null) {
      detail = append(detail, "the executor refused it (" + Texts.cause(refusal)
          + "), so it ran on the calling thread");
    }
    Throwable executorFailure = job.executorFailure;
    if (executorFailure != null) {
      detail = append(detail, "the executor threw " + Texts.cause(executorFailure)
          + " after taking it");
    }
    result.detail = detail;
    result.health = job.health();
    return result;
  }

  private static String append(String detail, String more) {
    return detail.isEmpty() ? more : detail + "; " + more;
  }

  /**
   * The result of a job abandoned after its worker claimed {@code claimed} steps: the last of
   * them is the one it was in if {@code inStep}, else it had returned. Reads only what the
   * worker wrote before its last successful CAS.
   */
  private Result resultOfAbandoned(Job job, int claimed, boolean inStep, long now,
      String reason, boolean ownBudget) {
    List<StepReport> steps = new ArrayList<>(claimed);
    for (int i = 0; i < claimed; i++) {
      boolean current = inStep && i == claimed - 1;
      long end = current ? now : job.stepEnds[i];
      steps.add(new StepReport(job.kinds[i], offset(job.stepStarts[i]),
          Duration.ofNanos(end - job.stepStarts[i]), current ? null : job.stepFailures[i],
          current));
    }
    Result result = new Result(job.node, Outcome.TIMED_OUT, claimed > 0);
    long began = claimed > 0 ? job.stepStarts[0] : job.startNanos;
    result.start = offset(began);
    result.end = offset(now);
    result.steps = steps;
    Throwable first = null;
    for (int i = 0; i < (inStep ? claimed - 1 : claimed) && first == null; i++) {
      first = job.stepFailures[i];
    }
    result.failure = first;
    String where = claimed == 0 ? "before its first step"
        : job.kinds[claimed - 1] == StepKind.HEALTH_CHECK ? "while checking health"
        : !inStep ? "between " + job.kinds[claimed - 1].label() + " and "
            + job.kinds[claimed].label()
        : "in " + job.kinds[claimed - 1].label();
    String elapsed = DurationFormat.format(now - began);
    result.detail = ownBudget
        ? "abandoned " + where + " after " + elapsed + " (" + reason + ")"
        : "abandoned " + where + " after " + elapsed + ": " + reason;
    result.health = job.health();
    return result;
  }

  /** The final word on one node. Mutable only while the engine builds it. */
  static final class Result {
    final int node;
    final Outcome outcome;
    /** Whether any of the node's work began: a step was claimed, or it had no steps. */
    final boolean ran;
    @Nullable Duration start;
    @Nullable Duration end;
    List<StepReport> steps = List.of();
    @Nullable Throwable failure;
    String detail = "";
    @Nullable Health health;

    Result(int node, Outcome outcome, boolean ran) {
      this.node = node;
      this.outcome = outcome;
      this.ran = ran;
    }

    static Result skipped(int node, String reason) {
      Result result = new Result(node, Outcome.SKIPPED, false);
      result.detail = reason;
      return result;
    }
  }

  // ---- jobs ----

  /**
   * The innermost job the current thread is running; {@link Job#outer} links to the one it
   * runs within (a step may run a nested run inline). Set back, never removed, so that a
   * thread's entry is allocated once.
   */
  private static final ThreadLocal<@Nullable Job> STEPS = new ThreadLocal<>();

  /**
   * Tells whether the current thread is running a step of a run that is still under way and
   * names {@code owner} among its {@linkplain Spec#stepOwners() step owners}: that run waits
   * for the step, so a call from it into {@code owner} that waits for the run (or for a lock
   * the run holds) would wait for itself.
   */
  static boolean inStepOf(Object owner) {
    for (Job job = STEPS.get(); job != null; job = job.outer) {
      Engine engine = job.engine;
      if (engine != null && engine.active) {
        for (Object o : engine.owners) {
          if (o == owner) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * The work of one node on an executor thread: a sequence of steps, timed with the ticker.
   * Subclasses define the steps and what success means.
   */
  abstract static class Job implements Runnable {
    private static final VarHandle STATE;
    private static final StepKind[] NO_KINDS = new StepKind[0];
    private static final Step[] NO_STEPS = new Step[0];

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Job.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final int node;
    final Ticker ticker;
    final StepKind[] kinds;
    final long[] stepStarts;
    final long[] stepEnds;
    final @Nullable Throwable[] stepFailures;
    @Nullable BlockingQueue<Job> events;
    @Nullable Engine engine;
    /** The job this one runs within on its thread, while it runs (see {@link #STEPS}). */
    private @Nullable Job outer;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = QUEUED;
    private volatile @Nullable Thread runner;

    // written by the worker; read by the coordinator after the DONE event, or what a CAS of
    // the worker published (see resultOfAbandoned); startNanos precedes the QUEUED -> RUNNING
    // CAS, each step's end, failure, endNanos, ended, stepLimit and runAgain the CAS that
    // marks its return
    /** When the job got its thread. */
    long startNanos;
    /** When the last step returned; for a job without steps, when it ended. */
    long endNanos;
    int ended;
    /**
     * How many steps the job runs at most: all of them, unless a step threw a
     * VirtualMachineError, which ends the job after that step.
     */
    int stepLimit;
    /** Set by the worker before it ends: run the node again, with a new job, at runAgainAt. */
    boolean runAgain;
    long runAgainAt;
    /** What the job's own code (not a step) threw, e.g. a journal listener; before DONE. */
    private @Nullable Throwable jobFailure;
    /**
     * Steps begun by earlier runs of the node that this job continues (0, or 1 for the next
     * check of a health gate): reported as begun even before this job claims its own.
     * Written on the coordinator before the executor hand-off.
     */
    int carried;
    private int claimed; // worker only
    private int mine; // worker only: the state the worker last set
    private boolean abandonedInStep; // worker only: the abandonment found a step running

    // coordinator only, except abandonedAt, written before the abandoning CAS publishes it
    boolean beginHandled;
    @Nullable Throwable refusal;
    @Nullable Throwable executorFailure;
    long abandonedAt;

    Job(int node, Ticker ticker, StepKind[] kinds) {
      this.node = node;
      this.ticker = ticker;
      this.kinds = kinds;
      this.stepStarts = new long[kinds.length];
      this.stepEnds = new long[kinds.length];
      this.stepFailures = new Throwable[kinds.length];
      this.stepLimit = kinds.length;
    }

    /** A job with nothing to do, settled inline with {@code outcome}. */
    static Job trivial(int node, Ticker ticker, Outcome outcome) {
      return new StepsJob(node, ticker, NO_KINDS, NO_STEPS, outcome, null);
    }

    /** Runs the steps; each step's failure is recorded by {@link #runStep}. */
    abstract void body();

    /** The outcome once every step ran (no abandonment). */
    Outcome outcome() {
      return failure() == null ? successOutcome() : Outcome.FAILED;
    }

    abstract Outcome successOutcome();

    @Nullable Throwable failure() {
      for (int i = 0; i < ended; i++) {
        if (stepFailures[i] != null) {
          return stepFailures[i];
        }
      }
      return jobFailure;
    }

    /**
     * The detail of a finished job: which steps threw what, and which did not run after a
     * VirtualMachineError.
     */
    String detail() {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < ended; i++) {
        Throwable failure = stepFailures[i];
        if (failure != null) {
          out.append(out.length() == 0 ? "" : "; ").append(kinds[i].label()).append(" threw ")
              .append(Texts.cause(failure));
        }
      }
      if (stepLimit < kinds.length && ended == stepLimit) {
        out.append("; ");
        labels(out, stepLimit).append(" skipped after this VirtualMachineError");
      }
      Throwable failure = jobFailure;
      if (failure != null) {
        out.append(out.length() == 0 ? "" : "; ").append("ended early: ")
            .append(Texts.cause(failure));
      }
      return out.toString();
    }

    /** Appends the labels of the steps from {@code from} on: "flush, release". */
    private StringBuilder labels(StringBuilder out, int from) {
      for (int i = from; i < kinds.length; i++) {
        out.append(i == from ? "" : ", ").append(kinds[i].label());
      }
      return out;
    }

    @Nullable Health health() {
      return null;
    }

    /** Called on the worker when an abandoned job's worker is done with it. */
    void onLateFinish(String what) {}

    /**
     * Called on the worker once the first step is claimed, just before it runs, so that what it
     * records (the journal's "stop" or "start" entry) comes before anything the step records.
     */
    void beforeFirstStep() {}

    boolean isTrivial() {
      return kinds.length == 0;
    }

    /** When the first step began, or the job began if it has no step; after the begin event. */
    long beganNanos() {
      return kinds.length > 0 ? stepStarts[0] : startNanos;
    }

    boolean isQueued() {
      return (int) STATE.getAcquire(this) == QUEUED;
    }

    /** Coordinator: cancels a job that has not begun. */
    boolean tryCancel() {
      return STATE.compareAndSet(this, QUEUED, CANCELLED);
    }

    /**
     * Coordinator: abandons a running job at {@code now} (interrupting its worker if a step is
     * running), cancels a queued one, or settles as done one whose last step has returned.
     * Returns the state it found: RUNNING(k) or BETWEEN(k) (now abandoned, after k claimed
     * steps), QUEUED (now cancelled) or DONE (done, by the worker or now).
     */
    int tryAbandon(long now) {
      abandonedAt = now; // published to the worker by the CAS below
      for (;;) {
        int witness = (int) STATE.getAcquire(this);
        int phase = phaseOf(witness);
        if (phase == BETWEEN && stepsClaimed(witness) >= stepLimit) {
          // every step it runs has returned: it is done, not abandoned
          if (STATE.compareAndSet(this, witness, DONE)) {
            return DONE;
          }
        } else if (phase == RUNNING || phase == BETWEEN) {
          if (STATE.compareAndSet(this, witness, INTERRUPTING)) {
            Thread worker = runner;
            if (worker != null && phase == RUNNING && stepsClaimed(witness) > 0) {
              worker.interrupt(); // a step is running
            }
            STATE.setRelease(this, ABANDONED);
            return witness;
          }
        } else if (phase == QUEUED) {
          if (STATE.compareAndSet(this, QUEUED, CANCELLED)) {
            return QUEUED;
          }
        } else {
          return witness;
        }
        // the worker claimed a step, marked one returned, or finished meanwhile: look again
      }
    }

    /** Worker: the job runs again, as a new job, at {@code at}; call before its last step ends. */
    final void runAgainAt(long at) {
      runAgain = true;
      runAgainAt = at;
    }

    @Override
    public final void run() {
      startNanos = ticker.read();
      runner = Thread.currentThread();
      if (!STATE.compareAndSet(this, QUEUED, running(0))) {
        runner = null;
        return; // cancelled before it began
      }
      mine = running(0);
      BlockingQueue<Job> queue = events;
      if (kinds.length == 0) {
        queue.add(this); // began; with steps, claiming the first step posts this event
      }
      outer = STEPS.get();
      STEPS.set(this);
      try {
        body();
      } catch (Throwable t) { // steps record their own failures: this is the job's own code
        jobFailure = t;
      } finally {
        STEPS.set(outer);
        outer = null;
      }
      if (ended == 0) {
        endNanos = ticker.read();
      }
      int witness = (int) STATE.compareAndExchange(this, mine, DONE);
      if (witness == mine) {
        runner = null;
        queue.add(this);
        return;
      }
      if (witness == DONE) {
        runner = null; // the coordinator settled it: its last step had returned
        return;
      }
      while (phaseOf((int) STATE.getAcquire(this)) == INTERRUPTING) {
        Thread.onSpinWait();
      }
      Thread.interrupted(); // clear the interrupt the coordinator aimed at this job
      runner = null;
      if (claimed > 0) {
        onLateFinish(lateFinish());
      }
    }

    /** What the worker of an abandoned job says when it is done with it. */
    private String lateFinish() {
      int last = claimed - 1;
      Throwable failure = stepFailures[last];
      StringBuilder out = new StringBuilder(kinds[last].label());
      if (abandonedInStep) { // the abandonment found the step running
        long afterAbandoned = stepEnds[last] - abandonedAt;
        String when = afterAbandoned <= 0 ? "as the component was abandoned"
            : DurationFormat.format(afterAbandoned) + " after the component was abandoned";
        out.append(failure == null ? " returned " : isInterrupt(failure) ? " was interrupted "
                : " threw ")
            .append(when).append(", ").append(DurationFormat.format(stepEnds[last] - stepStarts[last]))
            .append(" after the step began");
      } else { // it had returned, and the abandonment came before the next step's claim
        out.append(failure == null ? " returned" : " threw")
            .append(" just before the component was abandoned");
      }
      if (failure != null) {
        out.append(": ").append(Texts.cause(failure));
      }
      if (claimed < kinds.length) {
        labels(out.append("; "), claimed).append(" did not run");
      }
      return out.toString();
    }

    /** Whether a step's failure is how it reacted to the interrupt of its abandonment. */
    private static boolean isInterrupt(Throwable failure) {
      return failure instanceof InterruptedException
          || failure instanceof java.io.InterruptedIOException
          || failure instanceof java.nio.channels.ClosedByInterruptException;
    }

    /**
     * Worker: claims step {@code i}, which begins at {@code startNanos}. Returns false, and the
     * step must not run, if the job has been abandoned.
     */
    final boolean beginStep(int i, long startNanos) {
      stepStarts[i] = startNanos; // published by the claim below
      int next = running(i + 1);
      if (!STATE.compareAndSet(this, mine, next)) {
        return false;
      }
      mine = next;
      claimed = i + 1;
      if (i == 0) {
        try {
          beforeFirstStep();
        } finally {
          events.add(this); // began
        }
      }
      return true;
    }

    /**
     * Runs step {@code i} with {@code step}, recording its times and failure. Returns whether
     * the job goes on to its next step: not if it has been abandoned, nor after a
     * VirtualMachineError.
     */
    final boolean runStep(int i, Step step) {
      if (!beginStep(i, ticker.read())) {
        return false;
      }
      Throwable failure = null;
      try {
        step.run();
      } catch (Throwable t) {
        failure = t;
      }
      if (failure instanceof VirtualMachineError) {
        stepLimit = i + 1; // its later steps do not run: published with the step's end
      }
      return endStep(i, failure, ticker.read()) && i + 1 < stepLimit;
    }

    /**
     * Worker: records the end of step {@code i} and marks its return. Returns false if the job
     * was abandoned while the step ran.
     */
    final boolean endStep(int i, @Nullable Throwable failure, long end) {
      stepFailures[i] = failure;
      stepEnds[i] = end;
      endNanos = end;
      ended = i + 1;
      int next = between(i + 1);
      if (STATE.compareAndSet(this, mine, next)) {
        mine = next;
        return true;
      }
      abandonedInStep = true;
      return false;
    }
  }

  /** Runs a component's steps in order; stops early if abandoned or after a VirtualMachineError. */
  static class StepsJob extends Job {
    private final Step[] steps;
    private final Outcome success;
    private final @Nullable Runnable beforeFirstStep;

    StepsJob(int node, Ticker ticker, StepKind[] kinds, Step[] steps, Outcome success,
        @Nullable Runnable beforeFirstStep) {
      super(node, ticker, kinds);
      this.steps = steps;
      this.success = success;
      this.beforeFirstStep = beforeFirstStep;
    }

    @Override
    final void beforeFirstStep() {
      if (beforeFirstStep != null) {
        beforeFirstStep.run();
      }
    }

    @Override
    final void body() {
      for (int i = 0; i < steps.length; i++) {
        if (!runStep(i, steps[i])) {
          return; // abandoned, or a VirtualMachineError ended it
        }
      }
    }

    @Override
    final Outcome successOutcome() {
      return success;
    }
  }

  // ---- heaps ----

  /** A binary min-heap of ints. */
  static final class IntHeap {
    private int[] heap;
    private int size;

    IntHeap(int capacity) {
      heap = new int[Math.max(1, capacity)];
    }

    boolean isEmpty() {
      return size == 0;
    }

    void push(int value) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (heap[parent] <= value) {
          break;
        }
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = value;
    }

    int pop() {
      int top = heap[0];
      int last = heap[--size];
      int i = 0;
      int half = size >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        if (child + 1 < size && heap[child + 1] < heap[child]) {
          child++;
        }
        if (last <= heap[child]) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
      return top;
    }
  }

  /** A binary min-heap of (ticker reading, value), compared wrap-safely by subtraction. */
  static final class DeadlineHeap {
    private long[] keys;
    private long[] values;
    private int size;

    DeadlineHeap(int capacity) {
      keys = new long[Math.max(1, capacity)];
      values = new long[Math.max(1, capacity)];
    }

    boolean isEmpty() {
      return size == 0;
    }

    long peekKey() {
      return keys[0];
    }

    void push(long key, long value) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (keys[parent] - key <= 0) {
          break;
        }
        keys[i] = keys[parent];
        values[i] = values[parent];
        i = parent;
      }
      keys[i] = key;
      values[i] = value;
    }

    long pop() {
      long top = values[0];
      long lastKey = keys[--size];
      long lastValue = values[size];
      int i = 0;
      int half = size >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        if (child + 1 < size && keys[child + 1] - keys[child] < 0) {
          child++;
        }
        if (lastKey - keys[child] <= 0) {
          break;
        }
        keys[i] = keys[child];
        values[i] = values[child];
        i = child;
      }
      keys[i] = lastKey;
      values[i] = lastValue;
      return top;
    }
  }
}
