package dev.breakglass.fleet;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A small pooled data source for the tests, as production would use one (the fleet opens a
 * connection per operation and expects a pool): connections closed by the fleet go back to an
 * idle list and are validated before they are handed out again; one that was unwrapped (the
 * listening connection) or failed is not reused.
 *
 * <p>A test can take the database "down": while {@link #down} is set, connecting fails as with
 * a server that is gone; while {@link #hang} holds a latch, connecting waits on it, as with a
 * server that does not answer. Thread-safe.
 */
final class TestDataSource implements DataSource {

  private static final int MAX_IDLE = 8;

  private final String url;
  private final Properties properties = new Properties();
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger opened = new AtomicInteger();
  private volatile boolean down;
  private volatile @Nullable CountDownLatch hang;

  TestDataSource(String url) {
    this.url = url;
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("socketTimeout", "30");
  }

  /** Another data source on the same database and schema, connecting as another user. */
  TestDataSource as(String user) {
    return new TestDataSource(url.replaceAll("([?&])user=[^&]*", "$1user=" + user));
  }

  String url() {
    return url;
  }

  /** How many physical connections it opened. */
  int opened() {
    return opened.get();
  }

  void down(boolean down) {
    this.down = down;
    if (down) {
      for (Connection connection; (connection = idle.poll()) != null; ) {
        closeQuietly(connection);
      }
    }
  }

  void hang(@Nullable CountDownLatch until) {
    this.hang = until;
  }

  @Override
  public Connection getConnection() throws SQLException {
    CountDownLatch latch = hang;
    if (latch != null) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLNonTransientConnectionException("interrupted", "08001", e);
      }
    }
    if (down) {
      throw new SQLNonTransientConnectionException("Connection refused (the test took the"
          + " database down)", "08001");
    }
    for (Connection physical; (physical = idle.poll()) != null; ) {
      if (physical.isValid(2)) {
        return pooled(physical);
      }
      closeQuietly(physical);
    }
    opened.incrementAndGet();
    return pooled(DriverManager.getConnection(url, properties));
  }

  private Connection pooled(Connection physical) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, new Pooled(physical));
  }

  /** Hands calls to the physical connection; close() gives it back. */
  private final class Pooled implements InvocationHandler {
    private final Connection physical;
    private boolean closed;
    private boolean keep = true;

    Pooled(Connection physical) {
      this.physical = physical;
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args)
        throws Throwable {
      switch (method.getName()) {
        case "close" -> {
          if (!closed) {
            closed = true;
            giveBack();
          }
          return null;
        }
        case "isClosed" -> {
          return closed || physical.isClosed();
        }
        case "abort" -> {
          closed = true;
          keep = false;
          return method.invoke(physical, args);
        }
        case "unwrap" -> keep = false; // the listener's: never shared
        case "equals" -> {
          return proxy == (args == null ? null : args[0]);
        }
        case "hashCode" -> {
          return System.identityHashCode(proxy);
        }
        case "toString" -> {
          return "pooled " + physical;
        }
        default -> {
          if (closed) {
            throw new SQLException("connection is closed", "08003");
          }
        }
      }
      try {
        return method.invoke(physical, args);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof SQLException sql && Database.isConnectionFailure(sql)) {
          keep = false;
        }
        throw e.getCause();
      }
    }

    private void giveBack() {
      try {
        if (keep && !down && !physical.isClosed() && idle.size() < MAX_IDLE) {
          if (!physical.getAutoCommit()) {
            physical.rollback();
            physical.setAutoCommit(true);
          }
          physical.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
          idle.push(physical);
          return;
        }
      } catch (SQLException e) {
        // not reusable: close it below
      }
      closeQuietly(physical);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // a connection already gone
    }
  }

  @Override
  public Connection getConnection(String username, String password) {
    throw new UnsupportedOperationException("the test data source has one user");
  }

  @Override
  public PrintWriter getLogWriter() {
    return new PrintWriter(System.err);
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void setLoginTimeout(int seconds) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int getLoginTimeout() {
    return 5;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
