package dev.breakglass.cascade.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Many threads submit while another flips the severity and a real scheduler replays: every item
 * ends exactly once, each submitter's deferred items of a tier replay in its submission order,
 * and the counts add up.
 */
class DeferralConcurrencyTest {

  private static final int SUBMITTERS = 4;
  private static final int PER_SUBMITTER = 5_000;
  private static final Tier[] TIERS = {Tier.ESSENTIAL, Tier.STANDARD, Tier.ENHANCED};

  @Test
  void submit_manyThreadsWhileTheTierFlips_everyItemEndsOnceInOrderAndCountsAddUp()
      throws Exception {
    CascadeManager manager = CascadeManager.builder().component("payments", Tier.CRITICAL)
        .build();
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "replay");
      thread.setDaemon(true);
      return thread;
    });
    try {
      Deferral deferral = Deferral.builder(manager, scheduler)
          .capacity(300)
          .replayRate(1_000_000)
          .replayInterval(Duration.ofMillis(1))
          .maxWait(Duration.ofMillis(200))
          .build();
      int total = SUBMITTERS * PER_SUBMITTER;
      AtomicIntegerArray runs = new AtomicIntegerArray(total);
      List<List<ConcurrentLinkedQueue<Integer>>> replayOrder = new ArrayList<>();
      List<CompletableFuture<Void>> stages = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        stages.add(null);
      }
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean submitting = new AtomicBoolean(true);
      List<Thread> submitters = new ArrayList<>();
      for (int s = 0; s < SUBMITTERS; s++) {
        List<ConcurrentLinkedQueue<Integer>> byTier = new ArrayList<>();
        for (int t = 0; t < Tier.values().length; t++) {
          byTier.add(new ConcurrentLinkedQueue<>());
        }
        replayOrder.add(byTier);
        int submitter = s;
        submitters.add(new Thread(() -> {
          awaitQuietly(start);
          for (int k = 0; k < PER_SUBMITTER; k++) {
            int index = submitter * PER_SUBMITTER + k;
            Tier tier = TIERS[k % TIERS.length];
            CompletableFuture<Void> stage = deferral.submit(tier, () -> {
              runs.incrementAndGet(index);
              if (Thread.currentThread().getName().equals("replay")) {
                byTier.get(tier.ordinal()).add(index);
              }
            }).toCompletableFuture();
            synchronized (stages) {
              stages.set(index, stage);
            }
          }
        }, "submitter-" + s));
      }
      Thread flipper = new Thread(() -> {
        awaitQuietly(start);
        Severity[] cycle = {Severity.MAJOR, Severity.MINOR, Severity.CRITICAL, Severity.NORMAL};
        for (int i = 0; submitting.get(); i++) {
          manager.declare(cycle[i % cycle.length], "flipper", "test");
          Thread.onSpinWait();
        }
      }, "flipper");
      submitters.forEach(Thread::start);
      flipper.start();
      start.countDown();
      for (Thread submitter : submitters) {
        submitter.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(submitter.isAlive()).isFalse();
      }
      submitting.set(false);
      flipper.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(flipper.isAlive()).isFalse();
      manager.declare(Severity.NORMAL, "test", "all clear");

      List<CompletableFuture<Void>> all;
      synchronized (stages) {
        all = List.copyOf(stages);
      }
      // Wait (bounded) for every item to settle; failed stages count as settled.
      CompletableFuture.allOf(all.stream().map(f -> f.handle((ok, e) -> null))
          .toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      long ran = 0;
      long replayed = 0;
      long overflowed = 0;
      long expired = 0;
      for (int i = 0; i < total; i++) {
        CompletableFuture<Void> stage = all.get(i);
        if (!stage.isCompletedExceptionally()) {
          assertThat(runs.get(i)).as("item %d ran once", i).isEqualTo(1);
          ran++;
          continue;
        }
        assertThat(runs.get(i)).as("item %d never ran", i).isZero();
        try {
          stage.get();
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(DeferralException.class);
          switch (((DeferralException) e.getCause()).reason()) {
            case OVERFLOW -> overflowed++;
            case EXPIRED -> expired++;
            default -> throw new AssertionError("unexpected " + e.getCause());
          }
        }
      }
      for (List<ConcurrentLinkedQueue<Integer>> byTier : replayOrder) {
        for (ConcurrentLinkedQueue<Integer> order : byTier) {
          replayed += order.size();
          assertThat(new ArrayList<>(order)).as("one submitter's items of a tier replay in order")
              .isSorted();
        }
      }
      long deferred = 0;
      long countedReplayed = 0;
      long countedExpired = 0;
      long countedOverflowed = 0;
      for (DeferralCounts counts : deferral.counts()) {
        assertThat(counts.pending()).isZero();
        assertThat(counts.deferred()).isEqualTo(counts.replayed() + counts.expired());
        deferred += counts.deferred();
        countedReplayed += counts.replayed();
        countedExpired += counts.expired();
        countedOverflowed += counts.overflowed();
      }
      assertThat(countedReplayed).isEqualTo(replayed);
      assertThat(countedExpired).isEqualTo(expired);
      assertThat(countedOverflowed).isEqualTo(overflowed);
      assertThat(ran - replayed + deferred + overflowed).as("every submission counted once")
          .isEqualTo(total);
      assertThat(deferred).as("the flips deferred some work").isPositive();
    } finally {
      scheduler.shutdownNow();
      assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
