package dev.breakglass.fingerprint;

import java.nio.file.Path;
import java.util.Map;

/**
 * The child process of {@link KillTest}: appends snapshots to a directory store as fast as it
 * can, marks every fifth one stable, and prints each acknowledged fingerprint on stdout.
 * Arguments: the store directory, how many snapshots to retain, and a first index.
 */
public final class AppendingChild {

  private AppendingChild() {}

  /**
   * Runs until killed.
   *
   * @param args directory, retain count, first index
   * @throws Exception on any failure, which the parent sees as a missing acknowledgement
   */
  public static void main(String[] args) throws Exception {
    Path directory = Path.of(args[0]);
    int retain = Integer.parseInt(args[1]);
    int first = Integer.parseInt(args[2]);
    try (SnapshotStore store = SnapshotStore.builder(SnapshotStorage.directory(directory))
        .retain(retain).open()) {
      for (int i = first; ; i++) {
        Value value = Value.from(Map.of("index", i, "padding", "p".repeat(i % 500)));
        SnapshotInfo info = store.append("child " + i, value);
        System.out.println("ack " + i + " " + info.fingerprint().toHex());
        if (i % 5 == 0) {
          store.markStable(info.fingerprint());
          System.out.println("stable " + i + " " + info.fingerprint().toHex());
        }
        System.out.flush();
      }
    }
  }
}
