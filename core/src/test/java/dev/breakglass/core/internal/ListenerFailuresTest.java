package dev.breakglass.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.EventListener;
import dev.breakglass.core.ListenerErrorHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class ListenerFailuresTest {

  /** A listener class that does not override toString(). */
  static final class Plain implements EventListener<String> {
    @Override
    public void onEvent(String event) {}
  }

  /** A listener whose toString() is its name. */
  static final class Named implements EventListener<String> {
    @Override
    public void onEvent(String event) {}

    @Override
    public String toString() {
      return "audit-trail";
    }
  }

  /** A listener whose toString() is broken. */
  static final class BrokenToString implements EventListener<String> {
    @Override
    public void onEvent(String event) {}

    @Override
    public String toString() {
      throw new IllegalStateException("toString bug");
    }
  }

  private static void handle(String event) {}

  private final List<String> messages = new ArrayList<>();
  private final List<Throwable> errors = new ArrayList<>();
  private final BiConsumer<String, Throwable> warn = (message, error) -> {
    messages.add(message);
    errors.add(error);
  };

  @Test
  void describe_lambda_namesTheDeclaringClassAndTheInterface() {
    EventListener<String> lambda = event -> {};

    assertThat(ListenerFailures.describe(lambda)).isEqualTo(
        "lambda in dev.breakglass.core.internal.ListenerFailuresTest implementing"
            + " dev.breakglass.core.EventListener");
  }

  @Test
  void describe_methodReference_namesTheDeclaringClassAndTheInterface() {
    EventListener<String> reference = ListenerFailuresTest::handle;

    assertThat(ListenerFailures.describe(reference)).isEqualTo(
        "lambda in dev.breakglass.core.internal.ListenerFailuresTest implementing"
            + " dev.breakglass.core.EventListener");
  }

  @Test
  void describe_classOverridingToString_usesIt() {
    assertThat(ListenerFailures.describe(new Named())).isEqualTo("audit-trail");
    assertThat(ListenerFailures.describe(EventListener.named("pager", event -> {})))
        .isEqualTo("pager");
  }

  @Test
  void describe_plainClass_namesTheClassWithoutAHashCode() {
    assertThat(ListenerFailures.describe(new Plain()))
        .isEqualTo("dev.breakglass.core.internal.ListenerFailuresTest$Plain");
  }

  @Test
  void describe_anonymousClass_namesTheClass() {
    EventListener<String> anonymous = new EventListener<>() {
      @Override
      public void onEvent(String event) {}
    };

    assertThat(ListenerFailures.describe(anonymous))
        .isEqualTo("dev.breakglass.core.internal.ListenerFailuresTest$1");
  }

  @Test
  void describe_toStringThrows_namesTheClass() {
    assertThat(ListenerFailures.describe(new BrokenToString()))
        .isEqualTo("dev.breakglass.core.internal.ListenerFailuresTest$BrokenToString");
  }

  @Test
  void logging_listenerFailure_warnsNamingOwnerListenerAndEvent() {
    IllegalStateException error = new IllegalStateException("listener bug");
    ListenerErrorHandler handler = ListenerFailures.logging("test handler", warn);

    handler.onListenerError("payments", new Named(), "OPEN", error);

    assertThat(messages).containsExactly(
        "Listener audit-trail of payments threw while handling OPEN");
    assertThat(errors).containsExactly(error);
    assertThat(handler).hasToString("test handler");
  }

  @Test
  void guarded_handlerThrows_warnsWithTheHandlersExceptionAndTheListenersSuppressed() {
    IllegalStateException listenerError = new IllegalStateException("listener bug");
    IllegalArgumentException handlerError = new IllegalArgumentException("handler bug");
    ListenerErrorHandler failing = new ListenerErrorHandler() {
      @Override
      public void onListenerError(String owner, Object listener, Object event, Throwable e) {
        throw handlerError;
      }

      @Override
      public String toString() {
        return "metrics-handler";
      }
    };

    ListenerFailures.guarded(failing, warn)
        .onListenerError("payments", new Named(), "OPEN", listenerError);

    assertThat(messages).containsExactly("ListenerErrorHandler metrics-handler of payments"
        + " threw while reporting that listener audit-trail threw while handling OPEN");
    assertThat(errors).containsExactly(handlerError);
    assertThat(handlerError.getSuppressed()).containsExactly(listenerError);
  }

  @Test
  void guarded_handlerSucceeds_warnsNothing() {
    List<Object> handled = new ArrayList<>();
    ListenerErrorHandler recording = (owner, listener, event, error) -> handled.add(event);

    ListenerFailures.guarded(recording, warn)
        .onListenerError("payments", new Plain(), "OPEN", new IllegalStateException("bug"));

    assertThat(handled).containsExactly("OPEN");
    assertThat(messages).isEmpty();
  }

  @Test
  void guarded_handlerThrowsVirtualMachineError_rethrowsIt() {
    ListenerErrorHandler overflowing = (owner, listener, event, error) -> {
      throw new StackOverflowError("expected by this test");
    };

    assertThatThrownBy(() -> ListenerFailures.guarded(overflowing, warn)
        .onListenerError("payments", new Plain(), "OPEN", new IllegalStateException("bug")))
        .isInstanceOf(StackOverflowError.class);
    assertThat(messages).isEmpty();
  }

  @Test
  void named_blankOrNull_isRejectedNamingTheValue() {
    assertThatThrownBy(() -> EventListener.named(" ", event -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> EventListener.named(null, event -> {})).hasMessage("name");
    assertThatThrownBy(() -> EventListener.named("pager", null)).hasMessage("listener");
  }

  @Test
  void named_onEvent_callsTheListener() {
    List<String> seen = new ArrayList<>();
    EventListener<String> named = EventListener.named("pager", seen::add);

    named.onEvent("OPEN");

    assertThat(seen).containsExactly("OPEN");
    assertThat(named).hasToString("pager");
  }
}
