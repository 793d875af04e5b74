package dev.breakglass.samples.drill;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulated remote payment gateway and the client's timeout setting. The gateway answers in
 * {@code latencyMicros}; a client whose timeout is shorter gives up after its timeout and
 * fails with a {@link TimeoutException}, as a real HTTP client would.
 *
 * <p>Thread-safe.
 */
public final class PaymentGateway {

  private final long latencyMicros;
  private volatile long timeoutMillis;
  private final AtomicLong charges = new AtomicLong();

  /**
   * Creates the gateway.
   *
   * @param latencyMicros how long the gateway takes to answer
   * @param timeoutMillis the client's initial timeout
   */
  public PaymentGateway(long latencyMicros, long timeoutMillis) {
    this.latencyMicros = latencyMicros;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Charges an order.
   *
   * @param order the order id
   * @return a receipt
   * @throws TimeoutException if the client's timeout is shorter than the gateway's latency
   */
  public String charge(String order) throws TimeoutException {
    long timeoutMicros = TimeUnit.MILLISECONDS.toMicros(timeoutMillis);
    if (timeoutMicros < latencyMicros) {
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(timeoutMicros));
      throw new TimeoutException(
          "payment gateway did not answer within " + timeoutMillis + " ms");
    }
    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(latencyMicros));
    return "receipt-" + charges.incrementAndGet() + " for " + order;
  }

  /**
   * Sets the client's timeout, as a configuration change would.
   *
   * @param timeoutMillis the new timeout
   */
  public void timeoutMillis(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Returns the client's current timeout.
   *
   * @return the timeout in milliseconds
   */
  public long timeoutMillis() {
    return timeoutMillis;
  }

  /**
   * Returns how many charges succeeded.
   *
   * @return the number of receipts issued
   */
  public long charges() {
    return charges.get();
  }
}
