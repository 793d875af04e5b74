package dev.breakglass.core;

import dev.breakglass.testing.Linearizability;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * The journal ring's promise to readers, checked for linearizability: a snapshot holds every
 * entry whose recording completed before it began, and no entry that was never recorded,
 * against a sequential specification that is the multiset of recorded details.
 *
 * <p>What the ring does not promise is left out, on purpose, as the class documentation says:
 * snapshots are in sequence order, which two concurrent recordings may take in the other order
 * than they complete, so a snapshot is compared as a sorted list; eviction counts from
 * recordings <em>started</em> ({@code evictedCount() = recordedCount() - capacity}), so while
 * a recording that has taken its sequence number is being stored, the entry it displaces is
 * already gone from snapshots (Lincheck shows this with capacity 2: a snapshot of one entry
 * after two completed recordings while a third is in flight), and the capacity here is larger
 * than a scenario's recordings; {@link IncidentJournal#recordedCount()} counts recordings
 * started, so it may count an entry a later snapshot does not hold yet.
 */
@Param(name = "detail", gen = IntGen.class, conf = "0:3")
public class IncidentJournalLincheckTest {

  static final int CAPACITY = 16; // more than a scenario records: nothing is evicted

  private final IncidentJournal journal = IncidentJournal.builder()
      .capacity(CAPACITY)
      .ticker(new ManualTicker())
      .clock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
      .build();

  /** Creates a journal for one scenario (Lincheck makes one instance per scenario). */
  public IncidentJournalLincheckTest() {}

  /**
   * Records an entry whose detail is {@code detail}.
   *
   * @param detail the detail
   */
  @Operation
  public void record(@Param(name = "detail") int detail) {
    journal.record("source", "kind", Integer.toString(detail));
  }

  /**
   * Returns the details of a snapshot, sorted.
   *
   * @return the details
   */
  @Operation
  public List<String> entries() {
    List<String> details = new ArrayList<>();
    for (JournalEntry entry : journal.entries()) {
      details.add(entry.detail());
    }
    Collections.sort(details);
    return details;
  }

  @Test
  void recordAndEntries_modelChecked_linearizable() {
    Linearizability.modelChecking(30, 500).sequentialSpecification(Spec.class)
        .check(getClass());
  }

  @Test
  void recordAndEntries_stressed_linearizable() {
    Linearizability.stress(30, 1_000).sequentialSpecification(Spec.class).check(getClass());
  }

  /** The sequential specification: the multiset of recorded details. */
  public static final class Spec {
    private final List<String> recorded = new ArrayList<>();

    /** Creates an empty journal. */
    public Spec() {}

    /**
     * Records a detail.
     *
     * @param detail the detail
     */
    public void record(int detail) {
      recorded.add(Integer.toString(detail));
    }

    /**
     * Returns the recorded details, sorted.
     *
     * @return the details
     */
    public List<String> entries() {
      List<String> details = new ArrayList<>(recorded);
      Collections.sort(details);
      return details;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Spec spec && spec.entries().equals(entries());
    }

    @Override
    public int hashCode() {
      return entries().hashCode();
    }
  }
}
