package dev.breakglass.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualTickerTest {

  @Test
  void read_new_isZero() {
    assertThat(new ManualTicker().read()).isZero();
    assertThat(new ManualTicker(42).read()).isEqualTo(42);
  }

  @Test
  void advance_eachForm_movesByTheAmount() {
    ManualTicker ticker = new ManualTicker();
    ticker.advance(Duration.ofMillis(3)).advance(2, TimeUnit.MICROSECONDS).advanceNanos(7);
    assertThat(ticker.read()).isEqualTo(3_000_000 + 2_000 + 7);
  }

  @Test
  void advance_zero_isAllowed() {
    ManualTicker ticker = new ManualTicker(5);
    ticker.advance(Duration.ZERO).advanceNanos(0).advance(0, TimeUnit.SECONDS);
    assertThat(ticker.read()).isEqualTo(5);
  }

  @Test
  void advance_negative_throwsNamingTheValue() {
    ManualTicker ticker = new ManualTicker();
    assertThatThrownBy(() -> ticker.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("amount must not be negative, was PT-1S");
    assertThatThrownBy(() -> ticker.advance(-2, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("amount must not be negative, was -2 SECONDS");
    assertThatThrownBy(() -> ticker.advanceNanos(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("amountNanos must not be negative, was -3");
    assertThat(ticker.read()).isZero();
  }

  @Test
  void advance_amountOverflowingNanos_throwsNamingTheValueInEveryForm() {
    ManualTicker ticker = new ManualTicker(7);
    assertThatThrownBy(() -> ticker.advance(Duration.ofDays(365L * 300)))
        .isInstanceOf(ArithmeticException.class)
        .hasMessage("amount must fit in a long of nanoseconds (about 292 years), was PT2628000H");
    assertThatThrownBy(() -> ticker.advance(365L * 300, TimeUnit.DAYS))
        .isInstanceOf(ArithmeticException.class)
        .hasMessage("amount must fit in a long of nanoseconds (about 292 years), was 109500 DAYS");
    assertThat(ticker.read()).isEqualTo(7);
    ticker.advance(Long.MAX_VALUE, TimeUnit.NANOSECONDS); // fits exactly: wraps like nanoTime
    assertThat(ticker.read()).isEqualTo(7 + Long.MAX_VALUE);
  }

  @Test
  void advance_null_throwsNamingTheParameter() {
    ManualTicker ticker = new ManualTicker();
    assertThatThrownBy(() -> ticker.advance(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("amount");
    assertThatThrownBy(() -> ticker.advance(1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("unit");
  }

  @Test
  void read_nearOverflow_wrapsLikeNanoTime() {
    ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - 5);
    long before = ticker.read();
    ticker.advanceNanos(10);
    assertThat(ticker.read() - before).isEqualTo(10);
  }

  @Test
  void advance_concurrentThreads_noAdvanceLost() throws Exception {
    ManualTicker ticker = new ManualTicker();
    int threads = 16;
    int perThread = 10_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        awaitQuietly(start);
        for (int i = 0; i < perThread; i++) {
          ticker.advanceNanos(1);
        }
      });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(ticker.read()).isEqualTo((long) threads * perThread);
  }

  @Test
  void system_readsNanoTime() {
    long before = System.nanoTime();
    long reading = Ticker.system().read();
    long after = System.nanoTime();
    assertThat(reading - before).isGreaterThanOrEqualTo(0);
    assertThat(after - reading).isGreaterThanOrEqualTo(0);
    assertThat(Ticker.system()).isSameAs(Ticker.system());
  }

  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
