package dev.breakglass.cascade.degradation;

import static dev.breakglass.testing.Gen.weighted;
import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import dev.breakglass.testing.Gen;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The limiter against a reference model: random admissions, outcomes, limit changes and
 * severity changes; after each step the limiter's answer equals the model's, in-flight work
 * never exceeds the effective limit through an admission, and a tier is never refused for
 * capacity while a less important tier would be admitted at the same instant.
 */
class AdmissionLimiterPropertiesTest {

  sealed interface Step {}

  record Acquire(Tier tier) implements Step {}

  /** Ends the {@code index % held}-th held call: 0 release, 1 success, 2 dropped. */
  record Finish(int index, int outcome) implements Step {}

  /** The algorithm's next limit, taken at the next sample. */
  record Script(int limit) implements Step {}

  record Declare(Severity severity) implements Step {}

  /** Uses an already-finished permit again. */
  record Reuse(int index) implements Step {}

  static Gen<List<Step>> steps() {
    Gen<Step> acquire = Gen.enums(Tier.class).map(Acquire::new);
    Gen<Step> finish = source -> new Finish(source.draw(Gen.ints(0, 1000)),
        source.draw(Gen.ints(0, 2)));
    Gen<Step> script = Gen.ints(1, 40).map(Script::new);
    Gen<Step> declare = Gen.enums(Severity.class).map(Declare::new);
    Gen<Step> reuse = Gen.ints(0, 1000).map(Reuse::new);
    return Gen.frequency(weighted(10, acquire), weighted(6, finish), weighted(2, script),
        weighted(1, declare), weighted(1, reuse)).list(0, 120);
  }

  /** Returns whatever the test scripted, from one thread at a time. */
  static final class Scripted implements LimitAlgorithm {
    final int initial;
    int next;

    Scripted(int initial) {
      this.initial = initial;
      this.next = initial;
    }

    @Override
    public int initialLimit() {
      return initial;
    }

    @Override
    public int maxLimit() {
      return 40;
    }

    @Override
    public boolean measuresLatency() {
      return false;
    }

    @Override
    public int update(SampleWindow window) {
      return next;
    }
  }

  /** The rule of AdmissionLimiter's documentation, written out plainly. */
  static final class Model {
    static final double[] SHARES = {1.0, 0.9, 0.8, 0.7};
    int limit = 10;
    int inFlight;
    int shedFrom = 4;
    final long[] refusals = new long[4];
    final long[] closed = new long[4];

    long acquire(Mode mode, Tier tier) {
      int t = tier.ordinal();
      if (!mode.admits(tier)) {
        return AdmissionLimiter.NOT_ADMITTED;
      }
      double factor = mode.capacityFactor();
      int effective = factor >= 1.0 ? limit : Math.max(1, (int) Math.floor(limit * factor));
      int cap = Math.max(1, (int) Math.floor(effective * SHARES[t]));
      if (t >= shedFrom) {
        refusals[t]++;
        return AdmissionLimiter.OVER_LIMIT;
      }
      if (inFlight >= cap) {
        refusals[t]++;
        shedFrom = Math.min(shedFrom, t + 1);
        return AdmissionLimiter.OVER_LIMIT;
      }
      inFlight++;
      return 1;
    }

    /** A finished call closes a window (window size 1); a sample also moves the limit. */
    void close(boolean sampled, int next) {
      if (sampled) {
        limit = next;
      }
      boolean refused = false;
      for (int t = 0; t < 4; t++) {
        refused |= t < shedFrom && refusals[t] != closed[t];
        closed[t] = refusals[t];
      }
      if (!refused && shedFrom < 4) {
        shedFrom++;
      }
    }
  }

  @Test
  void tryAcquire_randomSteps_matchesModelAndKeepsTheInvariants() {
    forAll(steps()).tries(500).check(steps -> {
      ManualTicker ticker = new ManualTicker();
      CascadeManager manager = CascadeManager.builder().ticker(ticker).build();
      Scripted algorithm = new Scripted(10);
      AdmissionLimiter limiter = AdmissionLimiter.builder("model").algorithm(() -> algorithm)
          .manager(manager).ticker(ticker).windowSize(1).build();
      List<Long> held = new ArrayList<>();
      List<Long> finished = new ArrayList<>();
      Model model = new Model();
      for (Step step : steps) {
        if (step instanceof Acquire a) {
          int before = model.inFlight;
          long expected = model.acquire(manager.mode(), a.tier());
          long permit = limiter.tryAcquire(a.tier());
          if (expected > 0) {
            assertThat(permit).as("%s at in flight %d, limit %d, %s", a.tier(),
                before, model.limit, manager.mode()).isPositive();
            held.add(permit);
            assertThat(held.size()).isLessThanOrEqualTo(limiter.effectiveLimit());
          } else {
            assertThat(permit).isEqualTo(expected);
          }
        } else if (step instanceof Finish f) {
          if (!held.isEmpty()) {
            long permit = held.remove(f.index() % held.size());
            switch (f.outcome()) {
              case 0 -> limiter.release(permit);
              case 1 -> limiter.onSuccess(permit);
              default -> limiter.onDropped(permit);
            }
            model.inFlight--;
            model.close(f.outcome() != 0, algorithm.next);
            finished.add(permit);
          }
        } else if (step instanceof Script s) {
          algorithm.next = s.limit();
        } else if (step instanceof Declare d) {
          if (d.severity() == Severity.NORMAL) {
            manager.clearDeclaration("test", "property");
          } else {
            manager.declare(d.severity(), "test", "property");
          }
        } else if (step instanceof Reuse r) {
          if (!finished.isEmpty()) {
            long permit = finished.get(r.index() % finished.size());
            assertThatThrownBy(() -> limiter.onSuccess(permit))
                .isInstanceOf(IllegalStateException.class);
          }
        }
        assertThat(limiter.inFlight()).isEqualTo(held.size()).isEqualTo(model.inFlight);
        assertThat(limiter.limit()).isEqualTo(model.limit);
        probeMonotone(limiter, model, manager.mode());
      }
    });
  }

  /** At one instant: if a tier is refused for capacity, no less important tier is admitted. */
  private static void probeMonotone(AdmissionLimiter limiter, Model model, Mode mode) {
    long[] answers = new long[Tier.values().length];
    for (Tier tier : Tier.values()) {
      long expected = model.acquire(mode, tier);
      long permit = limiter.tryAcquire(tier);
      answers[tier.ordinal()] = permit;
      assertThat(permit > 0 ? 1 : permit).as("probe %s", tier).isEqualTo(expected);
      if (permit > 0) {
        limiter.release(permit); // no sample: the limit stays; the window closes
        model.inFlight--;
        model.close(false, 0);
      }
    }
    for (int t = 0; t < answers.length; t++) {
      if (answers[t] == AdmissionLimiter.OVER_LIMIT) {
        for (int less = t + 1; less < answers.length; less++) {
          assertThat(answers[less]).as("%s refused OVER_LIMIT but %s admitted",
              Tier.values()[t], Tier.values()[less]).isNegative();
        }
      }
    }
  }
}
