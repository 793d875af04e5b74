package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.breakglass.core.EventListener;
import dev.breakglass.core.ListenerErrorHandler;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a breaker logs when user code it calls back throws: through SLF4J (logback is the
 * binding of these tests), on the logger {@code dev.breakglass.circuitbreaker}, at WARN, naming
 * the breaker and the listener readably.
 */
class ListenerFailureLoggingTest {

  /** A listener class that does not override toString(). */
  static final class AuditListener implements EventListener<CircuitBreakerEvent.StateTransition> {
    @Override
    public void onEvent(CircuitBreakerEvent.StateTransition event) {
      throw new IllegalStateException("audit store down (expected by this test)");
    }
  }

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.breakglass.circuitbreaker");
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

  private ILoggingEvent onlyWarning() {
    List<ILoggingEvent> events = logged.list;
    assertThat(events).hasSize(1);
    ILoggingEvent event = events.get(0);
    assertThat(event.getLevel()).isEqualTo(Level.WARN);
    assertThat(event.getLoggerName()).isEqualTo("dev.breakglass.circuitbreaker");
    return event;
  }

  @Test
  void transition_lambdaListenerThrows_warnsNamingTheBreakerAndTheLambdasDeclaringClass() {
    CircuitBreaker breaker = CircuitBreaker.of("payments");
    breaker.onStateTransition(event -> {
      throw new IllegalStateException("listener bug (expected by this test)");
    });

    breaker.transitionToOpen();

    ILoggingEvent warning = onlyWarning();
    assertThat(warning.getFormattedMessage())
        .startsWith("Listener lambda in dev.breakglass.circuitbreaker.ListenerFailureLoggingTest"
            + " implementing dev.breakglass.core.EventListener of payments threw while handling"
            + " StateTransition")
        .doesNotContain("$$Lambda", "@");
    assertThat(warning.getThrowableProxy().getMessage())
        .isEqualTo("listener bug (expected by this test)");
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void transition_listenerClassThrows_warnsNamingItsClassWithoutAHashCode() {
    CircuitBreaker breaker = CircuitBreaker.of("ledger");
    breaker.onStateTransition(new AuditListener());

    breaker.transitionToOpen();

    assertThat(onlyWarning().getFormattedMessage()).startsWith(
        "Listener dev.breakglass.circuitbreaker.ListenerFailureLoggingTest$AuditListener"
            + " of ledger threw while handling");
  }

  @Test
  void transition_namedListenerThrows_warnsWithTheGivenName() {
    CircuitBreaker breaker = CircuitBreaker.of("payments");
    breaker.onStateTransition(EventListener.named("pager", event -> {
      throw new IllegalStateException("pager down (expected by this test)");
    }));

    breaker.transitionToOpen();

    assertThat(onlyWarning().getFormattedMessage())
        .startsWith("Listener pager of payments threw while handling");
  }

  @Test
  void transition_handlerThrowsToo_warnsWithTheHandlersExceptionAndTheListenersSuppressed() {
    IllegalStateException listenerError = new IllegalStateException("listener bug (expected)");
    ListenerErrorHandler failing = (owner, listener, event, error) -> {
      throw new IllegalArgumentException("handler bug (expected by this test)");
    };
    CircuitBreaker breaker = CircuitBreaker.builder("payments").listenerErrorHandler(failing)
        .build();
    breaker.onStateTransition(event -> {
      throw listenerError;
    });

    breaker.transitionToOpen();

    ILoggingEvent warning = onlyWarning();
    assertThat(warning.getFormattedMessage())
        .startsWith("ListenerErrorHandler lambda in")
        .contains(" of payments threw while reporting that listener lambda in");
    assertThat(warning.getThrowableProxy().getMessage())
        .isEqualTo("handler bug (expected by this test)");
    assertThat(warning.getThrowableProxy().getSuppressed()).singleElement()
        .satisfies(s -> assertThat(s.getMessage()).isEqualTo("listener bug (expected)"));
  }

  @Test
  void open_intervalFunctionThrows_warnsOnTheModulesLogger() {
    CircuitBreaker breaker = CircuitBreaker.of("payments", CircuitBreakerConfig.builder()
        .waitIntervalFunctionInOpenState(attempt -> {
          throw new IllegalStateException("back-off bug (expected by this test)");
        }).build());

    breaker.transitionToOpen();

    ILoggingEvent warning = onlyWarning();
    assertThat(warning.getFormattedMessage())
        .startsWith("Listener lambda in dev.breakglass.circuitbreaker.ListenerFailureLoggingTest"
            + " implementing dev.breakglass.circuitbreaker.IntervalFunction of payments")
        .contains("waiting 1m00.000s in OPEN instead");
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }
}
