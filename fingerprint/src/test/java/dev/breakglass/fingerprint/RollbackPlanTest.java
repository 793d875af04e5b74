package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.ManualTicker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollbackPlanTest {

  @TempDir
  Path dir;

  private final ManualTicker ticker = new ManualTicker();
  private final IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
  private final List<String> calls = new ArrayList<>();
  private final AtomicReference<Value> running = new AtomicReference<>();

  private static final Value STABLE = Value.from(Map.of("pools", List.of(Map.of("timeout", 30))));
  private static final Value BAD = STABLE.with("pools[0].timeout", 1);

  private RollbackHook step(String name, long millis) {
    return ctx -> {
      calls.add(name);
      ticker.advance(Duration.ofMillis(millis));
    };
  }

  private RollbackPlan.Builder plan(SnapshotStore store) {
    return RollbackPlan.builder(store)
        .stabilise(step("stabilise", 1))
        .restore(ctx -> {
          calls.add("restore");
          ticker.advance(Duration.ofMillis(2));
          running.set(ctx.target().value());
        })
        .reinitialise(step("reinitialise", 3))
        .validate(step("validate", 4))
        .journal(journal)
        .ticker(ticker);
  }

  private SnapshotStore storeWithStableAndBad() throws IOException {
    SnapshotStore store = SnapshotStore.builder(SnapshotStorage.inMemory()).journal(journal).open();
    store.markStable(store.append("v1", STABLE).fingerprint());
    store.append("v2", BAD);
    running.set(BAD);
    return store;
  }

  @Test
  void rollBack_runsEveryStageInOrder_andJournalsOutcomeAndDuration() throws IOException {
    try (SnapshotStore store = storeWithStableAndBad()) {
      RollbackReport report = plan(store).build().rollBack(running.get());
      assertThat(report.succeeded()).isTrue();
      assertThat(report.failedStage()).isEmpty();
      assertThat(report.failure()).isEmpty();
      assertThat(calls).containsExactly("stabilise", "restore", "reinitialise", "validate");
      assertThat(running.get()).isEqualTo(STABLE);
      assertThat(report.stages()).extracting(StageResult::duration).containsExactly(
          Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(3), Duration.ofMillis(4));
      assertThat(report.duration()).isEqualTo(Duration.ofMillis(10));
      assertThat(report.target().fingerprint()).isEqualTo(STABLE.fingerprint());
      assertThat(report.restored().fingerprint()).isEqualTo(STABLE.fingerprint());
      assertThat(store.latest()).contains(report.restored());
      List<String> rollbackEntries = journal.entries().stream()
          .filter(e -> e.source().equals("rollback"))
          .map(e -> e.kind() + ": " + e.detail()).toList();
      assertThat(rollbackEntries).containsExactly(
          "rollback: to " + report.target().describe() + " from " + BAD.fingerprint().toShortString()
              + " (saved as #" + report.preRollback().sequence() + "): 1 change",
          "stabilise: succeeded in 1.0ms",
          "restore: succeeded in 2.0ms",
          "reinitialise: succeeded in 3.0ms",
          "validate: succeeded in 4.0ms",
          "rollback: succeeded in 10ms: running " + report.target().describe() + " again");
      assertThat(report.toString()).startsWith("rolled back to " + report.target().describe()
          + " in 10ms; pre-rollback state saved as " + report.preRollback().describe())
          .contains("  validate: succeeded in 4.0ms");
    }
  }

  @Test
  void rollBack_stagesBelowAMillisecondAndOverAnHour_journalledInTheOneDurationFormat()
      throws IOException {
    try (SnapshotStore store = storeWithStableAndBad()) {
      RollbackReport report = plan(store)
          .stabilise(ctx -> ticker.advance(Duration.ofNanos(400_000)))
          .restore(ctx -> {
            ticker.advance(Duration.ofNanos(9_999_999));
            running.set(ctx.target().value());
          })
          .reinitialise(ctx -> ticker.advance(Duration.ofMillis(59_999).plusNanos(999_999)))
          .validate(ctx -> ticker.advance(Duration.ofMinutes(65)))
          .build().rollBack(running.get());

      assertThat(journal.entries().stream().filter(e -> e.source().equals("rollback"))
              .map(e -> e.kind() + ": " + e.detail()))
          .contains("stabilise: succeeded in 400us", // not 0.4ms
              "restore: succeeded in 9.9ms", // truncated, not rounded up to 10.0ms
              "reinitialise: succeeded in 59.999s", // not 60.000s
              "validate: succeeded in 1h05m00.000s"); // not 65m00.000s
      assertThat(report.toString()).contains("  stabilise: succeeded in 400us",
          "  validate: succeeded in 1h05m00.000s");
    }
  }

  @Test
  void rollBack_failingStage_stopsThereAndSaysWhich() throws IOException {
    try (SnapshotStore store = storeWithStableAndBad()) {
      IllegalStateException unhealthy = new IllegalStateException("health check failed");
      RollbackReport report = plan(store)
          .reinitialise(ctx -> {
            calls.add("reinitialise");
            ticker.advance(Duration.ofMillis(7));
            throw unhealthy;
          })
          .build().rollBack(running.get());
      assertThat(report.succeeded()).isFalse();
      assertThat(report.failedStage()).contains(RollbackStage.REINITIALISE);
      assertThat(report.failure()).containsSame(unhealthy);
      assertThat(calls).containsExactly("stabilise", "restore", "reinitialise");
      assertThat(report.stages()).extracting(StageResult::outcome).containsExactly(
          StageResult.Outcome.SUCCEEDED, StageResult.Outcome.SUCCEEDED,
          StageResult.Outcome.FAILED, StageResult.Outcome.NOT_RUN);
      assertThat(report.restored()).isNull();
      assertThat(journal.entries()).extracting(e -> e.kind() + ": " + e.detail()).contains(
          "reinitialise: FAILED after 7.0ms: java.lang.IllegalStateException: health check failed",
          "rollback: FAILED at reinitialise after 10ms; the pre-rollback state is "
              + report.preRollback().describe());
      assertThat(report.toString()).startsWith("rollback FAILED at reinitialise, target ");
    }
  }

  /**
   * Regression: after every hook had run, a failure to append the "rolled back to" snapshot
   * was thrown, so the caller of a rollback that had happened got no report.
   */
  @Test
  void rollBack_appendingTheRestoredStateFails_reportsItAfterTheHooksRan() throws IOException {
    FailingStorage storage = new FailingStorage(SnapshotStorage.inMemory());
    try (SnapshotStore store = SnapshotStore.builder(storage).journal(journal).open()) {
      store.markStable(store.append("v1", STABLE).fingerprint());
      IOException diskFull = new IOException("disk full");
      RollbackReport report = plan(store)
          .validate(ctx -> {
            calls.add("validate");
            storage.failAppends = diskFull;
          })
          .build().rollBack(BAD);

      assertThat(calls).containsExactly("stabilise", "restore", "reinitialise", "validate");
      assertThat(report.succeeded()).isTrue();
      assertThat(report.restored()).isNull();
      assertThat(report.restoredFailure()).isSameAs(diskFull);
      assertThat(store.latest()).contains(report.preRollback());
      assertThat(journal.entries()).last().extracting(JournalEntry::detail).isEqualTo(
          "succeeded in 6.0ms: running " + report.target().describe() + " again; recording "
              + "that in the store failed: java.io.IOException: disk full");
      assertThat(report.toString())
          .endsWith("  recording the restored state in the store failed: java.io.IOException:"
              + " disk full\n");
    }
  }

  /** A storage whose appends fail once told to. */
  static final class FailingStorage implements SnapshotStorage {
    private final SnapshotStorage delegate;
    volatile IOException failAppends;

    FailingStorage(SnapshotStorage delegate) {
      this.delegate = delegate;
    }

    @Override
    public Contents load() throws IOException {
      return delegate.load();
    }

    @Override
    public void appendSnapshot(SnapshotInfo info, byte[] encoding) throws IOException {
      if (failAppends != null) {
        throw failAppends;
      }
      delegate.appendSnapshot(info, encoding);
    }

    @Override
    public void appendMark(StableMark mark) throws IOException {
      delegate.appendMark(mark);
    }

    @Override
    public byte[] read(SnapshotInfo info) throws IOException {
      return delegate.read(info);
    }

    @Override
    public void rewrite(List<SnapshotInfo> snapshots, List<StableMark> marks)
        throws IOException {
      delegate.rewrite(snapshots, marks);
    }

    @Override
    public String describe() {
      return "failing " + delegate.describe();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }

  @Test
  void rollBack_preRollbackSnapshot_undoesTheRollback() throws IOException {
    try (SnapshotStore store = storeWithStableAndBad()) {
      RollbackPlan plan = plan(store).build();
      RollbackReport report = plan.rollBack(running.get());
      assertThat(store.load(report.preRollback().fingerprint()).value()).isEqualTo(BAD);
      RollbackReport undo = plan.rollBack(running.get(), report.preRollback().fingerprint());
      assertThat(undo.succeeded()).isTrue();
      assertThat(running.get()).isEqualTo(BAD);
      assertThat(undo.target().label()).isEqualTo("pre-rollback to #0 \"v1\"");
      assertThat(report.restored().label()).isEqualTo("rolled back to #0 \"v1\"");
    }
  }

  @Test
  void rollBack_contextCarriesTargetPreRollbackAndChanges() throws IOException {
    try (SnapshotStore store = storeWithStableAndBad()) {
      AtomicReference<RollbackContext> seen = new AtomicReference<>();
      RollbackPlan.builder(store).restore(seen::set).build().rollBack(BAD);
      RollbackContext context = seen.get();
      assertThat(context.target().value()).isEqualTo(STABLE);
      assertThat(context.preRollback().fingerprint()).isEqualTo(BAD.fingerprint());
      assertThat(context.changes().changes()).extracting(Change::toString)
          .containsExactly("~ pools[0].timeout: 1 -> 30");
    }
  }

  @Test
  void rollBack_stagesWithoutHooks_areSkipped() throws IOException {
    try (SnapshotStore store = storeWithStableAndBad()) {
      RollbackReport report = RollbackPlan.builder(store).restore(ctx -> { }).journal(journal)
          .journalSource("payments").build().rollBack(BAD);
      assertThat(report.stages()).extracting(StageResult::outcome).containsExactly(
          StageResult.Outcome.SKIPPED, StageResult.Outcome.SUCCEEDED,
          StageResult.Outcome.SKIPPED, StageResult.Outcome.SKIPPED);
      assertThat(report.succeeded()).isTrue();
      assertThat(journal.entries()).filteredOn(e -> e.source().equals("payments"))
          .extracting(JournalEntry::kind)
          .containsExactly("rollback", "stabilise", "restore", "reinitialise", "validate",
              "rollback");
    }
  }

  @Test
  void rollBack_noStableSnapshot_throwsBeforeAnyHookOrAppend() throws IOException {
    try (SnapshotStore store = SnapshotStore.inMemory()) {
      store.append("v1", BAD);
      assertThatThrownBy(() -> plan(store).build().rollBack(BAD))
          .isInstanceOf(NoSuchElementException.class)
          .hasMessage("snapshot store 'snapshots' has no known-stable snapshot to roll back to");
      assertThat(calls).isEmpty();
      assertThat(store.history()).hasSize(1);
      assertThat(journal.entries()).extracting(JournalEntry::detail)
          .containsExactly("cannot start: snapshot store 'snapshots' has no known-stable snapshot"
              + " to roll back to");
    }
  }

  @Test
  void rollBack_damagedTarget_throwsBeforeAnyHookOrAppend() throws IOException {
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      store.markStable(store.append("v1", STABLE).fingerprint());
      store.append("v2", BAD);
    }
    Path log = dir.resolve("snapshots.log");
    byte[] bytes = Files.readAllBytes(log);
    LogRecords.Span first = LogRecords.spans(bytes).get(0);
    bytes[(int) first.payloadStart() + 2] ^= 1;
    Files.write(log, bytes);
    try (SnapshotStore store = SnapshotStore.open(dir)) {
      assertThatThrownBy(() -> plan(store).build().rollBack(BAD))
          .isInstanceOf(SnapshotIntegrityException.class)
          .hasMessageContaining("payload checksum mismatch");
      assertThat(calls).isEmpty();
      assertThat(store.history()).hasSize(2);
    }
  }

  @Test
  void rollBack_interruptedHook_failsTheStage_andKeepsTheInterrupt() throws IOException {
    try (SnapshotStore store = storeWithStableAndBad()) {
      RollbackReport report = plan(store)
          .validate(ctx -> {
            throw new InterruptedException("shutting down");
          })
          .build().rollBack(BAD);
      assertThat(report.failedStage()).contains(RollbackStage.VALIDATE);
      assertThat(Thread.interrupted()).isTrue(); // and clears it again
    }
  }

  @Test
  void build_withoutRestoreHook_isRefused() throws IOException {
    try (SnapshotStore store = SnapshotStore.inMemory()) {
      assertThatThrownBy(() -> RollbackPlan.builder(store).validate(ctx -> { }).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("a rollback plan needs a restore hook");
      assertThatThrownBy(() -> RollbackPlan.builder(store).journalSource(" "))
          .hasMessage("source must not be blank, was ' '");
    }
  }

  @Test
  void stageResult_andReport_validateTheirComponents() {
    assertThatThrownBy(() -> new StageResult(RollbackStage.RESTORE, StageResult.Outcome.FAILED,
        Duration.ZERO, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new StageResult(RollbackStage.RESTORE,
        StageResult.Outcome.SUCCEEDED, Duration.ZERO, new RuntimeException()))
        .hasMessage("only a FAILED stage has a failure, not SUCCEEDED");
    assertThat(RollbackStage.REINITIALISE.journalKind()).isEqualTo("reinitialise");
  }

  /** The emergency drill's script, in the few lines it should take. */
  @Test
  void drill_fingerprintMarkStableChangeDiffRollBack() throws IOException {
    try (SnapshotStore store = SnapshotStore.builder(SnapshotStorage.inMemory())
        .journal(journal).open()) {
      Value config = Value.from(Map.of("payments", Map.of("timeout", 30, "retries", 3)));
      store.markStable(store.append("known good", config).fingerprint());

      Value changed = config.with("payments.timeout", 1);
      store.append("bad change", changed);
      Diff diff = Diff.between(store.lastKnownStable().orElseThrow().value(), changed);
      assertThat(diff.changes()).extracting(c -> c.path().toString())
          .containsExactly("payments.timeout");

      RollbackReport report = RollbackPlan.builder(store)
          .restore(ctx -> running.set(ctx.target().value()))
          .journal(journal).build()
          .rollBack(changed);
      assertThat(report.succeeded()).isTrue();
      assertThat(running.get().fingerprint()).isEqualTo(config.fingerprint());
    }
  }
}
