package dev.breakglass.fingerprint;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.ReentrantLock;

/** {@link SnapshotStorage#inMemory()}: lists guarded by a lock. Thread-safe. */
final class MemoryStorage implements SnapshotStorage {

  private final ReentrantLock lock = new ReentrantLock();
  @GuardedBy("lock")
  private final List<SnapshotInfo> snapshots = new ArrayList<>();
  @GuardedBy("lock")
  private final List<StableMark> marks = new ArrayList<>();
  @GuardedBy("lock")
  private final Map<Long, byte[]> encodings = new HashMap<>();

  @Override
  public Contents load() {
    lock.lock();
    try {
      return new Contents(snapshots, marks, List.of());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void appendSnapshot(SnapshotInfo info, byte[] encoding) {
    lock.lock();
    try {
      snapshots.add(info);
      encodings.put(info.sequence(), encoding.clone());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void appendMark(StableMark mark) {
    lock.lock();
    try {
      marks.add(mark);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public byte[] read(SnapshotInfo info) {
    lock.lock();
    try {
      byte[] encoding = encodings.get(info.sequence());
      if (encoding == null) {
        throw new NoSuchElementException("no snapshot " + info.describe() + " in " + describe());
      }
      return encoding.clone();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void rewrite(List<SnapshotInfo> keep, List<StableMark> keepMarks) {
    lock.lock();
    try {
      Map<Long, byte[]> kept = new HashMap<>();
      for (SnapshotInfo info : keep) {
        byte[] encoding = encodings.get(info.sequence());
        if (encoding == null) {
          throw new NoSuchElementException("no snapshot " + info.describe() + " in " + describe());
        }
        kept.put(info.sequence(), encoding);
      }
      snapshots.clear();
      snapshots.addAll(keep);
      marks.clear();
      marks.addAll(keepMarks);
      encodings.clear();
      encodings.putAll(kept);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String describe() {
    return "memory";
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "SnapshotStorage[memory]";
  }
}
