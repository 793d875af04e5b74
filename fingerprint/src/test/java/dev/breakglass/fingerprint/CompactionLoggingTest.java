package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A compaction that fails after a successful append is logged through SLF4J, at WARN, on the
 * logger {@code dev.breakglass.fingerprint}. The binding of these tests is SLF4J's
 * java.util.logging provider, so a java.util.logging handler sees what the store logged.
 */
class CompactionLoggingTest {

  /** In-memory storage whose rewrite (compaction) always fails. */
  static final class NoRewrite implements SnapshotStorage {
    private final SnapshotStorage delegate = SnapshotStorage.inMemory();

    @Override
    public Contents load() throws IOException {
      return delegate.load();
    }

    @Override
    public void appendSnapshot(SnapshotInfo info, byte[] encoding) throws IOException {
      delegate.appendSnapshot(info, encoding);
    }

    @Override
    public void appendMark(StableMark mark) throws IOException {
      delegate.appendMark(mark);
    }

    @Override
    public byte[] read(SnapshotInfo info) throws IOException {
      return delegate.read(info);
    }

    @Override
    public void rewrite(List<SnapshotInfo> snapshots, List<StableMark> marks)
        throws IOException {
      throw new IOException("disk full (expected by this test)");
    }

    @Override
    public String describe() {
      return "no-rewrite storage";
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }

  private final List<LogRecord> logged = new ArrayList<>();
  private final Logger logger = Logger.getLogger("dev.breakglass.fingerprint");
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      synchronized (logged) {
        logged.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void captureTheModulesLogger() {
    logger.addHandler(capture);
  }

  @AfterEach
  void release() {
    logger.removeHandler(capture);
  }

  @Test
  void append_compactionFails_appendSucceedsAndTheFailureIsLogged() throws IOException {
    try (SnapshotStore store = SnapshotStore.builder(new NoRewrite()).name("settings")
        .retain(1).open()) {
      store.append("v1", Value.from(Map.of("timeout", 1)));
      SnapshotInfo second = store.append("v2", Value.from(Map.of("timeout", 2)));

      assertThat(second.label()).isEqualTo("v2");
      assertThat(store.history()).extracting(SnapshotInfo::label).contains("v2");
    }

    List<LogRecord> records;
    synchronized (logged) {
      records = List.copyOf(logged);
    }
    assertThat(records).isNotEmpty();
    LogRecord first = records.get(0);
    assertThat(first.getLevel()).isEqualTo(Level.WARNING);
    assertThat(first.getLoggerName()).isEqualTo("dev.breakglass.fingerprint");
    assertThat(first.getMessage())
        .startsWith("snapshot store 'settings' (no-rewrite storage) could not compact");
    assertThat(first.getThrown()).hasMessage("disk full (expected by this test)");
  }
}
