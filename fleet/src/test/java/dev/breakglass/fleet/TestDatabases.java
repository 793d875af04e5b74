package dev.breakglass.fleet;

import dev.breakglass.testing.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Places for the fleet's tests to keep their tables, each new and empty: a schema of its own in
 * one database per test JVM, on the server this JVM shares ({@link LocalPostgres#shared()}). A
 * test class takes one, so classes never see each other's rows; its data source's connections
 * have that schema first on their search path. (A schema costs nothing to make; a database
 * takes seconds.) Thread-safe.
 */
final class TestDatabases {

  /** Unique in this JVM and run: for names PostgreSQL keeps per cluster (databases, roles). */
  static final String RUN = Long.toString(ProcessHandle.current().pid(), 36)
      + Long.toString(System.currentTimeMillis() % 1_000_000L, 36);

  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final ReentrantLock LOCK = new ReentrantLock();
  private static String database;

  private TestDatabases() {}

  /** A new, empty schema in this JVM's database on the shared server. */
  static TestDataSource create(String purpose) {
    LocalPostgres server = LocalPostgres.shared();
    String url = server.jdbcUrl(database(server));
    String schema = (purpose + "_" + COUNT.incrementAndGet()).toLowerCase(Locale.ROOT);
    execute(url, "CREATE SCHEMA \"" + schema + "\"");
    return new TestDataSource(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
  }

  /** The database {@code postgres} of a server of the test's own, empty as it comes. */
  static TestDataSource create(LocalPostgres server) {
    return new TestDataSource(server.adminUrl());
  }

  private static String database(LocalPostgres server) {
    LOCK.lock();
    try {
      if (database == null) {
        String name = "bg_tests_" + RUN;
        execute(server.adminUrl(), "CREATE DATABASE \"" + name + "\"");
        database = name;
      }
      return database;
    } finally {
      LOCK.unlock();
    }
  }

  private static void execute(String url, String statement) {
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement run = connection.prepareStatement(statement)) {
      run.execute();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run " + statement + " on " + url + ": "
          + e.getMessage(), e);
    }
  }
}
