package dev.breakglass.cascade.degradation;

import static dev.breakglass.testing.Gen.weighted;
import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.ManualScheduler;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import dev.breakglass.testing.Gen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Random submissions, severity changes, clock advances and shutdown steps against a reference
 * model of what may happen to each piece of work: every item ends exactly once, as run, expired,
 * handed back or rejected, as the model predicts; deferred items of a tier run oldest first,
 * never while their tier is shed, never past their deadline, and never while an item of a more
 * important admitted tier waits; the counts agree with the model at every step.
 */
class DeferralPropertiesTest {

  private static final long INTERVAL_NANOS = 100_000_000L;
  private static final Tier[] SHEDDABLE = {Tier.ESSENTIAL, Tier.STANDARD, Tier.ENHANCED};

  interface Action {}

  /** Submits work of a tier, with the default maximum wait or its own (milliseconds). */
  record Submit(Tier tier, long maxWaitMillis) implements Action {}

  record Declare(Severity severity) implements Action {}

  record Advance(long millis) implements Action {}

  enum Ending { DRAIN, EXPIRE, HAND_BACK }

  record Shutdown(Ending ending) implements Action {}

  record Scenario(int capacity, double rate, long maxWaitMillis, List<Action> actions) {}

  static Gen<Scenario> scenarios() {
    Gen<Action> submit = source -> new Submit(source.draw(Gen.of(SHEDDABLE)),
        source.draw(Gen.of(0L, 0L, 150L, 450L, 2_000L)));
    Gen<Action> declare = Gen.enums(Severity.class).map(Declare::new);
    Gen<Action> advance = Gen.longs(0, 400).map(Advance::new);
    Gen<Action> shutdown = Gen.enums(Ending.class).map(Shutdown::new);
    Gen<List<Action>> actions = Gen.frequency(
        weighted(10, submit), weighted(3, declare), weighted(5, advance), weighted(1, shutdown))
        .list(0, 60);
    return source -> new Scenario(source.draw(Gen.ints(1, 4)),
        source.draw(Gen.of(5.0, 10.0, 30.0, 1000.0)), source.draw(Gen.of(300L, 1_000L, 5_000L)),
        source.draw(actions));
  }

  enum Status { PENDING, RAN, EXPIRED, HANDED_BACK, OVERFLOW, CLOSED }

  /** One submitted item and what the model knows of it. */
  static final class Item {
    final int index;
    final Tier tier;
    final long deadline;
    final boolean deferred;
    Status status = Status.PENDING;
    int runs;
    CompletableFuture<Void> stage;

    Item(int index, Tier tier, long deadline, boolean deferred) {
      this.index = index;
      this.tier = tier;
      this.deadline = deadline;
      this.deferred = deferred;
    }
  }

  /** The default shedding ladder, written out independently of the manager. */
  static boolean admits(Severity severity, Tier tier) {
    return switch (severity) {
      case NORMAL -> true;
      case MINOR -> tier != Tier.ENHANCED;
      case MAJOR -> tier == Tier.CRITICAL || tier == Tier.ESSENTIAL;
      case CRITICAL -> tier == Tier.CRITICAL;
    };
  }

  @Test
  void deferral_randomScenarios_everyItemEndsOnceInOrderAsTheModelSays() {
    forAll(scenarios()).tries(300).check(DeferralPropertiesTest::run);
  }

  private static void run(Scenario scenario) {
    ManualTicker ticker = new ManualTicker();
    ManualScheduler scheduler = new ManualScheduler(ticker);
    CascadeManager manager = CascadeManager.builder()
        .component("payments", Tier.CRITICAL).ticker(ticker).build();
    Deferral deferral = Deferral.builder(manager, scheduler)
        .capacity(scenario.capacity())
        .replayRate(scenario.rate())
        .replayInterval(Duration.ofNanos(INTERVAL_NANOS))
        .maxWait(Duration.ofMillis(scenario.maxWaitMillis()))
        .build();
    List<Item> items = new ArrayList<>();
    Severity[] severity = {Severity.NORMAL};
    boolean[] closed = {false};
    boolean[] draining = {false};
    boolean[] expiringAll = {false};
    List<Throwable> violations = new ArrayList<>();

    for (Action action : scenario.actions()) {
      if (action instanceof Submit submit) {
        Tier tier = submit.tier();
        long wait = (submit.maxWaitMillis() == 0 ? scenario.maxWaitMillis()
            : submit.maxWaitMillis()) * 1_000_000L;
        boolean admitted = admits(severity[0], tier);
        long pendingOfTier = items.stream()
            .filter(i -> i.tier == tier && i.status == Status.PENDING && i.deferred).count();
        Status expected = admitted ? Status.RAN
            : closed[0] ? Status.CLOSED
            : pendingOfTier == scenario.capacity() ? Status.OVERFLOW
            : Status.PENDING;
        Item item = new Item(items.size(), tier, ticker.read() + wait,
            expected == Status.PENDING);
        items.add(item);
        Runnable check = () -> {
          long now = ticker.read();
          assertThat(item.runs).as("item %d runs once", item.index).isZero();
          item.runs++;
          if (item.deferred && !draining[0]) {
            assertThat(admits(severity[0], tier))
                .as("item %d (%s) runs while %s sheds it", item.index, tier, severity[0])
                .isTrue();
            assertThat(now - item.deadline).as("item %d runs before its deadline", item.index)
                .isNegative();
          }
          for (Item other : items) {
            if (other.deferred && other.status == Status.PENDING && other != item) {
              if (other.tier == tier && item.deferred) {
                assertThat(other.index).as("item %d runs before older item %d of its tier",
                    item.index, other.index).isGreaterThan(item.index);
              } else if (item.deferred && other.tier.compareTo(tier) < 0
                  && (draining[0] || admits(severity[0], other.tier))) {
                throw new AssertionError("item " + item.index + " (" + tier + ") runs while item "
                    + other.index + " of the more important, admitted tier " + other.tier
                    + " waits");
              }
            }
          }
          item.status = Status.RAN;
        };
        // Work and stage callbacks run inside the deferral: failures are collected, not thrown.
        Runnable work = () -> collect(violations, check);
        item.stage = deferral.submit(tier, Duration.ofNanos(wait), work).toCompletableFuture();
        item.stage.whenComplete((ok, failure) -> collect(violations,
            () -> settled(item, failure, ticker.read(), expiringAll[0])));
        if (expected == Status.PENDING) {
          assertThat(item.stage).as("item %d deferred", item.index).isNotDone();
        } else {
          assertThat(item.status).as("item %d", item.index).isEqualTo(expected);
        }
      } else if (action instanceof Declare declare) {
        severity[0] = declare.severity();
        manager.declare(declare.severity(), "test", "property");
      } else if (action instanceof Advance advance) {
        scheduler.advance(Duration.ofMillis(advance.millis()));
      } else if (action instanceof Shutdown shutdown) {
        closed[0] = true;
        List<Item> pending = items.stream().filter(i -> i.status == Status.PENDING).toList();
        switch (shutdown.ending()) {
          case DRAIN -> {
            draining[0] = true;
            assertThat(deferral.drain()).isEqualTo(pending.size());
            draining[0] = false;
          }
          case EXPIRE -> {
            expiringAll[0] = true;
            assertThat(deferral.expireAll("property")).isEqualTo(pending.size());
            expiringAll[0] = false;
          }
          case HAND_BACK -> assertThat(deferral.handBack()).hasSize(pending.size());
        }
      }
      assertNoViolations(violations);
      checkAgainstModel(deferral, items, ticker.read());
    }

    // Restore everything and let the replay run out: nothing may be left waiting.
    severity[0] = Severity.NORMAL;
    manager.declare(Severity.NORMAL, "test", "property ends");
    scheduler.advance(Duration.ofSeconds(30));
    assertNoViolations(violations);
    checkAgainstModel(deferral, items, ticker.read());
    assertThat(items).allMatch(i -> i.status != Status.PENDING, "every item settled");
    assertThat(deferral.pending()).isZero();
    assertThat(scheduler.queuedTasks()).isZero();
  }

  private static void collect(List<Throwable> violations, Runnable check) {
    try {
      check.run();
    } catch (Throwable e) {
      violations.add(e);
    }
  }

  private static void assertNoViolations(List<Throwable> violations) {
    if (!violations.isEmpty()) {
      AssertionError error = new AssertionError(violations.size() + " violations, the first: "
          + violations.get(0), violations.get(0));
      violations.clear();
      throw error;
    }
  }

  /** What a stage's completion tells the model; checks the transition is legal. */
  private static void settled(Item item, Throwable failure, long now, boolean expiringAll) {
    if (failure == null) {
      assertThat(item.status).as("item %d completed normally", item.index).isEqualTo(Status.RAN);
      return;
    }
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    assertThat(cause).isInstanceOf(DeferralException.class);
    DeferralException e = (DeferralException) cause;
    assertThat(e.tier()).isEqualTo(item.tier);
    assertThat(item.runs).as("item %d did not run", item.index).isZero();
    switch (e.reason()) {
      case OVERFLOW -> item.status = Status.OVERFLOW;
      case CLOSED -> item.status = Status.CLOSED;
      case HANDED_BACK -> {
        assertThat(item.status).isEqualTo(Status.PENDING);
        item.status = Status.HANDED_BACK;
      }
      case EXPIRED -> {
        assertThat(item.status).isEqualTo(Status.PENDING);
        if (!expiringAll) {
          assertThat(now - item.deadline).as("item %d expires at its deadline or later",
              item.index).isNotNegative();
        }
        item.status = Status.EXPIRED;
      }
    }
  }

  private static void checkAgainstModel(Deferral deferral, List<Item> items, long now) {
    for (Item item : items) {
      if (item.status == Status.PENDING) {
        assertThat(item.stage).as("item %d pending", item.index).isNotDone();
        assertThat(now - item.deadline).as("item %d expired within a tick of its deadline",
            item.index).isLessThan(INTERVAL_NANOS);
      } else {
        assertThat(item.stage).as("item %d settled", item.index).isDone();
      }
    }
    for (Tier tier : Tier.values()) {
      long[] by = new long[Status.values().length];
      long deferred = 0;
      for (Item item : items) {
        if (item.tier == tier) {
          by[item.status.ordinal()]++;
          if (item.deferred) {
            deferred++;
          }
        }
      }
      long ranDeferred = items.stream()
          .filter(i -> i.tier == tier && i.deferred && i.status == Status.RAN).count();
      assertThat(deferral.counts(tier)).as("counts of %s", tier).isEqualTo(new DeferralCounts(
          tier, (int) by[Status.PENDING.ordinal()], deferred, ranDeferred,
          by[Status.EXPIRED.ordinal()], by[Status.OVERFLOW.ordinal()],
          by[Status.HANDED_BACK.ordinal()], by[Status.CLOSED.ordinal()]));
    }
  }
}
