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
    assertThat(window.snapshot(3 * BUCKET, false)).isEqualTo(new Counts(4, 1, 1));
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
