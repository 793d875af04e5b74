package dev.breakglass.fingerprint;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * {@link SnapshotStorage#directory(Path)}: an append-only log of checksummed records plus an
 * atomically replaced pointer to the current rollback target.
 *
 * <p>Thread-safety: {@link #read} may run concurrently with other reads; every other method
 * must be called by one thread at a time and not concurrently with reads ({@link SnapshotStore}
 * guarantees both with its read-write lock).
 */
final class DirectoryStorage implements SnapshotStorage {

  /*
   * Design (the byte layout is in docs/fingerprint-format.md, "Snapshot store files"):
   *
   * snapshots.log  records appended at the end; each is a header (magic, version, kind, label
   *                length, sequence, timestamp, fingerprint, payload length, payload CRC32C,
   *                label) sealed by a CRC32C of the header, then the payload (the value's
   *                canonical encoding). An append writes the record and force(true)s the file
   *                before returning; if either fails, the file is truncated back, so a failed
   *                append leaves no trace.
   * stable         the newest stable mark, written to stable.tmp, forced, moved over `stable`
   *                with ATOMIC_MOVE, then the directory is forced. It duplicates the log's last
   *                mark, so losing the log's tail (a torn write, a damaged last header) cannot
   *                silently move the rollback target back: load() restores the mark from it.
   * lock           held with FileChannel.tryLock while open: one process at a time.
   *
   * load() reads headers only (payload checksums are checked on read) and classifies the first
   * unreadable spot. Appends are forced one at a time, so a crash can only leave a prefix of
   * the last record: a record whose valid header promises more bytes than the file has is a
   * torn append; a damaged header is one only if the file does not extend beyond the end its
   * own length fields declare and no valid header follows it (a forward search). Anything else
   * would lose acknowledged records, and load() refuses with a SnapshotIntegrityException
   * rather than truncate them. A torn tail is truncated and reported in the recovery notes.
   *
   * Compaction (rewrite) copies the kept records verbatim into snapshots.log.tmp, forces it,
   * moves it over the log atomically and forces the directory, so a crash leaves the old or the
   * new log. Creating the store's directory fsyncs the parent of every directory created, so
   * a new store does not vanish with its acknowledged appends after a power loss. Directory
   * fsync opens the directory as a FileChannel, which works on Linux and macOS; on Windows
   * directories cannot be opened and NTFS journals renames itself, so it is skipped there.
   */

  static final String LOG_FILE = "snapshots.log";
  static final String POINTER_FILE = "stable";
  static final String LOCK_FILE = "lock";
  static final String TEMP_SUFFIX = ".tmp";

  static final int MAGIC = 0x42475352; // "BGSR"
  static final int POINTER_MAGIC = 0x42475350; // "BGSP"
  static final int VERSION = 1;
  static final int KIND_SNAPSHOT = 1;
  static final int KIND_MARK = 2;
  static final int FIXED_HEADER = 68;
  static final int POINTER_SIZE = 61;
  static final int MAX_LABEL_BYTES = 0xFFFF;

  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

  /** Where one record lives in the log. */
  private record Location(long offset, int headerLength, int payloadLength, int payloadCrc) {
    long end() {
      return offset + headerLength + payloadLength;
    }
  }

  /** A header read from the log: valid, or the reason it is not. */
  private record Header(
      @Nullable String problem, int kind, long sequence, Instant time, Fingerprint fingerprint,
      String label, int headerLength, long payloadLength, int payloadCrc) {

    static Header bad(String problem) {
      return bad(problem, 0, -1);
    }

    /** A damaged header that still has its magic: {@code declaredLength} is what it claims. */
    static Header bad(String problem, int headerLength, long declaredPayloadLength) {
      return new Header(problem, 0, 0, Instant.EPOCH, Fingerprint.wrap(new byte[32]), "",
          headerLength, declaredPayloadLength, 0);
    }

    /** Where the record would end by its own (unverified) length fields, or -1 if unknown. */
    long declaredEnd(long pos) {
      return payloadLength < 0 ? -1 : pos + headerLength + payloadLength;
    }
  }

  private final Path directory;
  private final Path logPath;
  private final Path pointerPath;
  private final Map<Long, Location> locations = new ConcurrentHashMap<>();
  private @Nullable FileChannel log;
  private @Nullable FileChannel lockChannel;
  private @Nullable FileLock lock;
  private long end;
  private @Nullable StableMark pointer;
  private @Nullable String broken;

  DirectoryStorage(Path directory) {
    this.directory = directory;
    this.logPath = directory.resolve(LOG_FILE);
    this.pointerPath = directory.resolve(POINTER_FILE);
  }

  // -------------------------------------------------------------------------------- opening

  @Override
  public Contents load() throws IOException {
    if (log != null) {
      throw new IllegalStateException(describe() + " is already loaded");
    }
    createDirectoriesDurably(directory);
    acquireLock();
    try {
      return doLoad();
    } catch (IOException | RuntimeException | Error e) {
      closeQuietly(e);
      throw e;
    }
  }

  /**
   * Files.createDirectories, then an fsync of the parent of each directory it created, so that
   * a new store directory, and with it every acknowledged append, survives a power loss.
   */
  private static void createDirectoriesDurably(Path directory) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = directory.toAbsolutePath(); p != null && !Files.isDirectory(p);
        p = p.getParent()) {
      missing.add(p);
    }
    Files.createDirectories(directory);
    for (int i = missing.size() - 1; i >= 0; i--) { // outermost first
      Path parent = missing.get(i).getParent();
      if (parent != null) {
        fsyncDirectory(parent);
      }
    }
  }

  private void acquireLock() throws IOException {
    FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock acquired;
    try {
      acquired = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      channel.close();
      throw new IOException("snapshot store " + directory + " is already open in this JVM");
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (acquired == null) {
      channel.close();
      throw new IOException("snapshot store " + directory + " is in use by another process");
    }
    lockChannel = channel;
    lock = acquired;
  }

  private Contents doLoad() throws IOException {
    List<String> notes = new ArrayList<>();
    for (String name : List.of(LOG_FILE + TEMP_SUFFIX, POINTER_FILE + TEMP_SUFFIX)) {
      if (Files.deleteIfExists(directory.resolve(name))) {
        notes.add("removed " + directory.resolve(name) + ", left by an interrupted write");
      }
    }
    boolean created = !Files.exists(logPath);
    FileChannel channel = FileChannel.open(logPath,
        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    log = channel;
    if (created) {
      fsyncDirectory();
    }
    List<SnapshotInfo> snapshots = new ArrayList<>();
    List<StableMark> marks = new ArrayList<>();
    long size = channel.size();
    long pos = 0;
    long lastSequence = -1;
    while (pos < size) {
      Header header = readHeader(channel, pos, size);
      if (header.problem == null) {
        long recordEnd = pos + header.headerLength + header.payloadLength;
        if (recordEnd > size) {
          truncateTornTail(channel, pos, size, "the record #" + header.sequence + " at byte "
              + pos + " is incomplete: its header promises " + header.payloadLength
              + " payload bytes and the file ends after " + (size - pos - header.headerLength),
              notes);
          break;
        }
        if (header.sequence <= lastSequence) {
          throw new SnapshotIntegrityException(logPath + " at byte " + pos + ": record sequence "
              + header.sequence + " does not follow " + lastSequence);
        }
        lastSequence = header.sequence;
        if (header.kind == KIND_SNAPSHOT) {
          snapshots.add(new SnapshotInfo(header.sequence, header.label, header.time,
              header.fingerprint, header.payloadLength));
        } else {
          marks.add(new StableMark(header.sequence, header.fingerprint, header.time));
        }
        locations.put(header.sequence, new Location(
            pos, header.headerLength, (int) header.payloadLength, header.payloadCrc));
        pos = recordEnd;
        continue;
      }
      // A torn append leaves a prefix of one record, so the file cannot extend beyond the
      // record's own declared end; and no valid record can follow it.
      long declaredEnd = header.declaredEnd(pos);
      if (declaredEnd >= 0 && declaredEnd < size) {
        throw damaged(pos, header.problem, "its length fields say it ends at byte " + declaredEnd
            + " and the file goes on to byte " + size);
      }
      long next = findValidHeader(channel, pos + 1, size);
      if (next >= 0) {
        throw damaged(pos, header.problem, "a valid record follows at byte " + next);
      }
      truncateTornTail(channel, pos, size, header.problem, notes);
      break;
    }
    end = channel.size();
    checkPointer(snapshots, marks, lastSequence, notes);
    return new Contents(snapshots, marks, notes);
  }

  private SnapshotIntegrityException damaged(long pos, @Nullable String problem, String evidence) {
    return new SnapshotIntegrityException(logPath + " is damaged at byte " + pos + " (" + problem
        + "), and " + evidence + ", so this is not a torn append; refusing to truncate"
        + " acknowledged records. Move the file aside to start afresh, or repair it by hand"
        + " (docs/fingerprint-format.md)");
  }

  private void truncateTornTail(FileChannel channel, long pos, long size, String why,
      List<String> notes) throws IOException {
    truncate(channel, pos);
    notes.add("torn tail: discarded " + (size - pos) + " bytes at byte " + pos + " of " + logPath
        + " (" + why + "); every complete record before it is intact");
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
    boolean held = snapshots.stream().anyMatch(s -> s.fingerprint().equals(fromPointer.fingerprint()));
    if (fromPointer.sequence() > lastSequence && held) {
      appendRecord(KIND_MARK, fromPointer.sequence(), fromPointer.markedAt(),
          fromPointer.fingerprint(), new byte[0], new byte[0]);
      marks.add(fromPointer);
      pointer = fromPointer;
      notes.add("the log had lost stable mark #" + fromPointer.sequence() + " of "
          + fromPointer.fingerprint().toShortString() + " (its tail was torn or damaged);"
          + " restored it from " + pointerPath);
    } else {
      notes.add(pointerPath + " names stable mark #" + fromPointer.sequence() + " of "
          + fromPointer.fingerprint().toShortString() + ", which the log does not hold"
          + (held ? "" : " (nor any snapshot with that fingerprint)") + "; ignored it");
    }
  }

  private @Nullable StableMark readPointer(List<String> notes) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(pointerPath);
    } catch (NoSuchFileException e) {
      return null;
    }
    String problem = null;
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (bytes.length != POINTER_SIZE) {
      problem = "size " + bytes.length + ", expected " + POINTER_SIZE;
    } else if (b.getInt(0) != POINTER_MAGIC) {
      problem = "no pointer magic";
    } else if (crc(bytes, 0, POINTER_SIZE - 4) != b.getInt(POINTER_SIZE - 4)) {
      problem = "checksum mismatch";
    } else if (b.get(4) != VERSION) {
      problem = "unsupported version " + b.get(4);
    }
    if (problem == null) {
      try {
        long sequence = b.getLong(5);
        Instant time = Instant.ofEpochSecond(b.getLong(13), b.getInt(21));
        byte[] fingerprint = new byte[Fingerprint.BYTES];
        b.get(25, fingerprint);
        return new StableMark(sequence, Fingerprint.wrap(fingerprint), time);
      } catch (DateTimeException | IllegalArgumentException e) {
        problem = e.getMessage();
      }
    }
    notes.add(pointerPath + " is damaged (" + problem + "); ignored it: the log's stable marks"
        + " are used");
    return null;
  }

  // -------------------------------------------------------------------------------- headers

  private Header readHeader(FileChannel channel, long pos, long size) throws IOException {
    if (size - pos < FIXED_HEADER + 4) {
      return Header.bad("the file ends " + (size - pos) + " bytes into a record header");
    }
    ByteBuffer fixed = ByteBuffer.allocate(FIXED_HEADER);
    readFully(channel, fixed, pos);
    if (fixed.getInt(0) != MAGIC) {
      return Header.bad("no record magic");
    }
    int labelLength = fixed.getShort(6) & 0xFFFF;
    int declaredHeader = FIXED_HEADER + labelLength + 4;
    long declaredPayload = fixed.getInt(60) & 0xFFFFFFFFL;
    if (size - pos < declaredHeader) {
      return Header.bad("the file ends inside a record header", declaredHeader, declaredPayload);
    }
    ByteBuffer rest = ByteBuffer.allocate(labelLength + 4);
    readFully(channel, rest, pos + FIXED_HEADER);
    CRC32C crc = new CRC32C();
    crc.update(fixed.array(), 0, FIXED_HEADER);
    crc.update(rest.array(), 0, labelLength);
    int stored = rest.getInt(labelLength);
    if ((int) crc.getValue() != stored) {
      return Header.bad(String.format("header checksum mismatch (stored crc32c 0x%08x, computed"
          + " 0x%08x)", stored, (int) crc.getValue()), declaredHeader, declaredPayload);
    }
    int version = fixed.get(4);
    if (version != VERSION) {
      throw new IOException(logPath + " at byte " + pos + ": record format version "
          + version + " is not supported by this version of breakglass (it reads version "
          + VERSION + ")");
    }
    int kind = fixed.get(5);
    long sequence = fixed.getLong(8);
    long seconds = fixed.getLong(16);
    int nanos = fixed.getInt(24);
    byte[] fingerprint = new byte[Fingerprint.BYTES];
    fixed.get(28, fingerprint);
    long payloadLength = fixed.getInt(60) & 0xFFFFFFFFL;
    int payloadCrc = fixed.getInt(64);
    String label;
    try {
      label = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(rest.array(), 0, labelLength)).toString();
    } catch (CharacterCodingException e) {
      return Header.bad("the label is not valid UTF-8");
    }
    if ((kind != KIND_SNAPSHOT && kind != KIND_MARK) || sequence < 0 || nanos < 0
        || nanos > 999_999_999 || payloadLength > Integer.MAX_VALUE
        || (kind == KIND_MARK && (labelLength != 0 || payloadLength != 0))) {
      return Header.bad("invalid header fields (kind " + kind + ", sequence " + sequence + ")");
    }
    Instant time;
    try {
      time = Instant.ofEpochSecond(seconds, nanos);
    } catch (DateTimeException e) {
      return Header.bad("invalid timestamp");
    }
    return new Header(null, kind, sequence, time, Fingerprint.wrap(fingerprint), label,
        FIXED_HEADER + labelLength + 4, payloadLength, payloadCrc);
  }

  /** The offset of the first valid record header at or after {@code from}, or -1. */
  private long findValidHeader(FileChannel channel, long from, long size)
      throws IOException {
    int window = 1 << 16;
    ByteBuffer buffer = ByteBuffer.allocate(window + 3);
    byte m0 = (byte) (MAGIC >>> 24);
    for (long base = from; base < size; base += window) {
      buffer.clear();
      int want = (int) Math.min(window + 3L, size - base);
      buffer.limit(want);
      readFully(channel, buffer, base);
      for (int i = 0; i + 3 < want && i < window; i++) {
        if (buffer.get(i) == m0 && buffer.getInt(i) == MAGIC) {
          Header header = readHeader(channel, base + i, size);
          if (header.problem == null) {
            return base + i;
          }
        }
      }
    }
    return -1;
  }

  // --------------------------------------------------------------------------------- writing

  @Override
  public void appendSnapshot(SnapshotInfo info, byte[] encoding) throws IOException {
    checkWritable();
    byte[] label = info.label().getBytes(StandardCharsets.UTF_8);
    if (label.length > MAX_LABEL_BYTES) {
      throw new IllegalArgumentException("label must be at most " + MAX_LABEL_BYTES
          + " bytes of UTF-8, was " + label.length);
    }
    appendRecord(KIND_SNAPSHOT, info.sequence(), info.timestamp(), info.fingerprint(), label,
        encoding);
  }

  @Override
  public void appendMark(StableMark mark) throws IOException {
    checkWritable();
    long before = end;
    appendRecord(KIND_MARK, mark.sequence(), mark.markedAt(), mark.fingerprint(), new byte[0],
        new byte[0]);
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
        throw e;
      }
      undoAppend(log(), before, e, "a failed stable-mark write");
      locations.remove(mark.sequence());
      throw e;
    }
  }

  private void appendRecord(int kind, long sequence, Instant time, Fingerprint fingerprint,
      byte[] label, byte[] payload) throws IOException {
    int payloadCrc = crc(payload, 0, payload.length);
    ByteBuffer header = header(kind, sequence, time, fingerprint, label, payload.length,
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
    locations.put(sequence, new Location(start, headerLength, payload.length, payloadCrc));
  }

  /**
   * Truncates the log back to {@code length} after {@code failure}, so a failed write leaves no
   * trace; if that fails too, the storage is marked unusable (reopening repairs it) and the
   * undo's failure is added to {@code failure}.
   */
  private void undoAppend(FileChannel channel, long length, Exception failure, String what) {
    try {
      truncate(channel, length);
      end = length;
    } catch (IOException | RuntimeException undo) {
      failure.addSuppressed(undo);
      broken = what + " could not be undone (" + undo + ")";
    }
  }

  private static void truncate(FileChannel channel, long length) throws IOException {
    channel.truncate(length);
    channel.force(true);
  }

  static ByteBuffer header(int kind, long sequence, Instant time, Fingerprint fingerprint,
      byte[] label, int payloadLength, int payloadCrc) {
    ByteBuffer b = ByteBuffer.allocate(FIXED_HEADER + label.length + 4);
    b.putInt(MAGIC).put((byte) VERSION).put((byte) kind).putShort((short) label.length);
    b.putLong(sequence).putLong(time.getEpochSecond()).putInt(time.getNano());
    b.put(fingerprint.bytesUnsafe()).putInt(payloadLength).putInt(payloadCrc).put(label);
    b.putInt(crc(b.array(), 0, FIXED_HEADER + label.length));
    return b.flip();
  }

  private void writePointer(StableMark mark) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(POINTER_SIZE);
    b.putInt(POINTER_MAGIC).put((byte) VERSION).putLong(mark.sequence())
        .putLong(mark.markedAt().getEpochSecond()).putInt(mark.markedAt().getNano())
        .put(mark.fingerprint().bytesUnsafe());
    b.putInt(crc(b.array(), 0, POINTER_SIZE - 4));
    replaceAtomically(pointerPath, b.array());
  }

  private void restorePointer() throws IOException {
    if (pointer != null) {
      writePointer(pointer);
    } else {
      Files.deleteIfExists(pointerPath);
      fsyncDirectory();
    }
  }

  /** Deletes a half-written temporary file, keeping a failure to delete with {@code failure}. */
  private static void deleteAfterFailure(Path temp, Exception failure) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException cleanup) {
      failure.addSuppressed(cleanup);
    }
  }

  private void replaceAtomically(Path target, byte[] content) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory();
  }

  @Override
  public void rewrite(List<SnapshotInfo> snapshots, List<StableMark> marks) throws IOException {
    checkWritable();
    FileChannel old = log();
    Path temp = logPath.resolveSibling(LOG_FILE + TEMP_SUFFIX);
    Map<Long, Location> rewritten = new ConcurrentHashMap<>();
    long size = 0;
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      int i = 0;
      int j = 0;
      while (i < snapshots.size() || j < marks.size()) {
        boolean snapshotNext = j >= marks.size()
            || (i < snapshots.size() && snapshots.get(i).sequence() < marks.get(j).sequence());
        if (snapshotNext) {
          SnapshotInfo info = snapshots.get(i++);
          Location at = location(info);
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
          rewritten.put(info.sequence(), new Location(size, at.headerLength(),
              at.payloadLength(), at.payloadCrc()));
          size += length;
        } else {
          StableMark mark = marks.get(j++);
          ByteBuffer header = header(KIND_MARK, mark.sequence(), mark.markedAt(),
              mark.fingerprint(), new byte[0], 0, 0);
          int length = header.remaining();
          long position = size;
          while (header.hasRemaining()) {
            position += out.write(header, position);
          }
          rewritten.put(mark.sequence(), new Location(size, length, 0, 0));
          size += length;
        }
      }
      out.force(true);
    } catch (IOException | RuntimeException e) {
      deleteAfterFailure(temp, e);
      throw e;
    }
    try {
      Files.move(temp, logPath, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      deleteAfterFailure(temp, e);
      throw e;
    }
    // From here on the new log is in place: any failure leaves this instance unusable.
    try {
      fsyncDirectory();
      old.close();
      log = FileChannel.open(logPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
      end = log.size();
    } catch (IOException | RuntimeException e) {
      broken = "the log was compacted but could not be reopened (" + e + ")";
      throw e;
    }
    locations.clear();
    locations.putAll(rewritten);
  }

  // --------------------------------------------------------------------------------- reading

  @Override
  public byte[] read(SnapshotInfo info) throws IOException {
    Location at = location(info);
    FileChannel channel = log();
    ByteBuffer payload = ByteBuffer.allocate(at.payloadLength());
    long offset = at.offset() + at.headerLength();
    try {
      readFully(channel, payload, offset);
    } catch (EOFException e) {
      throw new SnapshotIntegrityException("snapshot " + info.describe() + " in " + logPath
          + " at byte " + at.offset() + ": the file ends before its payload does", e);
    }
    int computed = crc(payload.array(), 0, at.payloadLength());
    if (computed != at.payloadCrc()) {
      throw new SnapshotIntegrityException(String.format("snapshot %s in %s at byte %d: payload"
          + " checksum mismatch (stored crc32c 0x%08x, computed 0x%08x)", info.describe(),
          logPath, at.offset(), at.payloadCrc(), computed));
    }
    return payload.array();
  }

  private Location location(SnapshotInfo info) {
    Location at = locations.get(info.sequence());
    if (at == null) {
      throw new NoSuchElementException("no snapshot " + info.describe() + " in " + describe());
    }
    return at;
  }

  // ---------------------------------------------------------------------------------- misc

  @Override
  public String describe() {
    return "directory " + directory;
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
          failure = e instanceof IOException io ? io : new IOException(e);
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
    return "SnapshotStorage[" + describe() + "]";
  }

  private FileChannel log() throws IOException {
    FileChannel channel = log;
    if (channel == null) {
      throw new IOException(describe() + " is " + (broken != null ? broken : "not loaded"));
    }
    return channel;
  }

  private void checkWritable() throws IOException {
    if (broken != null) {
      throw new IOException(describe() + " is unusable: " + broken + "; reopen it");
    }
    log();
  }

  private void fsyncDirectory() throws IOException {
    fsyncDirectory(directory);
  }

  private static void fsyncDirectory(Path directory) throws IOException {
    if (WINDOWS) {
      return;
    }
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new EOFException("end of file at byte " + at);
      }
      at += n;
    }
    buffer.flip();
  }

  private static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }
}
