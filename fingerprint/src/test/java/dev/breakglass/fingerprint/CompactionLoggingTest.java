package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A compaction that fails after a successful append is logged through SLF4J (logback is the
 * binding of these tests) on the logger {@code dev.breakglass.fingerprint}, at WARN.
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

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.breakglass.fingerprint");
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void captureTheModulesLogger() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logged);
  }

  @Test
  void append_compactionFails_appendSucceedsAndTheFailureIsLogged() throws IOException {
    try (SnapshotStore store = SnapshotStore.builder(new NoRewrite()).name("settings")
        .retain(1).open()) {
      store.append("v1", Value.from(Map.of("timeout", 1)));
      SnapshotInfo second = store.append("v2", Value.from(Map.of("timeout", 2)));

      assertThat(store.history()).extracting(SnapshotInfo::label).contains("v2");
      assertThat(second.label()).isEqualTo("v2");
    }

    assertThat(logged.list).isNotEmpty().allSatisfy(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.WARN);
      assertThat(event.getLoggerName()).isEqualTo("dev.breakglass.fingerprint");
      assertThat(event.getFormattedMessage()).isEqualTo("snapshot store 'settings'"
          + " (no-rewrite storage) could not compact; it will retry on a later append");
      assertThat(event.getThrowableProxy().getMessage())
          .isEqualTo("disk full (expected by this test)");
    });
  }
}
