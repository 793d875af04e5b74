package dev.breakglass.fingerprint;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link SnapshotStore} keeps its records: the service-provider interface for plugging
 * in other stores (a database table, an object store). The store owns the semantics (sequence
 * numbers, retention, stable marks, verifying content against fingerprints); a storage only
 * persists two kinds of record durably and hands them back.
 *
 * <p>Two implementations come with the library: {@link #directory(Path)}, crash-safe files in a
 * directory (the default of {@link SnapshotStore#open(Path)}; {@link #readOnlyDirectory(Path)}
 * reads one without writing), and {@link #inMemory()}, for tests and for services that only
 * need rollback within one process lifetime.
 *
 * <p><b>Contract.</b>
 *
 * <ul>
 *   <li>{@link #load()} is called once, before anything else, and returns every complete
 *       record in append order. It may repair what a crash left behind (a torn last record) and
 *       must report every such repair in {@link Contents#recoveryNotes()}; it must not return a
 *       record it could not read completely.
 *   <li>{@link #appendSnapshot} and {@link #appendMark} return only once the record is
 *       durable: after a crash, {@code load()} returns it.
 *   <li>{@link #read(SnapshotInfo)} returns the bytes exactly as appended, or throws; if the
 *       storage has checksums and one fails, it throws {@link SnapshotIntegrityException}. The
 *       store additionally checks that the bytes decode and hash to the fingerprint.
 *   <li>{@link #rewrite} atomically replaces the contents with the given records (which the
 *       storage already holds): after a crash, {@code load()} returns either the old or the new
 *       contents, never a mix.
 * </ul>
 *
 * <p>The store calls a storage from one thread at a time for writes and
 * {@link #read(SnapshotInfo)} possibly from several threads at once; implementations must allow
 * concurrent reads.
 *
 * <p><b>Shared storages.</b> A storage that several stores, in several processes, read and
 * write at once (a database table) says so with {@link #isShared()} and adds to the contract:
 *
 * <ul>
 *   <li>{@link #appendSnapshot}, {@link #appendMark} and {@link #rewrite} are a compare-and-set
 *       on the whole contents: each succeeds only if nothing was written since this storage
 *       object last loaded, refreshed or wrote them, and otherwise throws
 *       {@link StorageConflictException} and writes nothing;
 *   <li>{@link #refresh()} returns the current contents when another store changed them.
 * </ul>
 *
 * <p>The store then re-reads and retries on a conflict, so the writes of all the stores sharing
 * the storage form one order, which every store sees after a refresh. The two storages that come
 * with the library are not shared: one process at a time holds a directory.
 */
public interface SnapshotStorage extends Closeable {

  /**
   * What a storage holds when it is opened. Immutable and thread-safe.
   *
   * @param snapshots every snapshot record, in append order
   * @param marks every stable mark, in append order
   * @param recoveryNotes what the storage found and repaired while opening, in words a person
   *     can act on (for example a torn record discarded after a crash); empty when nothing
   *     happened
   */
  record Contents(List<SnapshotInfo> snapshots, List<StableMark> marks,
      List<String> recoveryNotes) {

    /**
     * Copies the lists.
     *
     * @param snapshots every snapshot record, in append order
     * @param marks every stable mark, in append order
     * @param recoveryNotes what the storage found and repaired while opening
     * @throws NullPointerException if a list or an element is null
     */
    public Contents {
      snapshots = List.copyOf(snapshots);
      marks = List.copyOf(marks);
      recoveryNotes = List.copyOf(recoveryNotes);
    }
  }

  /**
   * Opens the storage and returns everything it holds.
   *
   * @return the records, in append order, and any recovery notes
   * @throws IOException if the storage cannot be read
   * @throws SnapshotIntegrityException if it is damaged in a way a crash cannot explain, so
   *     that returning the readable records could silently drop acknowledged ones
   */
  Contents load() throws IOException;

  /**
   * Appends a snapshot record durably.
   *
   * @param info the snapshot's metadata
   * @param encoding its canonical encoding ({@link Value#encode()}); not modified
   * @throws StorageConflictException if the storage is shared and another store wrote to it
   *     first; nothing was written
   * @throws IOException if the record could not be made durable; the storage is then as if the
   *     call had not happened
   * @throws IllegalStateException if the storage was opened read-only
   */
  void appendSnapshot(SnapshotInfo info, byte[] encoding) throws IOException;

  /**
   * Appends a stable mark durably.
   *
   * @param mark the mark
   * @throws StorageConflictException if the storage is shared and another store wrote to it
   *     first; nothing was written
   * @throws IOException if the record could not be made durable; the storage is then as if the
   *     call had not happened
   * @throws IllegalStateException if the storage was opened read-only
   */
  void appendMark(StableMark mark) throws IOException;

  /**
   * Reads the canonical encoding of a snapshot appended earlier.
   *
   * @param info the snapshot, as returned by {@link #load()} or given to
   *     {@link #appendSnapshot}
   * @return the bytes exactly as appended
   * @throws IOException if they cannot be read
   * @throws SnapshotIntegrityException if a checksum fails; the message names the snapshot and
   *     what did not match
   * @throws java.util.NoSuchElementException if the storage holds no such snapshot
   */
  byte[] read(SnapshotInfo info) throws IOException;

  /**
   * Atomically replaces the contents with a subset of them: the store's retention.
   *
   * @param snapshots the snapshots to keep, in append order; all held by this storage
   * @param marks the marks to keep, in append order
   * @throws StorageConflictException if the storage is shared and another store wrote to it
   *     first; the contents are then unchanged
   * @throws IOException if the replacement failed; the contents are then unchanged
   * @throws IllegalStateException if the storage was opened read-only
   */
  void rewrite(List<SnapshotInfo> snapshots, List<StableMark> marks) throws IOException;

  /**
   * Tells whether other stores may write to this storage while it is open, so that what it
   * holds can change behind this store's back (see <b>Shared storages</b> above). A store
   * refreshes a shared storage before each read of the rollback target or a snapshot.
   *
   * @return {@code true} for a shared storage; {@code false} by default
   */
  default boolean isShared() {
    return false;
  }

  /**
   * Returns the contents again if other stores sharing this storage changed them since this
   * storage object last loaded, refreshed or wrote them. What it returns is complete, as from
   * {@link #load()} (without recovery notes), and later writes are compared against it.
   *
   * @return the current contents, or empty if nothing changed; always empty for a storage that
   *     is not {@link #isShared() shared}, which is the default
   * @throws IOException if the storage cannot be read
   */
  default Optional<Contents> refresh() throws IOException {
    return Optional.empty();
  }

  /**
   * Describes the storage for messages, for example {@code "directory /var/lib/app/snapshots"}.
   * The store escapes it (control characters, line breaks) where it prints it.
   *
   * @return a short description
   */
  String describe();

  /**
   * Returns the crash-safe directory storage: an append-only log of checksummed records,
   * flushed to disk before each append returns, and a pointer to the current rollback target
   * replaced atomically; the format is in {@code docs/fingerprint-format.md}. The directory is
   * created if needed when the storage is loaded, and locked against other processes while it
   * is open.
   *
   * @param directory the directory holding the store's files
   * @return a storage, not yet opened
   * @throws NullPointerException if {@code directory} is null
   */
  static SnapshotStorage directory(Path directory) {
    return new DirectoryStorage(Objects.requireNonNull(directory, "directory"), false,
        DurableFiles.Io.SYSTEM);
  }

  /**
   * Returns the directory storage of {@link #directory(Path)} opened for reading only, for a
   * store on a read-only filesystem or one to inspect: loading it opens no file for writing,
   * creates, removes and locks nothing, and repairs nothing (a torn last record, or a stable
   * mark the log lost, is reported in the recovery notes and handled in memory only). It does
   * not lock the directory, so it can read a store that a running process holds; it then sees
   * the records as they were when it loaded. {@link #appendSnapshot}, {@link #appendMark} and
   * {@link #rewrite} throw {@link IllegalStateException}.
   *
   * @param directory the directory holding the store's files; it must exist
   * @return a storage, not yet opened
   * @throws NullPointerException if {@code directory} is null
   */
  static SnapshotStorage readOnlyDirectory(Path directory) {
    return new DirectoryStorage(Objects.requireNonNull(directory, "directory"), true,
        DurableFiles.Io.SYSTEM);
  }

  /**
   * Returns a storage that keeps its records in memory, gone when the process exits.
   *
   * @return a new, empty storage
   */
  static SnapshotStorage inMemory() {
    return new MemoryStorage();
  }
}
