package dev.breakglass.fingerprint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link SnapshotStore} knows at one moment: the records its storage holds and what
 * follows from them by the store's rules (retention, the rollback target, stable content).
 * Immutable and thread-safe; the store replaces it whole after each write.
 *
 * @param stored every snapshot the storage holds, in sequence order
 * @param marks every stable mark the storage holds, in sequence order
 * @param history the retained snapshots, oldest first
 * @param target the rollback target: the newest snapshot of the most recently marked stable
 *     fingerprint the history holds, or null
 * @param stable every fingerprint ever marked stable
 * @param newestByFingerprint the newest snapshot in the history with each fingerprint
 */
record StoreState(List<SnapshotInfo> stored, List<StableMark> marks, List<SnapshotInfo> history,
    @Nullable SnapshotInfo target, Set<Fingerprint> stable,
    Map<Fingerprint, SnapshotInfo> newestByFingerprint) {

  /**
   * Applies the store's rules to its records: the history is the last {@code retained}
   * snapshots plus, before them, the newest snapshot of the rollback target if it is older; the
   * target is the newest snapshot of the most recently marked fingerprint the storage holds. A
   * pure function of the records, so it does not depend on when compaction last ran.
   */
  static StoreState of(List<SnapshotInfo> stored, List<StableMark> marks, int retained) {
    Set<Fingerprint> held = new HashSet<>();
    for (SnapshotInfo info : stored) {
      held.add(info.fingerprint());
    }
    Fingerprint targetFingerprint = null;
    for (int i = marks.size() - 1; i >= 0 && targetFingerprint == null; i--) {
      if (held.contains(marks.get(i).fingerprint())) {
        targetFingerprint = marks.get(i).fingerprint();
      }
    }
    int firstRetained = Math.max(0, stored.size() - retained);
    int targetIndex = -1;
    if (targetFingerprint != null) {
      for (int i = stored.size() - 1; i >= 0; i--) {
        if (stored.get(i).fingerprint().equals(targetFingerprint)) {
          targetIndex = i;
          break;
        }
      }
    }
    List<SnapshotInfo> history = new ArrayList<>(Math.min(stored.size(), retained + 1));
    if (targetIndex >= 0 && targetIndex < firstRetained) {
      history.add(stored.get(targetIndex));
    }
    history.addAll(stored.subList(firstRetained, stored.size()));
    Map<Fingerprint, SnapshotInfo> newest = new HashMap<>();
    for (SnapshotInfo info : history) {
      newest.put(info.fingerprint(), info);
    }
    Set<Fingerprint> stable = new HashSet<>();
    for (StableMark mark : marks) {
      stable.add(mark.fingerprint());
    }
    SnapshotInfo target = targetFingerprint == null ? null : newest.get(targetFingerprint);
    return new StoreState(List.copyOf(stored), List.copyOf(marks),
        Collections.unmodifiableList(history), target, Set.copyOf(stable), Map.copyOf(newest));
  }
}
