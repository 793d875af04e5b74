package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * What the builders of the {@link ShutdownSequencer} and the {@link RecoverySequencer} share:
 * the deadline of a run, the executor that runs the steps, the ticker, the wall clock and the
 * journal. Each builder adds its own settings and defaults.
 *
 * <p>Not thread-safe; reusable: each {@code build()} creates an independent sequencer.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract sealed class SequencerBuilder<B extends SequencerBuilder<B>>
    permits ShutdownSequencer.Builder, RecoverySequencer.Builder {

  private final DependencyGraph graph;
  private @Nullable Duration deadline; // null: the sequencer's default
  private @Nullable Executor executor;
  private Ticker ticker = Ticker.system();
  private InstantSource clock = Clock.systemUTC();
  private @Nullable IncidentJournal journal;

  SequencerBuilder(DependencyGraph graph) {
    this.graph = Objects.requireNonNull(graph, "graph");
  }

  /** This builder, as its own type. */
  abstract B self();

  /**
   * Sets the overall deadline of a run, counted from the call that starts it: {@code
   * shutdown()} or {@code isolate(name)}, {@code recover()} or {@code recoverIsolated(...)}.
   * For a shutdown, keep it below the time the platform allows: with Kubernetes, below {@code
   * terminationGracePeriodSeconds} minus any {@code preStop} delay.
   *
   * @param deadline the deadline, positive; by default {@link
   *     ShutdownSequencer#DEFAULT_DEADLINE} (25 s) or {@link RecoverySequencer#DEFAULT_DEADLINE}
   *     (5 minutes)
   * @return this builder
   * @throws NullPointerException if {@code deadline} is null
   * @throws IllegalArgumentException if {@code deadline} is zero or negative
   */
  public B deadline(Duration deadline) {
    this.deadline = Component.Builder.requirePositive(deadline, "deadline");
    return self();
  }

  /**
   * Sets the executor that runs the components' steps: the stop steps of a shutdown, the start
   * steps and health checks of a recovery. It should run tasks in parallel and promptly: a
   * component's budget starts when its task begins, but the deadline counts from the start. An
   * executor that runs tasks on the calling thread ({@code Runnable::run}) works, but then
   * nothing runs in parallel and a hanging step cannot be abandoned. A component whose task the
   * executor refuses (say, with a {@link java.util.concurrent.RejectedExecutionException}
   * because it was shut down first) runs on the calling thread, in order; its report says so.
   *
   * <p>By default each run uses a private pool of daemon threads, shut down when the run
   * ends. It starts a thread only when every thread it has is busy, without a maximum, so a
   * component whose step hangs holds one thread and never delays a component that does not
   * depend on it.
   *
   * @param executor the executor
   * @return this builder
   * @throws NullPointerException if {@code executor} is null
   */
  public B executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return self();
  }

  /**
   * Sets the time source for durations, budgets, timeouts and the deadline.
   *
   * @param ticker the ticker, e.g. a {@code ManualTicker} in tests; the system ticker by
   *     default
   * @return this builder
   * @throws NullPointerException if {@code ticker} is null
   */
  public B ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return self();
  }

  /**
   * Sets the wall clock for the report's {@link RunReport#startedAt() start time}.
   *
   * @param clock the clock; the system UTC clock by default
   * @return this builder
   * @throws NullPointerException if {@code clock} is null
   */
  public B clock(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Sets the journal that records each run: the plan, each component's start and outcome
   * (and, in a recovery, each phase and each component's health), late step returns and a
   * summary.
   *
   * @param journal the journal
   * @return this builder
   * @throws NullPointerException if {@code journal} is null
   */
  public B journal(IncidentJournal journal) {
    this.journal = Objects.requireNonNull(journal, "journal");
    return self();
  }

  /** The deadline set, or null if the default applies. */
  final @Nullable Duration deadlineSet() {
    return deadline;
  }

  /** The settings, with {@code deadline} as the deadline (the one set, or the default). */
  final RunSettings settings(Duration deadline) {
    return new RunSettings(graph, deadline, executor, ticker, clock, new RunJournal(journal));
  }

  /**
   * A setting in a message: "PT25S", or, when it was not set, "PT25S, the default: set
   * deadline(...) to change it".
   */
  static String setting(Duration value, boolean isDefault, String setter) {
    return isDefault ? value + ", the default: set " + setter + "(...) to change it"
        : value.toString();
  }
}
