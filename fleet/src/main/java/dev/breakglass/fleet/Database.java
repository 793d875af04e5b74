package dev.breakglass.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Connections to the fleet's database, with the schema created on first use if asked.
 * Thread-safe.
 */
final class Database {

  /** Work done with a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException, IOException;
  }

  final DataSource dataSource;
  final Schema schema;
  private final boolean createSchema;
  private final ReentrantLock schemaLock = new ReentrantLock();
  private volatile boolean schemaReady;

  Database(DataSource dataSource, Schema schema, boolean createSchema) {
    this.dataSource = dataSource;
    this.schema = schema;
    this.createSchema = createSchema;
  }

  /** A new connection, in autocommit mode, the schema created first if asked. */
  Connection connect() throws SQLException {
    Connection connection = dataSource.getConnection();
    try {
      if (!schemaReady && createSchema) {
        createSchema(connection);
      }
      connection.setAutoCommit(true);
      return connection;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(connection, e);
      throw e;
    }
  }

  /** Runs {@code work} on a new connection in autocommit mode, then closes it. */
  <T> T autocommit(Work<T> work) throws SQLException, IOException {
    try (Connection connection = connect()) {
      return work.run(connection);
    }
  }

  /** Runs {@code work} in one transaction on a new connection: committed, or rolled back. */
  <T> T transaction(Work<T> work) throws SQLException, IOException {
    return transaction(Connection.TRANSACTION_READ_COMMITTED, work);
  }

  /** Runs {@code work} in one transaction at the given isolation level. */
  <T> T transaction(int isolation, Work<T> work) throws SQLException, IOException {
    try (Connection connection = connect()) {
      connection.setTransactionIsolation(isolation);
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | IOException | RuntimeException | Error e) {
        rollbackQuietly(connection, e);
        throw e;
      }
    }
  }

  /** Creates the tables (idempotent), serialized across processes by an advisory lock. */
  void createSchema(Connection connection) throws SQLException {
    schemaLock.lock();
    try {
      if (schemaReady) {
        return;
      }
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        // CREATE TABLE IF NOT EXISTS races with itself in PostgreSQL; one creator at a time
        try (PreparedStatement lock = connection.prepareStatement(
            "SELECT pg_advisory_xact_lock(?)")) {
          lock.setLong(1, lockKey());
          lock.execute();
        }
        for (String statement : schema.createStatements()) {
          try (PreparedStatement create = connection.prepareStatement(statement)) {
            create.execute();
          }
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection, e);
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
      schemaReady = true;
    } finally {
      schemaLock.unlock();
    }
  }

  /** A key for the schema's advisory lock: the tables' names, hashed (FNV-1a, 64 bits). */
  private long lockKey() {
    long hash = 0xcbf29ce484222325L;
    for (byte b : ("breakglass-fleet-schema " + schema.stores).getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  /**
   * Whether a failure means the database or the connection is gone (and a retry on a new
   * connection may work), as opposed to a statement the database refused.
   */
  static boolean isConnectionFailure(SQLException e) {
    if (e instanceof SQLTransientConnectionException
        || e instanceof java.sql.SQLNonTransientConnectionException
        || e instanceof java.sql.SQLRecoverableException) {
      return true;
    }
    String state = e.getSQLState();
    return state == null
        || state.startsWith("08")   // connection exception
        || state.startsWith("57P")  // admin shutdown, crash shutdown, cannot connect now
        || state.startsWith("53");  // insufficient resources (too many connections)
  }

  /** Turns a database failure into an {@link IOException} that says what was being done. */
  IOException failure(String doing, SQLException e) {
    String hint = "42P01".equals(e.getSQLState())
        ? " (the fleet's tables " + Texts.escape(schema.describe) + " are missing: build the"
            + " fleet with createSchema(true), or run Fleet.schemaSql() first)"
        : "42501".equals(e.getSQLState())
            ? " (the database user lacks a privilege the fleet needs: see Fleet.grantSql(role))"
            : "";
    return new IOException(doing + " failed: " + e.getMessage() + hint, e);
  }

  static void rollbackQuietly(Connection connection, Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  static void closeQuietly(Connection connection, Throwable failure) {
    try {
      connection.close();
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
