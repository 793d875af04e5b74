package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lease table behind single-use trial permits. */
class TrialLeasesTest {

  @Test
  void end_eachLease_succeedsExactlyOnce() {
    TrialLeases leases = new TrialLeases(3);
    long a = leases.claim();
    long b = leases.claim();

    assertThat(a).isNotEqualTo(b);
    assertThat(leases.end(a)).isTrue();
    assertThat(leases.end(a)).isFalse();
    assertThat(leases.end(b)).isTrue();
    assertThat(leases.end(7)).as("never claimed").isFalse();
  }

  @Test
  void claim_slotFreedAndTakenAgain_oldLeaseStaysEnded() {
    TrialLeases leases = new TrialLeases(1);
    long first = leases.claim();
    assertThat(leases.end(first)).isTrue();
    long second = leases.claim();

    assertThat(leases.end(first)).as("the same slot, another lease").isFalse();
    assertThat(leases.end(second)).isTrue();
  }

  @Test
  void claim_everySlotHeld_returnsNoneInsteadOfSpinning() {
    TrialLeases leases = new TrialLeases(2);
    long a = leases.claim();
    long b = leases.claim();

    assertThat(leases.claim()).isEqualTo(TrialLeases.NONE);
    assertThat(leases.end(a)).isTrue();
    assertThat(leases.claim()).isNotEqualTo(TrialLeases.NONE);
    assertThat(leases.end(b)).isTrue();
  }

  @Test
  void claim_largeTable_leasesBeyondTheFirstChunkWork() {
    TrialLeases leases = new TrialLeases(1_000_000);
    List<Long> claimed = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      claimed.add(leases.claim());
    }

    assertThat(new HashSet<>(claimed)).hasSize(5_000);
    for (long lease : claimed) {
      assertThat(leases.end(lease)).isTrue();
    }
  }

  @Test
  void claimAndEnd_manyThreads_neverLoseOrDoubleALease() throws Exception {
    int threads = 8;
    int permitted = 5;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      TrialLeases leases = new TrialLeases(permitted);
      Semaphore permits = new Semaphore(permitted); // the period's permit count
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Set<Long>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          go.await();
          Set<Long> mine = new HashSet<>();
          for (int i = 0; i < 20_000; i++) {
            permits.acquire();
            long lease = leases.claim();
            if (lease == TrialLeases.NONE) {
              throw new AssertionError("no lease with a permit in hand");
            }
            mine.add(lease);
            if (!leases.end(lease) || leases.end(lease)) {
              throw new AssertionError("lease " + lease + " not ended exactly once");
            }
            permits.release();
          }
          return mine;
        }));
      }
      go.countDown();
      Set<Long> all = new HashSet<>();
      int total = 0;
      for (Future<Set<Long>> result : results) {
        Set<Long> mine = result.get(60, TimeUnit.SECONDS);
        total += mine.size();
        all.addAll(mine);
      }

      assertThat(total).isEqualTo(threads * 20_000);
      assertThat(all).as("every lease unique").hasSize(total);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
