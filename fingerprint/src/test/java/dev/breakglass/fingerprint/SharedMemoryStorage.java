package dev.breakglass.fingerprint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A {@linkplain SnapshotStorage#isShared() shared} storage in memory, for testing how stores
 * behave when others write to their storage: every {@link SharedMemoryStorage} made from one
 * {@link Log} sees the same records, and writes are a compare-and-set on the log's version.
 * Thread-safe.
 */
final class SharedMemoryStorage implements SnapshotStorage {

  /** The records every storage made from it shares. Thread-safe. */
  static final class Log {
    private final ReentrantLock lock = new ReentrantLock();
    private long version;
    private final List<SnapshotInfo> snapshots = new ArrayList<>();
    private final List<StableMark> marks = new ArrayList<>();
    private final Map<Long, byte[]> encodings = new HashMap<>();
    private int conflicts;

    SharedMemoryStorage open() {
      return new SharedMemoryStorage(this);
    }

    int conflicts() {
      lock.lock();
      try {
        return conflicts;
      } finally {
        lock.unlock();
      }
    }

    List<StableMark> marks() {
      lock.lock();
      try {
        return List.copyOf(marks);
      } finally {
        lock.unlock();
      }
    }

    List<SnapshotInfo> snapshots() {
      lock.lock();
      try {
        return List.copyOf(snapshots);
      } finally {
        lock.unlock();
      }
    }
  }

  private final Log log;
  private long known = -1; // guarded by log.lock
  /** Runs once inside the next write, before its compare-and-set: another store's write. */
  private @Nullable Runnable interloper;

  private SharedMemoryStorage(Log log) {
    this.log = log;
  }

  /** Makes {@code write} happen just before this storage's next write checks the version. */
  void beforeNextWrite(Runnable write) {
    log.lock.lock();
    try {
      interloper = write;
    } finally {
      log.lock.unlock();
    }
  }

  @Override
  public boolean isShared() {
    return true;
  }

  @Override
  public Contents load() {
    log.lock.lock();
    try {
      known = log.version;
      return new Contents(log.snapshots, log.marks, List.of());
    } finally {
      log.lock.unlock();
    }
  }

  @Override
  public Optional<Contents> refresh() {
    log.lock.lock();
    try {
      if (known == log.version) {
        return Optional.empty();
      }
      return Optional.of(load());
    } finally {
      log.lock.unlock();
    }
  }

  private void compareAndSet() throws StorageConflictException {
    Runnable other = interloper;
    if (other != null) {
      interloper = null;
      other.run();
    }
    if (known != log.version) {
      log.conflicts++;
      throw new StorageConflictException("shared memory: version " + log.version
          + ", this storage read " + known);
    }
    log.version++;
    known = log.version;
  }

  @Override
  public void appendSnapshot(SnapshotInfo info, byte[] encoding) throws StorageConflictException {
    log.lock.lock();
    try {
      compareAndSet();
      log.snapshots.add(info);
      log.encodings.put(info.sequence(), encoding.clone());
    } finally {
      log.lock.unlock();
    }
  }

  @Override
  public void appendMark(StableMark mark) throws StorageConflictException {
    log.lock.lock();
    try {
      compareAndSet();
      log.marks.add(mark);
    } finally {
      log.lock.unlock();
    }
  }

  @Override
  public byte[] read(SnapshotInfo info) {
    log.lock.lock();
    try {
      byte[] encoding = log.encodings.get(info.sequence());
      if (encoding == null) {
        throw new NoSuchElementException("no snapshot " + info.describe() + " in " + describe());
      }
      return encoding.clone();
    } finally {
      log.lock.unlock();
    }
  }

  @Override
  public void rewrite(List<SnapshotInfo> keep, List<StableMark> keepMarks)
      throws StorageConflictException {
    log.lock.lock();
    try {
      compareAndSet();
      log.snapshots.retainAll(keep);
      log.marks.retainAll(keepMarks);
      log.encodings.keySet().removeIf(
          sequence -> keep.stream().noneMatch(info -> info.sequence() == sequence));
    } finally {
      log.lock.unlock();
    }
  }

  @Override
  public String describe() {
    return "shared memory";
  }

  @Override
  public void close() {}
}
