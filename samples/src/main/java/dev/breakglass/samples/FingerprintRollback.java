package dev.breakglass.samples;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.fingerprint.Diff;
import dev.breakglass.fingerprint.RollbackPlan;
import dev.breakglass.fingerprint.RollbackReport;
import dev.breakglass.fingerprint.SnapshotStore;
import dev.breakglass.fingerprint.Value;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Fingerprint a configuration, mark it known-stable, change it, see the diff and roll back:
 * the example the README quotes.
 *
 * <pre>
 * mvn -B -q -Psample -Dsample=FingerprintRollback -pl samples -am package
 * </pre>
 */
public final class FingerprintRollback {

  private FingerprintRollback() {}

  /**
   * Runs the example in a temporary directory.
   *
   * @param args ignored
   * @throws IOException if the snapshot store fails
   */
  public static void main(String[] args) throws IOException {
    run(System.out);
  }

  /**
   * Runs the example in a temporary directory, which it deletes afterwards.
   *
   * @param out where to print
   * @return the rollback report
   * @throws IOException if the snapshot store fails
   */
  public static RollbackReport run(PrintStream out) throws IOException {
    Path directory = Files.createTempDirectory("breakglass-snapshots-");
    try {
      return run(directory, out);
    } finally {
      try (Stream<Path> paths = Files.walk(directory)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> {
          try {
            Files.delete(path);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    }
  }

  static RollbackReport run(Path directory, PrintStream out) throws IOException {
    IncidentJournal journal = IncidentJournal.create(100);
    AtomicReference<Object> settings = new AtomicReference<>();
    Runnable healthCheck = () -> out.println("  health check: ok");

    // [readme:fingerprint]
    try (SnapshotStore store = SnapshotStore.open(directory)) {
      Value config = Value.from(Map.of("payments", Map.of("timeout", 30, "retries", 3)));
      store.markStable(store.append("deploy 41", config).fingerprint()); // validated: known-stable

      Value changed = config.with("payments.timeout", 1);                 // re-hashes one path
      store.append("deploy 42", changed);
      out.print(Diff.between(config, changed));                       // ~ payments.timeout: 30 -> 1

      RollbackReport report = RollbackPlan.builder(store)
          .restore(context -> settings.set(context.target().value().toJava()))
          .validate(context -> healthCheck.run())                    // throw to fail the rollback
          .journal(journal)
          .build()
          .rollBack(changed);                                        // to the last known-stable
      // [/readme:fingerprint]
      out.println("  restored settings: " + settings.get());
      out.println("  " + report);
      return report;
    }
  }
}
