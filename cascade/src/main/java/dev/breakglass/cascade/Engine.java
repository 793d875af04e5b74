package dev.breakglass.cascade;

import dev.breakglass.core.Health;
import dev.breakglass.core.Ticker;
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
   * wave, then tier, then name), and a min-heap of per-node deadlines. Workers never touch it.
   *
   * Each job posts itself to a LinkedBlockingQueue twice: when its first step begins (so the
   * coordinator arms its budget from the moment it actually runs, not when it was queued, and a
   * per-component timeout can never fire before the component's first step has begun) and when
   * it ends. The coordinator blocks in poll(timeout) until the next event or the earliest
   * deadline. With a ticker other than Ticker.system() it cannot know how the ticker relates to
   * real time, so it re-reads it at least every SLICE_NANOS; this is what lets tests drive
   * timeouts with a ManualTicker.
   *
   * A job's life is a state word changed by compare-and-set (VarHandle, volatile mode):
   *   QUEUED -> RUNNING -> DONE                    (the worker)
   *   QUEUED -> CANCELLED                          (the coordinator, before it began)
   *   RUNNING -> INTERRUPTING -> ABANDONED         (the coordinator, at a timeout)
   * Abandoning follows FutureTask.cancel(true): the coordinator wins RUNNING -> INTERRUPTING,
   * interrupts the worker, then publishes ABANDONED with setRelease; a worker that finishes
   * meanwhile loses its RUNNING -> DONE CAS, spins while INTERRUPTING so that the interrupt
   * cannot leak into the executor's next task, clears it, and reports a late finish. A worker
   * checks its state before each step and runs no further step once abandoned, so an abandoned
   * component never acts after the components it depends on have begun to stop.
   *
   * Results of finished jobs are read after taking their DONE event from the queue (the queue
   * gives happens-before). An abandoned job is still running, so the coordinator reads only
   * what the worker published with a release store: the start time of each step begun.
   *
   * Complexity: each node is pushed and popped at most once per heap, each edge is walked
   * once: O((V + E) log V) per run, with two queue events and one executor hand-off per node
   * that has work; nodes without work run inline on the coordinator.
   */

  static final int QUEUED = 0;
  static final int RUNNING = 1;
  static final int DONE = 2;
  static final int CANCELLED = 3;
  static final int INTERRUPTING = 4;
  static final int ABANDONED = 5;

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
    /** The job that does the node's work; a job without steps runs inline. */
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

  private final BlockingQueue<Job> events = new LinkedBlockingQueue<>();
  private final int[] pending;
  private final byte[] phase;
  private final boolean[] begun;
  private final @Nullable Job[] jobs;
  private final long[] budgets;
  private final @Nullable Result[] results;
  private final IntHeap ready;
  private final DeadlineHeap timers;
  private int open;
  private boolean halted;

  private static final byte WAITING = 0;
  private static final byte SUBMITTED = 1;
  private static final byte FINAL = 2;

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
    this.exactWaits = ticker == Ticker.system();
    this.origin = origin;
    this.deadline = deadline;
    this.deadlineLabel = deadlineLabel;
    this.haltOnFailure = haltOnFailure;
    this.spec = spec;
    this.pending = new int[size];
    this.phase = new byte[size];
    this.begun = new boolean[size];
    this.jobs = new Job[size];
    this.budgets = new long[size];
    this.results = new Result[size];
    this.ready = new IntHeap(size);
    this.timers = new DeadlineHeap(size);
  }

  /** Runs the slice; returns one result per node, in slice order. */
  Result[] run() {
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
    pump();
    while (open > 0) {
      long now = ticker.read();
      if (now - deadline >= 0) {
        expireAll(now, deadlineLabel);
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
      Job job = spec.newJob(node);
      job.events = events;
      jobs[r] = job;
      phase[r] = SUBMITTED;
      if (job.isTrivial()) {
        job.run(); // nothing to wait for: run inline, its events are handled below
        continue;
      }
      try {
        executor.execute(job);
      } catch (RuntimeException rejected) {
        if (job.tryCancel()) {
          finish(r, Result.rejected(node, rejected));
        }
      }
    }
  }

  private int haltCulprit = -1;

  private void handle(Job job) {
    int r = rankOf(job.node);
    if (r < 0 || jobs[r] != job || phase[r] == FINAL) {
      return; // a late event of a node already settled
    }
    if (!begun[r]) {
      begun[r] = true;
      long began = job.beganNanos();
      long remaining = deadline - began;
      long budget = spec.budgetNanos(job.node, began, remaining);
      budgets[r] = budget;
      if (budget < remaining) {
        timers.push(began + budget, r);
      }
      spec.onBegin(job.node, budget);
      return;
    }
    finish(r, resultOfDone(job));
  }

  private void expireDue(long now) {
    while (!timers.isEmpty() && timers.peekKey() - now <= 0) {
      int r = timers.pop();
      if (phase[r] == FINAL) {
        continue;
      }
      abandon(r, now, spec.budgetLabel(order[from + r], budgets[r]), true);
    }
  }

  /** The deadline passed or the coordinator was interrupted: settle every open node now. */
  private void expireAll(long now, String reason) {
    for (int r = 0; r < size; r++) {
      if (phase[r] == WAITING) {
        finish(r, Result.skipped(order[from + r], reason + " before its turn"));
      } else if (phase[r] == SUBMITTED) {
        abandon(r, now, reason, false);
      }
    }
  }

  private void abandon(int r, long now, String reason, boolean ownBudget) {
    Job job = jobs[r];
    int node = order[from + r];
    switch (job.tryAbandon()) {
      case RUNNING:
        finish(r, resultOfAbandoned(job, now, reason, ownBudget));
        break;
      case QUEUED:
        finish(r, Result.skipped(node, reason + " while it waited for a thread"));
        break;
      default: // DONE: finished just now; its event is in the queue, but settle it here
        finish(r, resultOfDone(job));
        break;
    }
  }

  private void finish(int r, Result result) {
    phase[r] = FINAL;
    results[r] = result;
    open--;
    spec.onEnd(result.node, result);
    if (haltOnFailure && !halted
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
      } else if (phase[r] == SUBMITTED && !begun[r] && jobs[r].tryCancel()) {
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
          Duration.ofNanos(job.stepEnds[i] - job.stepStarts[i]), job.stepFailure(i), false));
    }
    Result result = new Result(job.node, job.outcome(), true);
    result.start = offset(job.beganNanos());
    result.end = offset(job.endNanos);
    result.steps = steps;
    result.failure = job.failure();
    result.detail = job.detail();
    result.health = job.health();
    return result;
  }

  private Result resultOfAbandoned(Job job, long now, String reason, boolean ownBudget) {
    int stepsBegun = job.stepsBegun();
    List<StepReport> steps = new ArrayList<>(stepsBegun);
    for (int i = 0; i < stepsBegun; i++) {
      boolean current = i == stepsBegun - 1;
      long end = current ? now : job.stepEnds[i];
      steps.add(new StepReport(job.kinds[i], offset(job.stepStarts[i]),
          Duration.ofNanos(end - job.stepStarts[i]), current ? null : job.stepFailures[i],
          current));
    }
    Result result = new Result(job.node, Outcome.TIMED_OUT, true);
    long began = stepsBegun > 0 ? job.stepStarts[0] : job.startNanos;
    result.start = offset(began);
    result.end = offset(now);
    result.steps = steps;
    Throwable first = null;
    for (int i = 0; i + 1 < stepsBegun && first == null; i++) {
      first = job.stepFailures[i];
    }
    result.failure = first;
    String where = stepsBegun == 0 ? "before its first step"
        : job.kinds[stepsBegun - 1] == StepKind.HEALTH_CHECK ? "while checking health"
        : "in " + job.kinds[stepsBegun - 1].label();
    String elapsed = Texts.duration(now - began);
    result.detail = ownBudget
        ? "abandoned " + where + " after " + elapsed + " (" + reason + ")"
        : "abandoned " + where + " after " + elapsed + ": " + reason;
    result.health = job.health();
    job.onAbandoned(result.detail);
    return result;
  }

  /** The final word on one node. Mutable only while the engine builds it. */
  static final class Result {
    final int node;
    final Outcome outcome;
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

    static Result rejected(int node, RuntimeException rejected) {
      Result result = new Result(node, Outcome.FAILED, false);
      result.failure = rejected;
      result.detail = "the executor refused it: " + Texts.cause(rejected);
      return result;
    }
  }

  // ---- jobs ----

  /**
   * The work of one node on an executor thread: a sequence of steps, timed with the ticker.
   * Subclasses define the steps and what success means.
   */
  abstract static class Job implements Runnable {
    private static final VarHandle STATE;
    private static final VarHandle STEPS_BEGUN;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        STATE = lookup.findVarHandle(Job.class, "state", int.class);
        STEPS_BEGUN = lookup.findVarHandle(Job.class, "stepsBegun", int.class);
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

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = QUEUED;
    @SuppressWarnings("unused") // accessed through STEPS_BEGUN
    private volatile int stepsBegun;
    private volatile @Nullable Thread runner;

    // written by the worker, read by the coordinator after the events (or, for startNanos,
    // after a successful CAS on state, which the write precedes)
    /** When the job got its thread. */
    long startNanos;
    long endNanos;
    int ended;

    Job(int node, Ticker ticker, StepKind[] kinds) {
      this.node = node;
      this.ticker = ticker;
      this.kinds = kinds;
      this.stepStarts = new long[kinds.length];
      this.stepEnds = new long[kinds.length];
      this.stepFailures = new Throwable[kinds.length];
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
      return null;
    }

    @Nullable Throwable stepFailure(int i) {
      return stepFailures[i];
    }

    /** The detail of a finished job: which steps threw what. */
    String detail() {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < ended; i++) {
        Throwable failure = stepFailures[i];
        if (failure != null) {
          out.append(out.length() == 0 ? "" : "; ").append(kinds[i].label()).append(" threw ")
              .append(Texts.cause(failure));
        }
      }
      return out.toString();
    }

    @Nullable Health health() {
      return null;
    }

    /** Called on the coordinator once the job has been abandoned, with the reason. */
    void onAbandoned(String detail) {}

    /** Called on the worker when an abandoned job's step finally returns. */
    void onLateFinish(String what) {}

    /**
     * Called on the worker just before the first step begins, so that what it records (the
     * journal's "stop" or "start" entry) comes before anything the step itself records.
     */
    void beforeFirstStep() {}

    boolean isTrivial() {
      return kinds.length == 0;
    }

    /** When the first step began, or the job began if it has no step; after the begin event. */
    long beganNanos() {
      return kinds.length > 0 ? stepStarts[0] : startNanos;
    }

    int stepsBegun() {
      return (int) STEPS_BEGUN.getAcquire(this);
    }

    boolean isRunning() {
      return (int) STATE.getAcquire(this) == RUNNING;
    }

    /** Coordinator: cancels a job that has not begun. */
    boolean tryCancel() {
      return STATE.compareAndSet(this, QUEUED, CANCELLED);
    }

    /**
     * Coordinator: abandons a running job (interrupting its worker) or cancels a queued one.
     * Returns the state it found: RUNNING (now abandoned), QUEUED (now cancelled) or DONE.
     */
    int tryAbandon() {
      for (;;) {
        int witness = (int) STATE.compareAndExchange(this, RUNNING, INTERRUPTING);
        if (witness == RUNNING) {
          Thread worker = runner;
          if (worker != null) {
            worker.interrupt();
          }
          STATE.setRelease(this, ABANDONED);
          return RUNNING;
        }
        if (witness == QUEUED) {
          if (STATE.compareAndSet(this, QUEUED, CANCELLED)) {
            return QUEUED;
          }
          continue; // it began meanwhile
        }
        return witness;
      }
    }

    @Override
    public final void run() {
      startNanos = ticker.read();
      runner = Thread.currentThread();
      if (!STATE.compareAndSet(this, QUEUED, RUNNING)) {
        runner = null;
        return; // cancelled before it began
      }
      BlockingQueue<Job> queue = events;
      if (kinds.length == 0) {
        queue.add(this); // began; with steps, the first step posts this event
      }
      Throwable fatal = null;
      try {
        body();
      } catch (Throwable t) { // body() records step failures itself; this is a last resort
        fatal = t;
      }
      endNanos = ticker.read();
      int witness = (int) STATE.compareAndExchange(this, RUNNING, DONE);
      if (witness == RUNNING) {
        runner = null;
        queue.add(this);
      } else {
        while ((int) STATE.getAcquire(this) == INTERRUPTING) {
          Thread.onSpinWait();
        }
        Thread.interrupted(); // clear the interrupt the coordinator aimed at this job
        runner = null;
        int last = ended - 1;
        if (last >= 0) {
          Throwable failure = stepFailures[last];
          String took = Texts.duration(endNanos - stepStarts[last]);
          onLateFinish(kinds[last].label()
              + (failure == null ? " returned" : " threw " + Texts.cause(failure))
              + " after the component was abandoned, " + took + " after the step began");
        }
      }
      if (fatal instanceof VirtualMachineError) {
        throw (VirtualMachineError) fatal;
      }
      if (fatal instanceof RuntimeException) {
        throw (RuntimeException) fatal;
      }
      if (fatal instanceof Error) {
        throw (Error) fatal;
      }
    }

    /** Runs step {@code i} with {@code step}, recording its times and failure. */
    final void runStep(int i, Step step) {
      beginStep(i);
      Throwable failure = null;
      try {
        step.run();
      } catch (VirtualMachineError fatal) {
        stepFailures[i] = fatal;
        stepEnds[i] = ticker.read();
        ended = i + 1;
        throw fatal;
      } catch (Throwable t) {
        failure = t;
      }
      stepFailures[i] = failure;
      stepEnds[i] = ticker.read();
      ended = i + 1;
    }

    /** Marks step {@code i} begun without running a {@link Step} (e.g. health polling). */
    final void beginStep(int i) {
      if (i == 0) {
        beforeFirstStep();
      }
      stepStarts[i] = ticker.read();
      STEPS_BEGUN.setRelease(this, i + 1);
      if (i == 0) {
        events.add(this); // began
      }
    }

    final void endStep(int i, @Nullable Throwable failure) {
      stepFailures[i] = failure;
      stepEnds[i] = ticker.read();
      ended = i + 1;
    }
  }

  /** Runs a component's steps in order, stopping early only if abandoned. */
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
        if (!isRunning()) {
          return;
        }
        runStep(i, steps[i]);
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

  /** A binary min-heap of (ticker deadline, rank), compared wrap-safely by subtraction. */
  static final class DeadlineHeap {
    private long[] keys;
    private int[] values;
    private int size;

    DeadlineHeap(int capacity) {
      keys = new long[Math.max(1, capacity)];
      values = new int[Math.max(1, capacity)];
    }

    boolean isEmpty() {
      return size == 0;
    }

    long peekKey() {
      return keys[0];
    }

    void push(long key, int value) {
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

    int pop() {
      int top = values[0];
      long lastKey = keys[--size];
      int lastValue = values[size];
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
