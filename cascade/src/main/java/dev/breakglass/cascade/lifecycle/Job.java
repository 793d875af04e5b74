package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Health;
import dev.breakglass.core.Ticker;
import dev.breakglass.core.internal.DurationFormat;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * The work of one node of an {@link Engine} run on an executor thread: a sequence of steps,
 * timed with the ticker, and the state word through which the worker and the coordinator agree
 * on what ran. Subclasses define the steps and what success means.
 *
 * <p>Thread-safe in the one way it needs to be: one worker runs {@link #run()}, the
 * coordinator calls {@link #tryCancel()} and {@link #tryAbandon(long)}, and each side reads
 * what the other published through the state word (see the design comment).
 */
abstract class Job implements Runnable {

  /*
   * Design: a job's life is one int state word changed by compare-and-set (VarHandle,
   * volatile mode). Its low bits are the phase, its high bits count the steps the worker has
   * claimed:
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
   * The job posts itself to the engine's queue twice: when its first step begins (so that the
   * coordinator arms its budget from the moment it actually runs) and when it ends. What the
   * coordinator may read: after the DONE event (the queue gives happens-before) or its own CAS
   * to DONE, everything; of an abandoned job, which may still be running, only what the worker
   * wrote before its last successful CAS: the witness of the abandoning CAS says how many steps
   * were claimed and whether the last had returned, and each step's start time is written
   * before the CAS that claims it, its end and failure before the CAS that marks its return.
   *
   * A job never throws into its executor. A step's exception, including an Error, is its
   * failure; a VirtualMachineError (StackOverflowError, OutOfMemoryError, ...) also ends the
   * job: the component's later steps do not run (its state is unknown, the error may have
   * struck halfway through an update) and are reported as skipped with the cause.
   *
   * Re-entry: a job marks its thread, while its body runs, with a thread-local chain of the
   * jobs it is running (a step may run a nested run inline). A sequencer method called from a
   * step checks the chain (inStepOf) and fails fast when a still-active engine of the same
   * sequencer runs that step: that engine waits for the step, so the call would wait for
   * itself. The thread-local entry is set back, never removed, so a thread allocates it once.
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

  /**
   * The innermost job the current thread is running; {@link #outer} links to the one it runs
   * within (a step may run a nested run inline).
   */
  private static final ThreadLocal<@Nullable Job> STEPS = new ThreadLocal<>();

  /**
   * Tells whether the current thread is running a step of a run that is still under way and
   * names {@code owner} among its {@linkplain Engine.Callbacks#stepOwners() step owners}: that
   * run waits for the step, so a call from it into {@code owner} that waits for the run (or for
   * a lock the run holds) would wait for itself.
   */
  static boolean inStepOf(Object owner) {
    for (Job job = STEPS.get(); job != null; job = job.outer) {
      Engine engine = job.engine;
      if (engine != null && engine.waitsForStepsOf(owner)) {
        return true;
      }
    }
    return false;
  }

  /**
   * What an exception says: {@code "java.io.IOException: disk full"}, raw (renderings escape
   * it). An exception whose {@code toString()} itself throws is named by its class.
   */
  static String cause(Throwable failure) {
    try {
      return failure.toString();
    } catch (RuntimeException | Error unprintable) { // user code; even a StackOverflowError
      return failure.getClass().getName() + " (its toString() threw "
          + unprintable.getClass().getName() + ")";
    }
  }

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
            .append(cause(failure));
      }
    }
    if (stepLimit < kinds.length && ended == stepLimit) {
      out.append("; ");
      labels(out, stepLimit).append(" skipped after this VirtualMachineError");
    }
    Throwable failure = jobFailure;
    if (failure != null) {
      out.append(out.length() == 0 ? "" : "; ").append("ended early: ")
          .append(cause(failure));
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
    BlockingQueue<Job> queue = Objects.requireNonNull(events, "events"); // set before submitting
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
          .append(when).append(", ")
          .append(DurationFormat.format(stepEnds[last] - stepStarts[last]))
          .append(" after the step began");
    } else { // it had returned, and the abandonment came before the next step's claim
      out.append(failure == null ? " returned" : " threw")
          .append(" just before the component was abandoned");
    }
    if (failure != null) {
      out.append(": ").append(cause(failure));
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
        Objects.requireNonNull(events, "events").add(this); // began
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
