package dev.breakglass.cascade.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.cascade.degradation.AdmissionRejectedException.Reason;
import dev.breakglass.core.Health;
import dev.breakglass.core.HealthChange;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class AdmissionLimiterTest {

  private final ManualTicker ticker = new ManualTicker();

  private AdmissionLimiter fixed(int limit) {
    return AdmissionLimiter.builder("front").algorithm(() -> FixedLimit.of(limit))
        .ticker(ticker).build();
  }

  private static int fill(AdmissionLimiter limiter, Tier tier, List<Long> held) {
    int admitted = 0;
    while (true) {
      long permit = limiter.tryAcquire(tier);
      if (permit <= 0) {
        assertThat(permit).isEqualTo(AdmissionLimiter.OVER_LIMIT);
        return admitted;
      }
      held.add(permit);
      admitted++;
    }
  }

  @Test
  void tryAcquire_fixedLimit_eachTierFillsItsShare() {
    AdmissionLimiter limiter = fixed(10);
    List<Long> held = new ArrayList<>();

    assertThat(fill(limiter, Tier.ENHANCED, held)).isEqualTo(7);
    assertThat(fill(limiter, Tier.STANDARD, held)).isEqualTo(1);
    assertThat(fill(limiter, Tier.ESSENTIAL, held)).isEqualTo(1);
    assertThat(fill(limiter, Tier.CRITICAL, held)).isEqualTo(1);
    assertThat(limiter.inFlight()).isEqualTo(10);

    AdmissionLimiter.Metrics metrics = limiter.metrics();
    assertThat(metrics.rejections(Tier.ENHANCED, Reason.OVER_LIMIT)).isEqualTo(1);
    assertThat(metrics.rejections(Tier.CRITICAL, Reason.OVER_LIMIT)).isEqualTo(1);
    assertThat(metrics.rejections()).isEqualTo(4);
    held.forEach(limiter::release);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void tryAcquire_quietLimiter_anyTierMayFillItsShareAlone() {
    AdmissionLimiter limiter = fixed(10);
    List<Long> held = new ArrayList<>();

    assertThat(fill(limiter, Tier.STANDARD, held)).isEqualTo(8);
    held.forEach(limiter::onSuccess);
    held.clear();
    assertThat(fill(limiter, Tier.CRITICAL, held)).isEqualTo(10);
  }

  @Test
  void tryAcquire_boundManagerAtMajor_shedsTiersAndHoldsSixtyPercent() {
    CascadeManager manager = CascadeManager.builder().ticker(ticker).build();
    AdmissionLimiter limiter = AdmissionLimiter.builder("front")
        .algorithm(() -> FixedLimit.of(10)).manager(manager).ticker(ticker).build();
    manager.declare(Severity.MAJOR, "oncall", "drill");

    assertThat(limiter.effectiveLimit()).isEqualTo(6);
    assertThat(limiter.tryAcquire(Tier.STANDARD)).isEqualTo(AdmissionLimiter.NOT_ADMITTED);
    assertThat(limiter.tryAcquire(Tier.ENHANCED)).isEqualTo(AdmissionLimiter.NOT_ADMITTED);
    List<Long> held = new ArrayList<>();
    assertThat(fill(limiter, Tier.ESSENTIAL, held)).isEqualTo(5);
    assertThat(fill(limiter, Tier.CRITICAL, held)).isEqualTo(1);
    assertThat(limiter.metrics().rejections(Tier.STANDARD, Reason.NOT_ADMITTED)).isEqualTo(1);

    AdmissionRejectedException e = limiter.rejection(Tier.STANDARD, AdmissionLimiter.NOT_ADMITTED);
    assertThat(e.reason()).isEqualTo(Reason.NOT_ADMITTED);
    assertThat(e.severity()).isEqualTo(Severity.MAJOR);
    assertThat(e).hasMessage(
        "admission limiter 'front' refused STANDARD-tier work: NOT_ADMITTED at severity MAJOR");
    assertThat(e.getStackTrace()).isEmpty();
  }

  @Test
  void tryAcquire_rejection_returnsConstantsAndReasons() {
    AdmissionLimiter limiter = fixed(1);
    long permit = limiter.tryAcquire(Tier.CRITICAL);
    assertThat(permit).isPositive();
    assertThat(AdmissionLimiter.reason(permit)).isNull();
    long refused = limiter.tryAcquire(Tier.CRITICAL);
    assertThat(AdmissionLimiter.reason(refused)).isEqualTo(Reason.OVER_LIMIT);
    assertThat(AdmissionLimiter.reason(AdmissionLimiter.NOT_ADMITTED))
        .isEqualTo(Reason.NOT_ADMITTED);
    assertThatThrownBy(() -> AdmissionLimiter.reason(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("result must be a value returned by tryAcquire(Tier), was 5");
  }

  @Test
  void release_twice_throwsAndLeavesInFlightAlone() {
    AdmissionLimiter limiter = fixed(4);
    long first = limiter.tryAcquire(Tier.CRITICAL);
    long second = limiter.tryAcquire(Tier.CRITICAL);
    limiter.onSuccess(first);

    assertThatThrownBy(() -> limiter.release(first))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("admission limiter 'front' refused permit " + first
            + ": it was used already (a permit takes exactly one onSuccess, onDropped or"
            + " release)");
    assertThatThrownBy(() -> limiter.onDropped(first)).isInstanceOf(IllegalStateException.class);
    assertThat(limiter.inFlight()).isEqualTo(1);
    limiter.release(second);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void release_slotReusedByANewCall_oldPermitStillRefused() {
    AdmissionLimiter limiter = fixed(1);
    long old = limiter.tryAcquire(Tier.CRITICAL);
    limiter.release(old);
    long next = limiter.tryAcquire(Tier.CRITICAL);
    assertThat(next).isNotEqualTo(old);

    assertThatThrownBy(() -> limiter.release(old)).isInstanceOf(IllegalStateException.class);
    assertThat(limiter.inFlight()).isEqualTo(1);
    limiter.release(next);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void release_permitOfAnotherLimiter_throws() {
    AdmissionLimiter one = fixed(4);
    AdmissionLimiter other = fixed(4);
    long permit = one.tryAcquire(Tier.CRITICAL);

    assertThatThrownBy(() -> other.release(permit))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("admission limiter 'front' refused permit " + permit
            + ": it was issued by another limiter");
    assertThat(one.inFlight()).isEqualTo(1);
    assertThat(other.inFlight()).isZero();
  }

  @Test
  void release_rejectionOrArbitraryNumber_throwsNamingTheValue() {
    AdmissionLimiter limiter = fixed(4);
    assertThatThrownBy(() -> limiter.release(AdmissionLimiter.OVER_LIMIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permit must be a value returned by tryAcquire(Tier) greater than 0, was -2"
            + " (OVER_LIMIT)");
    assertThatThrownBy(() -> limiter.onSuccess(12345L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 12345");
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void builder_badValues_throwNamingTheValue() {
    assertThatThrownBy(() -> FixedLimit.of(0)).hasMessage("limit must be in [1, 65536], was 0");
    assertThatThrownBy(() -> FixedLimit.of(-3)).hasMessage("limit must be in [1, 65536], was -3");
    assertThatThrownBy(() -> GradientLimit.builder().smoothing(Double.NaN))
        .hasMessage("smoothing must be in (0.0, 1.0], was NaN");
    assertThatThrownBy(() -> AimdLimit.builder().backoffRatio(1.0))
        .hasMessage("backoffRatio must be in [0.5, 1.0), was 1.0");
    assertThatThrownBy(() -> VegasLimit.builder().smoothing(0.0))
        .hasMessage("smoothing must be in (0.0, 1.0], was 0.0");
    assertThatThrownBy(() -> AimdLimit.builder().minLimit(50).initialLimit(20).build())
        .hasMessage("minLimit (50) must not exceed initialLimit (20)");
    assertThatThrownBy(() -> AdmissionLimiter.builder("x").tierShare(Tier.STANDARD, Double.NaN))
        .hasMessage("share of STANDARD must be in (0.0, 1.0], was NaN");
    assertThatThrownBy(() -> AdmissionLimiter.builder("x").tierShare(Tier.CRITICAL, 0.5))
        .hasMessage("share of CRITICAL must be 1.0 (it may fill the whole limit), was 0.5");
    assertThatThrownBy(() -> AdmissionLimiter.builder("x").tierShare(Tier.ENHANCED, 0.95).build())
        .hasMessage("a less important tier must not have a larger share: STANDARD has 0.8,"
            + " ENHANCED has 0.95");
    assertThatThrownBy(() -> AdmissionLimiter.builder(" "))
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> AdmissionLimiter.builder("x").windowSize(0))
        .hasMessage("windowSize must be at least 1, was 0");
    LimitAlgorithm broken = new LimitAlgorithm() {
      @Override public int initialLimit() {
        return 0;
      }

      @Override public int maxLimit() {
        return 10;
      }

      @Override public int update(SampleWindow window) {
        return 1;
      }

      @Override public String toString() {
        return "Broken";
      }
    };
    assertThatThrownBy(() -> AdmissionLimiter.builder("x").algorithm(() -> broken).build())
        .hasMessage("algorithm.initialLimit() must be in [1, maxLimit() = 10], was 0 (Broken)");
  }

  @Test
  void get_refused_throwsStacklessExceptionNamingTierAndReason() {
    AdmissionLimiter limiter = fixed(1);
    long held = limiter.tryAcquire(Tier.CRITICAL);

    assertThatThrownBy(() -> limiter.get(Tier.ESSENTIAL, () -> "x"))
        .isInstanceOfSatisfying(AdmissionRejectedException.class, e -> {
          assertThat(e.tier()).isEqualTo(Tier.ESSENTIAL);
          assertThat(e.reason()).isEqualTo(Reason.OVER_LIMIT);
          assertThat(e.limiterName()).isEqualTo("front");
          assertThat(e.getStackTrace()).isEmpty();
        })
        .hasMessage("admission limiter 'front' refused ESSENTIAL-tier work: OVER_LIMIT (the"
            + " calls in flight fill this tier's share of the limit)");
    assertThat(limiter.get(Tier.ESSENTIAL, () -> "x", e -> "fallback:" + e.getClass()
        .getSimpleName())).isEqualTo("fallback:AdmissionRejectedException");
    limiter.release(held);
    assertThat(limiter.get(Tier.ESSENTIAL, () -> "x")).isEqualTo("x");
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void get_supplierThrows_freesThePlaceAndRethrows() throws Exception {
    AdmissionLimiter limiter = fixed(1);
    assertThatThrownBy(() -> limiter.get(Tier.CRITICAL, () -> {
      throw new IllegalStateException("boom");
    })).hasMessage("boom");
    assertThat(limiter.get(Tier.CRITICAL, () -> {
      throw new IllegalStateException("boom");
    }, Throwable::getMessage)).isEqualTo("boom");
    assertThatThrownBy(() -> limiter.call(Tier.CRITICAL, () -> {
      throw new TimeoutException("slow");
    })).isInstanceOf(TimeoutException.class);
    assertThat(limiter.call(Tier.CRITICAL, () -> 42)).isEqualTo(42);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void getAsync_stageCompletes_recordsAndFreesThePlace() {
    AdmissionLimiter limiter = fixed(1);
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletionStage<String> stage = limiter.getAsync(Tier.CRITICAL, () -> work);
    assertThat(limiter.inFlight()).isEqualTo(1);
    CompletionStage<String> refused = limiter.getAsync(Tier.CRITICAL, () -> work);
    assertThat(refused.toCompletableFuture()).isCompletedExceptionally();

    work.complete("done");
    assertThat(stage.toCompletableFuture()).isCompletedWithValue("done");
    assertThat(limiter.inFlight()).isZero();

    CompletableFuture<String> failing = new CompletableFuture<>();
    CompletionStage<String> failed = limiter.getAsync(Tier.CRITICAL, () -> failing);
    failing.completeExceptionally(new TimeoutException("slow"));
    assertThat(failed.toCompletableFuture()).isCompletedExceptionally();
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void onDropped_aimd_backsOffAndGrowsBackUnderUse() {
    AdmissionLimiter limiter = AdmissionLimiter.builder("front")
        .algorithm(() -> AimdLimit.builder().build()).ticker(ticker).windowSize(1).build();
    assertThat(limiter.limit()).isEqualTo(20);
    limiter.onDropped(limiter.tryAcquire(Tier.CRITICAL));
    assertThat(limiter.limit()).isEqualTo(20); // min limit 20

    AdmissionLimiter low = AdmissionLimiter.builder("front")
        .algorithm(() -> AimdLimit.builder().minLimit(1).initialLimit(10).build())
        .ticker(ticker).windowSize(1).build();
    low.onDropped(low.tryAcquire(Tier.CRITICAL));
    assertThat(low.limit()).isEqualTo(9);
    List<Long> held = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      held.add(low.tryAcquire(Tier.CRITICAL));
    }
    low.onSuccess(held.remove(0)); // 6 in flight >= 9 / 2
    assertThat(low.limit()).isEqualTo(10);
  }

  @Test
  void limitChanges_windowsMoveTheLimit_countsEachChangeOnceAsItsListenersHearThem() {
    AdmissionLimiter limiter = AdmissionLimiter.builder("front")
        .algorithm(() -> AimdLimit.builder().minLimit(1).initialLimit(10).build())
        .ticker(ticker).windowSize(1).build();
    List<LimitChange> changes = new ArrayList<>();
    limiter.onLimitChange(changes::add);
    assertThat(limiter.limitChanges()).isZero();

    limiter.onDropped(limiter.tryAcquire(Tier.CRITICAL)); // 10 -> 9
    limiter.onSuccess(limiter.tryAcquire(Tier.CRITICAL)); // 1 in flight < 9 / 2: stays 9
    assertThat(limiter.limitChanges()).isEqualTo(1);
    List<Long> held = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      held.add(limiter.tryAcquire(Tier.CRITICAL));
    }
    limiter.onSuccess(held.remove(0)); // 6 in flight >= 9 / 2: 9 -> 10

    assertThat(limiter.limitChanges()).isEqualTo(2).isEqualTo(changes.size());
    AdmissionLimiter fixed = AdmissionLimiter.builder("fixed").ticker(ticker).windowSize(1)
        .build();
    fixed.onDropped(fixed.tryAcquire(Tier.CRITICAL));
    assertThat(fixed.limitChanges()).isZero();
  }

  @Test
  void onSuccess_gradientLatencyRises_limitFalls() {
    AdmissionLimiter limiter = AdmissionLimiter.builder("front")
        .algorithm(() -> GradientLimit.builder().minLimit(5).initialLimit(50).build())
        .ticker(ticker).windowSize(10).build();
    List<LimitChange> changes = new ArrayList<>();
    limiter.onLimitChange(changes::add);
    runWindows(limiter, 30, 40, Duration.ofMillis(10));
    int settled = limiter.limit();
    assertThat(settled).isGreaterThanOrEqualTo(50);

    runWindows(limiter, 10, 40, Duration.ofMillis(40));
    assertThat(limiter.limit()).isLessThan(settled);
    assertThat(changes).isNotEmpty();
    assertThat(changes.get(changes.size() - 1).current()).isEqualTo(limiter.limit());
  }

  @Test
  void onSuccess_vegasQueueBuilds_limitFalls() {
    AdmissionLimiter limiter = AdmissionLimiter.builder("front")
        .algorithm(() -> VegasLimit.builder().initialLimit(100).build())
        .ticker(ticker).windowSize(10).build();
    runWindows(limiter, 3, 80, Duration.ofMillis(10));
    int before = limiter.limit();
    runWindows(limiter, 5, 80, Duration.ofMillis(30));
    assertThat(limiter.limit()).isLessThan(before);
  }

  /** Runs {@code windows} windows of 10 calls with {@code concurrency} in flight each. */
  private void runWindows(AdmissionLimiter limiter, int windows, int concurrency,
      Duration latency) {
    for (int w = 0; w < windows; w++) {
      List<Long> held = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        long permit = limiter.tryAcquire(Tier.CRITICAL);
        if (permit > 0) {
          held.add(permit);
        }
      }
      ticker.advance(latency);
      held.forEach(limiter::onSuccess);
    }
  }

  @Test
  void health_saturatedLongerThanGrace_degradedThenUpAgain() {
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
    AdmissionLimiter limiter = AdmissionLimiter.builder("front")
        .algorithm(() -> FixedLimit.of(2)).ticker(ticker).windowSize(1)
        .saturationGrace(Duration.ofSeconds(2)).journal(journal).build();
    List<HealthChange> changes = new ArrayList<>();
    limiter.onHealthChange(changes::add);

    for (int second = 0; second <= 3; second++) {
      long a = limiter.tryAcquire(Tier.CRITICAL);
      long b = limiter.tryAcquire(Tier.CRITICAL);
      assertThat(limiter.tryAcquire(Tier.CRITICAL)).isEqualTo(AdmissionLimiter.OVER_LIMIT);
      ticker.advance(Duration.ofSeconds(1));
      limiter.onSuccess(a);
      limiter.onSuccess(b);
      if (second < 2) {
        assertThat(limiter.health()).isEqualTo(Health.UP);
      }
    }
    assertThat(limiter.health()).isEqualTo(Health.DEGRADED);
    assertThat(limiter.metrics().health()).isEqualTo(Health.DEGRADED);

    ticker.advance(Duration.ofSeconds(1));
    limiter.onSuccess(limiter.tryAcquire(Tier.CRITICAL));
    assertThat(limiter.health()).isEqualTo(Health.DEGRADED); // refused 1 s ago: within grace
    ticker.advance(Duration.ofSeconds(1));
    limiter.onSuccess(limiter.tryAcquire(Tier.CRITICAL));
    assertThat(limiter.health()).isEqualTo(Health.UP);
    assertThat(changes).containsExactly(
        new HealthChange("front", Health.UP, Health.DEGRADED),
        new HealthChange("front", Health.DEGRADED, Health.UP));
    assertThat(journal.entries()).extracting(JournalEntry::detail).containsExactly(
        "admission limiter 'front' UP -> DEGRADED: calls refused OVER_LIMIT for 2.000s at"
            + " limit 2",
        "admission limiter 'front' DEGRADED -> UP: no OVER_LIMIT refusal for 2.000s");
  }

  @Test
  void journal_manyLimitChanges_recordsOnlySignificantOnesRateLimited() {
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
    AdmissionLimiter limiter = AdmissionLimiter.builder("front")
        .algorithm(() -> AimdLimit.builder().minLimit(1).initialLimit(10).maxLimit(1000).build())
        .ticker(ticker).windowSize(1).journal(journal).build();
    int calls = 0;
    for (int i = 0; i < 200; i++) {
      List<Long> held = new ArrayList<>();
      for (int j = 0; j < limiter.limit(); j++) {
        held.add(limiter.tryAcquire(Tier.CRITICAL));
      }
      ticker.advance(Duration.ofMillis(100));
      limiter.onSuccess(held.remove(0));
      held.forEach(limiter::release);
      calls++;
    }
    assertThat(calls).isEqualTo(200);
    assertThat(limiter.limit()).isEqualTo(210);
    // 20 s of changes, one entry at most per 5 s
    assertThat(journal.entries()).hasSizeBetween(2, 5);
    assertThat(journal.entries().get(0).detail())
        .startsWith("admission limiter 'front' limit 10 -> 12 (samples=1");
    assertThat(journal.entries().get(1).detail()).contains("not recorded)");
  }
}
