package dev.breakglass.cascade.lifecycle;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Subscription;
import dev.breakglass.core.internal.DurationFormat;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Stops the components of a {@link DependencyGraph} in dependency order, in parallel, under one
 * deadline: each stops as soon as everything that depends on it has finished, and one
 * hanging component cannot eat the whole budget.
 *
 * <pre>{@code
 * ShutdownSequencer sequencer = ShutdownSequencer.builder(graph)
 *     .deadline(Duration.ofSeconds(25))       // within Kubernetes' 30 s grace period
 *     .journal(journal)
 *     .build();
 * sequencer.installShutdownHook(report -> System.err.print(report.toText()));
 * ...
 * ShutdownReport report = sequencer.shutdown();   // or let SIGTERM run the hook
 * }</pre>
 *
 * <p><b>Order.</b> The {@link #plan() plan} puts every component in a wave after all the
 * components that depend on it. Waves are not barriers: a component begins to stop as soon as
 * everything that depends on it has finished (stopped, failed or timed out), so a slow
 * component delays only what it depends on, never an unrelated branch, and a component of a
 * later wave may begin before an unrelated one of an earlier wave has ended. When several
 * components are ready at once they go to the executor in plan order, most important effective
 * tier first, then by name. Each component runs its steps in data-safe order, on one executor
 * thread: stop intake, drain, flush, release. A step that throws is reported, and the
 * component's remaining steps still run.
 *
 * <p><b>Errors.</b> A step that throws an {@link Error} fails like one that throws an
 * exception. A {@link VirtualMachineError} ({@link StackOverflowError}, {@link
 * OutOfMemoryError}, ...) also ends its component: its later steps do not run, since the error
 * may have struck halfway through an update of the component's state, and the report and the
 * journal name them as skipped after that error. The component counts as {@link
 * Outcome#FAILED}, and the rest of the graph is stopped in order as usual. The error is never
 * thrown out of the run, on any executor: it is the component's {@link
 * ComponentReport#failure() failure}, and {@code shutdown()} returns the report (so does every
 * later call, the shutdown hook's included), which a caller can inspect to rethrow it.
 *
 * <p><b>Time.</b> The {@link Builder#deadline(Duration) deadline} bounds the whole run,
 * counted from the call to {@link #shutdown()}. Each component also gets a budget from the
 * moment it begins: its own {@link Component.Builder#stopTimeout(Duration) stop timeout} if it
 * has one, else the sequencer's {@link Builder#componentTimeout(Duration) component timeout}
 * if set, else a fair share of what is left: the remaining time divided by one plus the
 * number of components with stop steps that must still stop after it on its longest chain.
 * A component still running when its budget or the deadline runs out is abandoned: its
 * thread is interrupted, it begins no further step, it is reported as {@link
 * Outcome#TIMED_OUT}, and what it depends on gets its turn. (Each step is claimed atomically
 * before it begins, so no step of an abandoned component can begin once what it depends on
 * has been let go.) The step it was in keeps its thread until it returns, possibly after the
 * run has ended; the journal then records it as {@code "late"}. An interrupt ends blocking
 * I/O on an interruptible channel by closing the channel: a flush step writing through a
 * {@link java.nio.channels.FileChannel} that is abandoned gets a {@link
 * java.nio.channels.ClosedByInterruptException} and the channel is closed. Components that
 * never got their turn before the deadline are reported as {@link Outcome#SKIPPED}. So {@code
 * shutdown()} returns at the deadline at the latest, plus the time to settle the run.
 *
 * <p><b>Once.</b> A sequencer stops each component at most once while it counts it as
 * stopped. {@link #shutdown()} runs the plan once; later and concurrent calls (the {@linkplain
 * #installShutdownHook() shutdown hook} and a manual call, say) wait for that run and return
 * its report. A step that calls {@code shutdown()} or {@code isolate} on the sequencer whose
 * run it belongs to gets an {@link IllegalStateException} at once, on whatever thread it runs:
 * the run waits for the step, so the call would wait for itself. {@link #isolate(String)}
 * stops one component and its dependents, leaving the rest running; a later run skips every
 * component whose stop steps began in an earlier one. To
 * start isolated components again, use {@link RecoverySequencer#recoverIsolated(
 * ShutdownSequencer, String)}: it hands what it started back to this sequencer, so that {@code
 * shutdown()} (and the hook) stops it again. A recovery and this sequencer's runs never
 * overlap: a {@code shutdown()} that begins during such a recovery ends the recovery at once
 * and then runs.
 *
 * <p><b>Reports.</b> Each run returns a {@link ShutdownReport}, and, when a {@link
 * Builder#journal(IncidentJournal) journal} is set, records the plan, each component's start
 * and outcome with its step durations, and a summary in it. A step that returns after its
 * component was abandoned is recorded there too, as {@code "late"}.
 *
 * <p>Thread-safe. Runs are serialized: one runs at a time, on the calling thread, which
 * coordinates while the executor runs the steps.
 */
public final class ShutdownSequencer {

  /*
   * Design: the plan is computed once in the builder (ShutdownPlan, O(V + E)); each run is a
   * ShutdownRun that hands a slice of it to an Engine on the calling thread, which owns all
   * scheduling state, so the sequencer itself needs little concurrency control: a
   * ReentrantLock (not synchronized: runs block) serializes runs and guards the "already
   * stopped" flags (a recovery that hands components back holds it for its whole run: see
   * HandBack), and the once-only shutdown() is a CompletableFuture installed by
   * compareAndExchange, so the first caller runs and every other caller joins its result. The
   * shutdown-hook thread is installed the same way, once.
   */

  private static final VarHandle SHUTDOWN;
  private static final VarHandle HOOK;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      SHUTDOWN = lookup.findVarHandle(
          ShutdownSequencer.class, "shutdown", CompletableFuture.class);
      HOOK = lookup.findVarHandle(ShutdownSequencer.class, "hook", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The deadline {@link Builder} uses unless told otherwise. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(25);

  private final RunSettings settings;
  private final ShutdownPlan plan;
  private final @Nullable Duration componentTimeout;

  private final ReentrantLock runLock = new ReentrantLock();
  @GuardedBy("runLock")
  private final boolean[] stopped;

  @SuppressWarnings("unused") // accessed through SHUTDOWN
  private volatile @Nullable CompletableFuture<ShutdownReport> shutdown;

  @SuppressWarnings("unused") // accessed through HOOK
  private volatile @Nullable Thread hook;

  private ShutdownSequencer(RunSettings settings, @Nullable Duration componentTimeout) {
    this.settings = settings;
    this.plan = ShutdownPlan.of(settings.graph());
    this.componentTimeout = componentTimeout;
    this.stopped = new boolean[settings.graph().size()];
  }

  /**
   * Returns a builder for a sequencer of the given graph.
   *
   * @param graph the components to stop and their dependencies
   * @return a new builder with the default deadline (25 s),
   *     fair-share component budgets, a private executor, the system ticker and clock, and no
   *     journal
   * @throws NullPointerException if {@code graph} is null
   */
  public static Builder builder(DependencyGraph graph) {
    return new Builder(graph);
  }

  /**
   * Returns the plan that {@link #shutdown()} follows. Printing its {@link ShutdownPlan#toText()
   * text} is a dry run.
   *
   * @return the plan for the whole graph
   */
  public ShutdownPlan plan() {
    return plan;
  }

  /**
   * Returns the graph this sequencer stops.
   *
   * @return the graph
   */
  public DependencyGraph graph() {
    return settings.graph();
  }

  /**
   * Returns the overall deadline of a run.
   *
   * @return the deadline
   */
  public Duration deadline() {
    return settings.deadline();
  }

  /**
   * Stops every component that is still running, following the plan, within the deadline.
   *
   * <p>Runs once. Concurrent and later calls wait for the first run to end and return its
   * report. If an {@link #isolate(String)} run is going on, the shutdown first waits for it to
   * end (within the deadline). If the calling thread is interrupted, the run ends at once:
   * running components are abandoned, the others skipped, the report says so, and the
   * thread's interrupt status is kept; later calls return that report. What a step throws,
   * even a {@link VirtualMachineError}, is reported, never thrown (see the class
   * description). Should the sequencer itself fail (its ticker throws, say), later calls
   * throw the same exception.
   *
   * @return the report of the (one) shutdown run
   * @throws IllegalStateException if called from a step of a run of this sequencer (or of a
   *     {@link RecoverySequencer#recoverIsolated(ShutdownSequencer, String) recovery} handing
   *     back to it) that is still under way, on any thread: the run waits for that step, so
   *     the call would wait for itself; such a call does not count as the shutdown
   */
  public ShutdownReport shutdown() {
    if (calledFromOwnRun()) {
      // checked before the once-only future is installed: this call must not count as the
      // shutdown, or every later call (the shutdown hook's) would fail with it
      throw new IllegalStateException("shutdown() called from a step of its own run");
    }
    long begin = settings.ticker().read();
    CompletableFuture<ShutdownReport> mine = new CompletableFuture<>();
    @SuppressWarnings("unchecked")
    CompletableFuture<ShutdownReport> witness =
        (CompletableFuture<ShutdownReport>) SHUTDOWN.compareAndExchange(this, null, mine);
    if (witness != null) {
      try {
        return witness.join();
      } catch (CompletionException e) { // the first run threw: so does every later call
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw e;
      }
    }
    try {
      ShutdownReport report = run(plan, begin);
      mine.complete(report);
      return report;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * Tells whether {@link #shutdown()} has been called.
   *
   * @return {@code true} once a shutdown has begun, also while it is still running
   */
  public boolean isShutdown() {
    return SHUTDOWN.getAcquire(this) != null;
  }

  /**
   * Stops one component and everything that depends on it, directly or not, leaving the rest
   * running: the {@link ShutdownPlan#isolating isolating} plan, under the same deadline and
   * budgets as a shutdown. Components already stopped by an earlier run are skipped.
   *
   * @param name the component to isolate
   * @return the report of this run
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the graph has no component of that name
   * @throws IllegalStateException if {@link #shutdown()} has been called, or if called from a
   *     step of a run of this sequencer that is still under way, on any thread
   */
  public ShutdownReport isolate(String name) {
    long begin = settings.ticker().read();
    ShutdownPlan isolating = ShutdownPlan.isolating(settings.graph(), name);
    if (calledFromOwnRun()) {
      throw new IllegalStateException("isolate() called from a step of its own run");
    }
    if (isShutdown()) {
      throw new IllegalStateException(
          "cannot isolate '" + name + "': shutdown() has already been called");
    }
    return run(isolating, begin);
  }

  /**
   * Registers a JVM shutdown hook that calls {@link #shutdown()}, so that SIGTERM (or
   * {@code System.exit}) stops the components in order. Calling {@code shutdown()} by hand as
   * well is safe: the plan runs once. The JVM waits for the hook, which returns within the
   * deadline.
   *
   * @return a subscription whose {@code close()} removes the hook (it does nothing once the JVM
   *     has begun to shut down)
   * @throws IllegalStateException if a hook of this sequencer is already installed
   */
  public Subscription installShutdownHook() {
    return installShutdownHook(report -> { });
  }

  /**
   * Registers a JVM shutdown hook that calls {@link #shutdown()} and hands the report to
   * {@code onReport}, e.g. {@code report -> System.err.print(report.toText())}.
   *
   * @param onReport called on the hook thread with the report; it should be quick, the JVM is
   *     exiting
   * @return a subscription whose {@code close()} removes the hook (it does nothing once the JVM
   *     has begun to shut down)
   * @throws NullPointerException if {@code onReport} is null
   * @throws IllegalStateException if a hook of this sequencer is already installed
   */
  public Subscription installShutdownHook(Consumer<? super ShutdownReport> onReport) {
    Thread thread = newShutdownHook(onReport);
    if (!HOOK.compareAndSet(this, null, thread)) {
      throw new IllegalStateException("a shutdown hook of this sequencer is already installed");
    }
    Runtime.getRuntime().addShutdownHook(thread);
    return () -> {
      if (HOOK.compareAndSet(this, thread, null)) {
        try {
          Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException shuttingDown) {
          // documented: once the JVM is shutting down the hook runs regardless
        }
      }
    };
  }

  /** The hook's thread, unregistered: tests run it directly. */
  Thread newShutdownHook(Consumer<? super ShutdownReport> onReport) {
    Objects.requireNonNull(onReport, "onReport");
    return new Thread(() -> onReport.accept(shutdown()), "breakglass-shutdown-hook");
  }

  @Override
  public String toString() {
    return "ShutdownSequencer[" + plan + ", deadline "
        + DurationFormat.format(settings.deadline()) + "]";
  }

  /**
   * Whether the calling thread runs a step of a run that holds this sequencer's run lock (a run
   * of its own, or a recovery that hands components back to it), which waits for that step: a
   * call that waited for the run would wait for itself. On the coordinating thread (an executor
   * such as {@code Runnable::run}) the thread holds the lock; on an executor thread the step
   * is marked (see {@link Job#inStepOf}).
   */
  private boolean calledFromOwnRun() {
    return runLock.isHeldByCurrentThread() || Job.inStepOf(this);
  }

  /**
   * A run, once the run lock is taken (waiting at most until the deadline); shutdown() and
   * isolate() have checked that no step of a run calls it.
   */
  private ShutdownReport run(ShutdownPlan runPlan, long begin) {
    long deadlineNanos = begin + DurationFormat.saturatedNanos(settings.deadline());
    boolean locked;
    try {
      locked = runLock.tryLock(
          Math.max(0L, deadlineNanos - settings.ticker().read()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ShutdownRun.skipped(settings, runPlan, begin,
          "the shutdown was interrupted while another run held the sequencer");
    }
    if (!locked) {
      return ShutdownRun.skipped(settings, runPlan, begin,
          "another run held the sequencer until the deadline");
    }
    try {
      return new ShutdownRun(this, settings, componentTimeout, stopped, runPlan, begin)
          .run(deadlineNanos);
    } finally {
      runLock.unlock();
    }
  }

  /**
   * Opens the hand-back of a {@link RecoverySequencer#recoverIsolated(ShutdownSequencer,
   * String) recovery} of {@code isolated}: no run of this sequencer begins until it is closed.
   *
   * @throws IllegalStateException if called from a step of a run of this sequencer, a run is
   *     going on, shutdown() was called, or this sequencer has not stopped {@code isolated}
   */
  // hands the array over without reading it: HandBack.open reads it only under runLock
  @SuppressWarnings("GuardedBy")
  HandBack handBack(String isolated) {
    return HandBack.open(this, runLock, stopped, isolated, settings.graph().indexOf(isolated),
        calledFromOwnRun());
  }

  /**
   * Builds a {@link ShutdownSequencer}: the settings every sequencer has (see {@link
   * SequencerBuilder}) and the component timeout. Not thread-safe; reusable: each {@link
   * #build()} creates an independent sequencer.
   */
  public static final class Builder extends SequencerBuilder<Builder> {
    private @Nullable Duration componentTimeout;

    private Builder(DependencyGraph graph) {
      super(graph);
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Sets the budget of every component without a {@link Component.Builder#stopTimeout
     * stop timeout} of its own. Without it, such a component gets a fair share of the time
     * left (see the class description).
     *
     * @param timeout the budget, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder componentTimeout(Duration timeout) {
      this.componentTimeout = Component.Builder.requirePositive(timeout, "componentTimeout");
      return this;
    }

    /**
     * Creates the sequencer and computes its plan.
     *
     * @return a new sequencer
     * @throws IllegalArgumentException if the component timeout is not shorter than the
     *     deadline; if the deadline is the default, the message says to set it
     */
    public ShutdownSequencer build() {
      // the deadline never grows by itself to fit a component timeout: it is what the platform
      // allows (Kubernetes' grace period), so the message says to set it
      Duration set = deadlineSet();
      Duration deadline = set != null ? set : DEFAULT_DEADLINE;
      if (componentTimeout != null && componentTimeout.compareTo(deadline) >= 0) {
        throw new IllegalArgumentException("componentTimeout must be shorter than the deadline ("
            + setting(deadline, set == null, "deadline") + "), was " + componentTimeout);
      }
      return new ShutdownSequencer(settings(deadline), componentTimeout);
    }
  }
}
