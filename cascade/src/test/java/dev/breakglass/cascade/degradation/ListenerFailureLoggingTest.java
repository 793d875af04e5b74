package dev.breakglass.cascade.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A failing listener of the cascade manager is logged through SLF4J (logback is the binding of
 * these tests) on the logger {@code dev.breakglass.cascade}, at WARN.
 */
class ListenerFailureLoggingTest {

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.breakglass.cascade");
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
  void declare_severityListenerThrows_warnsOnTheModulesLoggerNamingTheListener() {
    CascadeManager manager = CascadeManager.builder().feature("search", Tier.STANDARD).build();
    manager.onSeverityChange(change -> {
      throw new IllegalStateException("listener bug (expected by this test)");
    });

    manager.declare(Severity.MAJOR, "on-call", "drill");

    assertThat(logged.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.WARN);
      assertThat(event.getLoggerName()).isEqualTo("dev.breakglass.cascade");
      assertThat(event.getFormattedMessage()).startsWith(
          "Listener lambda in dev.breakglass.cascade.degradation.ListenerFailureLoggingTest"
              + " implementing"
              + " dev.breakglass.core.EventListener of cascade threw while handling");
      assertThat(event.getThrowableProxy().getMessage())
          .isEqualTo("listener bug (expected by this test)");
    });
    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
  }

  @Test
  void declare_handlerThrows_warnsOnTheModulesLoggerInsteadOfEscaping() {
    CascadeManager manager = CascadeManager.builder().feature("search", Tier.STANDARD)
        .listenerErrorHandler((owner, listener, event, error) -> {
          throw new IllegalArgumentException("handler bug (expected by this test)");
        })
        .build();
    manager.feature("search").onChange(change -> {
      throw new IllegalStateException("listener bug (expected by this test)");
    });

    manager.declare(Severity.CRITICAL, "on-call", "drill");

    assertThat(logged.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.WARN);
      assertThat(event.getFormattedMessage()).startsWith("ListenerErrorHandler lambda in")
          .contains(" of cascade:search threw while reporting that listener lambda in");
      assertThat(event.getThrowableProxy().getMessage())
          .isEqualTo("handler bug (expected by this test)");
    });
    assertThat(manager.feature("search").isEnabled()).isFalse();
  }
}
