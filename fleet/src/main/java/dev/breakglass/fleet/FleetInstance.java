package dev.breakglass.fleet;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.SeverityDeclarations;
import dev.breakglass.core.Subscription;
import dev.breakglass.fingerprint.Fingerprint;
import dev.breakglass.fingerprint.RollbackPlan;
import dev.breakglass.fingerprint.RollbackReport;
import dev.breakglass.fingerprint.SnapshotInfo;
import dev.breakglass.fingerprint.SnapshotStore;
import dev.breakglass.fingerprint.StageResult;
import dev.breakglass.fingerprint.Value;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's membership in a {@link Fleet}: it registers the instance and keeps its
 * heartbeat, adopts the fleet's declared severity into the instance's cascade manager, carries
 * out the fleet's rollback orders through the instance's own {@link RollbackPlan}, and ships the
 * instance's journal to the fleet's timeline.
 *
 * <pre>{@code
 * FleetInstance instance = fleet.instance("payments-7f9c")
 *     .declarationsTo(cascadeManager)
 *     .state(() -> Value.from(settings.current()))     // what it runs: its drift, its rollbacks
 *     .rollback(rollbackPlan, store)                    // the plan was built on this store
 *     .journal(journal)
 *     .start();
 * ...
 * instance.close();                                     // leaves the fleet
 * }</pre>
 *
 * <p><b>How it keeps up.</b> One thread holds a connection that {@code LISTEN}s on the fleet's
 * channel: a declaration, a rollback order or a write to the fleet's snapshot store is pushed to
 * it by {@code NOTIFY} when it commits, and handled at once. Notifications sent while the
 * connection is down are lost, so on every (re)connection and on a slow poll
 * ({@link Builder#reconcileInterval}) it reconciles from the tables: it adopts the declaration
 * in force, takes up the orders it has not carried out, and refreshes the store. A missed
 * notification can only delay, never skip, what it stands for.
 *
 * <p><b>When the database is unreachable</b> nothing here blocks the service: the cascade
 * manager, the breakers and the local rollback plan go on protecting the instance, the
 * listener retries with back-off and reconciles when it is back, and the journal's entries wait
 * in a bounded backlog (entries beyond it are dropped, counted, and the count journalled).
 * Starting does not need the database either: {@link Builder#start()} returns at once and the
 * instance registers when it can.
 *
 * <p><b>Declarations</b> reach the cascade manager through its ordinary
 * {@link SeverityDeclarations#declare declare} and {@link SeverityDeclarations#clearDeclaration
 * clearDeclaration}, by the person named in the fleet declaration, with the reason followed by
 * {@code "(fleet declaration #N)"}. The newest fleet declaration or clearing wins over a local
 * one: a fleet clearing clears whatever declaration is in force in the manager, if this instance
 * applied a fleet declaration before. An instance that joins while a declaration is in force
 * adopts it.
 *
 * <p><b>Rollback orders</b> are carried out one at a time, in order, on a thread of their own,
 * each at most once per instance id: the instance claims the order in the results table first.
 * An instance expected to carry out an order is one that was a member with a rollback plan and
 * a fresh heartbeat when the order was made; one that joins later does not carry out earlier
 * orders.
 *
 * <p>Thread-safe. The instance's threads are daemon threads named
 * {@code breakglass-fleet-*-<instance>}.
 */
public final class FleetInstance implements Closeable {

  /*
   * Design: the listener thread owns one connection and everything done on it: LISTEN, the
   * member row (registration, heartbeats), adopting declarations, claiming orders and
   * refreshing the store. It blocks in PGConnection.getNotifications(timeout), which returns as
   * soon as a notification arrives, or at the next heartbeat or reconcile time. Rollbacks run on
   * their own single thread (a rollback can take minutes, and heartbeats must go on), and
   * journal shipping on another (JournalShipper). close() aborts the listener's connection,
   * which wakes it from the socket read.
   */

  /** The heartbeat interval unless the builder sets another. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

  /** The slow poll that reconciles from the tables, unless the builder sets another. */
  public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(10);

  /** How many journal entries wait for the database at most, unless set otherwise. */
  public static final int DEFAULT_JOURNAL_BACKLOG = 10_000;

  private static final Logger LOGGER = LoggerFactory.getLogger("dev.breakglass.fleet");
  private static final String SOURCE = "fleet";
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(5);

  private final Fleet fleet;
  private final Database database;
  private final String id;
  private final @Nullable String group;
  private final UUID incarnation = UUID.randomUUID();
  private final String host;
  private final long pid;
  private final Instant processStart;
  private final long heartbeatNanos;
  private final long reconcileNanos;
  private final @Nullable SeverityDeclarations declarations;
  private final @Nullable Supplier<Value> state;
  private final @Nullable RollbackPlan plan;
  private final @Nullable SnapshotStore store;
  private final @Nullable IncidentJournal journal;
  private final @Nullable JournalShipper shipper;
  private final @Nullable Subscription feed;
  private final Backoff listenerBackoff;
  private final Backoff resultBackoff;
  private final Thread listener;
  private final @Nullable ExecutorService rollbacks;

  private volatile boolean closing;
  private volatile boolean connected;
  private volatile @Nullable Connection listening;
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong rollbacksDone = new AtomicLong();
  // listener thread only
  private long appliedDeclaration = -1;
  private boolean appliedIsDeclare;
  private @Nullable String outage;
  private long outageSince;
  private boolean everConnected;
  private volatile long adoptedDeclaration = -1;
  private @Nullable String stateProblem;

  private FleetInstance(Builder builder) {
    this.fleet = builder.fleet;
    this.database = builder.fleet.database;
    this.id = builder.id;
    this.group = builder.group;
    this.host = builder.host != null ? builder.host : localHost();
    this.pid = ProcessHandle.current().pid();
    this.processStart = ProcessHandle.current().info().startInstant().orElse(Instant.now());
    this.heartbeatNanos = builder.heartbeat.toNanos();
    this.reconcileNanos = builder.reconcile.toNanos();
    this.declarations = builder.declarations;
    this.state = builder.state;
    this.plan = builder.plan;
    this.store = builder.store;
    this.journal = builder.journal;
    this.listenerBackoff = new Backoff(builder.backoffMin.toNanos(), builder.backoffMax.toNanos());
    this.resultBackoff = new Backoff(builder.backoffMin.toNanos(), builder.backoffMax.toNanos());
    if (journal != null) {
      this.shipper = new JournalShipper(database, fleet.name, id, incarnation, journal,
          builder.backlog, builder.batch, builder.flushInterval,
          new Backoff(builder.backoffMin.toNanos(), builder.backoffMax.toNanos()));
      this.feed = journal.onRecord(shipper);
    } else {
      this.shipper = null;
      this.feed = null;
    }
    this.rollbacks = plan == null ? null : Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "breakglass-fleet-rollback-" + id);
      thread.setDaemon(true);
      return thread;
    });
    this.listener = new Thread(this::listen, "breakglass-fleet-listener-" + id);
    this.listener.setDaemon(true);
  }

  private void start() {
    journal("joining", "instance '" + id + "' joining fleet '" + fleet.name + "'"
        + (group == null ? "" : " in group '" + group + "'") + " from " + host + ", pid " + pid
        + (plan == null ? "" : "; carries out rollback orders")
        + (declarations == null ? "" : "; adopts fleet declarations"));
    if (shipper != null) {
      shipper.start();
    }
    listener.start();
  }

  // ------------------------------------------------------------------------------- queries

  /**
   * Returns the instance's id.
   *
   * @return the id given to {@link Fleet#instance(String)}
   */
  public String id() {
    return id;
  }

  /**
   * Returns the instance's group.
   *
   * @return its group, or empty if it is in none
   */
  public Optional<String> group() {
    return Optional.ofNullable(group);
  }

  /**
   * What an instance's link to its fleet is doing. Immutable and thread-safe.
   *
   * @param connected whether its listening connection is up now, and what was missed while it
   *     was down has been reconciled
   * @param reconnects how often it connected again after losing the database
   * @param adoptedDeclaration the number of the last fleet declaration or clearing it applied
   * @param rollbacks how many rollback orders it has carried out (successfully or not)
   * @param shipped how many journal entries it shipped to the fleet timeline
   * @param dropped how many it dropped: the backlog was full, or the database refused them
   * @param backlog how many wait to be shipped
   */
  public record Status(boolean connected, long reconnects, OptionalLong adoptedDeclaration,
      long rollbacks, long shipped, long dropped, int backlog) {

    /**
     * Validates the components.
     *
     * @param connected whether its listening connection is up
     * @param reconnects how often it reconnected
     * @param adoptedDeclaration the last fleet declaration it applied
     * @param rollbacks how many rollback orders it carried out
     * @param shipped how many journal entries it shipped
     * @param dropped how many it dropped
     * @param backlog how many wait
     * @throws NullPointerException if {@code adoptedDeclaration} is null
     */
    public Status {
      Objects.requireNonNull(adoptedDeclaration, "adoptedDeclaration");
    }
  }

  /**
   * Returns what the instance's link to its fleet is doing.
   *
   * @return a snapshot of its counters
   */
  public Status status() {
    long adopted = adoptedDeclaration;
    return new Status(connected, reconnects.get(),
        adopted < 0 ? OptionalLong.empty() : OptionalLong.of(adopted), rollbacksDone.get(),
        shipper == null ? 0 : shipper.shipped(), shipper == null ? 0 : shipper.dropped(),
        shipper == null ? 0 : shipper.backlog());
  }

  /**
   * Leaves the fleet: stops listening, lets a rollback in progress finish (for up to 5 s, then
   * interrupts it), ships what the journal backlog holds (for up to 5 s), and marks the
   * instance as left, so it is no longer expected to carry out orders nor counted as stale.
   * Later calls do nothing.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    Connection connection = listening;
    if (connection != null) {
      abort(connection);
    }
    LockSupport.unpark(listener);
    join(listener);
    if (rollbacks != null) {
      rollbacks.shutdown();
      try {
        if (!rollbacks.awaitTermination(CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
          rollbacks.shutdownNow();
        }
      } catch (InterruptedException e) {
        rollbacks.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    journal("left", "instance '" + id + "' left fleet '" + fleet.name + "'");
    try {
      database.autocommit(c -> {
        try (PreparedStatement leave = c.prepareStatement("UPDATE " + database.schema.members
            + " SET left_at = clock_timestamp() WHERE fleet = ? AND instance = ?"
            + " AND incarnation = ?")) {
          leave.setString(1, fleet.name);
          leave.setString(2, id);
          leave.setObject(3, incarnation);
          return leave.executeUpdate();
        }
      });
    } catch (SQLException | IOException | RuntimeException e) {
      LOGGER.warn("{}: could not mark the instance as left; it will show as stale: {}", who(),
          e.getMessage());
    }
    if (shipper != null) {
      if (feed != null) {
        feed.close(); // what is recorded from now on stays in the journal
      }
      int unshipped = shipper.close(CLOSE_LIMIT);
      if (unshipped > 0) {
        LOGGER.warn("{}: {} journal entries were not shipped to the fleet timeline before"
            + " closing", who(), unshipped);
      }
    }
  }

  @Override
  public String toString() {
    return "FleetInstance[" + Texts.escape(id) + " in " + fleet.who() + (connected
        ? ", connected" : ", not connected") + "]";
  }

  // ------------------------------------------------------------------------------ listener

  private void listen() {
    while (!closing) {
      Connection connection = null;
      try {
        connection = database.connect();
        listening = connection;
        if (closing) {
          break;
        }
        prepare(connection);
        connected(connection);
        listenerBackoff.reset();
        serve(connection);
      } catch (SQLException | IOException | RuntimeException e) {
        connected = false;
        if (closing) {
          break;
        }
        unreachable(e);
        LockSupport.parkNanos(this, listenerBackoff.next());
      } finally {
        listening = null;
        if (connection != null) {
          try {
            connection.close();
          } catch (SQLException | RuntimeException e) {
            // the connection is being thrown away after a failure or on close; nothing to keep
            LOGGER.debug("{}: closing a dead connection: {}", who(), e.toString());
          }
        }
      }
    }
    connected = false;
  }

  private void prepare(Connection connection) throws SQLException {
    try {
      connection.setClientInfo("ApplicationName", "breakglass-fleet " + id);
    } catch (SQLClientInfoException e) {
      LOGGER.debug("{}: the connection takes no application name: {}", who(), e.toString());
    }
    connection.setNetworkTimeout(Runnable::run,
        (int) Math.min(Integer.MAX_VALUE, Math.max(10_000L, 3 * heartbeatNanos / 1_000_000L)));
    try (PreparedStatement listen = connection.prepareStatement(
        "LISTEN " + database.schema.quotedChannel)) {
      listen.execute();
    }
  }

  /** Registers, reconciles everything, and reports a recovery from an outage. */
  private void connected(Connection connection) throws SQLException, IOException {
    heartbeat(connection);
    String how = everConnected ? "on reconnecting" : "on joining";
    if (everConnected) {
      reconnects.incrementAndGet();
    }
    if (outage != null) {
      long down = System.nanoTime() - outageSince;
      journal("reconnected", "database reachable again after "
          + String.format(Locale.ROOT, "%.1f", down / 1e9) + " s; reconciling");
      outage = null;
    } else if (!everConnected) {
      journal("joined", "instance '" + id + "' is a member of fleet '" + fleet.name + "'");
    }
    everConnected = true;
    reconcile(connection, how);
    connected = true;
  }

  private void serve(Connection connection) throws SQLException, IOException {
    PGConnection notifications = connection.unwrap(PGConnection.class);
    long nextHeartbeat = System.nanoTime() + heartbeatNanos;
    long nextReconcile = System.nanoTime() + reconcileNanos;
    while (!closing) {
      long now = System.nanoTime();
      long wait = Math.min(nextHeartbeat, nextReconcile) - now;
      PGNotification[] received = wait <= 0 ? null
          : notifications.getNotifications((int) Math.max(1, Math.min(Integer.MAX_VALUE,
              TimeUnit.NANOSECONDS.toMillis(wait) + 1)));
      if (received != null) {
        handle(connection, received);
      }
      now = System.nanoTime();
      if (now - nextHeartbeat >= 0) {
        heartbeat(connection);
        nextHeartbeat = now + heartbeatNanos;
      }
      if (now - nextReconcile >= 0) {
        reconcile(connection, "on the periodic check");
        nextReconcile = now + reconcileNanos;
      }
    }
  }

  private void handle(Connection connection, PGNotification[] received)
      throws SQLException, IOException {
    boolean declaration = false;
    boolean orders = false;
    boolean refresh = false;
    for (PGNotification notification : received) {
      String payload = notification.getParameter();
      String kind = Notices.kind(payload);
      String name = Notices.name(payload);
      if (Notices.DECLARATION.equals(kind) && name.equals(fleet.name)) {
        declaration = true;
      } else if (Notices.ORDER.equals(kind) && name.equals(fleet.name)) {
        orders = true;
      } else if (Notices.STORE.equals(kind) && name.equals(fleet.store)) {
        refresh = true;
      }
    }
    if (declaration) {
      adoptDeclaration(connection, "pushed");
    }
    if (refresh) {
      refreshStore();
    }
    if (orders) {
      takeUpOrders(connection);
    }
  }

  private void reconcile(Connection connection, String how) throws SQLException, IOException {
    adoptDeclaration(connection, how);
    refreshStore();
    takeUpOrders(connection);
  }

  private void heartbeat(Connection connection) throws SQLException {
    Fingerprint running = running();
    try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO "
        + database.schema.members + " (fleet, instance, fleet_group, host, pid, incarnation,"
        + " started_at, heartbeat_at, running, rolls_back)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, clock_timestamp(), ?, ?)"
        + " ON CONFLICT (fleet, instance) DO UPDATE SET fleet_group = EXCLUDED.fleet_group,"
        + " host = EXCLUDED.host, pid = EXCLUDED.pid, incarnation = EXCLUDED.incarnation,"
        + " started_at = EXCLUDED.started_at, heartbeat_at = EXCLUDED.heartbeat_at,"
        + " running = EXCLUDED.running, rolls_back = EXCLUDED.rolls_back, left_at = NULL")) {
      upsert.setString(1, fleet.name);
      upsert.setString(2, id);
      Fleet.setText(upsert, 3, group);
      upsert.setString(4, host);
      upsert.setLong(5, pid);
      upsert.setObject(6, incarnation);
      upsert.setObject(7, Fleet.utc(processStart));
      upsert.setBytes(8, running == null ? null : running.toBytes());
      upsert.setBoolean(9, plan != null);
      upsert.executeUpdate();
    }
  }

  private @Nullable Fingerprint running() {
    if (state == null) {
      return null;
    }
    try {
      Fingerprint fingerprint = state.get().fingerprint();
      stateProblem = null;
      return fingerprint;
    } catch (RuntimeException e) {
      String problem = String.valueOf(e);
      if (!problem.equals(stateProblem)) {
        stateProblem = problem;
        LOGGER.warn("{}: the state supplier failed, so the fleet does not know what this"
            + " instance runs", who(), e);
      }
      return null;
    }
  }

  // -------------------------------------------------------------------------- declarations

  private void adoptDeclaration(Connection connection, String how) throws SQLException {
    if (declarations == null) {
      return;
    }
    FleetDeclaration newest = fleet.newestDeclaration(connection, group);
    if (newest == null || newest.id() == appliedDeclaration) {
      return;
    }
    boolean first = appliedDeclaration < 0;
    String reason = newest.reason() + " (fleet declaration #" + newest.id() + ")";
    try {
      if (!newest.isClearing()) {
        declarations.declare(Objects.requireNonNull(newest.severity()), newest.by(), reason);
      } else if (appliedIsDeclare) {
        declarations.clearDeclaration(newest.by(), reason);
      }
    } catch (RuntimeException e) {
      journal("adoption-failed", newest.describe() + ": the cascade manager refused it: " + e);
      LOGGER.warn("{}: could not apply {}", who(), Texts.escape(newest.describe()), e);
    }
    appliedDeclaration = newest.id();
    appliedIsDeclare = !newest.isClearing();
    adoptedDeclaration = newest.id();
    if (first && newest.isClearing()) {
      return; // joined after the last declaration was cleared: nothing happened here
    }
    Duration delay;
    try (PreparedStatement adopted = connection.prepareStatement("UPDATE "
        + database.schema.members + " SET adopted_declaration = ?,"
        + " adopted_at = clock_timestamp() WHERE fleet = ? AND instance = ?"
        + " RETURNING adopted_at")) {
      adopted.setLong(1, newest.id());
      adopted.setString(2, fleet.name);
      adopted.setString(3, id);
      try (ResultSet rows = adopted.executeQuery()) {
        delay = rows.next() ? Duration.between(newest.at(),
            rows.getObject(1, OffsetDateTime.class).toInstant()) : Duration.ZERO;
      }
    }
    journal("adopted", newest.describe() + "; adopted " + how + ", "
        + Math.max(0, delay.toMillis()) + " ms after it was made");
  }

  // ------------------------------------------------------------------------------- orders

  private void takeUpOrders(Connection connection) throws SQLException {
    List<RollbackOrder> open = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT id, fleet_group,"
        + " target, ordered_by, reason, ordered_at, expected FROM " + database.schema.orders
        + " o WHERE fleet = ? AND ? = ANY (expected) AND NOT EXISTS (SELECT 1 FROM "
        + database.schema.results + " r WHERE r.order_id = o.id AND r.instance = ?)"
        + " ORDER BY id")) {
      select.setString(1, fleet.name);
      select.setString(2, id);
      select.setString(3, id);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          open.add(new RollbackOrder(rows.getLong(1), rows.getString(2),
              Fingerprint.ofBytes(rows.getBytes(3)), rows.getString(4), rows.getString(5),
              Fleet.instant(rows, 6), List.of((String[]) rows.getArray(7).getArray())));
        }
      }
    }
    for (RollbackOrder order : open) {
      int claimed;
      try (PreparedStatement claim = connection.prepareStatement("INSERT INTO "
          + database.schema.results + " (order_id, instance, state) VALUES (?, ?, 'running')"
          + " ON CONFLICT DO NOTHING")) {
        claim.setLong(1, order.id());
        claim.setString(2, id);
        claimed = claim.executeUpdate();
      }
      if (claimed == 1) {
        journal("order", order.describe() + "; carrying it out");
        if (rollbacks == null) {
          // expected only if it had a plan when the order was made; say why it cannot
          report(order, null, "this instance has no rollback plan");
        } else {
          try {
            rollbacks.execute(() -> carryOut(order));
          } catch (RejectedExecutionException closed) {
            // closing: the order stays claimed and shows this instance as running
            return;
          }
        }
      }
    }
  }

  private void carryOut(RollbackOrder order) {
    RollbackReport report = null;
    String failure = null;
    try {
      report = Objects.requireNonNull(plan).rollBack(Objects.requireNonNull(state).get(),
          order.target());
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      failure = "cannot start: " + t;
    }
    if (report != null && !report.succeeded()) {
      failure = "FAILED at " + report.failedStage().orElseThrow().journalKind() + ": "
          + report.failure().orElseThrow();
    }
    rollbacksDone.incrementAndGet();
    journal("rollback", "rollback order #" + order.id() + (failure == null
        ? " carried out: running " + order.target().toShortString() + " in "
            + Math.max(0, Objects.requireNonNull(report).duration().toMillis()) + " ms"
        : " " + failure));
    report(order, report, failure);
  }

  /** Writes an order's outcome, retrying while the database is unreachable. */
  private void report(RollbackOrder order, @Nullable RollbackReport report,
      @Nullable String failure) {
    boolean warned = false;
    while (true) {
      try {
        database.transaction(connection -> {
          writeResult(connection, order, report, failure);
          return order; // a Work returns a value: the order written
        });
        resultBackoff.reset();
        return;
      } catch (SQLException | IOException | RuntimeException e) {
        if (closing || Thread.currentThread().isInterrupted()) {
          LOGGER.warn("{}: closing before the outcome of rollback order #{} could be recorded;"
              + " the order shows this instance as running: {}", who(), order.id(),
              e.getMessage());
          return;
        }
        if (!warned) {
          warned = true;
          LOGGER.warn("{}: could not record the outcome of rollback order #{}, retrying: {}",
              who(), order.id(), e.getMessage());
        }
        LockSupport.parkNanos(this, resultBackoff.next());
      }
    }
  }

  private void writeResult(Connection connection, RollbackOrder order,
      @Nullable RollbackReport report, @Nullable String failure) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("UPDATE "
        + database.schema.results + " SET state = ?, finished_at = clock_timestamp(),"
        + " failure = ? WHERE order_id = ? AND instance = ?")) {
      update.setString(1, failure == null ? "succeeded" : "failed");
      Fleet.setText(update, 2, failure == null ? null : clip(failure));
      update.setLong(3, order.id());
      update.setString(4, id);
      update.executeUpdate();
    }
    if (report != null) {
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO "
          + database.schema.stages + " (order_id, instance, stage, outcome, duration_nanos,"
          + " failure) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
        for (StageResult stage : report.stages()) {
          insert.setLong(1, order.id());
          insert.setString(2, id);
          insert.setString(3, stage.stage().name());
          insert.setString(4, stage.outcome().name());
          insert.setLong(5, stage.duration().toNanos());
          Fleet.setText(insert, 6, stage.failure() == null ? null
              : clip(String.valueOf(stage.failure())));
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
    if (failure == null) {
      try (PreparedStatement running = connection.prepareStatement("UPDATE "
          + database.schema.members + " SET running = ? WHERE fleet = ? AND instance = ?")) {
        running.setBytes(1, order.target().toBytes());
        running.setString(2, fleet.name);
        running.setString(3, id);
        running.executeUpdate();
      }
    }
  }

  private static String clip(String text) {
    String storable = Texts.storable(text);
    return storable.length() <= Texts.MAX_REASON_LENGTH ? storable
        : storable.substring(0, Texts.MAX_REASON_LENGTH) + "...";
  }

  // -------------------------------------------------------------------------------- store

  private void refreshStore() {
    if (store == null) {
      return;
    }
    Optional<Fingerprint> before = store.lastKnownStableInfo().map(SnapshotInfo::fingerprint);
    try {
      if (store.refresh()) {
        Optional<SnapshotInfo> after = store.lastKnownStableInfo();
        if (after.isPresent() && !after.map(SnapshotInfo::fingerprint).equals(before)) {
          journal("stable", "the fleet's rollback target is now "
              + after.get().describe());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOGGER.warn("{}: could not refresh the snapshot store; it is refreshed again on its next"
          + " read: {}", who(), e.getMessage());
    }
  }

  // ------------------------------------------------------------------------------ helpers

  /**
   * The listener lost its connection, or its work failed: report it once per outage, and
   * retry. A refusal (a missing privilege, a missing table) is not an outage, but it is retried
   * the same way, so that fixing the database is enough.
   */
  private void unreachable(Exception e) {
    String message = String.valueOf(e.getMessage());
    if (outage != null) {
      return;
    }
    outage = message;
    outageSince = System.nanoTime();
    boolean gone = e instanceof SQLException sql ? Database.isConnectionFailure(sql)
        : e instanceof IOException;
    if (gone) {
      journal("unreachable", "database unreachable (" + message + "); this instance goes on"
          + " protecting itself locally and reconnects with back-off");
      LOGGER.warn("{}: database unreachable, retrying: {}", who(), message);
    } else {
      journal("error", "the fleet link failed (" + e + "); this instance goes on protecting"
          + " itself locally and retries with back-off");
      LOGGER.warn("{}: the fleet link failed, retrying", who(), e);
    }
  }

  private void journal(String kind, String detail) {
    if (journal != null) {
      journal.record(category(kind), SOURCE, kind, detail);
    }
  }

  /** The fleet link failing is a signal, its coming back a recovery; the rest is context. */
  private static EventCategory category(String kind) {
    return switch (kind) {
      case "unreachable", "error", "adoption-failed" -> EventCategory.SIGNAL;
      case "reconnected" -> EventCategory.RECOVERY;
      default -> EventCategory.INFO;
    };
  }

  private String who() {
    return fleet.who() + " instance '" + Texts.escape(id) + "'";
  }

  private static void abort(Connection connection) {
    try {
      connection.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      try {
        connection.close();
      } catch (SQLException | RuntimeException again) {
        e.addSuppressed(again);
        LOGGER.debug("closing a fleet listener connection: {}", e.toString());
      }
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join(CLOSE_LIMIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      return "unknown host";
    }
  }

  /**
   * Configures a {@link FleetInstance}: made by {@link Fleet#instance(String)}. Not
   * thread-safe; reusable, though two instances with one id in one fleet replace each other's
   * membership.
   */
  public static final class Builder {
    private final Fleet fleet;
    private final String id;
    private @Nullable String group;
    private @Nullable String host;
    private @Nullable SeverityDeclarations declarations;
    private @Nullable Supplier<Value> state;
    private @Nullable RollbackPlan plan;
    private @Nullable SnapshotStore store;
    private @Nullable IncidentJournal journal;
    private Duration heartbeat = DEFAULT_HEARTBEAT_INTERVAL;
    private Duration reconcile = DEFAULT_RECONCILE_INTERVAL;
    private Duration backoffMin = Duration.ofMillis(100);
    private Duration backoffMax = Duration.ofSeconds(5);
    private int backlog = DEFAULT_JOURNAL_BACKLOG;
    private int batch = 500;
    private Duration flushInterval = Duration.ofMillis(200);

    Builder(Fleet fleet, String id, @Nullable String group) {
      this.fleet = fleet;
      this.id = id;
      this.group = group;
    }

    /**
     * Puts the instance in a group: it adopts the declarations made for that group as well as
     * the whole fleet's, and carries out the group's rollback orders.
     *
     * @param group the group's name, at most 200 chars; the fleet view's group by default
     * @return this builder
     * @throws NullPointerException if {@code group} is null
     * @throws IllegalArgumentException if {@code group} is blank, too long or not storable
     */
    public Builder group(String group) {
      this.group = Texts.name(group, "group");
      return this;
    }

    /**
     * Names the host the members table shows.
     *
     * @param host the host, {@code InetAddress.getLocalHost().getHostName()} by default
     * @return this builder
     * @throws NullPointerException if {@code host} is null
     * @throws IllegalArgumentException if {@code host} is blank, too long or not storable
     */
    public Builder host(String host) {
      this.host = Texts.name(host, "host");
      return this;
    }

    /**
     * Applies the fleet's declarations to the instance's cascade manager (any
     * {@link SeverityDeclarations}): {@code .declarationsTo(cascadeManager)}.
     *
     * @param declarations where fleet declarations go
     * @return this builder
     * @throws NullPointerException if {@code declarations} is null
     */
    public Builder declarationsTo(SeverityDeclarations declarations) {
      this.declarations = Objects.requireNonNull(declarations, "declarations");
      return this;
    }

    /**
     * Says what the instance runs now, as a value: its fingerprint goes with every heartbeat
     * (so {@link Fleet#drift()} can compare it with the fleet's last known-stable one), and
     * it is the current state a rollback saves first. Called on the fleet's threads; it should
     * return quickly (a value the service keeps, not one built afresh).
     *
     * @param state what the instance runs now
     * @return this builder
     * @throws NullPointerException if {@code state} is null
     */
    public Builder state(Supplier<Value> state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    /**
     * Carries out the fleet's rollback orders with the instance's own plan. The plan must have
     * been built on {@code store}, a store on the fleet's {@link Fleet#snapshotStorage()
     * snapshot storage}, which the instance also refreshes whenever another instance writes to
     * it. Needs {@link #state}.
     *
     * @param plan the instance's rollback plan: its hooks stabilise, restore, re-initialise
     *     and validate this instance
     * @param store the store the plan was built on
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder rollback(RollbackPlan plan, SnapshotStore store) {
      this.plan = Objects.requireNonNull(plan, "plan");
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Ships the journal's entries to the fleet's timeline (from now on), and records there
     * what the fleet link does: joining, adopting declarations, orders, outages, drops.
     *
     * @param journal the instance's journal
     * @return this builder
     * @throws NullPointerException if {@code journal} is null
     */
    public Builder journal(IncidentJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * Sets how often the instance's heartbeat (and the fingerprint it runs) is written.
     *
     * @param interval the interval, {@code 5 s} by default; keep the fleet's
     *     {@link Fleet.Builder#staleAfter stale-after} limit a few times longer
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeat = positive(interval, "heartbeatInterval");
      return this;
    }

    /**
     * Sets how often the instance reconciles from the tables even though it is connected: the
     * bound on how long a lost notification can delay a declaration or an order.
     *
     * @param interval the interval, {@code 10 s} by default
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder reconcileInterval(Duration interval) {
      this.reconcile = positive(interval, "reconcileInterval");
      return this;
    }

    /**
     * Sets the back-off between attempts to reach the database: random waits between half a
     * bound and the bound, which doubles from {@code min} to {@code max}.
     *
     * @param min the first bound, {@code 100 ms} by default
     * @param max the largest bound, {@code 5 s} by default
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if either is not positive, or {@code max < min}
     */
    public Builder reconnectBackoff(Duration min, Duration max) {
      positive(min, "min");
      positive(max, "max");
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("max must be >= min, was " + max + " < " + min);
      }
      this.backoffMin = min;
      this.backoffMax = max;
      return this;
    }

    /**
     * Sets how journal entries are shipped: in batches of up to {@code batch}, at least every
     * {@code flushInterval}, with at most {@code backlog} waiting while the database is
     * unreachable (more are dropped and counted).
     *
     * @param backlog the most entries that wait, {@value #DEFAULT_JOURNAL_BACKLOG} by default
     * @param batch the most entries in one insert, 500 by default
     * @param flushInterval the longest an entry waits for its batch, {@code 200 ms} by default
     * @return this builder
     * @throws NullPointerException if {@code flushInterval} is null
     * @throws IllegalArgumentException if {@code backlog} or {@code batch} is below 1, or
     *     {@code flushInterval} is not positive
     */
    public Builder journalShipping(int backlog, int batch, Duration flushInterval) {
      if (backlog < 1) {
        throw new IllegalArgumentException("backlog must be >= 1, was " + backlog);
      }
      if (batch < 1) {
        throw new IllegalArgumentException("batch must be >= 1, was " + batch);
      }
      this.flushInterval = positive(flushInterval, "flushInterval");
      this.backlog = backlog;
      this.batch = batch;
      return this;
    }

    /**
     * Starts the instance's membership and returns at once: the instance registers, adopts the
     * declaration in force and takes up its orders as soon as the database can be reached.
     *
     * @return the running instance
     * @throws IllegalStateException if a rollback plan was given without {@link #state}
     */
    public FleetInstance start() {
      if (plan != null && state == null) {
        throw new IllegalStateException("an instance that carries out rollback orders needs"
            + " state(...): what it runs now is saved before each rollback");
      }
      FleetInstance instance = new FleetInstance(this);
      instance.start();
      return instance;
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
