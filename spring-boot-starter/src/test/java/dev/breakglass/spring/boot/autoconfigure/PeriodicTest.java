package dev.breakglass.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicTest {

  @Test
  void run_taskThrowsAnError_theScheduleGoesOn() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch third = new CountDownLatch(1);
    Periodic periodic = new Periodic("test-periodic", "test.interval", Duration.ofMillis(1),
        () -> {
          int run = runs.incrementAndGet();
          if (run == 1) {
            throw new AssertionError("an Error from a listener (on purpose)");
          }
          if (run == 2) {
            throw new IllegalStateException("an exception (on purpose)");
          }
          third.countDown();
        });
    periodic.start();
    try {
      assertThat(periodic.isRunning()).isTrue();
      assertThat(third.await(30, TimeUnit.SECONDS)).as("a third run within 30 s").isTrue();
    } finally {
      periodic.stop();
    }
    assertThat(periodic.isRunning()).isFalse();
  }

  @Test
  void constructor_intervalBeyondALongOfNanos_isRefusedNamingTheProperty() {
    assertThatThrownBy(() -> new Periodic("t", "breakglass.incidents.refresh-interval",
        Duration.ofDays(365L * 1000), () -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("breakglass.incidents.refresh-interval must be at most 292 years, was "
            + "PT8760000H");
  }
}
