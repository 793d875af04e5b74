package dev.breakglass.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.fingerprint.Fingerprint;
import dev.breakglass.fingerprint.RollbackPlan;
import dev.breakglass.fingerprint.RollbackStage;
import dev.breakglass.fingerprint.SnapshotInfo;
import dev.breakglass.fingerprint.SnapshotStore;
import dev.breakglass.fingerprint.StageResult;
import dev.breakglass.fingerprint.Value;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One rollback order, carried out by every instance through its own plan; and drift. */
class FleetRollbackTest {

  private static final AtomicInteger FLEETS = new AtomicInteger();
  private static TestDataSource dataSource;

  private final Fleet fleet = Fleet.builder(dataSource, "shop-" + FLEETS.incrementAndGet())
      .build();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void database() {
    dataSource = TestDatabases.create("rollback");
  }

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private static Value config(String release, int timeout) {
    return Value.from(Map.of("release", release, "payment", Map.of("timeoutMillis", timeout)));
  }

  private static final Value GOOD = config("2026.11.3", 800);
  private static final Value BAD = config("2026.11.4", 1);

  /** An instance running some configuration, with a plan whose validation may fail. */
  private final class Shop {
    final AtomicReference<Value> running;
    final IncidentJournal journal = IncidentJournal.create(1024);
    final FleetInstance instance;
    final SnapshotStore store;

    Shop(String id, Value config, boolean validates) throws IOException {
      running = new AtomicReference<>(config);
      store = SnapshotStore.builder(fleet.snapshotStorage()).name("config").journal(journal)
          .open();
      opened.add(store);
      RollbackPlan plan = RollbackPlan.builder(store)
          .restore(context -> running.set(context.target().value()))
          .validate(context -> {
            if (!validates) {
              throw new IllegalStateException("payment probe timed out on " + id);
            }
          })
          .journal(journal)
          .build();
      instance = Instances.fast(fleet, id).state(running::get).rollback(plan, store)
          .journal(journal).start();
      opened.add(instance);
    }
  }

  private SnapshotInfo[] history() throws IOException {
    try (SnapshotStore operator = SnapshotStore.builder(fleet.snapshotStorage()).open()) {
      SnapshotInfo good = operator.append("release 2026.11.3", GOOD);
      operator.markStable(good.fingerprint());
      SnapshotInfo bad = operator.append("release 2026.11.4", BAD);
      return new SnapshotInfo[] {good, bad};
    }
  }

  private static void awaitConnected(Shop... shops) throws Exception {
    for (Shop shop : shops) {
      Await.until(shop.instance.id() + " connected", () -> shop.instance.status().connected());
    }
  }

  @Test
  void orderRollback_toTheLastKnownStable_everyInstanceReportsItsStages() throws Exception {
    SnapshotInfo[] history = history();
    Shop one = new Shop("shop-1", BAD, true);
    Shop two = new Shop("shop-2", BAD, true);
    Shop three = new Shop("shop-3", BAD, false);
    awaitConnected(one, two, three);
    ghost("shop-ghost"); // registered, fresh heartbeat, never answers

    RollbackOrder order = fleet.orderRollback("alice (on call)", "INC-4711: back to 2026.11.3");

    assertThat(order.target()).isEqualTo(history[0].fingerprint());
    assertThat(order.expected()).containsExactly("shop-1", "shop-2", "shop-3", "shop-ghost");
    Await.until("three instances reported", () -> {
      RollbackStatus status = fleet.rollbackStatus(order);
      return status.succeeded() + status.failed() == 3;
    });
    RollbackStatus status = fleet.rollbackStatus(order);
    assertThat(status.succeeded()).isEqualTo(2);
    assertThat(status.failed()).isEqualTo(1);
    assertThat(status.notReporting()).isEqualTo(1);
    assertThat(status.running()).isZero();
    assertThat(status.isComplete()).isFalse();
    assertThat(status.instances()).extracting(RollbackStatus.Instance::instance)
        .containsExactly("shop-1", "shop-2", "shop-3", "shop-ghost");
    RollbackStatus.Instance done = status.instances().get(0);
    assertThat(done.state()).isEqualTo(RollbackStatus.State.SUCCEEDED);
    assertThat(done.stages()).extracting(RollbackStatus.Stage::outcome).containsExactly(
        StageResult.Outcome.SKIPPED, StageResult.Outcome.SUCCEEDED,
        StageResult.Outcome.SKIPPED, StageResult.Outcome.SUCCEEDED);
    RollbackStatus.Instance failed = status.instances().get(2);
    assertThat(failed.state()).isEqualTo(RollbackStatus.State.FAILED);
    assertThat(failed.failure()).startsWith("FAILED at validate: java.lang.IllegalStateException:"
        + " payment probe timed out on shop-3");
    assertThat(failed.stages().get(3)).satisfies(stage -> {
      assertThat(stage.stage()).isEqualTo(RollbackStage.VALIDATE);
      assertThat(stage.outcome()).isEqualTo(StageResult.Outcome.FAILED);
      assertThat(stage.failure()).contains("payment probe timed out on shop-3");
    });
    assertThat(status.instances().get(3).state()).isEqualTo(RollbackStatus.State.NOT_REPORTED);
    assertThat(status.toString()).contains("2 succeeded, 1 failed, 0 running, 1 not reporting",
        "shop-3: failed; stabilise skipped; restore succeeded; reinitialise skipped;"
            + " validate failed: FAILED at validate");
    assertThat(one.running.get()).isEqualTo(GOOD);
    assertThat(two.running.get()).isEqualTo(GOOD);
    assertThat(one.journal.entries()).extracting(JournalEntry::detail)
        .anyMatch(d -> d.startsWith("rollback order #" + order.id() + " by alice (on call)"))
        .anyMatch(d -> d.startsWith("rollback order #" + order.id() + " carried out"));
    Await.until("the members table says what shop-1 runs", () -> fleet.members().stream()
        .anyMatch(m -> m.instance().equals("shop-1")
            && GOOD.fingerprint().equals(m.running())));
  }

  @Test
  void orderRollback_toAnExplicitTarget_isCarriedOutOncePerInstanceEvenAcrossARestart()
      throws Exception {
    SnapshotInfo[] history = history();
    Shop one = new Shop("shop-1", GOOD, true);
    awaitConnected(one);

    RollbackOrder order = fleet.orderRollback(history[1].fingerprint(), "bob", "try it again");

    Await.until("done", () -> fleet.rollbackStatus(order).isComplete());
    assertThat(one.running.get()).isEqualTo(BAD);
    assertThat(fleet.rollbackStatus(order.id()).succeeded()).isEqualTo(1);
    assertThat(one.instance.status().rollbacks()).isEqualTo(1);

    // the process restarts with the same id: joining reconciles, and finds the order done
    one.instance.close();
    Shop again = new Shop("shop-1", GOOD, true);
    awaitConnected(again);

    assertThat(again.instance.status().rollbacks()).isZero();
    assertThat(again.running.get()).isEqualTo(GOOD);
    assertThat(fleet.rollbackStatus(order).instances()).singleElement()
        .satisfies(i -> assertThat(i.state()).isEqualTo(RollbackStatus.State.SUCCEEDED));
  }

  @Test
  void orderRollback_withoutATarget_saysWhy() throws Exception {
    assertThatThrownBy(() -> fleet.orderRollback("alice", "nothing stable yet"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("nothing in store '" + fleet.name() + "' was marked known-stable");
    Fingerprint unknown = Value.from("never stored").fingerprint();
    assertThatThrownBy(() -> fleet.orderRollback(unknown, "alice", "x"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("holds no snapshot " + unknown.toShortString());
    assertThatThrownBy(() -> fleet.rollbackStatus(424242))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("has no rollback order #424242");
  }

  @Test
  void orderRollback_expectsOnlyLiveMembersThatCanRollBack() throws Exception {
    history();
    Shop one = new Shop("shop-1", BAD, true);
    FleetInstance observer = Instances.fast(fleet, "observer").start(); // no plan
    opened.add(observer);
    awaitConnected(one);
    Await.until("observer connected", () -> observer.status().connected());
    ghost("shop-stale");
    sql("UPDATE breakglass_fleet_members SET heartbeat_at = now() - interval '1 hour'"
        + " WHERE instance = 'shop-stale'");

    RollbackOrder order = fleet.orderRollback("alice", "INC-1");

    assertThat(order.expected()).containsExactly("shop-1");
  }

  @Test
  void drift_namesWhoRunsSomethingElseAndWhoWentQuiet() throws Exception {
    SnapshotInfo[] history = history();
    Shop good = new Shop("shop-good", GOOD, true);
    Shop bad = new Shop("shop-bad", BAD, true);
    Shop gone = new Shop("shop-gone", GOOD, true);
    awaitConnected(good, bad, gone);
    gone.instance.close();
    ghost("shop-stale");
    sql("UPDATE breakglass_fleet_members SET heartbeat_at = now() - interval '1 hour'"
        + " WHERE instance = 'shop-stale'");

    FleetDrift drift = fleet.drift();

    assertThat(drift.lastKnownStable()).contains(history[0].fingerprint());
    assertThat(drift.members()).extracting(FleetMember::instance)
        .containsExactly("shop-bad", "shop-good", "shop-stale");
    assertThat(drift.divergent()).extracting(FleetMember::instance)
        .containsExactly("shop-bad", "shop-stale");
    assertThat(drift.stale()).extracting(FleetMember::instance).containsExactly("shop-stale");
    assertThat(drift.isConverged()).isFalse();
    assertThat(drift.toString()).contains("2 of 3 members drifted from "
        + history[0].fingerprint().toShortString(), "shop-bad runs "
        + BAD.fingerprint().toShortString(), "shop-stale is stale");
    assertThat(fleet.members()).filteredOn(m -> m.instance().equals("shop-gone"))
        .singleElement().satisfies(m -> assertThat(m.isMember()).isFalse());
    assertThat(fleet.lastKnownStable()).contains(history[0].fingerprint());
  }

  @Test
  void markStable_byOneInstance_becomesEveryInstancesRollbackTarget() throws Exception {
    SnapshotInfo[] history = history();
    Shop one = new Shop("shop-1", GOOD, true);
    Shop two = new Shop("shop-2", GOOD, true);
    awaitConnected(one, two);

    one.store.markStable(history[1].fingerprint());

    Await.until("shop-2 refreshed on the notification", () -> two.store.lastKnownStableInfo()
        .map(SnapshotInfo::fingerprint).equals(java.util.Optional.of(history[1].fingerprint())));
    Await.until("journalled", () -> two.journal.entries().stream().anyMatch(e ->
        e.detail().startsWith("the fleet's rollback target is now #")));
    assertThat(fleet.lastKnownStable()).contains(history[1].fingerprint());
  }

  private void ghost(String id) throws Exception {
    try (Connection connection = DriverManager.getConnection(dataSource.url());
        PreparedStatement insert = connection.prepareStatement("INSERT INTO"
            + " breakglass_fleet_members (fleet, instance, host, pid, incarnation, started_at,"
            + " heartbeat_at, rolls_back) VALUES (?, ?, 'nowhere', 1, ?, now(), now(), true)")) {
      insert.setString(1, fleet.name());
      insert.setString(2, id);
      insert.setObject(3, UUID.randomUUID());
      insert.executeUpdate();
    }
  }

  private void sql(String statement) throws Exception {
    try (Connection connection = DriverManager.getConnection(dataSource.url());
        PreparedStatement update = connection.prepareStatement(statement + " AND fleet = ?")) {
      update.setString(1, fleet.name());
      update.executeUpdate();
    }
  }
}
