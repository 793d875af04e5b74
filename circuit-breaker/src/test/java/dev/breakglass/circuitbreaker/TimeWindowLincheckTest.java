package dev.breakglass.circuitbreaker;

import dev.breakglass.circuitbreaker.OutcomeWindow.Counts;
import dev.breakglass.testing.Linearizability;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * The time window's seqlock stripes under every interleaving Lincheck explores. A snapshot
 * taken while threads record may be off by the outcomes being recorded at that instant (a
 * reader accepts what it read after a few retries: the design comment says so), so the window
 * is not linearizable and this checks what it promises once the threads are done: with every
 * outcome in the current bucket, the window holds exactly the recorded calls, failures and slow
 * calls, none lost to a stripe, the overflow ring or a concurrent reader, none counted twice.
 */
@Param(name = "outcome", gen = IntGen.class, conf = "0:3")
public class TimeWindowLincheckTest {

  private static final long BUCKET_NANOS = 1_000_000_000L;

  private final TimeWindow window = new TimeWindow(4, BUCKET_NANOS, 1, 0L);
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong slow = new AtomicLong();

  /** Creates the window of one scenario (Lincheck makes one instance per scenario). */
  public TimeWindowLincheckTest() {}

  /**
   * Records an outcome in the first bucket and tallies it.
   *
   * @param outcome {@link OutcomeWindow#FAILURE} and {@link OutcomeWindow#SLOW} bits
   */
  @Operation
  public void record(@Param(name = "outcome") int outcome) {
    window.record(outcome, 1L);
    calls.incrementAndGet();
    failures.addAndGet(outcome & OutcomeWindow.FAILURE);
    slow.addAndGet((outcome & OutcomeWindow.SLOW) >>> 1);
  }

  /** Takes a snapshot for judging while others record. */
  @Operation
  public void snapshot() {
    window.snapshot(1L, true);
  }

  /** Checks the quiescent window against the tallies. */
  @Validate
  public void countsEqualRecordedOutcomes() {
    // plain checks: Lincheck's instrumentation calls equals on objects, which AssertJ refuses
    Counts counts = window.snapshot(1L, false);
    Counts recorded = new Counts(calls.get(), failures.get(), slow.get());
    if (!counts.equals(recorded)) {
      throw new AssertionError("window holds " + counts + ", recorded " + recorded);
    }
  }

  @Test
  void recordAndSnapshot_modelChecked_noOutcomeLostOrDoubled() {
    Linearizability.modelChecking(30, 500).check(getClass());
  }

  @Test
  void recordAndSnapshot_stressed_noOutcomeLostOrDoubled() {
    Linearizability.stress(30, 1_000).check(getClass());
  }
}
