package dev.breakglass.cascade.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.ManualScheduler;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeferralTest {

  private final ManualTicker ticker = new ManualTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
  private final CascadeManager manager = CascadeManager.builder()
      .component("payments", Tier.CRITICAL)
      .ticker(ticker)
      .journal(journal)
      .build();
  private final List<String> ran = new ArrayList<>();

  private Deferral.Builder builder() {
    return Deferral.builder(manager, scheduler);
  }

  private void declare(Severity severity) {
    manager.declare(severity, "test", "drill");
  }

  private Runnable work(String name) {
    return () -> ran.add(name);
  }

  private static Throwable failure(CompletionStage<Void> stage) {
    CompletableFuture<Void> future = stage.toCompletableFuture();
    assertThat(future).isCompletedExceptionally();
    try {
      future.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static DeferralException rejection(CompletionStage<Void> stage) {
    Throwable failure = failure(stage);
    assertThat(failure).isInstanceOf(DeferralException.class);
    return (DeferralException) failure;
  }

  // ---------------------------------------------------------------- admitted work

  @Test
  void submit_admittedTier_runsAtOnceOnTheCallingThread() {
    Deferral deferral = builder().build();
    Thread caller = Thread.currentThread();
    List<Thread> threads = new ArrayList<>();

    CompletionStage<Void> stage = deferral.submit(Tier.ENHANCED, () -> threads.add(
        Thread.currentThread()));

    assertThat(threads).containsExactly(caller);
    assertThat(stage.toCompletableFuture()).isCompletedWithValue(null);
    assertThat(deferral.counts(Tier.ENHANCED).deferred()).isZero();
    assertThat(scheduler.queuedTasks()).isZero();
  }

  @Test
  void submit_admittedWorkThrows_stageFailsWithWhatItThrew() {
    Deferral deferral = builder().build();
    IllegalStateException boom = new IllegalStateException("boom");

    CompletionStage<Void> stage = deferral.submit(Tier.STANDARD, () -> {
      throw boom;
    });

    assertThat(failure(stage)).isSameAs(boom);
  }

  @Test
  void submit_admittedWorkThrowsVirtualMachineError_rethrows() {
    Deferral deferral = builder().build();

    assertThatThrownBy(() -> deferral.submit(Tier.STANDARD, () -> {
      throw new StackOverflowError("deep");
    })).isInstanceOf(StackOverflowError.class);
  }

  // ---------------------------------------------------------------- deferring and replaying

  @Test
  void submit_shedTier_waitsUntilRestoredThenReplays() {
    Deferral deferral = builder().build();
    declare(Severity.MAJOR);

    CompletionStage<Void> stage = deferral.submit(Tier.STANDARD, work("report"));
    scheduler.advance(Duration.ofSeconds(10));

    assertThat(ran).isEmpty();
    assertThat(stage.toCompletableFuture()).isNotDone();
    assertThat(deferral.counts(Tier.STANDARD))
        .isEqualTo(new DeferralCounts(Tier.STANDARD, 1, 1, 0, 0, 0, 0, 0));

    declare(Severity.NORMAL);
    scheduler.advance(Duration.ofMillis(100));

    assertThat(ran).containsExactly("report");
    assertThat(stage.toCompletableFuture()).isCompletedWithValue(null);
    assertThat(deferral.counts(Tier.STANDARD))
        .isEqualTo(new DeferralCounts(Tier.STANDARD, 0, 1, 1, 0, 0, 0, 0));
    assertThat(scheduler.queuedTasks()).as("no tick while nothing waits").isZero();
  }

  @Test
  void replay_severalTiers_moreImportantTiersFirstOldestFirstWithinATier() {
    Deferral deferral = builder().replayRate(1000).build();
    declare(Severity.CRITICAL);
    deferral.submit(Tier.ENHANCED, work("e1"));
    deferral.submit(Tier.STANDARD, work("s1"));
    deferral.submit(Tier.ESSENTIAL, work("x1"));
    deferral.submit(Tier.ENHANCED, work("e2"));
    deferral.submit(Tier.ESSENTIAL, work("x2"));
    deferral.submit(Tier.STANDARD, work("s2"));

    declare(Severity.NORMAL);
    scheduler.advance(Duration.ofMillis(100));

    assertThat(ran).containsExactly("x1", "x2", "s1", "s2", "e1", "e2");
  }

  @Test
  void replay_partlyRestored_replaysOnlyTheAdmittedTiers() {
    Deferral deferral = builder().build();
    declare(Severity.MAJOR);
    deferral.submit(Tier.ENHANCED, work("e1"));
    deferral.submit(Tier.STANDARD, work("s1"));

    declare(Severity.MINOR); // admits STANDARD, still sheds ENHANCED
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("s1");

    declare(Severity.NORMAL);
    scheduler.advance(Duration.ofMillis(100));
    assertThat(ran).containsExactly("s1", "e1");
  }

  @Test
  void replay_rateOf10PerSecond_replaysOneItemPer100MillisecondTick() {
    Deferral deferral = builder().replayRate(10).replayInterval(Duration.ofMillis(100)).build();
    declare(Severity.MAJOR);
    for (int i = 0; i < 5; i++) {
      deferral.submit(Tier.STANDARD, work("s" + i));
    }
    scheduler.advance(Duration.ofMinutes(1)); // a long shed spell builds up no burst

    declare(Severity.NORMAL);
    List<Integer> perTick = new ArrayList<>();
    for (int tick = 0; tick < 6; tick++) {
      int before = ran.size();
      scheduler.advance(Duration.ofMillis(100));
      perTick.add(ran.size() - before);
    }

    assertThat(perTick).containsExactly(1, 1, 1, 1, 1, 0);
    assertThat(ran).containsExactly("s0", "s1", "s2", "s3", "s4");
  }

  @Test
  void replay_rateOf100PerSecondEvery100Milliseconds_replaysTenPerTick() {
    Deferral deferral = builder().replayRate(100).build();
    declare(Severity.MAJOR);
    for (int i = 0; i < 25; i++) {
      deferral.submit(Tier.STANDARD, work("s" + i));
    }
    declare(Severity.NORMAL);

    scheduler.advance(Duration.ofMillis(100));
    assertThat(ran).hasSize(10);
    scheduler.advance(Duration.ofMillis(100));
    assertThat(ran).hasSize(20);
    scheduler.advance(Duration.ofMillis(100));
    assertThat(ran).hasSize(25);
  }

  @Test
  void replay_replayedWorkThrows_stageFailsAndTheRestStillRun() {
    Deferral deferral = builder().build();
    declare(Severity.MAJOR);
    IllegalStateException boom = new IllegalStateException("boom");
    CompletionStage<Void> failing = deferral.submit(Tier.STANDARD, () -> {
      throw boom;
    });
    CompletionStage<Void> next = deferral.submit(Tier.STANDARD, work("next"));

    declare(Severity.NORMAL);
    scheduler.advance(Duration.ofMillis(100));

    assertThat(failure(failing)).isSameAs(boom);
    assertThat(next.toCompletableFuture()).isCompletedWithValue(null);
    assertThat(deferral.counts(Tier.STANDARD).replayed()).isEqualTo(2);
  }

  @Test
  void replay_workThrowsVirtualMachineError_itsStageFailsAndTheRestReplayNextTick() {
    Deferral deferral = builder().replayRate(1000).build();
    declare(Severity.MAJOR);
    StackOverflowError error = new StackOverflowError("deep");
    CompletionStage<Void> failing = deferral.submit(Tier.STANDARD, () -> {
      throw error;
    });
    CompletionStage<Void> next = deferral.submit(Tier.STANDARD, work("s2"));

    declare(Severity.NORMAL);
    scheduler.advance(Duration.ofMillis(100)); // the tick ends with the error (its future holds it)

    assertThat(failure(failing)).isSameAs(error);
    assertThat(next.toCompletableFuture()).isNotDone();
    assertThat(deferral.counts(Tier.STANDARD))
        .isEqualTo(new DeferralCounts(Tier.STANDARD, 1, 2, 1, 0, 0, 0, 0));
    scheduler.advance(Duration.ofMillis(100));
    assertThat(next.toCompletableFuture()).isCompletedWithValue(null);
    assertThat(ran).containsExactly("s2");
  }

  @Test
  void replay_tierShedAgainWhileATickRuns_restGoBackToTheFrontInOrder() {
    Deferral deferral = builder().replayRate(1000).build();
    declare(Severity.MAJOR);
    deferral.submit(Tier.STANDARD, () -> {
      ran.add("s1");
      declare(Severity.MAJOR); // shed again by the first replayed item
    });
    CompletionStage<Void> second = deferral.submit(Tier.STANDARD, work("s2"));
    deferral.submit(Tier.STANDARD, work("s3"));

    declare(Severity.NORMAL);
    scheduler.advance(Duration.ofMillis(100));
    assertThat(ran).containsExactly("s1");
    assertThat(second.toCompletableFuture()).isNotDone();
    assertThat(deferral.counts(Tier.STANDARD))
        .isEqualTo(new DeferralCounts(Tier.STANDARD, 2, 3, 1, 0, 0, 0, 0));

    deferral.submit(Tier.STANDARD, work("s4"));
    declare(Severity.NORMAL);
    scheduler.advance(Duration.ofMillis(100));
    assertThat(ran).containsExactly("s1", "s2", "s3", "s4");
  }

  // ---------------------------------------------------------------- overflow and expiry

  @Test
  void submit_queueFull_rejectedAsOverflowNamingTheTierAndCounted() {
    Deferral deferral = builder().capacity(Tier.STANDARD, 2).build();
    declare(Severity.MAJOR);
    deferral.submit(Tier.STANDARD, work("s1"));
    deferral.submit(Tier.STANDARD, work("s2"));

    CompletionStage<Void> third = deferral.submit(Tier.STANDARD, work("s3"));

    DeferralException e = rejection(third);
    assertThat(e.tier()).isEqualTo(Tier.STANDARD);
    assertThat(e.reason()).isEqualTo(DeferralException.Reason.OVERFLOW);
    assertThat(e).hasMessage("STANDARD-tier work not run: OVERFLOW, queue full (2)");
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(deferral.counts(Tier.STANDARD).overflowed()).isEqualTo(1);
    assertThat(deferral.submit(Tier.ENHANCED, work("e1")).toCompletableFuture())
        .as("the other tiers keep their own capacity").isNotDone();

    declare(Severity.NORMAL);
    scheduler.advance(Duration.ofMillis(100));
    assertThat(ran).containsExactly("s1", "s2", "e1");
  }

  @Test
  void submit_waitsPastMaxWait_expiresNamingTheWaitAndNeverRuns() {
    Deferral deferral = builder().maxWait(Duration.ofSeconds(30)).build();
    declare(Severity.MAJOR);
    CompletionStage<Void> stage = deferral.submit(Tier.STANDARD, work("late"));
    CompletionStage<Void> longer =
        deferral.submit(Tier.STANDARD, Duration.ofMinutes(2), work("patient"));

    scheduler.advance(Duration.ofMillis(29_900));
    assertThat(stage.toCompletableFuture()).isNotDone();
    scheduler.advance(Duration.ofMillis(100));

    DeferralException e = rejection(stage);
    assertThat(e.reason()).isEqualTo(DeferralException.Reason.EXPIRED);
    assertThat(e).hasMessage(
        "STANDARD-tier work not run: EXPIRED, waited longer than its maximum wait of 30.000s");
    assertThat(longer.toCompletableFuture()).isNotDone();

    declare(Severity.NORMAL);
    scheduler.advance(Duration.ofMillis(100));
    assertThat(ran).containsExactly("patient");
    assertThat(deferral.counts(Tier.STANDARD))
        .isEqualTo(new DeferralCounts(Tier.STANDARD, 0, 2, 1, 1, 0, 0, 0));
  }

  @Test
  void submit_schedulerRejectsTheTick_workExpiresNamingTheScheduler() {
    Deferral deferral = builder().build();
    declare(Severity.MAJOR);
    scheduler.shutdown();

    CompletionStage<Void> stage = deferral.submit(Tier.STANDARD, work("s1"));

    DeferralException e = rejection(stage);
    assertThat(e.reason()).isEqualTo(DeferralException.Reason.EXPIRED);
    assertThat(e.getMessage()).contains("the scheduler rejected the replay tick");
    assertThat(deferral.pending()).isZero();
    assertThat(ran).isEmpty();
  }

  // ---------------------------------------------------------------- shutdown

  @Test
  void drain_pendingWork_runsItAllNowInOrderAndCloses() {
    Deferral deferral = builder().build();
    declare(Severity.CRITICAL);
    CompletionStage<Void> e1 = deferral.submit(Tier.ENHANCED, work("e1"));
    deferral.submit(Tier.ESSENTIAL, work("x1"));
    deferral.submit(Tier.STANDARD, work("s1"));

    int drained = deferral.drain();

    assertThat(drained).isEqualTo(3);
    assertThat(ran).containsExactly("x1", "s1", "e1");
    assertThat(e1.toCompletableFuture()).isCompletedWithValue(null);
    assertThat(deferral.isClosed()).isTrue();
    DeferralException refused = rejection(deferral.submit(Tier.STANDARD, work("s2")));
    assertThat(refused.reason()).isEqualTo(DeferralException.Reason.CLOSED);
    assertThat(deferral.counts(Tier.STANDARD))
        .isEqualTo(new DeferralCounts(Tier.STANDARD, 0, 1, 1, 0, 0, 0, 1));
    assertThat(deferral.submit(Tier.CRITICAL, work("c1")).toCompletableFuture())
        .as("admitted work still runs").isCompletedWithValue(null);
    assertThat(deferral.drain()).isZero();
  }

  @Test
  void expireAll_pendingWork_expiresItWithTheReason() {
    Deferral deferral = builder().build();
    declare(Severity.MAJOR);
    CompletionStage<Void> stage = deferral.submit(Tier.ENHANCED, work("e1"));

    assertThat(deferral.expireAll("service shutting down")).isEqualTo(1);

    DeferralException e = rejection(stage);
    assertThat(e.reason()).isEqualTo(DeferralException.Reason.EXPIRED);
    assertThat(e).hasMessage(
        "ENHANCED-tier work not run: EXPIRED, expired: service shutting down");
    assertThat(ran).isEmpty();
    assertThat(deferral.counts(Tier.ENHANCED).expired()).isEqualTo(1);
    assertThat(deferral.isClosed()).isTrue();
  }

  @Test
  void handBack_pendingWork_returnsItInReplayOrderWithoutRunningIt() {
    Deferral deferral = builder().maxWait(Duration.ofSeconds(60)).build();
    declare(Severity.MAJOR);
    Runnable e1 = work("e1");
    Runnable s1 = work("s1");
    CompletionStage<Void> stage = deferral.submit(Tier.ENHANCED, e1);
    ticker.advance(Duration.ofSeconds(1));
    deferral.submit(Tier.STANDARD, s1);

    List<DeferredWork> handedBack = deferral.handBack();

    assertThat(handedBack).extracting(DeferredWork::work).containsExactly(s1, e1);
    assertThat(handedBack.get(0)).isEqualTo(new DeferredWork(Tier.STANDARD, s1,
        1_000_000_000L, 61_000_000_000L));
    assertThat(rejection(stage).reason()).isEqualTo(DeferralException.Reason.HANDED_BACK);
    assertThat(ran).isEmpty();
    assertThat(deferral.counts(Tier.ENHANCED).handedBack()).isEqualTo(1);
    assertThat(deferral.handBack()).isEmpty();
  }

  // ---------------------------------------------------------------- journal and events

  @Test
  void journal_manyItemsDeferredReplayedAndOverflowed_recordsOneEntryEach() {
    Deferral deferral = builder().capacity(100).replayRate(1000).build();
    declare(Severity.MAJOR);
    for (int i = 0; i < 150; i++) {
      deferral.submit(Tier.STANDARD, work("s"));
    }
    ticker.advance(Duration.ofSeconds(5)); // the tick due at 0.1 s runs late, at 5 s
    declare(Severity.NORMAL);
    scheduler.runDue();

    List<String> entries = new ArrayList<>();
    for (JournalEntry entry : journal.entries()) {
      if (entry.kind().startsWith("defer") || entry.kind().equals("overflow")) {
        entries.add(entry.kind() + ": " + entry.detail());
      }
    }
    assertThat(entries).containsExactly(
        "deferring: STANDARD work deferred at MAJOR: queue capacity 100, max wait 5m00.000s,"
            + " replayed at 1000.0/s",
        "overflow: STANDARD deferral queue full (100) at MAJOR: rejecting new STANDARD work"
            + " until it drains",
        "deferral-ended: STANDARD deferral ended at NORMAL after 5.000s: 100 deferred,"
            + " 100 replayed, 0 expired, 0 handed back, 50 rejected (queue full)");
  }

  @Test
  void onEvent_episode_startedOverflowingEndedWithCounts() {
    Deferral deferral = builder().capacity(1).build();
    List<DeferralEvent> events = new ArrayList<>();
    deferral.onEvent(events::add);
    declare(Severity.MAJOR);
    deferral.submit(Tier.ENHANCED, work("e1"));
    deferral.submit(Tier.ENHANCED, work("e2"));
    deferral.submit(Tier.ENHANCED, work("e3"));

    declare(Severity.NORMAL);
    scheduler.advance(Duration.ofMillis(100));

    assertThat(events).containsExactly(
        new DeferralEvent(DeferralEvent.Kind.STARTED, Tier.ENHANCED, Severity.MAJOR,
            1, 0, 0, 0, 0, 0),
        new DeferralEvent(DeferralEvent.Kind.OVERFLOWING, Tier.ENHANCED, Severity.MAJOR,
            1, 0, 0, 1, 0, 0),
        new DeferralEvent(DeferralEvent.Kind.ENDED, Tier.ENHANCED, Severity.NORMAL,
            1, 1, 0, 2, 0, 100_000_000L));
  }

  @Test
  void onEvent_listenerThrows_handedToTheHandlerAndReplayGoesOn() {
    List<Throwable> handled = new ArrayList<>();
    Deferral deferral = builder()
        .listenerErrorHandler((owner, listener, event, error) -> handled.add(error))
        .build();
    deferral.onEvent(event -> {
      throw new IllegalStateException("listener");
    });
    declare(Severity.MAJOR);
    CompletionStage<Void> stage = deferral.submit(Tier.STANDARD, work("s1"));
    declare(Severity.NORMAL);
    scheduler.advance(Duration.ofMillis(100));

    assertThat(stage.toCompletableFuture()).isCompletedWithValue(null);
    assertThat(handled).hasSize(2).allMatch(e -> e.getMessage().equals("listener"));
  }

  @Test
  void journal_explicitJournal_replacesTheManagers() {
    IncidentJournal own = IncidentJournal.builder().ticker(ticker).build();
    Deferral deferral = builder().journal(own).build();
    declare(Severity.MAJOR);
    deferral.submit(Tier.STANDARD, work("s1"));

    assertThat(own.entries()).extracting(JournalEntry::kind).containsExactly("deferring");
    assertThat(journal.entries()).extracting(JournalEntry::kind).doesNotContain("deferring");
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void builder_badValues_rejectedNamingTheValue() {
    assertThatThrownBy(() -> builder().capacity(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("capacity must be > 0, was 0");
    assertThatThrownBy(() -> builder().capacity(Tier.STANDARD, -3))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("capacity must be > 0, was -3");
    assertThatThrownBy(() -> builder().replayRate(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replayRate must be a finite number of items per second > 0, was NaN");
    assertThatThrownBy(() -> builder().replayRate(-1))
        .hasMessage("replayRate must be a finite number of items per second > 0, was -1.0");
    assertThatThrownBy(() -> builder().replayRate(0))
        .hasMessage("replayRate must be a finite number of items per second > 0, was 0.0");
    assertThatThrownBy(() -> builder().replayRate(Double.POSITIVE_INFINITY))
        .hasMessage("replayRate must be a finite number of items per second > 0, was Infinity");
    assertThatThrownBy(() -> builder().maxWait(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxWait must be positive, was PT0S");
    assertThatThrownBy(() -> builder().replayInterval(Duration.ofMillis(-5)))
        .hasMessage("replayInterval must be positive, was PT-0.005S");
    assertThatThrownBy(() -> builder().maxWait(null))
        .isInstanceOf(NullPointerException.class).hasMessage("maxWait");
    assertThatThrownBy(() -> builder().capacity(null, 1))
        .isInstanceOf(NullPointerException.class).hasMessage("tier");
    assertThatThrownBy(() -> Deferral.builder(null, scheduler))
        .isInstanceOf(NullPointerException.class).hasMessage("manager");
    assertThatThrownBy(() -> Deferral.builder(manager, null))
        .isInstanceOf(NullPointerException.class).hasMessage("scheduler");
  }

  @Test
  void submit_badArguments_rejectedNamingTheValueAndNothingQueued() {
    Deferral deferral = builder().build();
    declare(Severity.MAJOR);

    assertThatThrownBy(() -> deferral.submit(null, work("x")))
        .isInstanceOf(NullPointerException.class).hasMessage("tier");
    assertThatThrownBy(() -> deferral.submit(Tier.STANDARD, null))
        .isInstanceOf(NullPointerException.class).hasMessage("work");
    assertThatThrownBy(() -> deferral.submit(Tier.STANDARD, Duration.ofSeconds(-1), work("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxWait must be positive, was PT-1S");
    assertThatThrownBy(() -> deferral.expireAll(null))
        .isInstanceOf(NullPointerException.class).hasMessage("reason");
    assertThat(deferral.pending()).isZero();
    assertThat(deferral.isClosed()).isFalse();
  }

  @Test
  void toString_pendingAndClosed_saysSo() {
    Deferral deferral = builder().build();
    declare(Severity.MAJOR);
    deferral.submit(Tier.STANDARD, work("s1"));
    assertThat(deferral).hasToString("Deferral[1 pending]");
    deferral.expireAll("test");
    assertThat(deferral).hasToString("Deferral[0 pending, closed]");
  }

  @Test
  void counts_allTiers_oneSnapshotPerTierMostImportantFirst() {
    Deferral deferral = builder().build();
    declare(Severity.MAJOR);
    deferral.submit(Tier.ENHANCED, work("e1"));
    AtomicInteger immediate = new AtomicInteger();
    deferral.submit(Tier.ESSENTIAL, immediate::incrementAndGet);

    assertThat(deferral.counts()).extracting(DeferralCounts::tier)
        .containsExactly(Tier.CRITICAL, Tier.ESSENTIAL, Tier.STANDARD, Tier.ENHANCED);
    assertThat(deferral.counts()).extracting(DeferralCounts::pending).containsExactly(0, 0, 0, 1);
    assertThat(immediate).hasValue(1);
  }
}
