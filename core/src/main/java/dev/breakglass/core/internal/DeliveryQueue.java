package dev.breakglass.core.internal;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * A FIFO queue of elements handed to one consumer by {@link SerialDelivery}: in the order they
 * were added, one at a time, outside any lock, never concurrently.
 *
 * <pre>{@code
 * lock.lock();
 * try {
 *   ... change the state ...
 *   notices.add(new Notice(...));   // in the order of the changes
 * } finally {
 *   lock.unlock();
 * }
 * notices.deliver();                // the consumer runs here, or on the thread delivering now
 * }</pre>
 *
 * <p>{@link #add} is lock-free and may be called under the caller's lock, which is what makes
 * the order of elements the order of the changes they describe. {@link #deliver()} follows the
 * rules of {@link SerialDelivery}: the consumer may add elements and call {@code deliver()}
 * itself (they are delivered after the current one), a caller never waits for another caller's
 * consumer, and an element whose consumer throws counts as delivered while the rest wait for the
 * next call.
 *
 * <p>Thread-safe.
 *
 * @param <E> the type of the elements
 */
public final class DeliveryQueue<E> {

  private final ConcurrentLinkedQueue<E> queue = new ConcurrentLinkedQueue<>();
  private final SerialDelivery delivery;

  /**
   * Creates an empty queue.
   *
   * @param consumer receives every element, once, in order; called by one thread at a time
   * @throws NullPointerException if {@code consumer} is null
   */
  public DeliveryQueue(Consumer<? super E> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    this.delivery = new SerialDelivery(new SerialDelivery.Backlog() {
      @Override
      public boolean hasPending() {
        return !queue.isEmpty();
      }

      @Override
      public void deliverPending() {
        for (E next; (next = queue.poll()) != null; ) {
          consumer.accept(next);
        }
      }
    });
  }

  /**
   * Adds an element to be delivered after every element added before it. Lock-free; does not
   * deliver: call {@link #deliver()} once no lock is held.
   *
   * @param element the element
   * @throws NullPointerException if {@code element} is null
   */
  public void add(E element) {
    queue.add(Objects.requireNonNull(element, "element"));
  }

  /**
   * Delivers the queued elements, as {@link SerialDelivery#deliver()} does.
   *
   * @throws VirtualMachineError (or whatever else) the consumer threw while this thread was
   *     delivering; the elements after the one it threw on stay for the next call
   */
  public void deliver() {
    delivery.deliver();
  }

  /**
   * Tells whether elements wait to be delivered.
   *
   * @return {@code true} if the queue is empty
   */
  public boolean isEmpty() {
    return queue.isEmpty();
  }
}
