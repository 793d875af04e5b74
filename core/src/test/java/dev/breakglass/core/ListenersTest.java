package dev.breakglass.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ListenersTest {

  /** A handler that remembers what it was given. */
  static final class RecordingHandler implements ListenerErrorHandler {
    final List<Object[]> calls = new CopyOnWriteArrayList<>();

    @Override
    public void onListenerError(String owner, Object listener, Object event, Throwable error) {
      calls.add(new Object[] {owner, listener, event, error});
    }
  }

  static final class NoOp implements EventListener<Integer> {
    @Override
    public void onEvent(Integer event) {}
  }

  @Test
  void publish_callsListenersInRegistrationOrder() {
    Listeners<String> listeners = Listeners.create("test");
    List<String> seen = new ArrayList<>();
    listeners.add(e -> seen.add("a:" + e));
    listeners.add(e -> seen.add("b:" + e));
    listeners.add(e -> seen.add("c:" + e));

    listeners.publish("x");

    assertThat(seen).containsExactly("a:x", "b:x", "c:x");
  }

  @Test
  void hasListeners_tracksAddAndRemove() {
    Listeners<String> listeners = Listeners.create("test");
    EventListener<String> listener = e -> {};
    assertThat(listeners.hasListeners()).isFalse();
    listeners.add(listener);
    assertThat(listeners.hasListeners()).isTrue();
    assertThat(listeners.remove(listener)).isTrue();
    assertThat(listeners.remove(listener)).isFalse();
    assertThat(listeners.hasListeners()).isFalse();
  }

  @Test
  void add_sameInstanceTwice_registersOnce() {
    Listeners<String> listeners = Listeners.create("test");
    AtomicInteger calls = new AtomicInteger();
    EventListener<String> listener = e -> calls.incrementAndGet();
    listeners.add(listener);
    listeners.add(listener);

    listeners.publish("x");

    assertThat(listeners.size()).isEqualTo(1);
    assertThat(calls).hasValue(1);
  }

  @Test
  void subscriptionClose_sameInstanceAddedTwice_staysUntilBothClosed() {
    Listeners<String> listeners = Listeners.create("test");
    AtomicInteger calls = new AtomicInteger();
    EventListener<String> listener = e -> calls.incrementAndGet();
    Subscription first = listeners.add(listener);
    Subscription second = listeners.add(listener);

    first.close();
    first.close(); // a second close must not take the other subscription's hold away
    listeners.publish("x");
    assertThat(calls).hasValue(1);
    assertThat(listeners.size()).isEqualTo(1);

    second.close();
    listeners.publish("y");
    assertThat(calls).hasValue(1);
    assertThat(listeners.hasListeners()).isFalse();
  }

  @Test
  void subscriptionClose_afterRemoveAndAddAgain_leavesNewRegistration() {
    Listeners<String> listeners = Listeners.create("test");
    AtomicInteger calls = new AtomicInteger();
    EventListener<String> listener = e -> calls.incrementAndGet();
    Subscription old = listeners.add(listener);
    assertThat(listeners.remove(listener)).isTrue(); // removes outright, open subscription or not
    Subscription current = listeners.add(listener);

    old.close();
    listeners.publish("x");

    assertThat(calls).hasValue(1);
    current.close();
    assertThat(listeners.hasListeners()).isFalse();
  }

  @Test
  void subscriptionClose_unregistersAndIsIdempotent() {
    Listeners<String> listeners = Listeners.create("test");
    List<String> seen = new ArrayList<>();
    Subscription first = listeners.add(e -> seen.add("first"));
    listeners.add(e -> seen.add("second"));

    first.close();
    first.close();
    listeners.publish("x");

    assertThat(seen).containsExactly("second");
    assertThat(listeners.size()).isEqualTo(1);
  }

  @Test
  void publish_throwingListener_isReportedAndOthersStillRun() {
    RecordingHandler handler = new RecordingHandler();
    Listeners<String> listeners = Listeners.create("payments", handler);
    List<String> seen = new ArrayList<>();
    IllegalStateException boom = new IllegalStateException("boom");
    EventListener<String> thrower = e -> {
      throw boom;
    };
    listeners.add(e -> seen.add("before"));
    listeners.add(thrower);
    listeners.add(e -> seen.add("after"));

    listeners.publish("event-1");

    assertThat(seen).containsExactly("before", "after");
    assertThat(listeners.failureCount()).isEqualTo(1);
    assertThat(handler.calls).hasSize(1);
    assertThat(handler.calls.get(0)).containsExactly("payments", thrower, "event-1", boom);
  }

  @Test
  void publish_listenerThrowsAssertionError_isReportedNotRethrown() {
    RecordingHandler handler = new RecordingHandler();
    Listeners<String> listeners = Listeners.create("test", handler);
    listeners.add(e -> {
      throw new AssertionError("listener bug");
    });

    listeners.publish("x");

    assertThat(handler.calls).hasSize(1);
    assertThat((Throwable) handler.calls.get(0)[3]).hasMessage("listener bug");
  }

  @Test
  void publish_listenerThrowsVirtualMachineError_isRethrown() {
    RecordingHandler handler = new RecordingHandler();
    Listeners<String> listeners = Listeners.create("test", handler);
    listeners.add(e -> {
      throw new OutOfMemoryError("simulated");
    });

    assertThatThrownBy(() -> listeners.publish("x"))
        .isInstanceOf(OutOfMemoryError.class)
        .hasMessage("simulated");
    assertThat(handler.calls).isEmpty();
  }

  @Test
  void publish_throwingHandler_doesNotBreakTheCaller() {
    Listeners<String> listeners = Listeners.create("test", (owner, listener, event, error) -> {
      throw new IllegalStateException("handler bug");
    });
    AtomicBoolean secondCalled = new AtomicBoolean();
    listeners.add(e -> {
      throw new IllegalArgumentException("listener bug");
    });
    listeners.add(e -> secondCalled.set(true));

    listeners.publish("x");

    assertThat(secondCalled).isTrue();
    assertThat(listeners.failureCount()).isEqualTo(1);
  }

  @Test
  void publish_handlerRethrowsTheListenersError_doesNotBreakTheCaller() {
    Listeners<String> listeners = Listeners.create("test", (owner, listener, event, error) -> {
      throw (RuntimeException) error; // the same instance: it cannot suppress itself
    });
    AtomicBoolean secondCalled = new AtomicBoolean();
    listeners.add(e -> {
      throw new IllegalArgumentException("listener bug");
    });
    listeners.add(e -> secondCalled.set(true));

    listeners.publish("x");

    assertThat(secondCalled).isTrue();
    assertThat(listeners.failureCount()).isEqualTo(1);
  }

  @Test
  void publish_defaultLoggingHandler_doesNotThrow() {
    Listeners<String> listeners = Listeners.create("logging-test");
    AtomicBoolean secondCalled = new AtomicBoolean();
    listeners.add(e -> {
      throw new IllegalStateException("expected in this test: logged at WARNING");
    });
    listeners.add(e -> secondCalled.set(true));

    listeners.publish("x");

    assertThat(secondCalled).isTrue();
    assertThat(listeners.failureCount()).isEqualTo(1);
  }

  @Test
  void badInput_throwsNamingTheParameter() {
    Listeners<String> listeners = Listeners.create("test");
    assertThatThrownBy(() -> Listeners.create(null)).hasMessage("owner");
    assertThatThrownBy(() -> Listeners.create("x", null)).hasMessage("errorHandler");
    assertThatThrownBy(() -> listeners.add(null)).hasMessage("listener");
    assertThatThrownBy(() -> listeners.remove(null)).hasMessage("listener");
    assertThatThrownBy(() -> listeners.publish(null)).hasMessage("event");
  }

  @Test
  void addAndRemove_concurrentWithPublish_noRegistrationLost() throws Exception {
    Listeners<Integer> listeners = Listeners.create("test");
    int threads = 16;
    int perThread = 200;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      AtomicBoolean publishing = new AtomicBoolean(true);
      Future<?> publisher = pool.submit(() -> {
        while (publishing.get()) {
          listeners.publish(1);
        }
      });
      List<Future<List<Subscription>>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          start.await();
          List<Subscription> kept = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            // distinct instances: a non-capturing lambda would be one shared object
            EventListener<Integer> temporary = new NoOp();
            Subscription subscription = listeners.add(temporary);
            kept.add(listeners.add(new NoOp()));
            if (i % 2 == 0) {
              assertThat(listeners.remove(temporary)).isTrue();
            } else {
              subscription.close();
            }
          }
          return kept;
        }));
      }
      start.countDown();
      List<Subscription> kept = new ArrayList<>();
      for (Future<List<Subscription>> worker : workers) {
        kept.addAll(worker.get(60, TimeUnit.SECONDS)); // rethrows a worker's AssertionError
      }
      publishing.set(false);
      publisher.get(60, TimeUnit.SECONDS);

      assertThat(listeners.size()).isEqualTo(threads * perThread);
      for (Subscription subscription : kept) {
        subscription.close();
      }
      assertThat(listeners.hasListeners()).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }
}
