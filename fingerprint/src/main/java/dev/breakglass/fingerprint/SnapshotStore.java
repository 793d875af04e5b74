package dev.breakglass.fingerprint;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.breakglass.core.EventCategory;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.internal.PlainText;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A history of fingerprinted snapshots of a service's state, some marked known-stable, with
 * "last known-stable" as the rollback target.
 *
 * <pre>{@code
 * try (SnapshotStore store = SnapshotStore.open(Path.of("/var/lib/payments/snapshots"))) {
 *   SnapshotInfo v1 = store.append("deploy 41", Value.from(config));
 *   // ... the service runs well on it ...
 *   store.markStable(v1.fingerprint());
 *   store.append("deploy 42", Value.from(newConfig));
 *   // ... it does not ...
 *   Snapshot target = store.lastKnownStable().orElseThrow();   // verified: deploy 41
 * }
 * }</pre>
 *
 * <p><b>Integrity.</b> Every read ({@link #load(Fingerprint)}, {@link #lastKnownStable()})
 * checks the stored checksum, decodes the canonical encoding and re-hashes it; content that
 * does not hash to its fingerprint is never returned: the read throws
 * {@link SnapshotIntegrityException} naming the snapshot and what did not match, and the
 * failure is recorded in the journal. {@link #markStable(Fingerprint)} performs the same check
 * first, so a damaged snapshot never becomes the rollback target.
 *
 * <p><b>Stable marks.</b> Stability belongs to content: marking a fingerprint stable marks
 * every snapshot with that fingerprint, including ones appended later, and the mark is kept
 * for good. The rollback target is the most recently marked fingerprint that the store still
 * holds.
 *
 * <p><b>Retention.</b> The history holds the last {@link Builder#retain(int) N} snapshots
 * (default {@value #DEFAULT_RETAINED}) and, beyond them, the newest snapshot of the rollback
 * target, which is never dropped. Dropped snapshots disappear from {@link #history()} at once;
 * the storage is compacted once N more have accumulated, so each snapshot is rewritten about
 * once in its life.
 *
 * <p><b>Durability</b> is the storage's: with {@link SnapshotStorage#directory(Path)} (what
 * {@link #open(Path)} uses) every append and mark is on disk before the method returns, and
 * reopening after a crash keeps every acknowledged snapshot; what it repaired is listed in
 * {@link #recoveryNotes()}. {@link #openReadOnly(Path)} reads a store without writing anything,
 * for example on a read-only filesystem.
 *
 * <p><b>Messages.</b> Labels, names and paths in exception messages, {@link #toString()} and
 * {@link SnapshotInfo#describe()} are escaped ({@code \n}, {@code \}{@code u001b}, ...), so that a
 * hostile label cannot forge lines in a log or reach a terminal as an escape sequence; journal
 * entries receive them as they are, and the journal escapes them when it renders.
 *
 * <p><b>Shared storages.</b> On a storage that several stores share (see
 * {@link SnapshotStorage#isShared()}, for example a database table that every instance of a
 * service uses), the store keeps what it knows in memory as usual and picks up what the others
 * wrote when it {@link #refresh() refreshes}: before every {@link #lastKnownStable()} and
 * {@link #load}, and whenever a write of its own finds that another store wrote first (the
 * storage refuses such a write with a {@link StorageConflictException}, the store re-reads the
 * storage and tries again). So the writes of all the stores form one order that every store
 * sees, no write is lost, and {@link #markStable} racing with another store's either lands
 * after it (the newer mark is the target) or, when the other store marked the same content,
 * finds the work done. {@link #history()} and the other reads from memory answer with what the
 * store knew at its last write or refresh.
 *
 * <p>Thread-safe. Appends, marks and compaction are serialized by a lock that no read holds
 * exclusively; reads run in parallel. The lock is a {@link ReentrantReadWriteLock}, not
 * {@code synchronized}, so it does not pin virtual threads during disk I/O.
 */
public final class SnapshotStore implements Closeable {

  /*
   * Design: the store's knowledge is one immutable StoreState (every stored record, the
   * retained history, the rollback target, the stable fingerprints), replaced under the write
   * lock and read through a volatile field, so history() and friends never block. Writes go to
   * the storage first and only then become visible in a new StoreState, so a failed write
   * changes nothing. Retention is a pure function of the records (StoreState.of), computed
   * again when the store opens, so it does not depend on when compaction last ran.
   */

  /** The number of snapshots kept by default. */
  public static final int DEFAULT_RETAINED = 100;

  /** The longest label accepted, in chars. */
  public static final int MAX_LABEL_LENGTH = 1000;

  /** How often a write overtaken by other stores on a shared storage is tried in a row. */
  private static final int MAX_CONFLICT_ATTEMPTS = 64;

  /** The longest pause between two such attempts, in nanoseconds. */
  private static final long MAX_CONFLICT_PAUSE_NANOS = 10_000_000L;

  private static final Logger LOGGER = LoggerFactory.getLogger("dev.breakglass.fingerprint");

  private final SnapshotStorage storage;
  private final String name;
  private final int retained;
  private final InstantSource clock;
  private final @Nullable IncidentJournal journal;
  private final List<String> recoveryNotes;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile StoreState state;
  private volatile boolean closed;
  @GuardedBy("lock")
  private long nextSequence;
  // A run of failed automatic compactions is reported once per kind of failure.
  @GuardedBy("lock")
  private @Nullable Class<?> reportedCompactionFailure;
  @GuardedBy("lock")
  private int failedCompactions;

  private SnapshotStore(Builder builder, SnapshotStorage.Contents contents) {
    this.storage = builder.storage;
    this.name = builder.name;
    this.retained = builder.retained;
    this.clock = builder.clock;
    this.journal = builder.journal;
    this.recoveryNotes = contents.recoveryNotes();
    this.state = StoreState.of(contents.snapshots(), contents.marks(), retained);
    this.nextSequence = nextSequence(contents);
  }

  private static long nextSequence(SnapshotStorage.Contents contents) {
    long max = -1;
    for (SnapshotInfo info : contents.snapshots()) {
      max = Math.max(max, info.sequence());
    }
    for (StableMark mark : contents.marks()) {
      max = Math.max(max, mark.sequence());
    }
    return max + 1;
  }

  /**
   * Opens (creating if needed) a crash-safe store in a directory, with the default settings.
   *
   * @param directory the directory for the store's files
   * @return the open store
   * @throws NullPointerException if {@code directory} is null
   * @throws IOException if the directory cannot be created, read or locked (another process
   *     has the store open)
   * @throws SnapshotIntegrityException if the store is damaged in a way a crash cannot explain
   */
  public static SnapshotStore open(Path directory) throws IOException {
    return builder(SnapshotStorage.directory(directory)).open();
  }

  /**
   * Opens a directory store for reading only, with the default settings: for a store on a
   * read-only filesystem, or to inspect one that another process holds. Nothing in the directory
   * is created, locked, repaired or changed (see {@link SnapshotStorage#readOnlyDirectory(Path)});
   * {@link #history()}, {@link #load}, {@link #lastKnownStable()} and the other reads work as
   * usual, and {@link #append}, {@link #markStable} and {@link #compact()} throw
   * {@link IllegalStateException}.
   *
   * @param directory an existing store directory
   * @return the open store
   * @throws NullPointerException if {@code directory} is null
   * @throws IOException if the directory does not exist or cannot be read
   * @throws SnapshotIntegrityException if the store is damaged in a way a crash cannot explain,
   *     or its log is not a snapshot log
   */
  public static SnapshotStore openReadOnly(Path directory) throws IOException {
    return builder(SnapshotStorage.readOnlyDirectory(directory)).open();
  }

  /**
   * Opens a store that keeps its snapshots in memory, with the default settings.
   *
   * @return a new, empty store
   */
  public static SnapshotStore inMemory() {
    try {
      return builder(SnapshotStorage.inMemory()).open();
    } catch (IOException e) {
      throw new UncheckedIOException("the in-memory storage does no I/O", e);
    }
  }

  /**
   * Returns a builder for a store on the given storage.
   *
   * @param storage where the records go, for example {@link SnapshotStorage#directory(Path)}
   * @return a new builder
   * @throws NullPointerException if {@code storage} is null
   */
  public static Builder builder(SnapshotStorage storage) {
    return new Builder(Objects.requireNonNull(storage, "storage"));
  }

  // -------------------------------------------------------------------------------- writing

  /**
   * Appends a snapshot. With the directory storage it is on disk when this method returns.
   *
   * @param label what the snapshot is, for example {@code "deploy 42"} or
   *     {@code "before flag flip"}: not blank, at most {@value #MAX_LABEL_LENGTH} chars
   * @param value the state to keep
   * @return the new snapshot's metadata
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the label is blank, too long or not valid UTF-16
   * @throws IllegalStateException if the store is closed or was opened read-only
   * @throws IOException if the snapshot could not be made durable; the store is then
   *     unchanged; the message names the file and the operation that failed (a
   *     {@link StorageConflictException} if other stores sharing the storage overtook every
   *     attempt)
   */
  public SnapshotInfo append(String label, Value value) throws IOException {
    checkLabel(label);
    Objects.requireNonNull(value, "value");
    byte[] encoding = value.encode();
    lock.writeLock().lock();
    try {
      checkOpen();
      SnapshotInfo info;
      for (int attempt = 1; ; attempt++) {
        info = new SnapshotInfo(nextSequence, label, clock.instant(), value.fingerprint(),
            encoding.length);
        try {
          storage.appendSnapshot(info, encoding);
          break;
        } catch (StorageConflictException conflict) {
          overtaken(conflict, attempt);
        }
      }
      nextSequence++;
      StoreState before = state;
      state = StoreState.of(append(before.stored(), info), before.marks(), retained);
      journal("append", info.describeUnescaped() + ", " + encoding.length + " bytes");
      compactIfDue();
      return info;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Marks content as known-stable, after the service has been validated on it; the newest
   * mark is the rollback target. The snapshot is read back and verified first, so a damaged
   * snapshot never becomes the target.
   *
   * @param fingerprint the fingerprint of a snapshot in the history
   * @return the newest snapshot with that fingerprint
   * @throws NullPointerException if {@code fingerprint} is null
   * @throws NoSuchElementException if the history holds no snapshot with that fingerprint
   * @throws IllegalStateException if the store is closed or was opened read-only
   * @throws SnapshotIntegrityException if the snapshot fails verification; nothing is marked
   * @throws IOException if the mark could not be made durable; the store is then unchanged (a
   *     {@link StorageConflictException} if other stores sharing the storage overtook every
   *     attempt)
   */
  public SnapshotInfo markStable(Fingerprint fingerprint) throws IOException {
    Objects.requireNonNull(fingerprint, "fingerprint");
    lock.writeLock().lock();
    try {
      checkOpen();
      SnapshotInfo info;
      StableMark mark;
      for (int attempt = 1; ; attempt++) {
        info = find(fingerprint);
        SnapshotInfo target = state.target();
        if (attempt > 1 && target != null && target.fingerprint().equals(fingerprint)) {
          // Overtaken by another store that marked the same content: done, without a second
          // mark.
          journal("stable", info.describeUnescaped() + " was marked known-stable by another"
              + " store sharing the storage: it is the rollback target");
          return info;
        }
        verified(info);
        mark = new StableMark(nextSequence, fingerprint, clock.instant());
        try {
          storage.appendMark(mark);
          break;
        } catch (StorageConflictException conflict) {
          overtaken(conflict, attempt);
        }
      }
      nextSequence++;
      StoreState before = state;
      state = StoreState.of(before.stored(), append(before.marks(), mark), retained);
      journal("stable", info.describeUnescaped()
          + " marked known-stable: it is the rollback target");
      compactIfDue();
      return info;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Rewrites the storage to hold only the retained history and the stable marks, now rather
   * than when enough snapshots have been dropped.
   *
   * @throws IllegalStateException if the store is closed or was opened read-only
   * @throws IOException if the rewrite failed, or the filesystem lacks the room for the
   *     compacted copy; the storage then holds what it held before
   */
  public void compact() throws IOException {
    lock.writeLock().lock();
    try {
      checkOpen();
      for (int attempt = 1; ; attempt++) {
        try {
          compactNow();
          return;
        } catch (StorageConflictException conflict) {
          overtaken(conflict, attempt);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @GuardedBy("lock") // called with the write lock held
  private void compactIfDue() {
    StoreState current = state;
    if (current.stored().size() - current.history().size() < retained) {
      return;
    }
    try {
      compactNow();
    } catch (StorageConflictException overtaken) {
      // Another store sharing the storage wrote first: not a failure. This store's next write
      // refreshes, and compaction is due again after it.
      return;
    } catch (IOException | RuntimeException e) {
      // The write that triggered compaction succeeded; compaction is retried on every later
      // append. A run of failures is reported once per kind, not on every append.
      failedCompactions++;
      if (e.getClass() == reportedCompactionFailure) {
        return;
      }
      reportedCompactionFailure = e.getClass();
      String who = "snapshot store '" + PlainText.escape(name) + "' ("
          + PlainText.escape(storage.describe()) + ")";
      if (e instanceof InsufficientSpaceException) {
        journal("compact", "deferred: " + e.getMessage() + "; retrying on later appends");
        LOGGER.warn("{}: {}; compaction is retried on later appends, and this is reported once",
            who, e.getMessage());
      } else {
        journal("compact", "failed, will retry: " + e);
        LOGGER.warn("{} could not compact; it retries on later appends, and reports further"
            + " failures of this kind only when one succeeds", who, e);
      }
    }
  }

  @GuardedBy("lock") // called with the write lock held
  private void compactNow() throws IOException {
    StoreState current = state;
    Map<Fingerprint, StableMark> newestMark = new LinkedHashMap<>();
    for (StableMark mark : current.marks()) {
      newestMark.put(mark.fingerprint(), mark);
    }
    List<StableMark> marks = new ArrayList<>(newestMark.values());
    marks.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
    int dropped = current.stored().size() - current.history().size();
    storage.rewrite(current.history(), marks);
    state = StoreState.of(current.history(), marks, retained);
    journal("compact", "dropped " + dropped + " snapshots beyond the last " + retained
        + "; kept " + current.history().size() + " snapshots and " + marks.size()
        + " stable marks" + (failedCompactions == 0 ? ""
        : "; after " + failedCompactions + " failed " + (failedCompactions == 1 ? "attempt"
        : "attempts")));
    failedCompactions = 0;
    reportedCompactionFailure = null;
  }

  /**
   * Re-reads a {@link SnapshotStorage#isShared() shared} storage, to pick up what other stores
   * sharing it wrote: their snapshots, stable marks and compactions. {@link #history()},
   * {@link #lastKnownStableInfo()} and the other reads from memory answer with what it finds.
   * For a storage only this store writes (a directory, memory) it does nothing.
   *
   * @return {@code true} if the storage had changed
   * @throws IllegalStateException if the store is closed
   * @throws IOException if the storage cannot be read; the store then keeps what it knew
   */
  public boolean refresh() throws IOException {
    lock.writeLock().lock();
    try {
      checkOpen();
      return refreshLocked();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private boolean refreshLocked() throws IOException {
    Optional<SnapshotStorage.Contents> changed = storage.refresh();
    if (changed.isEmpty()) {
      return false;
    }
    SnapshotStorage.Contents contents = changed.get();
    state = StoreState.of(contents.snapshots(), contents.marks(), retained);
    nextSequence = nextSequence(contents);
    return true;
  }

  /**
   * A write lost a compare-and-set on a shared storage: refresh to retry, or give up. Each
   * conflict means another store's write succeeded, so the stores as a whole always progress;
   * from the second conflict in a row on, a random pause of up to twice the previous bound
   * (capped at 10 ms: "full jitter" exponential back-off, M. Brooker, "Exponential Backoff And
   * Jitter", 2015) keeps a store that keeps losing from losing for good.
   */
  private void overtaken(StorageConflictException conflict, int attempt) throws IOException {
    if (attempt >= MAX_CONFLICT_ATTEMPTS) {
      throw conflict;
    }
    if (attempt >= 2) {
      long bound = Math.min(MAX_CONFLICT_PAUSE_NANOS, 1_000L << Math.min(attempt, 20));
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(bound));
    }
    if (!refreshLocked()) {
      throw conflict;
    }
  }

  // -------------------------------------------------------------------------------- reading

  /**
   * Returns the retained snapshots, oldest first.
   *
   * @return an immutable list
   */
  public List<SnapshotInfo> history() {
    return state.history();
  }

  /**
   * Returns the newest snapshot.
   *
   * @return the newest snapshot's metadata, or empty if the store is empty
   */
  public Optional<SnapshotInfo> latest() {
    List<SnapshotInfo> history = state.history();
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }

  /**
   * Tells whether content was ever marked known-stable in this store.
   *
   * @param fingerprint the content's fingerprint
   * @return {@code true} if it was marked stable
   * @throws NullPointerException if {@code fingerprint} is null
   */
  public boolean isStable(Fingerprint fingerprint) {
    Objects.requireNonNull(fingerprint, "fingerprint");
    return state.stable().contains(fingerprint);
  }

  /**
   * Returns the rollback target without reading it: the newest snapshot of the most recently
   * marked stable fingerprint.
   *
   * @return its metadata, or empty if nothing was marked stable
   */
  public Optional<SnapshotInfo> lastKnownStableInfo() {
    return Optional.ofNullable(state.target());
  }

  /**
   * Reads and verifies the rollback target: the newest snapshot of the most recently marked
   * stable fingerprint. On a shared storage the store {@link #refresh() refreshes} first.
   *
   * @return the verified snapshot, or empty if nothing was marked stable
   * @throws IllegalStateException if the store is closed
   * @throws SnapshotIntegrityException if it fails verification; the message names it
   * @throws IOException if it cannot be read
   */
  public Optional<Snapshot> lastKnownStable() throws IOException {
    refreshIfShared();
    lock.readLock().lock();
    try {
      checkOpen();
      SnapshotInfo target = state.target();
      return target == null ? Optional.empty() : Optional.of(verified(target));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Reads and verifies the newest snapshot with the given fingerprint. On a shared storage the
   * store {@link #refresh() refreshes} first.
   *
   * @param fingerprint the content's fingerprint
   * @return the verified snapshot
   * @throws NullPointerException if {@code fingerprint} is null
   * @throws NoSuchElementException if the history holds no snapshot with that fingerprint
   * @throws IllegalStateException if the store is closed
   * @throws SnapshotIntegrityException if it fails verification; the message names it
   * @throws IOException if it cannot be read
   */
  public Snapshot load(Fingerprint fingerprint) throws IOException {
    Objects.requireNonNull(fingerprint, "fingerprint");
    refreshIfShared();
    lock.readLock().lock();
    try {
      checkOpen();
      return verified(find(fingerprint));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Returns what the storage found and repaired when the store was opened, for example a torn
   * record discarded after a crash. Each note was also recorded in the journal.
   *
   * @return an immutable list, empty after a clean shutdown
   */
  public List<String> recoveryNotes() {
    return recoveryNotes;
  }

  /**
   * Returns the store's name, the source of its journal entries.
   *
   * @return the name given to the builder, {@code "snapshots"} by default
   */
  public String name() {
    return name;
  }

  /**
   * Closes the storage. Later calls to this method do nothing. The methods that use the
   * storage ({@link #append}, {@link #markStable}, {@link #compact}, {@link #load} and
   * {@link #lastKnownStable()}) then throw {@link IllegalStateException}; the others keep
   * answering from memory with what the store held when it closed: {@link #history()},
   * {@link #latest()}, {@link #isStable}, {@link #lastKnownStableInfo()}, {@link
   * #recoveryNotes()} and {@link #name()}.
   *
   * @throws IOException if the storage failed to close
   */
  @Override
  public void close() throws IOException {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        storage.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    StoreState current = state;
    return "SnapshotStore[" + PlainText.escape(name) + ", " + PlainText.escape(storage.describe())
        + ", " + current.history().size()
        + " snapshots" + (current.target() == null ? "" : ", target " + current.target().describe())
        + "]";
  }

  // ------------------------------------------------------------------------------ internals

  private SnapshotInfo find(Fingerprint fingerprint) {
    SnapshotInfo info = state.newestByFingerprint().get(fingerprint);
    if (info == null) {
      throw new NoSuchElementException("snapshot store '" + PlainText.escape(name)
          + "' holds no snapshot with"
          + " fingerprint " + fingerprint + " in its history of " + state.history().size());
    }
    return info;
  }

  private Snapshot verified(SnapshotInfo info) throws IOException {
    try {
      byte[] bytes = storage.read(info);
      if (bytes.length != info.size()) {
        throw new SnapshotIntegrityException("snapshot " + info.describe() + " in "
            + PlainText.escape(storage.describe()) + ": the stored content is " + bytes.length
            + " bytes, its record says " + info.size());
      }
      Value value;
      try {
        value = Value.decode(bytes);
      } catch (IllegalArgumentException e) {
        throw new SnapshotIntegrityException("snapshot " + info.describe() + " in "
            + PlainText.escape(storage.describe()) + ": the stored content is not a canonical"
            + " encoding ("
            + e.getMessage() + ")", e);
      }
      if (!value.fingerprint().equals(info.fingerprint())) {
        throw new SnapshotIntegrityException("snapshot " + info.describe() + " in "
            + PlainText.escape(storage.describe()) + ": the stored content hashes to "
            + value.fingerprint()
            + ", not to its fingerprint " + info.fingerprint());
      }
      return new Snapshot(info, value);
    } catch (SnapshotIntegrityException e) {
      journal(EventCategory.SIGNAL, "integrity", String.valueOf(e.getMessage())); // always has one
      throw e;
    }
  }

  private void refreshIfShared() throws IOException {
    if (storage.isShared()) {
      refresh();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("snapshot store '" + PlainText.escape(name)
          + "' is closed");
    }
  }

  private void journal(String kind, String detail) {
    journal(EventCategory.INFO, kind, detail);
  }

  private void journal(EventCategory category, String kind, String detail) {
    if (journal != null) {
      journal.record(category, name, kind, detail);
    }
  }

  private static void checkLabel(String label) {
    Objects.requireNonNull(label, "label");
    if (label.isBlank()) {
      throw new IllegalArgumentException("label must not be blank, was '"
          + PlainText.escape(label) + "'");
    }
    if (label.length() > MAX_LABEL_LENGTH) {
      throw new IllegalArgumentException("label must be at most " + MAX_LABEL_LENGTH
          + " chars, was " + label.length());
    }
    String problem = JavaValues.checkUtf16(label);
    if (problem != null) {
      throw new IllegalArgumentException("label " + problem);
    }
  }

  private static <T> List<T> append(List<T> list, T item) {
    List<T> longer = new ArrayList<>(list.size() + 1);
    longer.addAll(list);
    longer.add(item);
    return longer;
  }

  /**
   * Configures a {@link SnapshotStore}. Not thread-safe; reusable, though two stores must not
   * share one storage.
   */
  public static final class Builder {
    private final SnapshotStorage storage;
    private String name = "snapshots";
    private int retained = DEFAULT_RETAINED;
    private InstantSource clock = Clock.systemUTC();
    private @Nullable IncidentJournal journal;

    private Builder(SnapshotStorage storage) {
      this.storage = storage;
    }

    /**
     * Sets the store's name: the source of its journal entries and part of its messages.
     *
     * @param name a short name, for example {@code "payments-config"}
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was '"
            + PlainText.escape(name) + "'");
      }
      this.name = name;
      return this;
    }

    /**
     * Sets how many of the newest snapshots the history keeps; the rollback target is kept
     * beyond them.
     *
     * @param count the number of snapshots to keep, default {@value #DEFAULT_RETAINED}
     * @return this builder
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public Builder retain(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("retain must be >= 1, was " + count);
      }
      this.retained = count;
      return this;
    }

    /**
     * Sets the clock that timestamps snapshots and marks.
     *
     * @param clock the clock, default {@link Clock#systemUTC()}
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets a journal to record appends, stable marks, compactions, recovery notes and
     * integrity failures in, with the store's name as the source.
     *
     * @param journal the journal
     * @return this builder
     * @throws NullPointerException if {@code journal} is null
     */
    public Builder journal(IncidentJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * Opens the storage and creates the store.
     *
     * @return the open store
     * @throws IOException if the storage cannot be opened
     * @throws SnapshotIntegrityException if the storage is damaged in a way a crash cannot
     *     explain
     */
    public SnapshotStore open() throws IOException {
      SnapshotStorage.Contents contents = storage.load();
      SnapshotStore store = new SnapshotStore(this, contents);
      for (String note : contents.recoveryNotes()) {
        store.journal("recovery", note);
      }
      return store;
    }
  }
}
