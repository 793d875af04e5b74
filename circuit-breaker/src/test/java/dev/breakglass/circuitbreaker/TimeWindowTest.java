package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.circuitbreaker.OutcomeWindow.Counts;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class TimeWindowTest {

  private static final long BUCKET = 1_000L;

  @Test
  void record_everyStripeHeld_goesToOverflowAndIsCounted() {
    TimeWindow window = new TimeWindow(4, BUCKET, 1, 0L);
    while (Objects.requireNonNull(window.stripesAcquire()).length < StripedWindow.MAX_STRIPES) {
      window.contended();
    }
    Stripe[] stripes = Objects.requireNonNull(window.stripesAcquire());
    for (Stripe stripe : stripes) {
      assertThat(((LockedStripe) stripe).tryLock()).isTrue(); // as if preempted holders
    }

    window.record(OutcomeWindow.FAILURE, 10L);
    window.record(0, 20L);
    window.record(OutcomeWindow.SLOW, 5 * BUCKET); // a later bucket
    for (Stripe stripe : stripes) {
      ((LockedStripe) stripe).unlock();
    }
    window.record(0, 5 * BUCKET + 1); // and one through a stripe again

    assertThat(window.snapshot(5 * BUCKET, false)).isEqualTo(new Counts(2, 0, 1));
    // as of epoch 3 the window is epochs 0-3: the epoch-5 outcomes are not in it yet
    assertThat(window.snapshot(3 * BUCKET, false)).isEqualTo(new Counts(2, 1, 0));
  }

  @Test
  void snapshot_bucketsNewerThanTheReadersEpoch_areLeftOut() {
    TimeWindow window = new TimeWindow(4, BUCKET, 1, 0L);
    window.record(OutcomeWindow.FAILURE, 2 * BUCKET); // epoch 2
    window.record(0, 4 * BUCKET); // epoch 4, recorded by a thread with a newer clock reading

    // a reader at epoch 3 sees epochs 0-3, never 5 buckets' worth
    assertThat(window.snapshot(3 * BUCKET + 1, false)).isEqualTo(new Counts(1, 1, 0));
    assertThat(window.snapshot(4 * BUCKET, false)).isEqualTo(new Counts(2, 1, 0));
  }

  @Test
  void record_staleByAWholeWindow_doesNotOverwriteTheNewerBucket() {
    TimeWindow window = new TimeWindow(4, BUCKET, 1, 0L);
    window.record(OutcomeWindow.FAILURE, 5 * BUCKET); // epoch 5, slot 1
    window.record(OutcomeWindow.FAILURE, 5 * BUCKET + 1);

    // a thread that read the ticker at epoch 1 (same slot) and was paused a whole window
    window.record(0, BUCKET);

    assertThat(window.snapshot(5 * BUCKET + 2, false)).isEqualTo(new Counts(2, 2, 0));
    window.record(0, 5 * BUCKET + 3); // the stripe still records into epoch 5 afterwards
    assertThat(window.snapshot(5 * BUCKET + 3, false)).isEqualTo(new Counts(3, 2, 0));
  }

  @Test
  void snapshot_bucketsOlderThanWindow_areLeftOut() {
    TimeWindow window = new TimeWindow(3, BUCKET, 1, 100L);

    window.record(OutcomeWindow.FAILURE, 100L); // epoch 0
    window.record(0, 100L + BUCKET); // epoch 1
    window.record(0, 100L + 2 * BUCKET); // epoch 2

    assertThat(window.snapshot(100L + 2 * BUCKET, false)).isEqualTo(new Counts(3, 1, 0));
    assertThat(window.snapshot(100L + 3 * BUCKET, false)).isEqualTo(new Counts(2, 0, 0));
    assertThat(window.snapshot(100L + 5 * BUCKET, false)).isEqualTo(new Counts(0, 0, 0));
  }
}
