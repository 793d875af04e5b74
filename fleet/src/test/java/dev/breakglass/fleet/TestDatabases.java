package dev.breakglass.fleet;

import dev.breakglass.testing.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Databases for the fleet's tests, each new and empty, on the server this JVM shares
 * ({@link LocalPostgres#shared()}): a test class takes one, so classes never see each other's
 * rows. Thread-safe.
 */
final class TestDatabases {

  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36);

  private TestDatabases() {}

  /** A new, empty database on the shared server. */
  static TestDataSource create(String purpose) {
    return create(LocalPostgres.shared(), purpose);
  }

  /** A new, empty database on the given server. */
  static TestDataSource create(LocalPostgres server, String purpose) {
    String name = ("bg_" + purpose + "_" + RUN + "_" + COUNT.incrementAndGet())
        .toLowerCase(Locale.ROOT);
    try (Connection admin = DriverManager.getConnection(server.adminUrl());
        PreparedStatement create = admin.prepareStatement("CREATE DATABASE \"" + name + "\"")) {
      create.execute();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database on " + server + ": "
          + e.getMessage(), e);
    }
    return dataSource(server.jdbcUrl(name));
  }

  static TestDataSource dataSource(String url) {
    return new TestDataSource(url);
  }
}
