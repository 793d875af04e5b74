package dev.breakglass.fleet;

import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Severity;
import dev.breakglass.fingerprint.Fingerprint;
import dev.breakglass.fingerprint.RollbackStage;
import dev.breakglass.fingerprint.SnapshotStorage;
import dev.breakglass.fingerprint.StageResult;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The shared state of a fleet, every instance of one service, kept in PostgreSQL: its
 * known-stable configuration (a shared snapshot store), its declared severity, its members and
 * their drift, its rollback orders and its timeline. A {@code Fleet} is what an operator uses;
 * each process joins with {@link #instance(String)}.
 *
 * <pre>{@code
 * Fleet fleet = Fleet.builder(dataSource, "payments").build();     // tables created on first use
 *
 * // in each instance of the service
 * SnapshotStore store = SnapshotStore.builder(fleet.snapshotStorage()).journal(journal).open();
 * FleetInstance instance = fleet.instance(podName)
 *     .declarationsTo(cascadeManager)                 // adopts fleet declarations
 *     .rollback(rollbackPlan, store, () -> Value.from(settings.current()))
 *     .journal(journal)                               // shipped to the fleet timeline
 *     .start();
 *
 * // an operator, anywhere
 * fleet.declare(Severity.MAJOR, "alice (on call)", "payments provider incident INC-4711");
 * RollbackOrder order = fleet.orderRollback("alice (on call)", "INC-4711: back to the last good");
 * RollbackStatus status = fleet.rollbackStatus(order);     // 3 succeeded, 0 failed, ...
 * System.out.print(fleet.timeline().toText());
 * }</pre>
 *
 * <p>A {@code Fleet} holds no connection and starts no thread: each method opens a connection
 * from the data source, does its work in one transaction and closes it, so give it a pooled
 * data source in production. Names, reasons and labels are stored exactly as given (through
 * prepared statements; text PostgreSQL cannot hold, U+0000 or a lone surrogate, is refused);
 * table names are quoted. Times are the database's clock.
 *
 * <p>Immutable and thread-safe. {@link #group(String)} returns a view of one group.
 */
public final class Fleet {

  /** The prefix of the fleet's table names unless the builder sets another. */
  public static final String DEFAULT_TABLE_PREFIX = "breakglass_";

  /** How old a heartbeat may be before a member counts as stale, unless set otherwise. */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(15);

  /** At most this many entries come back from one {@link #timeline} call: the newest. */
  public static final int MAX_TIMELINE_ENTRIES = 100_000;

  final Database database;
  final String name;
  final String store;
  final Duration staleAfter;
  private final @Nullable String group;

  private Fleet(Database database, String name, String store, Duration staleAfter,
      @Nullable String group) {
    this.database = database;
    this.name = name;
    this.store = store;
    this.staleAfter = staleAfter;
    this.group = group;
  }

  /**
   * Returns a builder for a fleet kept in the given database.
   *
   * @param dataSource where the fleet's tables are; its connections need the privileges that
   *     {@link #grantSql(String)} grants (and the right to create tables, if the fleet creates
   *     them)
   * @param name the fleet's name, for example the service's: every instance uses the same; at
   *     most 200 chars
   * @return a new builder
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is blank, too long, or holds text
   *     PostgreSQL cannot store (U+0000, a lone surrogate)
   */
  public static Builder builder(DataSource dataSource, String name) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"),
        Texts.name(name, "name"));
  }

  // ------------------------------------------------------------------------------ views

  /**
   * Returns the fleet's name.
   *
   * @return the name given to the builder
   */
  public String name() {
    return name;
  }

  /**
   * Returns the group this view addresses.
   *
   * @return the group of a view made by {@link #group(String)}, or empty for the whole fleet
   */
  public Optional<String> group() {
    return Optional.ofNullable(group);
  }

  /**
   * Returns a view of one group of the fleet (a region, a canary set): its declarations and
   * rollback orders address that group only, {@link #members()} and {@link #drift()} list its
   * members only, and instances joined through it are in it.
   *
   * @param group the group's name, at most 200 chars
   * @return the view
   * @throws NullPointerException if {@code group} is null
   * @throws IllegalArgumentException if {@code group} is blank, too long, or not storable
   */
  public Fleet group(String group) {
    return new Fleet(database, name, store, staleAfter, Texts.name(group, "group"));
  }

  /**
   * Returns the fleet's snapshot storage: the one every instance shares, whose last
   * known-stable snapshot is the fleet's rollback target. Open a
   * {@link dev.breakglass.fingerprint.SnapshotStore} on it.
   *
   * @return a new storage object over the fleet's store
   */
  public SnapshotStorage snapshotStorage() {
    return new PostgresSnapshotStorage(database, store);
  }

  /**
   * Returns a snapshot storage kept in the fleet's tables under another store name: a history
   * of its own that every process naming it shares (with or without joining the fleet).
   *
   * <p>It keeps the contract of {@link SnapshotStorage}: each append and mark is committed
   * before it returns, every read checks the row against the snapshot the store knows, and
   * the store re-hashes what it reads, so content changed behind its back is reported as a
   * {@link dev.breakglass.fingerprint.SnapshotIntegrityException}, never returned. It is
   * {@link SnapshotStorage#isShared() shared}: writes are a compare-and-set on the store's
   * version, so stores in several processes never lose one another's writes.
   *
   * @param store the store's name, at most 200 chars
   * @return a new storage object
   * @throws NullPointerException if {@code store} is null
   * @throws IllegalArgumentException if {@code store} is blank, too long, or not storable
   */
  public SnapshotStorage snapshotStorage(String store) {
    return new PostgresSnapshotStorage(database, store);
  }

  /**
   * Returns a builder for this process's membership in the fleet (in this view's group, if
   * any).
   *
   * @param instanceId the instance's id, unique in the fleet: a pod or host name; at most 200
   *     chars
   * @return a new builder
   * @throws NullPointerException if {@code instanceId} is null
   * @throws IllegalArgumentException if {@code instanceId} is blank, too long, or not storable
   */
  public FleetInstance.Builder instance(String instanceId) {
    return new FleetInstance.Builder(this, Texts.name(instanceId, "instanceId"), group);
  }

  // ------------------------------------------------------------------------ declarations

  /**
   * Declares a severity for every instance of the fleet (or of this view's group): each
   * instance's cascade manager adopts it, pushed at once to the instances listening and
   * reconciled by the others when they reconnect or poll. It holds until cleared or replaced.
   *
   * @param severity the severity every instance is to hold
   * @param by who declares it, e.g. {@code "alice (on call)"}
   * @param reason why, e.g. {@code "payments provider incident INC-4711"}
   * @return the declaration, as stored
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code by} or {@code reason} is blank, too long
   *     (200 and 4,096 chars) or not storable
   * @throws IOException if the database cannot be reached or refuses the write
   */
  public FleetDeclaration declare(Severity severity, String by, String reason)
      throws IOException {
    Objects.requireNonNull(severity, "severity");
    return record(severity, Texts.name(by, "by"), Texts.reason(reason, "reason"));
  }

  /**
   * Clears the fleet's declaration (or this view's group's): each instance that adopted a
   * fleet declaration clears its cascade manager's, handing it back to its rules.
   *
   * @param by who clears it
   * @param reason why
   * @return the clearing, as stored
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code by} or {@code reason} is blank, too long or not
   *     storable
   * @throws IOException if the database cannot be reached or refuses the write
   */
  public FleetDeclaration clearDeclaration(String by, String reason) throws IOException {
    return record(null, Texts.name(by, "by"), Texts.reason(reason, "reason"));
  }

  private FleetDeclaration record(@Nullable Severity severity, String by, String reason)
      throws IOException {
    try {
      return database.transaction(connection -> {
        FleetDeclaration declaration;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO "
            + database.schema.declarations + " (fleet, fleet_group, action, severity,"
            + " declared_by, reason) VALUES (?, ?, ?, ?, ?, ?) RETURNING id, declared_at")) {
          insert.setString(1, name);
          setText(insert, 2, group);
          insert.setString(3, severity == null ? "clear" : "declare");
          setText(insert, 4, severity == null ? null : severity.name());
          insert.setString(5, by);
          insert.setString(6, reason);
          try (ResultSet rows = insert.executeQuery()) {
            rows.next();
            declaration = new FleetDeclaration(rows.getLong(1), group, severity, by, reason,
                instant(rows, 2));
          }
        }
        notify(connection, Notices.declaration(name));
        return declaration;
      });
    } catch (SQLException e) {
      throw database.failure(who() + ": " + (severity == null ? "clearing the declaration"
          : "declaring " + severity), e);
    }
  }

  /**
   * Returns the declaration in force for this view: the newest declaration or clearing made for
   * the whole fleet, or (in a group's view) for the whole fleet or the group.
   *
   * @return the declaration, or empty if none was made or the newest was a clearing
   * @throws IOException if the database cannot be reached
   */
  public Optional<FleetDeclaration> declaration() throws IOException {
    try {
      return database.autocommit(
          connection -> Optional.ofNullable(newestDeclaration(connection, group)))
          .filter(newest -> !newest.isClearing());
    } catch (SQLException e) {
      throw database.failure(who() + ": reading the declaration", e);
    }
  }

  /** The newest declaration or clearing addressing the whole fleet or {@code group}. */
  @Nullable FleetDeclaration newestDeclaration(Connection connection, @Nullable String group)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT id, fleet_group,"
        + " severity, declared_by, reason, declared_at FROM " + database.schema.declarations
        + " WHERE fleet = ? AND (fleet_group IS NULL OR fleet_group = ?)"
        + " ORDER BY id DESC LIMIT 1")) {
      select.setString(1, name);
      setText(select, 2, group);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? declaration(rows) : null;
      }
    }
  }

  private static FleetDeclaration declaration(ResultSet rows) throws SQLException {
    String severity = rows.getString(3);
    return new FleetDeclaration(rows.getLong(1), rows.getString(2),
        severity == null ? null : Severity.valueOf(severity), rows.getString(4),
        rows.getString(5), instant(rows, 6));
  }

  // ----------------------------------------------------------------------------- members

  /**
   * Returns the fleet's instances (this view's group's), members and those that left, by id.
   *
   * @return the instances as the members table records them
   * @throws IOException if the database cannot be reached
   */
  public List<FleetMember> members() throws IOException {
    try {
      return database.autocommit(this::members);
    } catch (SQLException e) {
      throw database.failure(who() + ": reading the members", e);
    }
  }

  private List<FleetMember> members(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT instance, fleet_group,"
        + " host, pid, started_at, heartbeat_at, running, rolls_back, adopted_declaration,"
        + " left_at, left_at IS NULL AND heartbeat_at < clock_timestamp()"
        + " - make_interval(secs => ?) FROM " + database.schema.members
        + " WHERE fleet = ? AND (?::text IS NULL OR fleet_group = ?) ORDER BY instance")) {
      select.setDouble(1, staleAfter.toNanos() / 1e9);
      select.setString(2, name);
      setText(select, 3, group);
      setText(select, 4, group);
      List<FleetMember> members = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          byte[] running = rows.getBytes(7);
          long adopted = rows.getLong(9);
          boolean hasAdopted = !rows.wasNull();
          OffsetDateTime left = rows.getObject(10, OffsetDateTime.class);
          members.add(new FleetMember(rows.getString(1), rows.getString(2), rows.getString(3),
              rows.getLong(4), instant(rows, 5), instant(rows, 6),
              running == null ? null : Fingerprint.ofBytes(running), rows.getBoolean(8),
              hasAdopted ? OptionalLong.of(adopted) : OptionalLong.empty(),
              left == null ? null : left.toInstant(), rows.getBoolean(11)));
        }
      }
      return members;
    }
  }

  /**
   * Returns the fleet's last known-stable fingerprint: the rollback target of its snapshot
   * store, the newest stable mark whose content the store still holds.
   *
   * @return the fingerprint, or empty if nothing was marked stable
   * @throws IOException if the database cannot be reached
   */
  public Optional<Fingerprint> lastKnownStable() throws IOException {
    try {
      return database.autocommit(connection -> Optional.ofNullable(lastKnownStable(connection)));
    } catch (SQLException e) {
      throw database.failure(who() + ": reading the last known-stable fingerprint", e);
    }
  }

  private @Nullable Fingerprint lastKnownStable(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT m.fingerprint FROM "
        + database.schema.marks + " m WHERE m.store = ? AND EXISTS (SELECT 1 FROM "
        + database.schema.snapshots + " s WHERE s.store = m.store"
        + " AND s.fingerprint = m.fingerprint) ORDER BY m.sequence DESC LIMIT 1")) {
      select.setString(1, store);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Fingerprint.ofBytes(rows.getBytes(1)) : null;
      }
    }
  }

  /**
   * Compares the members (of this view's group) with the fleet's last known-stable
   * configuration: which run something else (or did not say what they run) and whose
   * heartbeat is stale.
   *
   * @return the drift
   * @throws IOException if the database cannot be reached
   */
  public FleetDrift drift() throws IOException {
    try {
      return database.transaction(Connection.TRANSACTION_REPEATABLE_READ, connection -> {
        Fingerprint stable = lastKnownStable(connection);
        List<FleetMember> members = members(connection).stream()
            .filter(FleetMember::isMember).toList();
        List<FleetMember> divergent = stable == null ? List.of() : members.stream()
            .filter(m -> !stable.equals(m.running())).toList();
        List<FleetMember> stale = members.stream().filter(FleetMember::stale).toList();
        return new FleetDrift(Optional.ofNullable(stable), members, divergent, stale);
      });
    } catch (SQLException e) {
      throw database.failure(who() + ": reading the drift", e);
    }
  }

  // ---------------------------------------------------------------------------- rollback

  /**
   * Orders every instance of the fleet (or of this view's group) to roll back to the fleet's
   * last known-stable snapshot, each through its own rollback plan. The instances expected to
   * do so are the members with a rollback plan and a fresh heartbeat now; each reports its
   * outcome stage by stage: see {@link #rollbackStatus(RollbackOrder)}.
   *
   * @param by who orders it
   * @param reason why
   * @return the order, as stored
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code by} or {@code reason} is blank, too long or not
   *     storable
   * @throws NoSuchElementException if nothing in the fleet's store was marked stable
   * @throws IOException if the database cannot be reached or refuses the write
   */
  public RollbackOrder orderRollback(String by, String reason) throws IOException {
    return order(null, Texts.name(by, "by"), Texts.reason(reason, "reason"));
  }

  /**
   * Orders every instance of the fleet (or of this view's group) to roll back to a given
   * snapshot of the fleet's store, stable or not: for example the pre-rollback state of an
   * earlier order, to undo it.
   *
   * @param target the fingerprint of a snapshot in the fleet's store
   * @param by who orders it
   * @param reason why
   * @return the order, as stored
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code by} or {@code reason} is blank, too long or not
   *     storable
   * @throws NoSuchElementException if the fleet's store holds no snapshot with that
   *     fingerprint
   * @throws IOException if the database cannot be reached or refuses the write
   */
  public RollbackOrder orderRollback(Fingerprint target, String by, String reason)
      throws IOException {
    Objects.requireNonNull(target, "target");
    return order(target, Texts.name(by, "by"), Texts.reason(reason, "reason"));
  }

  private RollbackOrder order(@Nullable Fingerprint explicit, String by, String reason)
      throws IOException {
    try {
      return database.transaction(connection -> {
        Fingerprint target = explicit;
        if (target == null) {
          target = lastKnownStable(connection);
          if (target == null) {
            throw new NoSuchElementException(who() + ": nothing in store '"
                + Texts.escape(store) + "' was marked known-stable, so there is no rollback"
                + " target; name one with orderRollback(target, by, reason)");
          }
        } else if (!holds(connection, target)) {
          throw new NoSuchElementException(who() + ": store '" + Texts.escape(store)
              + "' holds no snapshot " + target.toShortString() + " to roll back to");
        }
        RollbackOrder order;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO "
            + database.schema.orders + " (fleet, fleet_group, target, ordered_by, reason,"
            + " expected) SELECT ?, ?, ?, ?, ?, coalesce(array_agg(instance ORDER BY instance),"
            + " '{}') FROM " + database.schema.members + " WHERE fleet = ? AND left_at IS NULL"
            + " AND rolls_back AND heartbeat_at >= clock_timestamp() - make_interval(secs => ?)"
            + " AND (?::text IS NULL OR fleet_group = ?) RETURNING id, ordered_at, expected")) {
          insert.setString(1, name);
          setText(insert, 2, group);
          insert.setBytes(3, target.toBytes());
          insert.setString(4, by);
          insert.setString(5, reason);
          insert.setString(6, name);
          insert.setDouble(7, staleAfter.toNanos() / 1e9);
          setText(insert, 8, group);
          setText(insert, 9, group);
          try (ResultSet rows = insert.executeQuery()) {
            rows.next();
            order = new RollbackOrder(rows.getLong(1), group, target, by, reason,
                instant(rows, 2), strings(rows.getArray(3)));
          }
        }
        notify(connection, Notices.order(name));
        return order;
      });
    } catch (SQLException e) {
      throw database.failure(who() + ": ordering a rollback", e);
    }
  }

  private boolean holds(Connection connection, Fingerprint fingerprint) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM "
        + database.schema.snapshots + " WHERE store = ? AND fingerprint = ? LIMIT 1")) {
      select.setString(1, store);
      select.setBytes(2, fingerprint.toBytes());
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }

  /**
   * Returns how far a rollback order has come.
   *
   * @param order the order
   * @return per instance: whether it reported, and each stage's outcome
   * @throws NullPointerException if {@code order} is null
   * @throws IOException if the database cannot be reached
   */
  public RollbackStatus rollbackStatus(RollbackOrder order) throws IOException {
    return rollbackStatus(Objects.requireNonNull(order, "order").id());
  }

  /**
   * Returns how far the rollback order with the given number has come.
   *
   * @param orderId the order's {@link RollbackOrder#id() number}
   * @return per instance: whether it reported, and each stage's outcome
   * @throws NoSuchElementException if the fleet has no such order
   * @throws IOException if the database cannot be reached
   */
  public RollbackStatus rollbackStatus(long orderId) throws IOException {
    try {
      return database.transaction(Connection.TRANSACTION_REPEATABLE_READ,
          connection -> status(connection, orderId));
    } catch (SQLException e) {
      throw database.failure(who() + ": reading rollback order #" + orderId, e);
    }
  }

  private RollbackStatus status(Connection connection, long orderId) throws SQLException {
    RollbackOrder order;
    try (PreparedStatement select = connection.prepareStatement("SELECT id, fleet_group,"
        + " target, ordered_by, reason, ordered_at, expected FROM " + database.schema.orders
        + " WHERE fleet = ? AND id = ?")) {
      select.setString(1, name);
      select.setLong(2, orderId);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw new NoSuchElementException(who() + " has no rollback order #" + orderId);
        }
        order = order(rows);
      }
    }
    Map<String, List<RollbackStatus.Stage>> stages = new LinkedHashMap<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT instance, stage,"
        + " outcome, duration_nanos, failure FROM " + database.schema.stages
        + " WHERE order_id = ?")) {
      select.setLong(1, orderId);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          stages.computeIfAbsent(rows.getString(1), k -> new ArrayList<>())
              .add(new RollbackStatus.Stage(RollbackStage.valueOf(rows.getString(2)),
                  StageResult.Outcome.valueOf(rows.getString(3)),
                  Duration.ofNanos(rows.getLong(4)), rows.getString(5)));
        }
      }
    }
    Map<String, RollbackStatus.Instance> reported = new LinkedHashMap<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT instance, state,"
        + " started_at, finished_at, failure FROM " + database.schema.results
        + " WHERE order_id = ? ORDER BY instance")) {
      select.setLong(1, orderId);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String instance = rows.getString(1);
          List<RollbackStatus.Stage> its = new ArrayList<>(
              stages.getOrDefault(instance, List.of()));
          its.sort((a, b) -> a.stage().compareTo(b.stage()));
          OffsetDateTime finished = rows.getObject(4, OffsetDateTime.class);
          reported.put(instance, new RollbackStatus.Instance(instance,
              RollbackStatus.State.valueOf(rows.getString(2).toUpperCase(java.util.Locale.ROOT)),
              instant(rows, 3), finished == null ? null : finished.toInstant(), its,
              rows.getString(5)));
        }
      }
    }
    List<RollbackStatus.Instance> instances = new ArrayList<>();
    for (String expected : order.expected()) {
      RollbackStatus.Instance instance = reported.remove(expected);
      instances.add(instance != null ? instance : new RollbackStatus.Instance(expected,
          RollbackStatus.State.NOT_REPORTED, null, null, List.of(), null));
    }
    instances.addAll(reported.values());
    return new RollbackStatus(order, instances);
  }

  private static RollbackOrder order(ResultSet rows) throws SQLException {
    return new RollbackOrder(rows.getLong(1), rows.getString(2),
        Fingerprint.ofBytes(rows.getBytes(3)), rows.getString(4), rows.getString(5),
        instant(rows, 6), strings(rows.getArray(7)));
  }

  // ---------------------------------------------------------------------------- timeline

  /**
   * Returns the fleet's timeline: every journal entry its instances shipped, with the fleet's
   * declarations and rollback orders, merged by wall-clock time (at most the newest
   * {@value #MAX_TIMELINE_ENTRIES}). A group's view holds the entries of the group's members
   * and the declarations and orders that addressed the group or the whole fleet.
   *
   * @return the timeline
   * @throws IOException if the database cannot be reached
   */
  public FleetTimeline timeline() throws IOException {
    return timeline(Instant.EPOCH, Instant.parse("9999-12-31T23:59:59Z"));
  }

  /**
   * Returns the part of the fleet's timeline from {@code from} (inclusive) to {@code to}
   * (exclusive), as {@link #timeline()} does.
   *
   * @param from the earliest time
   * @param to the time after the latest
   * @return the timeline
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code to} is before {@code from}
   * @throws IOException if the database cannot be reached
   */
  public FleetTimeline timeline(Instant from, Instant to) throws IOException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("to must not be before from, was " + to + " < " + from);
    }
    try {
      return database.transaction(Connection.TRANSACTION_REPEATABLE_READ,
          connection -> timeline(connection, from, to));
    } catch (SQLException e) {
      throw database.failure(who() + ": reading the timeline", e);
    }
  }

  private FleetTimeline timeline(Connection connection, Instant from, Instant to)
      throws SQLException {
    List<FleetTimeline.Entry> entries = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT instance, sequence,"
        + " nano_time, at, source, kind, detail FROM " + database.schema.journal + " j"
        + " WHERE fleet = ? AND at >= ? AND at < ? AND (?::text IS NULL OR EXISTS (SELECT 1"
        + " FROM " + database.schema.members + " m WHERE m.fleet = j.fleet"
        + " AND m.instance = j.instance AND m.fleet_group = ?))"
        + " ORDER BY at DESC, id DESC LIMIT " + MAX_TIMELINE_ENTRIES)) {
      select.setString(1, name);
      select.setObject(2, utc(from));
      select.setObject(3, utc(to));
      setText(select, 4, group);
      setText(select, 5, group);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          entries.add(new FleetTimeline.Entry(rows.getString(1), new JournalEntry(
              rows.getLong(2), rows.getLong(3), instant(rows, 4), rows.getString(5),
              rows.getString(6), rows.getString(7))));
        }
      }
    }
    try (PreparedStatement select = connection.prepareStatement("SELECT id, fleet_group,"
        + " severity, declared_by, reason, declared_at FROM " + database.schema.declarations
        + " WHERE fleet = ? AND declared_at >= ? AND declared_at < ?"
        + " AND (fleet_group IS NULL OR fleet_group = ?)")) {
      select.setString(1, name);
      select.setObject(2, utc(from));
      select.setObject(3, utc(to));
      setText(select, 4, group);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          FleetDeclaration declaration = declaration(rows);
          entries.add(fleetEntry(declaration.id(), declaration.at(),
              declaration.isClearing() ? "cleared" : "declared", declaration.describe()));
        }
      }
    }
    try (PreparedStatement select = connection.prepareStatement("SELECT id, fleet_group,"
        + " target, ordered_by, reason, ordered_at, expected FROM " + database.schema.orders
        + " WHERE fleet = ? AND ordered_at >= ? AND ordered_at < ?"
        + " AND (fleet_group IS NULL OR fleet_group = ?)")) {
      select.setString(1, name);
      select.setObject(2, utc(from));
      select.setObject(3, utc(to));
      setText(select, 4, group);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          RollbackOrder order = order(rows);
          entries.add(fleetEntry(order.id(), order.orderedAt(), "order", order.describe()));
        }
      }
    }
    entries.sort(FleetTimeline.ORDER);
    if (entries.size() > MAX_TIMELINE_ENTRIES) {
      entries = entries.subList(entries.size() - MAX_TIMELINE_ENTRIES, entries.size());
    }
    return new FleetTimeline(name, entries);
  }

  private static FleetTimeline.Entry fleetEntry(long id, Instant at, String kind,
      String detail) {
    long nanos = at.getEpochSecond() * 1_000_000_000L + at.getNano();
    return new FleetTimeline.Entry(null, new JournalEntry(id, nanos, at, "fleet", kind, detail));
  }

  // ------------------------------------------------------------------------------ schema

  /**
   * Creates the fleet's tables if they do not exist (what a fleet built with
   * {@code createSchema(true)}, the default, does on first use). It is idempotent, and safe to
   * run from several processes at once.
   *
   * @throws IOException if the database cannot be reached or the user may not create tables
   */
  public void createSchema() throws IOException {
    try (Connection connection = database.dataSource.getConnection()) {
      database.createSchema(connection);
    } catch (SQLException e) {
      throw database.failure(who() + ": creating the tables", e);
    }
  }

  /**
   * Returns the SQL that creates the fleet's tables, for a database administrator to run when
   * the fleet's own user may not create tables ({@code createSchema(false)}).
   *
   * @return the statements, each ending with a semicolon and a line break
   */
  public String schemaSql() {
    return script(database.schema.createStatements());
  }

  /**
   * Returns the SQL that grants a role the privileges the fleet needs, and no more: on each
   * table only the statements the module runs (no {@code TRUNCATE}, no {@code DELETE} except
   * where compaction removes snapshots), and {@code USAGE} on the schema. {@code LISTEN} and
   * {@code NOTIFY} need no privilege; {@code CONNECT} on the database is PostgreSQL's default.
   *
   * @param role the role the fleet's data source connects as
   * @return the statements, each ending with a semicolon and a line break
   * @throws NullPointerException if {@code role} is null
   * @throws IllegalArgumentException if {@code role} is blank or not storable
   */
  public String grantSql(String role) {
    return script(database.schema.grantStatements(Texts.name(role, "role")));
  }

  private static String script(List<String> statements) {
    StringBuilder out = new StringBuilder();
    for (String statement : statements) {
      out.append(statement).append(";\n");
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "Fleet[" + Texts.escape(name) + (group == null ? "" : ", group "
        + Texts.escape(group)) + ", " + Texts.escape(database.schema.describe) + "]";
  }

  // ------------------------------------------------------------------------------ helpers

  String who() {
    return "fleet '" + Texts.escape(name) + "'" + (group == null ? ""
        : " group '" + Texts.escape(group) + "'");
  }

  void notify(Connection connection, String payload) throws SQLException {
    try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
      notify.setString(1, database.schema.channel);
      notify.setString(2, payload);
      notify.execute();
    }
  }

  static void setText(PreparedStatement statement, int index, @Nullable String value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  static Instant instant(ResultSet rows, int column) throws SQLException {
    return rows.getObject(column, OffsetDateTime.class).toInstant();
  }

  static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static List<String> strings(Array array) throws SQLException {
    try {
      return Arrays.asList((String[]) array.getArray());
    } finally {
      array.free();
    }
  }

  /**
   * Configures a {@link Fleet}. Not thread-safe; reusable.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private final String name;
    private @Nullable String schema;
    private String tablePrefix = DEFAULT_TABLE_PREFIX;
    private boolean createSchema = true;
    private @Nullable String store;
    private Duration staleAfter = DEFAULT_STALE_AFTER;

    private Builder(DataSource dataSource, String name) {
      this.dataSource = dataSource;
      this.name = name;
    }

    /**
     * Puts the fleet's tables in a schema of their own instead of the connection's default
     * (the first of its {@code search_path}, usually {@code public}).
     *
     * @param schema the schema's name, any text PostgreSQL can store, quoted where used
     * @return this builder
     * @throws NullPointerException if {@code schema} is null
     * @throws IllegalArgumentException if {@code schema} is blank, longer than 63 bytes of
     *     UTF-8, or not storable
     */
    public Builder schema(String schema) {
      Objects.requireNonNull(schema, "schema");
      if (schema.isBlank()) {
        throw new IllegalArgumentException("schema must not be blank, was '"
            + Texts.escape(schema) + "'");
      }
      this.schema = Texts.identifier(schema, "schema", 63);
      return this;
    }

    /**
     * Sets the prefix of the fleet's table names (and of its NOTIFY channel): for example
     * {@code "ops_"} makes {@code "ops_snapshots"}, {@code "ops_fleet_members"}, ...
     *
     * @param prefix the prefix, {@value Fleet#DEFAULT_TABLE_PREFIX} by default; may be empty;
     *     quoted where used
     * @return this builder
     * @throws NullPointerException if {@code prefix} is null
     * @throws IllegalArgumentException if it would make a name longer than PostgreSQL's 63
     *     bytes (at most 41 bytes of UTF-8), or is not storable
     */
    public Builder tablePrefix(String prefix) {
      this.tablePrefix = Texts.identifier(prefix, "tablePrefix", 63 - Schema.LONGEST_SUFFIX);
      return this;
    }

    /**
     * Sets whether the fleet creates its tables, if missing, on first use (serialized across
     * processes by an advisory lock). Turn it off when the fleet's user may not create tables
     * and an administrator runs {@link Fleet#schemaSql()} instead.
     *
     * @param create {@code true} by default
     * @return this builder
     */
    public Builder createSchema(boolean create) {
      this.createSchema = create;
      return this;
    }

    /**
     * Names the snapshot store whose last known-stable snapshot is the fleet's rollback target.
     *
     * @param store the store's name, the fleet's name by default
     * @return this builder
     * @throws NullPointerException if {@code store} is null
     * @throws IllegalArgumentException if {@code store} is blank, too long or not storable
     */
    public Builder store(String store) {
      this.store = Texts.name(store, "store");
      return this;
    }

    /**
     * Sets how old a member's heartbeat may be before it counts as stale: listed by
     * {@link Fleet#drift()}, and not expected to carry out new rollback orders. Keep it a few
     * times the instances' heartbeat interval.
     *
     * @param staleAfter the limit, {@code 15 s} by default
     * @return this builder
     * @throws NullPointerException if {@code staleAfter} is null
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder staleAfter(Duration staleAfter) {
      Objects.requireNonNull(staleAfter, "staleAfter");
      if (staleAfter.isNegative() || staleAfter.isZero()) {
        throw new IllegalArgumentException("staleAfter must be positive, was " + staleAfter);
      }
      this.staleAfter = staleAfter;
      return this;
    }

    /**
     * Creates the fleet handle. It does not touch the database.
     *
     * @return the fleet
     */
    public Fleet build() {
      return new Fleet(new Database(dataSource, new Schema(schema, tablePrefix), createSchema),
          name, store == null ? name : store, staleAfter, null);
    }
  }
}
