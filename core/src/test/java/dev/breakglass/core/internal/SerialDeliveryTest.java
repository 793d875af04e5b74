package dev.breakglass.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link SerialDelivery} over a backlog that is not a queue: a lock-free chain of state nodes,
 * each linking to the one it replaced, published from the last published node up to the
 * current one (the shape of a circuit breaker's state transitions).
 */
class SerialDeliveryTest {

  /** One state; {@code previous} is the state it replaced. */
  static final class Node {
    final int number;
    final Node previous;

    Node(int number, Node previous) {
      this.number = number;
      this.previous = previous;
    }
  }

  /** States installed by CAS, published in order by whoever delivers. */
  static final class Chain implements SerialDelivery.Backlog {
    final AtomicReference<Node> current = new AtomicReference<>(new Node(0, null));
    final SerialDelivery delivery = new SerialDelivery(this);
    final List<Integer> published = new ArrayList<>(); // by one thread at a time
    /** Called as each node is published, like a listener. */
    Consumer<Node> listener = node -> { };
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    /** The last node published; deliverer-only, read by hasPending() with volatile semantics. */
    volatile Node last = current.get();

    /** Installs the next state and delivers; returns once it is published or being published. */
    void transition() {
      for (;;) {
        Node from = current.get();
        if (current.compareAndSet(from, new Node(from.number + 1, from))) {
          break;
        }
      }
      delivery.deliver();
    }

    @Override
    public boolean hasPending() {
      return current.get() != last;
    }

    @Override
    public void deliverPending() {
      Node upTo = current.get();
      List<Node> chain = new ArrayList<>();
      for (Node node = upTo; node != last; node = node.previous) {
        chain.add(0, node);
      }
      for (Node node : chain) {
        if (inside.incrementAndGet() != 1) {
          overlaps.incrementAndGet();
        }
        published.add(node.number);
        inside.decrementAndGet();
        last = node;
        listener.accept(node);
      }
    }
  }

  @Test
  void deliver_nothingPending_doesNotCallTheBacklog() {
    SerialDelivery delivery = new SerialDelivery(new SerialDelivery.Backlog() {
      @Override
      public boolean hasPending() {
        return false;
      }

      @Override
      public void deliverPending() {
        throw new AssertionError("nothing was pending");
      }
    });

    delivery.deliver();

    assertThat(delivery.isDelivering()).isFalse();
  }

  @Test
  void deliver_backlogThrowsError_releasesTheDeliveryForTheNextCaller() {
    AtomicInteger calls = new AtomicInteger();
    SerialDelivery delivery = new SerialDelivery(new SerialDelivery.Backlog() {
      @Override
      public boolean hasPending() {
        return calls.get() < 2;
      }

      @Override
      public void deliverPending() {
        if (calls.incrementAndGet() == 1) {
          throw new OutOfMemoryError("in a listener");
        }
      }
    });

    assertThatThrownBy(delivery::deliver).isInstanceOf(OutOfMemoryError.class);
    assertThat(delivery.isDelivering()).isFalse();
    delivery.deliver();

    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void deliver_listenerInstallsAndDelivers_returnsAndTheNewStateIsPublishedAfter() {
    Chain chain = new Chain();
    List<String> events = new ArrayList<>();
    chain.listener = node -> {
      events.add(node.number + ":begin");
      if (node.number == 1) {
        chain.transition(); // reentrant: the delivery is this thread's, so it returns at once
      }
      events.add(node.number + ":end");
    };

    chain.transition();

    assertThat(events).containsExactly("1:begin", "1:end", "2:begin", "2:end");
    assertThat(chain.hasPending()).isFalse();
  }

  @Test
  void deliver_whileAnotherThreadDelivers_returnsWithoutWaiting() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger pending = new AtomicInteger(1);
    List<String> by = new ArrayList<>();
    SerialDelivery delivery = new SerialDelivery(new SerialDelivery.Backlog() {
      @Override
      public boolean hasPending() {
        return pending.get() > 0;
      }

      @Override
      public void deliverPending() {
        while (pending.get() > 0) {
          by.add(Thread.currentThread().getName());
          if (by.size() == 1) {
            inside.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          pending.decrementAndGet();
        }
      }
    });
    Thread deliverer = new Thread(delivery::deliver, "deliverer");
    deliverer.start();
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

    pending.incrementAndGet();
    delivery.deliver(); // returns at once: the deliverer is busy

    assertThat(delivery.isDelivering()).isTrue();
    release.countDown();
    deliverer.join(10_000);
    assertThat(by).containsExactly("deliverer", "deliverer");
    assertThat(pending.get()).isZero();
  }

  /**
   * Many threads install transitions concurrently: each is published once, in the order of the
   * chain, by one thread at a time, and none is left unpublished once every thread returned.
   */
  @Test
  void deliver_concurrentTransitions_publishedInOrderOneAtATimeNothingStranded()
      throws Exception {
    for (int round = 0; round < 20; round++) {
      Chain chain = new Chain();
      int threads = 8;
      int perThread = 2_000;
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread worker = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < perThread; i++) {
            chain.transition();
          }
        });
        workers.add(worker);
        worker.start();
      }
      start.countDown();
      for (Thread worker : workers) {
        worker.join(30_000);
        assertThat(worker.isAlive()).isFalse();
      }

      assertThat(chain.overlaps.get()).isZero();
      assertThat(chain.hasPending()).as("nothing stranded").isFalse();
      assertThat(chain.published).hasSize(threads * perThread);
      for (int i = 0; i < chain.published.size(); i++) {
        assertThat(chain.published.get(i)).as("transition at %d", i).isEqualTo(i + 1);
      }
    }
  }
}
