package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.circuitbreaker.OutcomeWindow.Counts;
import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The striped, batched count window against a plain deque of the last N outcomes, with
 * snapshots at random points: batches of every length (below, at and above the 64-outcome
 * batch, and longer than the window) must land in the ring exactly.
 */
class CountWindowPropertiesTest {

  /** Outcome 0..3 (failure bit, slow bit), or -1 for "take a snapshot here". */
  @Provide
  Arbitrary<List<Integer>> steps() {
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(30, Arbitraries.integers().between(0, 3)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(-1)))
        .list().ofMinSize(1).ofMaxSize(600);
  }

  @Property(tries = 500)
  void snapshot_anyOutcomesAndSnapshotPoints_equalsLastNOutcomes(
      @ForAll @IntRange(min = 1, max = 200) int size, @ForAll("steps") List<Integer> steps) {
    CountWindow window = new CountWindow(size, 1);
    ArrayDeque<Integer> model = new ArrayDeque<>();

    for (int step : steps) {
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
  }

  @Property(tries = 200)
  void record_afterMinimumReached_asksForJudgementOnlyOnFailureOrSlow(
      @ForAll @IntRange(min = 1, max = 100) int size, @ForAll("steps") List<Integer> steps) {
    CountWindow window = new CountWindow(size, 1);
    window.record(0, 0L);
    window.snapshot(0L, true); // minimum (1) reached

    for (int step : steps) {
      if (step >= 0) {
        assertThat(window.record(step, 0L)).isEqualTo(step != 0);
      }
    }
  }

  private static Counts counts(ArrayDeque<Integer> outcomes) {
    long failures = outcomes.stream().filter(o -> (o & OutcomeWindow.FAILURE) != 0).count();
    long slow = outcomes.stream().filter(o -> (o & OutcomeWindow.SLOW) != 0).count();
    return new Counts(outcomes.size(), failures, slow);
  }
}
