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
 * The count window's batch hand-over under every interleaving Lincheck explores. The window
 * is deliberately not linearizable (its design comment: a thread's batch enters the ring as a
 * block, and a snapshot misses a batch another thread is handing over), so this checks what it
 * does promise, once the threads are done: no outcome is lost or counted twice, and the totals
 * agree with the last {@value #SIZE} outcomes in some hand-over order: the window holds
 * {@code min(SIZE, recorded)} calls, and its failures (slow calls) are no more than were
 * recorded or fit, and no fewer than were recorded minus the calls that left the ring.
 * Concurrent snapshots hand batches over while other threads append.
 */
@Param(name = "outcome", gen = IntGen.class, conf = "0:3")
public class CountWindowLincheckTest {

  static final int SIZE = 4; // fewer than a scenario records: the ring wraps

  private final CountWindow window = new CountWindow(SIZE, 1);
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong slow = new AtomicLong();

  /** Creates the window of one scenario (Lincheck makes one instance per scenario). */
  public CountWindowLincheckTest() {}

  /**
   * Records an outcome and tallies it.
   *
   * @param outcome {@link OutcomeWindow#FAILURE} and {@link OutcomeWindow#SLOW} bits
   */
  @Operation
  public void record(@Param(name = "outcome") int outcome) {
    window.record(outcome, 0L);
    calls.incrementAndGet();
    failures.addAndGet(outcome & OutcomeWindow.FAILURE);
    slow.addAndGet((outcome & OutcomeWindow.SLOW) >>> 1);
  }

  /** Takes a snapshot for judging, which hands over every batch. */
  @Operation
  public void snapshot() {
    window.snapshot(0L, true);
  }

  /** Checks the quiescent window against the tallies. */
  @Validate
  public void countsAgreeWithRecordedOutcomes() {
    Counts counts = window.snapshot(0L, false);
    long recorded = calls.get();
    long held = Math.min(SIZE, recorded);
    long left = recorded - held;
    // plain checks: Lincheck's instrumentation calls equals on objects, which AssertJ refuses
    if (counts.calls() != held
        || counts.failures() < Math.max(0, failures.get() - left)
        || counts.failures() > Math.min(failures.get(), held)
        || counts.slow() < Math.max(0, slow.get() - left)
        || counts.slow() > Math.min(slow.get(), held)) {
      throw new AssertionError("window holds " + counts + " after " + recorded + " outcomes, "
          + failures.get() + " failures and " + slow.get() + " slow calls");
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
