package dev.breakglass.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DeliveryQueueTest {

  private final List<String> delivered = new CopyOnWriteArrayList<>();

  @Test
  void deliver_severalElements_handsThemOverInOrderOnce() {
    DeliveryQueue<String> queue = new DeliveryQueue<>(delivered::add);
    queue.add("a");
    queue.add("b");
    assertThat(delivered).isEmpty(); // add() never delivers

    queue.deliver();
    queue.add("c");
    queue.deliver();
    queue.deliver();

    assertThat(delivered).containsExactly("a", "b", "c");
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void deliver_consumerAddsAndDelivers_deliversTheNewElementAfterTheCurrentOne() {
    AtomicReference<DeliveryQueue<String>> self = new AtomicReference<>();
    DeliveryQueue<String> queue = new DeliveryQueue<>(element -> {
      delivered.add(element + ":begin");
      if (element.equals("a")) {
        self.get().add("a-caused");
        self.get().deliver(); // reentrant: returns, the outer delivery goes on with it
      }
      delivered.add(element + ":end");
    });
    self.set(queue);
    queue.add("a");
    queue.add("b");

    queue.deliver();

    assertThat(delivered).containsExactly(
        "a:begin", "a:end", "b:begin", "b:end", "a-caused:begin", "a-caused:end");
  }

  @Test
  void deliver_whileAnotherThreadDelivers_returnsAtOnceAndThatThreadDeliversTheElement()
      throws Exception {
    CountDownLatch inConsumer = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> threads = new CopyOnWriteArrayList<>();
    DeliveryQueue<String> queue = new DeliveryQueue<>(element -> {
      threads.add(element + "@" + Thread.currentThread().getName());
      if (element.equals("slow")) {
        inConsumer.countDown();
        await(release);
      }
    });
    queue.add("slow");
    Thread deliverer = new Thread(queue::deliver, "deliverer");
    deliverer.start();
    assertThat(inConsumer.await(10, TimeUnit.SECONDS)).isTrue();

    queue.add("quick");
    queue.deliver(); // does not wait for the slow consumer

    assertThat(threads).containsExactly("slow@deliverer");
    release.countDown();
    deliverer.join(10_000);
    assertThat(threads).containsExactly("slow@deliverer", "quick@deliverer");
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void deliver_consumerThrowsVirtualMachineError_propagatesAndTheNextCallDeliversTheRest()
      throws Exception {
    DeliveryQueue<String> queue = new DeliveryQueue<>(element -> {
      if (element.equals("boom")) {
        throw new StackOverflowError("deep listener");
      }
      delivered.add(element);
    });
    queue.add("a");
    queue.add("boom");
    queue.add("b");

    assertThatThrownBy(queue::deliver).isInstanceOf(StackOverflowError.class);
    assertThat(delivered).containsExactly("a");

    CompletableFuture<Void> other = CompletableFuture.runAsync(queue::deliver);
    other.get(10, TimeUnit.SECONDS); // not wedged: another thread delivers what was left
    assertThat(delivered).containsExactly("a", "b");
  }

  @Test
  void add_null_throws() {
    DeliveryQueue<String> queue = new DeliveryQueue<>(delivered::add);
    assertThatThrownBy(() -> queue.add(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("element");
  }

  /**
   * Many threads add numbered elements under a shared lock, as a state machine records its
   * changes, and each delivers after releasing it: every element is delivered exactly once, in
   * the order of the numbers, by one thread at a time, and nothing is left once every thread
   * has returned.
   */
  @Test
  void deliver_manyProducers_inOrderOneAtATimeNothingStranded() throws Exception {
    for (int round = 0; round < 20; round++) {
      int threads = 8;
      int perThread = 2_000;
      ReentrantLock lock = new ReentrantLock();
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      List<Integer> seen = new ArrayList<>(); // written by one thread at a time
      Consumer<Integer> consumer = element -> {
        if (inside.incrementAndGet() != 1) {
          overlaps.incrementAndGet();
        }
        seen.add(element);
        inside.decrementAndGet();
      };
      DeliveryQueue<Integer> queue = new DeliveryQueue<>(consumer);
      int[] next = {0}; // guarded by lock
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread producer = new Thread(() -> {
          await(start);
          for (int i = 0; i < perThread; i++) {
            lock.lock();
            try {
              queue.add(next[0]++);
            } finally {
              lock.unlock();
            }
            queue.deliver();
          }
        });
        producers.add(producer);
        producer.start();
      }
      start.countDown();
      for (Thread producer : producers) {
        producer.join(30_000);
        assertThat(producer.isAlive()).isFalse();
      }

      assertThat(overlaps.get()).as("deliveries that overlapped").isZero();
      assertThat(queue.isEmpty()).as("nothing stranded").isTrue();
      assertThat(seen).hasSize(threads * perThread); // the joins publish what they wrote
      for (int i = 0; i < seen.size(); i++) {
        assertThat(seen.get(i)).as("element at %d", i).isEqualTo(i);
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
