package dev.breakglass.benchmarks.core;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Ticker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of recording one incident-journal entry (the journal is called on every state
 * change), with one thread and with two threads sharing a journal, untyped and typed (an
 * {@link EventCategory} and a health: the same single allocation); and of recording one after
 * the fact with {@code recordAt}, with the journal's own ticker and with another one (one more
 * ticker read).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'core.JournalBenchmark' -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JournalBenchmark {

  private final IncidentJournal journal = IncidentJournal.create(1024);
  private final Ticker journalTicker = Ticker.system();
  private final Ticker otherTicker = System::nanoTime;
  private final long happened = journalTicker.read();

  @Benchmark
  public JournalEntry record_1thread() {
    return journal.record("payments", "transition", "CLOSED -> OPEN");
  }

  /** A typed entry (category, health) costs what an untyped one does: its facts are shared. */
  @Benchmark
  public JournalEntry recordTyped_1thread() {
    return journal.record(EventCategory.DETECTION, "payments", "transition", null, null,
        Health.DOWN, "CLOSED -> OPEN");
  }

  @Benchmark
  @Threads(2)
  public JournalEntry record_2threads() {
    return journal.record("payments", "transition", "CLOSED -> OPEN");
  }

  @Benchmark
  public JournalEntry recordAt_journalsTicker() {
    return journal.recordAt(journalTicker, happened, "payments", "transition", "CLOSED -> OPEN");
  }

  @Benchmark
  public JournalEntry recordAt_otherTicker() {
    return journal.recordAt(otherTicker, happened, "payments", "transition", "CLOSED -> OPEN");
  }
}
