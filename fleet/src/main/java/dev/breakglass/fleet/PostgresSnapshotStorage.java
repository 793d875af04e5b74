package dev.breakglass.fleet;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.breakglass.fingerprint.Fingerprint;
import dev.breakglass.fingerprint.SnapshotInfo;
import dev.breakglass.fingerprint.SnapshotIntegrityException;
import dev.breakglass.fingerprint.SnapshotStorage;
import dev.breakglass.fingerprint.StableMark;
import dev.breakglass.fingerprint.StorageConflictException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link SnapshotStorage} in PostgreSQL tables, shared by every store that names the same
 * store: see {@link Fleet#snapshotStorage(String)}. Thread-safe.
 */
final class PostgresSnapshotStorage implements SnapshotStorage {

  /*
   * Design: one row per store in the stores table carries a version, bumped by every write in
   * the same transaction as the write itself. A write first runs
   *   UPDATE stores SET version = version + 1 WHERE store = ? AND version = <known>
   * which, under READ COMMITTED, waits for a concurrent writer's commit and then re-checks the
   * condition against the committed row: exactly one of two racing writers matches, the other
   * updates nothing and gets a StorageConflictException; the store refreshes and retries. So the
   * version is a compare-and-set over the whole contents, and every store sees one order of
   * writes. Reads of the contents run in REPEATABLE READ, so the version and the rows they
   * return belong together. Each write notifies the fleet channel, so that listening instances
   * refresh.
   *
   * A commit whose outcome is unknown (the connection died during it) may or may not have
   * happened: the storage then forgets the version it knew, so that the next write conflicts,
   * the store refreshes, and finds out.
   */

  private final Database database;
  private final String store;
  private final ReentrantLock lock = new ReentrantLock();
  @GuardedBy("lock")
  private long known = -1; // the version this object last read or wrote
  private volatile boolean closed;

  PostgresSnapshotStorage(Database database, String store) {
    this.database = database;
    this.store = Texts.name(store, "store");
  }

  @Override
  public boolean isShared() {
    return true;
  }

  @Override
  public Contents load() throws IOException {
    checkOpen();
    lock.lock();
    try {
      try {
        // on its own: in the snapshot transaction below, it would fail against a concurrent
        // writer's update of the row ("could not serialize access")
        database.autocommit(connection -> {
          try (PreparedStatement insert = connection.prepareStatement("INSERT INTO "
              + database.schema.stores + " (store) VALUES (?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, store);
            return insert.executeUpdate();
          }
        });
      } catch (SQLException e) {
        throw database.failure(who() + ": loading", e);
      }
      return read("loading");
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Contents> refresh() throws IOException {
    checkOpen();
    lock.lock();
    try {
      long version;
      try {
        version = database.autocommit(connection -> version(connection));
      } catch (SQLException e) {
        throw database.failure(who() + ": refreshing", e);
      }
      if (version == known) {
        return Optional.empty();
      }
      return Optional.of(read("refreshing"));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads everything, with the version it belongs to, in one read-only snapshot (which never
   * fails to serialize); remembers the version.
   */
  // Callers hold the lock; the check cannot see that the transaction's lambda, which writes
  // `known`, runs on this thread before transaction() returns.
  @SuppressWarnings("GuardedBy")
  private Contents read(String doing) throws IOException {
    try {
      return database.transaction(Connection.TRANSACTION_REPEATABLE_READ, connection -> {
        long version = version(connection);
        List<SnapshotInfo> snapshots = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT sequence, label,"
            + " created_seconds, created_nanos, fingerprint, size FROM "
            + database.schema.snapshots + " WHERE store = ? ORDER BY sequence")) {
          select.setString(1, store);
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              snapshots.add(info(rows));
            }
          }
        }
        List<StableMark> marks = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT sequence,"
            + " fingerprint, marked_seconds, marked_nanos FROM " + database.schema.marks
            + " WHERE store = ? ORDER BY sequence")) {
          select.setString(1, store);
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              marks.add(new StableMark(rows.getLong(1), fingerprint(rows.getBytes(2), "mark"),
                  Instant.ofEpochSecond(rows.getLong(3), rows.getInt(4))));
            }
          }
        }
        known = version;
        return new Contents(snapshots, marks, List.of());
      });
    } catch (SQLException e) {
      throw database.failure(who() + ": " + doing, e);
    }
  }

  private SnapshotInfo info(ResultSet rows) throws SQLException, SnapshotIntegrityException {
    long sequence = rows.getLong(1);
    String label = new String(rows.getBytes(2), StandardCharsets.UTF_8);
    try {
      return new SnapshotInfo(sequence, label,
          Instant.ofEpochSecond(rows.getLong(3), rows.getInt(4)),
          fingerprint(rows.getBytes(5), "snapshot #" + sequence), rows.getLong(6));
    } catch (IllegalArgumentException e) {
      throw new SnapshotIntegrityException(who() + ": the row of snapshot #" + sequence
          + " is not a valid snapshot record: " + e.getMessage(), e);
    }
  }

  private Fingerprint fingerprint(byte[] bytes, String what) throws SnapshotIntegrityException {
    if (bytes.length != Fingerprint.BYTES) {
      throw new SnapshotIntegrityException(who() + ": the fingerprint of " + what + " is "
          + bytes.length + " bytes, not " + Fingerprint.BYTES);
    }
    return Fingerprint.ofBytes(bytes);
  }

  private long version(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT version FROM " + database.schema.stores + " WHERE store = ?")) {
      select.setString(1, store);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0L;
      }
    }
  }

  @Override
  public void appendSnapshot(SnapshotInfo info, byte[] encoding) throws IOException {
    write("appending snapshot " + info.describe() + " (" + encoding.length + " bytes)",
        connection -> {
          try (PreparedStatement insert = connection.prepareStatement("INSERT INTO "
              + database.schema.snapshots + " (store, sequence, label, created_seconds,"
              + " created_nanos, fingerprint, size, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, store);
            insert.setLong(2, info.sequence());
            insert.setBytes(3, info.label().getBytes(StandardCharsets.UTF_8));
            Instant timestamp = info.timestamp();
            insert.setLong(4, timestamp.getEpochSecond());
            insert.setInt(5, timestamp.getNano());
            insert.setBytes(6, info.fingerprint().toBytes());
            insert.setLong(7, info.size());
            insert.setBytes(8, encoding);
            insert.executeUpdate();
          }
        });
  }

  @Override
  public void appendMark(StableMark mark) throws IOException {
    write("appending stable mark #" + mark.sequence() + " of "
        + mark.fingerprint().toShortString(), connection -> {
          try (PreparedStatement insert = connection.prepareStatement("INSERT INTO "
              + database.schema.marks + " (store, sequence, fingerprint, marked_seconds,"
              + " marked_nanos) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, store);
            insert.setLong(2, mark.sequence());
            insert.setBytes(3, mark.fingerprint().toBytes());
            Instant markedAt = mark.markedAt();
            insert.setLong(4, markedAt.getEpochSecond());
            insert.setInt(5, markedAt.getNano());
            insert.executeUpdate();
          }
        });
  }

  @Override
  public void rewrite(List<SnapshotInfo> keep, List<StableMark> keepMarks) throws IOException {
    write("compacting to " + keep.size() + " snapshots and " + keepMarks.size()
        + " stable marks", connection -> {
          delete(connection, database.schema.snapshots,
              keep.stream().map(SnapshotInfo::sequence).toArray(Long[]::new));
          delete(connection, database.schema.marks,
              keepMarks.stream().map(StableMark::sequence).toArray(Long[]::new));
        });
  }

  private void delete(Connection connection, String table, Long[] keep) throws SQLException {
    Array sequences = connection.createArrayOf("bigint", keep);
    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table
        + " WHERE store = ? AND NOT (sequence = ANY (?))")) {
      delete.setString(1, store);
      delete.setArray(2, sequences);
      delete.executeUpdate();
    } finally {
      sequences.free();
    }
  }

  /** A write of the rows {@code work} adds, as a compare-and-set on the store's version. */
  private void write(String doing, SqlWrite work) throws IOException {
    checkOpen();
    lock.lock();
    try {
      long expected = known;
      boolean[] sent = {false};
      try {
        long version = database.transaction(connection -> {
          try (PreparedStatement cas = connection.prepareStatement("UPDATE "
              + database.schema.stores + " SET version = version + 1"
              + " WHERE store = ? AND version = ? RETURNING version")) {
            cas.setString(1, store);
            cas.setLong(2, expected);
            try (ResultSet rows = cas.executeQuery()) {
              if (!rows.next()) {
                throw new StorageConflictException(who() + ": " + doing + " refused:"
                    + " another store sharing it wrote since this one read version "
                    + expected);
              }
              work.run(connection);
              notify(connection);
              sent[0] = true;
              return rows.getLong(1);
            }
          }
        });
        known = version;
      } catch (SQLException e) {
        if (sent[0]) {
          known = -1; // the commit may have happened: find out on the next write
        }
        throw database.failure(who() + ": " + doing, e);
      }
    } finally {
      lock.unlock();
    }
  }

  private void notify(Connection connection) throws SQLException {
    try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
      notify.setString(1, database.schema.channel);
      notify.setString(2, Notices.store(store));
      notify.execute();
    }
  }

  @Override
  public byte[] read(SnapshotInfo info) throws IOException {
    checkOpen();
    try {
      return database.autocommit(connection -> {
        try (PreparedStatement select = connection.prepareStatement("SELECT sequence, label,"
            + " created_seconds, created_nanos, fingerprint, size, content FROM "
            + database.schema.snapshots + " WHERE store = ? AND sequence = ?")) {
          select.setString(1, store);
          select.setLong(2, info.sequence());
          try (ResultSet rows = select.executeQuery()) {
            if (!rows.next()) {
              throw new NoSuchElementException("no snapshot " + info.describe() + " in "
                  + who());
            }
            SnapshotInfo stored = info(rows);
            if (!stored.equals(info)) {
              throw new SnapshotIntegrityException("snapshot " + info.describe() + " in "
                  + who() + ": its row says " + stored.describe() + " of "
                  + stored.size() + " bytes at " + stored.timestamp() + ", not "
                  + info.size() + " bytes at " + info.timestamp()
                  + ": the row was changed outside breakglass");
            }
            return rows.getBytes(7);
          }
        }
      });
    } catch (SQLException e) {
      throw database.failure(who() + ": reading snapshot " + info.describe(), e);
    }
  }

  @Override
  public String describe() {
    return "PostgreSQL " + database.schema.describe + " store '" + store + "'";
  }

  @Override
  public void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(who() + " is closed");
    }
  }

  /** {@link #describe()} escaped, for messages. */
  private String who() {
    return Texts.escape(describe());
  }

  @Override
  public String toString() {
    return "SnapshotStorage[" + who() + "]";
  }

  /** Rows a write adds or removes, inside its transaction. */
  @FunctionalInterface
  private interface SqlWrite {
    void run(Connection connection) throws SQLException;
  }
}
