package dev.breakglass.circuitbreaker;

import static dev.breakglass.testing.Gen.weighted;
import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.circuitbreaker.OutcomeWindow.Counts;
import dev.breakglass.testing.Gen;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The striped, batched count window against a plain deque of the last N outcomes, with
 * snapshots at random points: batches of every length (below, at and above the 64-outcome
 * batch, and longer than the window) must land in the ring exactly.
 */
class CountWindowPropertiesTest {

  /** A window size and the steps recorded into it. */
  record Run(int size, List<Integer> steps) {}

  /** Outcome 0..3 (failure bit, slow bit), or -1 for "take a snapshot here". */
  static Gen<List<Integer>> steps() {
    return Gen.frequency(weighted(30, Gen.ints(0, 3)), weighted(1, Gen.constant(-1)))
        .list(1, 600);
  }

  static Gen<Run> runs(int maxSize) {
    return source -> new Run(source.draw(Gen.ints(1, maxSize)), source.draw(steps()));
  }

  @Test
  void snapshot_anyOutcomesAndSnapshotPoints_equalsLastNOutcomes() {
    forAll(runs(200)).tries(500).check(run -> {
      int size = run.size();
      CountWindow window = new CountWindow(size, 1);
      ArrayDeque<Integer> model = new ArrayDeque<>();

      for (int step : run.steps()) {
        if (step < 0) {
          assertThat(window.snapshot(0L, true)).isEqualTo(counts(model));
          continue;
        }
        window.record(step, 0L);
        model.addLast(step);
        if (model.size() > size) {
          model.removeFirst();
        }
      }

      assertThat(window.snapshot(0L, false)).isEqualTo(counts(model));
    });
  }

  @Test
  void record_afterMinimumReached_asksForJudgementOnlyOnFailureOrSlow() {
    forAll(runs(100)).tries(200).check(run -> {
      CountWindow window = new CountWindow(run.size(), 1);
      window.record(0, 0L);
      window.snapshot(0L, true); // minimum (1) reached

      for (int step : run.steps()) {
        if (step >= 0) {
          assertThat(window.record(step, 0L)).isEqualTo(step != 0);
        }
      }
    });
  }

  private static Counts counts(ArrayDeque<Integer> outcomes) {
    long failures = outcomes.stream().filter(o -> (o & OutcomeWindow.FAILURE) != 0).count();
    long slow = outcomes.stream().filter(o -> (o & OutcomeWindow.SLOW) != 0).count();
    return new Counts(outcomes.size(), failures, slow);
  }
}
