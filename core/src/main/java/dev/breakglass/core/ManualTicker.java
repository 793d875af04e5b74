package dev.breakglass.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when told to, for tests.
 *
 * <p>Give it to a breaker, a cascade manager or a journal in place of {@link Ticker#system()}
 * and advance it to make time pass: open-state waits expire, time windows slide and cooldowns
 * end without a single {@code Thread.sleep}.
 *
 * <pre>{@code
 * ManualTicker ticker = new ManualTicker();
 * CircuitBreaker breaker = CircuitBreaker.builder("payments").config(config).ticker(ticker).build();
 * // ... trip the breaker ...
 * ticker.advance(Duration.ofSeconds(30));   // the open-state wait is over
 * }</pre>
 *
 * <p>Time never goes backwards: {@link #advance} rejects negative amounts. An amount that does
 * not fit in a {@code long} of nanoseconds (about 292 years) is rejected too, whichever
 * {@code advance} method it is given to; the reading itself may wrap around.
 *
 * <p>Thread-safe: readings and advances are atomic, and a reading made after an advance
 * returns (in the sense of happens-before) sees it.
 */
public final class ManualTicker implements Ticker {

  private final AtomicLong nanos;

  /** Creates a ticker that reads {@code 0}. */
  public ManualTicker() {
    this(0L);
  }

  /**
   * Creates a ticker that starts at the given reading.
   *
   * <p>Any start value is allowed, including values near {@link Long#MAX_VALUE}: code that
   * takes differences correctly keeps working when the reading wraps around.
   *
   * @param startNanos the first reading
   */
  public ManualTicker(long startNanos) {
    this.nanos = new AtomicLong(startNanos);
  }

  @Override
  public long read() {
    return nanos.get();
  }

  /**
   * Moves the ticker forward.
   *
   * @param amount how far to move; zero is allowed
   * @return this ticker
   * @throws NullPointerException if {@code amount} is null
   * @throws IllegalArgumentException if {@code amount} is negative
   * @throws ArithmeticException if {@code amount} does not fit in a {@code long} of nanoseconds
   */
  public ManualTicker advance(Duration amount) {
    return advanceNanos(nanos(amount));
  }

  /**
   * Checks an amount to advance by and converts it to nanoseconds.
   *
   * @throws NullPointerException if {@code amount} is null
   * @throws IllegalArgumentException if {@code amount} is negative
   * @throws ArithmeticException if it does not fit in a {@code long} of nanoseconds
   */
  static long nanos(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must not be negative, was " + amount);
    }
    try {
      return amount.toNanos();
    } catch (ArithmeticException e) {
      throw tooLarge(amount.toString());
    }
  }

  /**
   * Moves the ticker forward.
   *
   * @param amount how far to move, in {@code unit}s; zero is allowed
   * @param unit the unit of {@code amount}
   * @return this ticker
   * @throws NullPointerException if {@code unit} is null
   * @throws IllegalArgumentException if {@code amount} is negative
   * @throws ArithmeticException if the amount does not fit in a {@code long} of nanoseconds
   */
  public ManualTicker advance(long amount, TimeUnit unit) {
    Objects.requireNonNull(unit, "unit");
    if (amount < 0) {
      throw new IllegalArgumentException(
          "amount must not be negative, was " + amount + " " + unit);
    }
    long nanos = unit.toNanos(amount);
    // toNanos saturates; Long.MAX_VALUE is not a multiple of any coarser unit
    if (nanos == Long.MAX_VALUE && unit != TimeUnit.NANOSECONDS) {
      throw tooLarge(amount + " " + unit);
    }
    return advanceNanos(nanos);
  }

  private static ArithmeticException tooLarge(String amount) {
    return new ArithmeticException(
        "amount must fit in a long of nanoseconds (about 292 years), was " + amount);
  }

  /**
   * Moves the ticker forward by a number of nanoseconds.
   *
   * @param amountNanos how far to move; zero is allowed
   * @return this ticker
   * @throws IllegalArgumentException if {@code amountNanos} is negative
   */
  public ManualTicker advanceNanos(long amountNanos) {
    if (amountNanos < 0) {
      throw new IllegalArgumentException(
          "amountNanos must not be negative, was " + amountNanos);
    }
    nanos.addAndGet(amountNanos);
    return this;
  }

  @Override
  public String toString() {
    return "ManualTicker[" + nanos.get() + "ns]";
  }
}
