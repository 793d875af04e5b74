package dev.breakglass.fingerprint;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Ticker;
import dev.breakglass.core.internal.DurationFormat;
import dev.breakglass.core.internal.PlainText;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A staged rollback to a known-stable snapshot, through hooks the service supplies.
 *
 * <pre>{@code
 * RollbackPlan plan = RollbackPlan.builder(store)
 *     .stabilise(ctx -> intake.pause())
 *     .restore(ctx -> config.apply(ctx.target().value()))
 *     .reinitialise(ctx -> pools.restart())
 *     .validate(ctx -> health.check())           // throws if the service is unhealthy
 *     .journal(journal)
 *     .build();
 * RollbackReport report = plan.rollBack(Value.from(config.current()));
 * if (!report.succeeded()) {
 *   page("rollback failed at " + report.failedStage().orElseThrow());
 * }
 * }</pre>
 *
 * <p><b>What a rollback does</b>, in order:
 *
 * <ol>
 *   <li>reads and verifies the target, by default the store's
 *       {@link SnapshotStore#lastKnownStable() last known-stable} snapshot; if there is none or
 *       it fails verification, the rollback throws before anything changes;
 *   <li>appends the current state to the store as a "pre-rollback" snapshot, so the rollback
 *       itself can be undone by rolling back to it;
 *   <li>runs the hooks: {@link RollbackStage#STABILISE stabilise}, {@link RollbackStage#RESTORE
 *       restore}, {@link RollbackStage#REINITIALISE re-initialise}, {@link RollbackStage#VALIDATE
 *       validate}. A stage without a hook is skipped. A hook that throws stops the rollback:
 *       the report names the stage and the exception, and the later stages do not run;
 *   <li>after the last stage succeeds, appends the target state again, labelled as restored,
 *       so the store's history ends with the state the service now runs.
 * </ol>
 *
 * <p>Each stage's outcome and duration (by the plan's {@link Ticker}) are recorded in the
 * {@link Builder#journal(IncidentJournal) journal}, under the kinds {@code "stabilise"},
 * {@code "restore"}, {@code "reinitialise"} and {@code "validate"}, between a
 * {@code "rollback"} entry that names the target and one that gives the result.
 *
 * <p>Hooks run on the calling thread. A plan is immutable and thread-safe, but two rollbacks
 * of one service should not run at once; coordinating that is the caller's job.
 */
public final class RollbackPlan {

  private final SnapshotStore store;
  private final Map<RollbackStage, RollbackHook> hooks;
  private final @Nullable IncidentJournal journal;
  private final String source;
  private final Ticker ticker;

  private RollbackPlan(Builder builder) {
    this.store = builder.store;
    this.hooks = new EnumMap<>(builder.hooks);
    this.journal = builder.journal;
    this.source = builder.source;
    this.ticker = builder.ticker;
  }

  /**
   * Returns a builder for a plan that rolls back through the given store.
   *
   * @param store where the target comes from and the pre-rollback state goes
   * @return a new builder
   * @throws NullPointerException if {@code store} is null
   */
  public static Builder builder(SnapshotStore store) {
    return new Builder(Objects.requireNonNull(store, "store"));
  }

  /**
   * Rolls back to the store's last known-stable snapshot.
   *
   * @param current the state the service runs now; saved first as the pre-rollback snapshot
   * @return what happened, stage by stage
   * @throws NullPointerException if {@code current} is null
   * @throws NoSuchElementException if nothing in the store was marked stable
   * @throws SnapshotIntegrityException if the target fails verification; no hook has run
   * @throws IOException if the target cannot be read or the pre-rollback snapshot cannot be
   *     saved; no hook has run
   * @throws IllegalStateException if the store is closed or was opened read-only; no hook has
   *     run
   */
  public RollbackReport rollBack(Value current) throws IOException {
    Objects.requireNonNull(current, "current");
    long start = ticker.read();
    Snapshot target;
    try {
      target = store.lastKnownStable().orElseThrow(() -> new NoSuchElementException(
          "snapshot store '" + PlainText.escape(store.name())
              + "' has no known-stable snapshot to roll back to"));
    } catch (IOException | RuntimeException e) {
      journal(EventCategory.SIGNAL, "rollback",
          "cannot start: " + e.getMessage());
      throw e;
    }
    return run(current, target, start);
  }

  /**
   * Rolls back to the newest snapshot with the given fingerprint, stable or not: for example
   * the {@link RollbackReport#preRollback() pre-rollback} snapshot of an earlier rollback, to
   * undo it.
   *
   * @param current the state the service runs now; saved first as the pre-rollback snapshot
   * @param target the fingerprint of the snapshot to roll back to
   * @return what happened, stage by stage
   * @throws NullPointerException if an argument is null
   * @throws NoSuchElementException if the store's history holds no such snapshot
   * @throws SnapshotIntegrityException if the target fails verification; no hook has run
   * @throws IOException if the target cannot be read or the pre-rollback snapshot cannot be
   *     saved; no hook has run
   * @throws IllegalStateException if the store is closed or was opened read-only; no hook has
   *     run
   */
  public RollbackReport rollBack(Value current, Fingerprint target) throws IOException {
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(target, "target");
    long start = ticker.read();
    Snapshot snapshot;
    try {
      snapshot = store.load(target);
    } catch (IOException | RuntimeException e) {
      journal(EventCategory.SIGNAL, "rollback",
          "cannot start: " + e.getMessage());
      throw e;
    }
    return run(current, snapshot, start);
  }

  private RollbackReport run(Value current, Snapshot target, long start) throws IOException {
    SnapshotInfo pre;
    try {
      pre = store.append("pre-rollback to #" + target.info().sequence() + " \""
          + abbreviate(target.label()) + "\"", current);
    } catch (IOException | RuntimeException e) {
      journal(EventCategory.SIGNAL, "rollback",
          "cannot start: saving the pre-rollback state failed: " + e);
      throw e;
    }
    Diff changes = Diff.between(current, target.value());
    journal(EventCategory.MITIGATION, "rollback",
        "to " + target.info().describeUnescaped() + " from "
        + current.fingerprint().toShortString() + " (saved as #" + pre.sequence() + "): "
        + changes.changes().size() + (changes.changes().size() == 1 ? " change" : " changes"));
    RollbackContext context = new RollbackContext(target, pre, changes);
    List<StageResult> results = new ArrayList<>();
    RollbackStage failed = null;
    for (RollbackStage stage : RollbackStage.values()) {
      RollbackHook hook = hooks.get(stage);
      if (failed != null) {
        results.add(new StageResult(stage, StageResult.Outcome.NOT_RUN, Duration.ZERO, null));
        continue;
      }
      if (hook == null) {
        results.add(new StageResult(stage, StageResult.Outcome.SKIPPED, Duration.ZERO, null));
        journal(stage.journalKind(), "skipped: no hook");
        continue;
      }
      RollbackFlightEvent flight = RollbackFlightEvent.started();
      long stageStart = ticker.read();
      Throwable failure = null;
      try {
        hook.run(context);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t) {
        if (t instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        failure = t;
      }
      Duration took = elapsed(stageStart);
      flight.end(source, stage, target.info().sequence(), took, failure);
      if (failure == null) {
        results.add(new StageResult(stage, StageResult.Outcome.SUCCEEDED, took, null));
        journal(stage.journalKind(), "succeeded in " + DurationFormat.format(took));
      } else {
        failed = stage;
        results.add(new StageResult(stage, StageResult.Outcome.FAILED, took, failure));
        journal(stage.journalKind(),
            "FAILED after " + DurationFormat.format(took) + ": " + failure);
      }
    }
    SnapshotInfo restored = null;
    Exception unrecorded = null;
    if (failed == null) {
      // The hooks have run: the service is rolled back whatever happens to this record, so a
      // failure to write it goes into the report, not up the stack.
      try {
        restored = store.append("rolled back to #" + target.info().sequence() + " \""
            + abbreviate(target.label()) + "\"", target.value());
      } catch (IOException | RuntimeException e) {
        unrecorded = e;
      }
    }
    Duration total = elapsed(start);
    if (failed == null) {
      journal(EventCategory.RECOVERY, "rollback",
          "succeeded in " + DurationFormat.format(total) + ": running "
          + target.info().describeUnescaped() + " again"
          + (unrecorded == null ? "" : "; recording that in the store failed: " + unrecorded));
    } else {
      journal(EventCategory.SIGNAL, "rollback",
          "FAILED at " + failed.journalKind() + " after " + DurationFormat.format(total)
          + "; the pre-rollback state is " + pre.describeUnescaped());
    }
    return new RollbackReport(target.info(), pre, restored, unrecorded, results, total);
  }

  private Duration elapsed(long since) {
    return Duration.ofNanos(Math.max(0L, ticker.read() - since));
  }

  private void journal(String kind, String detail) {
    journal(EventCategory.INFO, kind, detail);
  }

  private void journal(EventCategory category, String kind, String detail) {
    if (journal != null) {
      journal.record(category, source, kind, detail);
    }
  }

  private static String abbreviate(String label) {
    if (label.length() <= 200) {
      return label;
    }
    int cut = Character.isHighSurrogate(label.charAt(196)) ? 196 : 197; // never split a pair
    return label.substring(0, cut) + "...";
  }

  /**
   * Configures a {@link RollbackPlan}. Not thread-safe; reusable.
   */
  public static final class Builder {
    private final SnapshotStore store;
    private final Map<RollbackStage, RollbackHook> hooks = new EnumMap<>(RollbackStage.class);
    private @Nullable IncidentJournal journal;
    private String source = "rollback";
    private Ticker ticker = Ticker.system();

    private Builder(SnapshotStore store) {
      this.store = store;
    }

    /**
     * Sets the hook that makes the service safe to change.
     *
     * @param hook the stabilise hook
     * @return this builder
     * @throws NullPointerException if {@code hook} is null
     */
    public Builder stabilise(RollbackHook hook) {
      return hook(RollbackStage.STABILISE, hook);
    }

    /**
     * Sets the hook that puts the target state in place. Required.
     *
     * @param hook the restore hook; {@code context.target().value()} is the state to restore
     * @return this builder
     * @throws NullPointerException if {@code hook} is null
     */
    public Builder restore(RollbackHook hook) {
      return hook(RollbackStage.RESTORE, hook);
    }

    /**
     * Sets the hook that rebuilds what depends on the state.
     *
     * @param hook the re-initialise hook
     * @return this builder
     * @throws NullPointerException if {@code hook} is null
     */
    public Builder reinitialise(RollbackHook hook) {
      return hook(RollbackStage.REINITIALISE, hook);
    }

    /**
     * Sets the hook that checks the service on the restored state; it fails the rollback by
     * throwing.
     *
     * @param hook the validate hook
     * @return this builder
     * @throws NullPointerException if {@code hook} is null
     */
    public Builder validate(RollbackHook hook) {
      return hook(RollbackStage.VALIDATE, hook);
    }

    private Builder hook(RollbackStage stage, RollbackHook hook) {
      hooks.put(stage, Objects.requireNonNull(hook, stage.journalKind()));
      return this;
    }

    /**
     * Sets the journal in which each stage's outcome and duration are recorded.
     *
     * @param journal the journal
     * @return this builder
     * @throws NullPointerException if {@code journal} is null
     */
    public Builder journal(IncidentJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * Sets the source of the plan's journal entries.
     *
     * @param source a short name, {@code "rollback"} by default
     * @return this builder
     * @throws NullPointerException if {@code source} is null
     * @throws IllegalArgumentException if {@code source} is blank
     */
    public Builder journalSource(String source) {
      Objects.requireNonNull(source, "source");
      if (source.isBlank()) {
        throw new IllegalArgumentException("source must not be blank, was '"
            + PlainText.escape(source) + "'");
      }
      this.source = source;
      return this;
    }

    /**
     * Sets the ticker that times the stages.
     *
     * @param ticker the ticker, {@link Ticker#system()} by default
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Creates the plan.
     *
     * @return the plan
     * @throws IllegalStateException if no restore hook was set: a rollback that restores
     *     nothing would report success without changing anything
     */
    public RollbackPlan build() {
      if (!hooks.containsKey(RollbackStage.RESTORE)) {
        throw new IllegalStateException("a rollback plan needs a restore hook");
      }
      return new RollbackPlan(this);
    }
  }
}
