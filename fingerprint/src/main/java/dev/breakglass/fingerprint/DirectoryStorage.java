package dev.breakglass.fingerprint;

import static dev.breakglass.fingerprint.DurableFiles.shown;

import dev.breakglass.core.internal.PlainText;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * {@link SnapshotStorage#directory(Path)} and {@link SnapshotStorage#readOnlyDirectory(Path)}:
 * an append-only log of checksummed records plus an atomically replaced pointer to the current
 * rollback target.
 *
 * <p>Thread-safety: {@link #read} may run concurrently with other reads; every other method
 * must be called by one thread at a time and not concurrently with reads ({@link SnapshotStore}
 * guarantees both with its read-write lock).
 */
final class DirectoryStorage implements SnapshotStorage {

  /*
   * Design. The files and their byte layout are in docs/fingerprint-format.md, section 6, and
   * so is the code: LogRecord is the layout of a log record, StablePointer that of the pointer
   * file, LogRecovery what opening a log does with a torn or damaged tail, and DurableFiles the
   * operations that survive a crash (and name the store in their errors). This class is the
   * storage that puts them together:
   *
   * snapshots.log  records appended at the end. An append writes the record and force(true)s
   *                the file before returning; if either fails, the file is truncated back, so a
   *                failed append leaves no trace.
   * stable         the newest stable mark, replaced atomically (DurableFiles.replaceAtomically)
   *                after its record is in the log. It duplicates the log's last mark, so losing
   *                the log's tail (a torn write, a damaged last header) cannot silently move
   *                the rollback target back: load() restores the mark from it.
   * lock           held with FileChannel.tryLock while open: one process at a time.
   *
   * load() reads headers only (payload checksums are checked on read); see LogRecovery for
   * what it accepts, cuts and refuses.
   *
   * Compaction (rewrite) first checks that the filesystem has room for the new log (refusing
   * with InsufficientSpaceException, which the store reports once), then copies the kept records
   * verbatim into snapshots.log.tmp, forces it, moves it over the log atomically and forces the
   * directory, so a crash leaves the old or the new log. Creating the store's directory fsyncs
   * the parent of every directory created, so a new store does not vanish with its acknowledged
   * appends after a power loss.
   *
   * Read-only mode opens nothing for writing: no directory is created, no lock taken (so it can
   * read a directory a writer holds, as of the moment it opens), no leftover removed, and a torn
   * tail or a mark the log lost are only noted and handled in memory. Every write throws
   * IllegalStateException.
   */

  static final String LOG_FILE = "snapshots.log";
  static final String POINTER_FILE = "stable";
  static final String LOCK_FILE = "lock";

  private final Path directory;
  private final Path logPath;
  private final Path pointerPath;
  private final boolean readOnly;
  private final DurableFiles files;
  private final Map<Long, LogRecord.Location> locations = new ConcurrentHashMap<>();
  private boolean loaded;
  private @Nullable FileChannel log;
  private @Nullable FileChannel lockChannel;
  private @Nullable FileLock lock;
  private long end;
  private @Nullable StableMark pointer;
  private @Nullable String broken;

  DirectoryStorage(Path directory, boolean readOnly, DurableFiles.Io io) {
    this.directory = directory;
    this.logPath = directory.resolve(LOG_FILE);
    this.pointerPath = directory.resolve(POINTER_FILE);
    this.readOnly = readOnly;
    this.files = new DurableFiles(directory, readOnly, io);
  }

  // -------------------------------------------------------------------------------- opening

  @Override
  public Contents load() throws IOException {
    if (loaded) {
      throw new IllegalStateException(PlainText.escape(describe()) + " is already loaded");
    }
    loaded = true;
    try {
      if (readOnly) {
        if (!Files.isDirectory(directory)) {
          throw new IOException("snapshot store " + shown(directory) + ": opening it read-only"
              + " failed: " + (Files.exists(directory) ? "it is not a directory"
              : "no such directory"));
        }
      } else {
        files.createDirectories();
        acquireLock();
      }
      return doLoad();
    } catch (IOException | RuntimeException | Error e) {
      closeQuietly(e);
      throw e;
    }
  }

  private void acquireLock() throws IOException {
    Path lockPath = directory.resolve(LOCK_FILE);
    FileChannel channel;
    try {
      channel = files.open(lockPath, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw files.failed("opening the lock file", lockPath, e);
    }
    FileLock acquired;
    try {
      acquired = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      channel.close();
      throw new IOException("snapshot store " + shown(directory) + " is already open in this JVM");
    } catch (IOException e) {
      DurableFiles.closeAfterFailure(channel, e);
      throw files.failed("locking", lockPath, e);
    }
    if (acquired == null) {
      channel.close();
      throw new IOException("snapshot store " + shown(directory)
          + " is in use by another process");
    }
    lockChannel = channel;
    lock = acquired;
  }

  private Contents doLoad() throws IOException {
    List<String> notes = new ArrayList<>();
    for (String name : List.of(LOG_FILE + DurableFiles.TEMP_SUFFIX,
        POINTER_FILE + DurableFiles.TEMP_SUFFIX)) {
      Path leftover = directory.resolve(name);
      if (readOnly) {
        if (Files.exists(leftover)) {
          notes.add("found " + shown(leftover) + ", left by an interrupted write; left it in place:"
              + " the store is open read-only");
        }
      } else {
        try {
          if (files.deleteIfExists(leftover)) {
            notes.add("removed " + shown(leftover) + ", left by an interrupted write");
          }
        } catch (IOException e) {
          throw files.failed("removing the leftover", leftover, e);
        }
      }
    }
    if (Files.isDirectory(logPath)) {
      throw new IOException("snapshot store " + shown(directory) + ": " + shown(logPath)
          + " is a directory, not a snapshot log");
    }
    List<SnapshotInfo> snapshots = new ArrayList<>();
    List<StableMark> marks = new ArrayList<>();
    if (readOnly && !Files.exists(logPath)) {
      end = 0;
      checkPointer(snapshots, marks, -1, notes);
      return new Contents(snapshots, marks, notes);
    }
    boolean created = !readOnly && !Files.exists(logPath);
    FileChannel channel;
    try {
      channel = files.open(logPath, readOnly ? Set.of(StandardOpenOption.READ)
          : Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw files.failed("opening the log", logPath, e);
    }
    log = channel;
    if (created) {
      files.fsyncDirectory();
    }
    long size;
    try {
      size = channel.size();
      end = new LogRecovery(channel, size, directory, logPath, readOnly, files, where())
          .scan(snapshots, marks, locations, notes);
    } catch (SnapshotIntegrityException e) {
      throw e;
    } catch (IOException e) {
      throw files.failed("reading the log", logPath, e);
    }
    long lastSequence = -1;
    for (SnapshotInfo info : snapshots) {
      lastSequence = Math.max(lastSequence, info.sequence());
    }
    for (StableMark mark : marks) {
      lastSequence = Math.max(lastSequence, mark.sequence());
    }
    checkPointer(snapshots, marks, lastSequence, notes);
    return new Contents(snapshots, marks, notes);
  }

  /** Cross-checks the pointer with the log; restores a mark the log lost. */
  private void checkPointer(List<SnapshotInfo> snapshots, List<StableMark> marks,
      long lastSequence, List<String> notes) throws IOException {
    StableMark fromPointer = readPointer(notes);
    if (fromPointer == null) {
      return;
    }
    for (StableMark mark : marks) {
      if (mark.sequence() == fromPointer.sequence()
          && mark.fingerprint().equals(fromPointer.fingerprint())) {
        pointer = fromPointer;
        return;
      }
    }
    boolean held = snapshots.stream()
        .anyMatch(s -> s.fingerprint().equals(fromPointer.fingerprint()));
    if (fromPointer.sequence() > lastSequence && held) {
      if (readOnly) {
        notes.add("the log has lost stable mark #" + fromPointer.sequence() + " of "
            + fromPointer.fingerprint().toShortString() + " (its tail was torn or damaged);"
            + " using it from " + shown(pointerPath) + " without writing it back: the store is open"
            + " read-only");
      } else {
        try {
          appendRecord(LogRecord.KIND_MARK, fromPointer.sequence(), fromPointer.markedAt(),
              fromPointer.fingerprint(), new byte[0], new byte[0]);
        } catch (IOException e) {
          throw files.failed("restoring stable mark #" + fromPointer.sequence() + " to",
              logPath, e);
        }
        notes.add("the log had lost stable mark #" + fromPointer.sequence() + " of "
            + fromPointer.fingerprint().toShortString() + " (its tail was torn or damaged);"
            + " restored it from " + shown(pointerPath));
      }
      marks.add(fromPointer);
      pointer = fromPointer;
    } else {
      notes.add(shown(pointerPath) + " names stable mark #" + fromPointer.sequence() + " of "
          + fromPointer.fingerprint().toShortString() + ", which the log does not hold"
          + (held ? "" : " (nor any snapshot with that fingerprint)") + "; ignored it");
    }
  }

  private @Nullable StableMark readPointer(List<String> notes) throws IOException {
    if (!Files.exists(pointerPath)) {
      return null;
    }
    byte[] bytes;
    try (FileChannel in = files.open(pointerPath, Set.of(StandardOpenOption.READ))) {
      long size = in.size();
      if (size > StablePointer.SIZE + 1) {
        size = StablePointer.SIZE + 1; // too long is damage enough; no need to read it all
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      DurableFiles.readFully(in, buffer, 0);
      bytes = buffer.array();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw files.failed("reading the stable pointer", pointerPath, e);
    }
    String problem = StablePointer.damage(bytes);
    if (problem == null) {
      try {
        return StablePointer.decode(bytes);
      } catch (DateTimeException | IllegalArgumentException e) {
        problem = e.getMessage();
      }
    }
    notes.add(shown(pointerPath) + " is damaged (" + problem + "); ignored it: the log's stable"
        + " marks are used");
    return null;
  }

  // --------------------------------------------------------------------------------- writing

  @Override
  public void appendSnapshot(SnapshotInfo info, byte[] encoding) throws IOException {
    checkWritable("append snapshot " + info.describe());
    byte[] label = info.label().getBytes(StandardCharsets.UTF_8);
    if (label.length > LogRecord.MAX_LABEL_BYTES) {
      throw new IllegalArgumentException("label must be at most " + LogRecord.MAX_LABEL_BYTES
          + " bytes of UTF-8, was " + label.length);
    }
    try {
      appendRecord(LogRecord.KIND_SNAPSHOT, info.sequence(), info.timestamp(),
          info.fingerprint(), label, encoding);
    } catch (IOException e) {
      throw files.failed("appending snapshot " + info.describe() + " (" + encoding.length
          + " bytes) to", logPath, e);
    }
  }

  @Override
  public void appendMark(StableMark mark) throws IOException {
    checkWritable("append stable mark #" + mark.sequence());
    long before = end;
    try {
      appendRecord(LogRecord.KIND_MARK, mark.sequence(), mark.markedAt(), mark.fingerprint(),
          new byte[0], new byte[0]);
    } catch (IOException e) {
      throw files.failed("appending stable mark #" + mark.sequence() + " to", logPath, e);
    }
    try {
      writePointer(mark);
      pointer = mark;
    } catch (IOException | RuntimeException e) {
      // undo the log append so that the call leaves no trace, as the contract requires
      try {
        restorePointer();
      } catch (IOException | RuntimeException undo) {
        e.addSuppressed(undo);
        broken = "a failed stable-mark write could not be undone (" + undo + ")";
        throw files.failed("writing the stable pointer", pointerPath, e);
      }
      undoAppend(log(), before, e, "a failed stable-mark write");
      locations.remove(mark.sequence());
      throw files.failed("writing the stable pointer", pointerPath, e);
    }
  }

  private void appendRecord(int kind, long sequence, Instant time, Fingerprint fingerprint,
      byte[] label, byte[] payload) throws IOException {
    int payloadCrc = LogRecord.crc(payload, 0, payload.length);
    ByteBuffer header = LogRecord.header(kind, sequence, time, fingerprint, label, payload.length,
        payloadCrc);
    int headerLength = header.remaining();
    FileChannel channel = log();
    long start = end;
    try {
      ByteBuffer body = ByteBuffer.wrap(payload);
      long position = start;
      while (header.hasRemaining()) {
        position += channel.write(header, position);
      }
      while (body.hasRemaining()) {
        position += channel.write(body, position);
      }
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      undoAppend(channel, start, e, "a failed append");
      throw e;
    }
    end = start + headerLength + payload.length;
    locations.put(sequence,
        new LogRecord.Location(start, headerLength, payload.length, payloadCrc));
  }

  /**
   * Truncates the log back to {@code length} after {@code failure}, so a failed write leaves no
   * trace; if that fails too, the storage is marked unusable (reopening repairs it) and the
   * undo's failure is added to {@code failure}.
   */
  private void undoAppend(FileChannel channel, long length, Exception failure, String what) {
    try {
      DurableFiles.truncate(channel, length);
      end = length;
    } catch (IOException | RuntimeException undo) {
      failure.addSuppressed(undo);
      broken = what + " could not be undone (" + undo + ")";
    }
  }



  private void writePointer(StableMark mark) throws IOException {
    files.replaceAtomically(pointerPath, StablePointer.encode(mark));
  }

  private void restorePointer() throws IOException {
    if (pointer != null) {
      writePointer(pointer);
    } else {
      files.deleteIfExists(pointerPath);
      files.fsyncDirectory();
    }
  }


  @Override
  public void rewrite(List<SnapshotInfo> snapshots, List<StableMark> marks) throws IOException {
    checkWritable("compact");
    FileChannel old = log();
    long needed = 0;
    for (SnapshotInfo info : snapshots) {
      LogRecord.Location at = location(info);
      needed += at.end() - at.offset();
    }
    needed += (long) marks.size() * (LogRecord.FIXED_HEADER + 4);
    long free;
    try {
      free = files.usableSpace();
    } catch (IOException e) {
      throw files.failed("checking the free space for compacting", directory, e);
    }
    if (free < needed) {
      throw new InsufficientSpaceException("snapshot store " + shown(directory)
          + ": compaction needs " + needed + " bytes, " + free + " free", needed, free);
    }
    Path temp = logPath.resolveSibling(LOG_FILE + DurableFiles.TEMP_SUFFIX);
    Map<Long, LogRecord.Location> rewritten = new ConcurrentHashMap<>();
    long size = 0;
    try (FileChannel out = files.open(temp, Set.of(StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
      int i = 0;
      int j = 0;
      while (i < snapshots.size() || j < marks.size()) {
        boolean snapshotNext = j >= marks.size()
            || (i < snapshots.size() && snapshots.get(i).sequence() < marks.get(j).sequence());
        if (snapshotNext) {
          SnapshotInfo info = snapshots.get(i++);
          LogRecord.Location at = location(info);
          long length = at.end() - at.offset();
          long copied = 0;
          while (copied < length) {
            long n = old.transferTo(at.offset() + copied, length - copied,
                out.position(size + copied));
            if (n <= 0) {
              throw new EOFException(logPath + " ended while copying " + info.describe());
            }
            copied += n;
          }
          rewritten.put(info.sequence(), new LogRecord.Location(size, at.headerLength(),
              at.payloadLength(), at.payloadCrc()));
          size += length;
        } else {
          StableMark mark = marks.get(j++);
          ByteBuffer header = LogRecord.header(LogRecord.KIND_MARK, mark.sequence(),
              mark.markedAt(), mark.fingerprint(), new byte[0], 0, 0);
          int length = header.remaining();
          long position = size;
          while (header.hasRemaining()) {
            position += out.write(header, position);
          }
          rewritten.put(mark.sequence(), new LogRecord.Location(size, length, 0, 0));
          size += length;
        }
      }
      out.force(true);
    } catch (IOException | RuntimeException e) {
      files.deleteAfterFailure(temp, e);
      throw files.failed("writing the compacted log", temp, e);
    }
    try {
      files.moveAtomically(temp, logPath);
    } catch (IOException | RuntimeException e) {
      files.deleteAfterFailure(temp, e);
      throw files.failed("replacing the log with", temp, e);
    }
    // From here on the new log is in place: any failure leaves this instance unusable.
    try {
      files.fsyncDirectory();
      old.close();
      log = files.open(logPath, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
      end = log.size();
    } catch (IOException | RuntimeException e) {
      broken = "the log was compacted but could not be reopened (" + e + ")";
      throw files.failed("reopening the compacted log", logPath, e);
    }
    locations.clear();
    locations.putAll(rewritten);
  }

  // --------------------------------------------------------------------------------- reading

  @Override
  public byte[] read(SnapshotInfo info) throws IOException {
    LogRecord.Location at = location(info);
    FileChannel channel = log();
    ByteBuffer payload = ByteBuffer.allocate(at.payloadLength());
    long offset = at.offset() + at.headerLength();
    try {
      DurableFiles.readFully(channel, payload, offset);
    } catch (EOFException e) {
      throw new SnapshotIntegrityException("snapshot " + info.describe() + " in "
          + shown(logPath) + " at byte " + at.offset() + ": the file ends before its payload"
          + " does", e);
    } catch (IOException e) {
      throw files.failed("reading snapshot " + info.describe() + " from", logPath, e);
    }
    int computed = LogRecord.crc(payload.array(), 0, at.payloadLength());
    if (computed != at.payloadCrc()) {
      throw new SnapshotIntegrityException(String.format("snapshot %s in %s at byte %d: payload"
          + " checksum mismatch (stored crc32c 0x%08x, computed 0x%08x)", info.describe(),
          shown(logPath), at.offset(), at.payloadCrc(), computed));
    }
    return payload.array();
  }

  private LogRecord.Location location(SnapshotInfo info) {
    LogRecord.Location at = locations.get(info.sequence());
    if (at == null) {
      throw new NoSuchElementException("no snapshot " + info.describe() + " in "
          + PlainText.escape(describe()));
    }
    return at;
  }

  // ---------------------------------------------------------------------------------- misc

  @Override
  public String describe() {
    return "directory " + directory + (readOnly ? " (read-only)" : "");
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (AutoCloseable c : new AutoCloseable[] {log, lock, lockChannel}) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e instanceof IOException io ? files.failed("closing", directory, io)
              : new IOException("snapshot store " + shown(directory) + ": closing failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    log = null;
    lock = null;
    lockChannel = null;
    broken = "closed";
    if (failure != null) {
      throw failure;
    }
  }

  private void closeQuietly(Throwable cause) {
    try {
      close();
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }


  @Override
  public String toString() {
    return "SnapshotStorage[" + PlainText.escape(describe()) + "]";
  }

  /** The log, as messages name it. */
  private String where() {
    return "snapshot store " + shown(directory) + ": " + shown(logPath);
  }

  private FileChannel log() throws IOException {
    FileChannel channel = log;
    if (channel == null) {
      throw new IOException(PlainText.escape(describe()) + " is "
          + (broken != null ? broken : "not loaded"));
    }
    return channel;
  }

  private void checkWritable(String what) throws IOException {
    if (readOnly) {
      throw new IllegalStateException("snapshot store " + shown(directory) + " is open"
          + " read-only: cannot " + what);
    }
    if (broken != null) {
      throw new IOException(PlainText.escape(describe()) + " is unusable: " + broken
          + "; reopen it");
    }
    log();
  }






}
