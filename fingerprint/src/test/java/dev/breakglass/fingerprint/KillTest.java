package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends snapshots and is killed with SIGKILL ({@link Process#destroyForcibly()})
 * at random moments; every snapshot it acknowledged must be present and verify after reopen.
 * The last rounds retain only 3 snapshots, so kills also land during compaction.
 */
class KillTest {

  @TempDir
  Path dir;

  record Ack(String kind, int index, Fingerprint fingerprint) {}

  @Test
  void sigkill_duringAppends_losesNoAcknowledgedSnapshot() throws Exception {
    Random random = new Random(Long.getLong("killtest.seed", System.nanoTime()));
    long seed = random.nextLong();
    random.setSeed(seed);
    int next = 0;
    int[] retains = {100_000, 100_000, 3, 3};
    for (int round = 0; round < retains.length; round++) {
      int killAfter = 1 + random.nextInt(25);
      List<Ack> acks = runAndKill(retains[round], next, killAfter);
      assertThat(acks).as("seed %d round %d", seed, round).hasSizeGreaterThanOrEqualTo(killAfter);
      try (SnapshotStore store = SnapshotStore.builder(SnapshotStorage.directory(dir))
          .retain(retains[round]).open()) {
        List<Ack> snapshots = acks.stream().filter(a -> a.kind().equals("ack")).toList();
        List<Ack> toCheck = retains[round] > 1000 ? snapshots
            : snapshots.subList(Math.max(0, snapshots.size() - 1), snapshots.size());
        for (Ack ack : toCheck) {
          Snapshot snapshot = store.load(ack.fingerprint());
          assertThat(snapshot.value().get("index")).as("seed %d round %d", seed, round)
              .isEqualTo(Value.of(ack.index()));
        }
        Ack lastStable = null;
        for (Ack ack : acks) {
          if (ack.kind().equals("stable")) {
            lastStable = ack;
          }
        }
        if (lastStable != null) {
          Snapshot target = store.lastKnownStable().orElseThrow();
          // the newest acknowledged mark, or a later one made durable just before the kill
          assertThat(target.value().get("index").asLong()).as("seed %d round %d", seed, round)
              .isGreaterThanOrEqualTo(lastStable.index());
        }
        for (SnapshotInfo info : store.history()) {
          assertThat(store.load(info.fingerprint()).fingerprint()).isEqualTo(info.fingerprint());
        }
        next = 1 + acks.stream().mapToInt(Ack::index).max().orElse(next);
      }
    }
  }

  private List<Ack> runAndKill(int retain, int first, int killAfter) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), AppendingChild.class.getName(),
        dir.toString(), Integer.toString(retain), Integer.toString(first))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    List<Ack> acks = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      int snapshots = 0;
      while ((line = out.readLine()) != null) {
        acks.add(parse(line));
        if (line.startsWith("ack ") && ++snapshots == killAfter) {
          // SIGKILL on Linux, like Process.destroyForcibly(), but through the ProcessHandle,
          // which leaves our end of the child's stdout open: the lines it printed before it
          // died were acknowledged too, and the loop reads them until EOF
          process.toHandle().destroyForcibly();
        }
      }
    } finally {
      process.toHandle().destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    return acks;
  }

  private static Ack parse(String line) {
    String[] parts = line.split(" ");
    return new Ack(parts[0], Integer.parseInt(parts[1]), Fingerprint.parse(parts[2]));
  }
}
