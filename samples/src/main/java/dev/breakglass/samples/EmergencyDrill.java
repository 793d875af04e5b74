package dev.breakglass.samples;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.io.PrintStream;
import java.util.List;

/**
 * The emergency drill: a simulated service going through an incident, printed as a timeline.
 *
 * <p>This first version exercises the core vocabulary only: it walks a scripted incident
 * through the severity ladder, shows which tiers each level admits, and prints the incident
 * journal. Later versions drive real breakers, the cascade manager, fingerprints and the
 * shutdown sequencer through the same script.
 *
 * <pre>
 * mvn -B -q -Pdrill -pl samples -am package
 * </pre>
 *
 * <p>Flags: {@code --fast} (the default) or {@code --seconds N}. Exit status 0 when the
 * drill's expectations held, 1 when one did not, 2 on a bad flag.
 */
public final class EmergencyDrill {

  private EmergencyDrill() {}

  /**
   * Runs the drill and exits with its status.
   *
   * @param args {@code --fast} or {@code --seconds N}
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the drill.
   *
   * @param args {@code --fast} or {@code --seconds N}
   * @param out where the timeline goes
   * @param err where errors go
   * @return the exit status: 0 if the drill's expectations held
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      parseArgs(args);
    } catch (IllegalArgumentException e) {
      err.println("emergency drill: " + e.getMessage());
      err.println("usage: EmergencyDrill [--fast | --seconds N]");
      return 2;
    }
    IncidentJournal journal = IncidentJournal.create(256);
    journal.onRecord(e -> out.printf("  %-10s %-11s %s%n", e.source(), e.kind(), e.detail()));

    out.println("breakglass emergency drill");
    Severity severity = Severity.NORMAL;
    for (Severity next : List.of(Severity.MINOR, Severity.MAJOR, Severity.MAJOR.deescalated(),
        Severity.NORMAL)) {
      journal.record("cascade", "severity", severity + " -> " + next + ": admits " + admitted(next));
      severity = next;
    }
    out.println();
    out.print(journal.toText());
    List<JournalEntry> entries = journal.entries();
    if (entries.size() != 4 || severity != Severity.NORMAL) {
      err.println("emergency drill: expected 4 severity changes ending at NORMAL, saw " + entries);
      return 1;
    }
    return 0;
  }

  /** The tiers the default shedding ladder admits at a severity. */
  static List<Tier> admitted(Severity severity) {
    return switch (severity) {
      case NORMAL -> List.of(Tier.values());
      case MINOR -> List.of(Tier.CRITICAL, Tier.ESSENTIAL, Tier.STANDARD);
      case MAJOR -> List.of(Tier.CRITICAL, Tier.ESSENTIAL);
      case CRITICAL -> List.of(Tier.CRITICAL);
    };
  }

  /** Validates the flags; returns the drill length in seconds, 0 for fast mode. */
  static int parseArgs(String[] args) {
    int seconds = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--fast" -> seconds = 0;
        case "--seconds" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--seconds needs a value");
          }
          String value = args[++i];
          try {
            seconds = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seconds must be a whole number, was '" + value + "'");
          }
          if (seconds <= 0) {
            throw new IllegalArgumentException("--seconds must be > 0, was " + seconds);
          }
        }
        default -> throw new IllegalArgumentException("unknown flag '" + args[i] + "'");
      }
    }
    return seconds;
  }
}
