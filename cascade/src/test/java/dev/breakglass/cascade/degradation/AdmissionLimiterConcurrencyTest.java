package dev.breakglass.cascade.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AdmissionLimiterConcurrencyTest {

  private static final int THREADS = 8;

  @Test
  void tryAcquire_manyThreads_neverMoreInFlightThanTheLimitAndNothingLost() throws Exception {
    AdmissionLimiter limiter = AdmissionLimiter.builder("busy")
        .algorithm(() -> FixedLimit.of(6)).windowSize(3).build();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    AtomicLong admitted = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int n = 0; n < 20_000; n++) {
            long permit = limiter.tryAcquire(Tier.values()[random.nextInt(4)]);
            if (permit > 0) {
              int now = inside.incrementAndGet();
              peak.accumulateAndGet(now, Math::max);
              admitted.incrementAndGet();
              inside.decrementAndGet();
              switch (random.nextInt(3)) {
                case 0 -> limiter.release(permit);
                case 1 -> limiter.onSuccess(permit);
                default -> limiter.onDropped(permit);
              }
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join(TimeUnit.MINUTES.toMillis(2));
      assertThat(thread.isAlive()).isFalse();
    }
    assertThat(failure.get()).isNull();
    assertThat(peak.get()).isBetween(1, 6);
    assertThat(limiter.inFlight()).isZero();
    assertThat(admitted.get() + limiter.metrics().rejections()).isEqualTo(THREADS * 20_000L);
  }

  @Test
  void release_samePermitFromTwoThreads_exactlyOneSucceeds() throws Exception {
    AdmissionLimiter limiter = AdmissionLimiter.builder("race")
        .algorithm(() -> FixedLimit.of(64)).build();
    for (int round = 0; round < 2_000; round++) {
      long permit = limiter.tryAcquire(Tier.CRITICAL);
      AtomicInteger released = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      Runnable release = () -> {
        try {
          start.await();
          limiter.release(permit);
          released.incrementAndGet();
        } catch (IllegalStateException e) {
          refused.incrementAndGet();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
      Thread a = new Thread(release);
      Thread b = new Thread(release);
      a.start();
      b.start();
      start.countDown();
      a.join();
      b.join();
      assertThat(released.get()).isEqualTo(1);
      assertThat(refused.get()).isEqualTo(1);
      assertThat(limiter.inFlight()).isZero();
    }
  }

  @Test
  void onSuccess_gradientUnderContention_limitStaysInRangeAndInFlightReturnsToZero()
      throws Exception {
    AdmissionLimiter limiter = AdmissionLimiter.builder("adaptive")
        .algorithm(() -> GradientLimit.builder().minLimit(2).initialLimit(10).maxLimit(50)
            .build()).windowSize(5).build();
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
          for (int n = 0; n < 20_000; n++) {
            long permit = limiter.tryAcquire(Tier.CRITICAL);
            if (permit > 0) {
              limiter.onSuccess(permit);
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join(TimeUnit.MINUTES.toMillis(2));
    }
    assertThat(failure.get()).isNull();
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.limit()).isBetween(2, 50);
  }
}
