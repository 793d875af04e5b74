package dev.breakglass.samples;

import dev.breakglass.core.IncidentJournal;
import java.io.PrintStream;

/**
 * The incident journal in a few lines: the example the README quotes.
 *
 * <pre>
 * mvn -B -q -Psample -Dsample=JournalTimeline -pl samples -am package
 * </pre>
 */
public final class JournalTimeline {

  private JournalTimeline() {}

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out, System.err);
  }

  /**
   * Runs the example.
   *
   * @param out where the timeline goes
   * @param live where entries are streamed as they are recorded
   * @return the journal
   */
  public static IncidentJournal run(PrintStream out, PrintStream live) {
    // [readme:journal]
    IncidentJournal journal = IncidentJournal.create(1_000);   // keeps the newest 1,000 entries
    journal.onRecord(entry -> live.println(entry));           // stream the timeline as it happens
    journal.record("payments", "transition", "CLOSED -> OPEN: failure rate 62.5% >= 50.0%");
    journal.record("cascade", "severity", "NORMAL -> MAJOR: payments DOWN");
    out.print(journal.toText());                               // or journal.toJson()
    // [/readme:journal]
    return journal;
  }
}
