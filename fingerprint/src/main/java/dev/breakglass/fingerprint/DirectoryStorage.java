package dev.breakglass.fingerprint;

import dev.breakglass.core.internal.PlainText;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
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
   * unreadable spot. A log starts with a record, so a file that does not start with the record
   * magic is not a log (or one damaged at its first byte) and is refused untouched. Appends are
   * forced one at a time, so a crash can only leave a prefix of the last record, in which
   * blocks that never reached the disk read as zeros: a record whose valid header promises more
   * bytes than the file has is a torn append; a damaged header is one only if its first bytes
   * are the magic or zeros, the file does not extend beyond the end its own length fields
   * declare, and no valid header follows it (a forward search). Anything else would lose
   * acknowledged records, and load() refuses with a SnapshotIntegrityException rather than
   * truncate them. A damaged last record whose header still has its magic cannot be told from a
   * torn append (bit rot in an acknowledged record looks the same), so every cut tail is first
   * copied to snapshots.log.discarded-<time> beside the log, forced, and only then truncated:
   * nothing acknowledged is destroyed without a copy. The recovery note names the copy.
   *
   * Compaction (rewrite) first checks that the filesystem has room for the new log (refusing
   * with InsufficientSpaceException, which the store reports once), then copies the kept records
   * verbatim into snapshots.log.tmp, forces it, moves it over the log atomically and forces the
   * directory, so a crash leaves the old or the new log. Creating the store's directory fsyncs
   * the parent of every directory created, so a new store does not vanish with its acknowledged
   * appends after a power loss. Directory fsync opens the directory as a FileChannel, which
   * works on Linux and macOS; on Windows directories cannot be opened and NTFS journals renames
   * itself, so it is skipped there.
   *
   * Read-only mode opens nothing for writing: no directory is created, no lock taken (so it can
   * read a directory a writer holds, as of the moment it opens), no leftover removed, and a torn
   * tail or a mark the log lost are only noted and handled in memory. Every write throws
   * IllegalStateException.
   *
   * Every filesystem call goes through Io, the seam through which tests simulate a full disk or
   * a read-only filesystem (root ignores permissions, so they cannot), and every IOException it
   * throws is rethrown naming the store, the operation and the file.
   */

  static final String LOG_FILE = "snapshots.log";
  static final String POINTER_FILE = "stable";
  static final String LOCK_FILE = "lock";
  static final String TEMP_SUFFIX = ".tmp";
  static final String DISCARDED_INFIX = ".discarded-";

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
  private static final DateTimeFormatter DISCARD_STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /** The filesystem operations of a directory storage; tests substitute failing ones. */
  interface Io {
    /** {@link FileChannel#open(Path, Set, java.nio.file.attribute.FileAttribute[])}. */
    FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException;

    /** {@link Files#createDirectories}. */
    void createDirectories(Path directory) throws IOException;

    /** {@link Files#move} with ATOMIC_MOVE and REPLACE_EXISTING. */
    void moveAtomically(Path source, Path target) throws IOException;

    /** {@link Files#deleteIfExists}. */
    boolean deleteIfExists(Path file) throws IOException;

    /** The bytes available to this process on the filesystem holding {@code directory}. */
    long usableSpace(Path directory) throws IOException;

    /** The real filesystem. */
    Io SYSTEM = new Io() {
      @Override
      public FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
        return FileChannel.open(file, options);
      }

      @Override
      public void createDirectories(Path directory) throws IOException {
        Files.createDirectories(directory);
      }

      @Override
      public void moveAtomically(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }

      @Override
      public boolean deleteIfExists(Path file) throws IOException {
        return Files.deleteIfExists(file);
      }

      @Override
      public long usableSpace(Path directory) throws IOException {
        return Files.getFileStore(directory).getUsableSpace();
      }
    };
  }

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
  private final boolean readOnly;
  private final Io io;
  private final Map<Long, Location> locations = new ConcurrentHashMap<>();
  private boolean loaded;
  private @Nullable FileChannel log;
  private @Nullable FileChannel lockChannel;
  private @Nullable FileLock lock;
  private long end;
  private @Nullable StableMark pointer;
  private @Nullable String broken;

  DirectoryStorage(Path directory, boolean readOnly, Io io) {
    this.directory = directory;
    this.logPath = directory.resolve(LOG_FILE);
    this.pointerPath = directory.resolve(POINTER_FILE);
    this.readOnly = readOnly;
    this.io = io;
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
        createDirectoriesDurably();
        acquireLock();
      }
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
  private void createDirectoriesDurably() throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = directory.toAbsolutePath(); p != null && !Files.isDirectory(p);
        p = p.getParent()) {
      missing.add(p);
    }
    if (missing.isEmpty()) {
      return;
    }
    try {
      io.createDirectories(directory);
    } catch (IOException e) {
      throw failed("creating the directory", directory, e);
    }
    for (int i = missing.size() - 1; i >= 0; i--) { // outermost first
      Path parent = missing.get(i).getParent();
      if (parent != null) {
        fsyncDirectory(parent);
      }
    }
  }

  private void acquireLock() throws IOException {
    Path lockPath = directory.resolve(LOCK_FILE);
    FileChannel channel;
    try {
      channel = io.open(lockPath, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw failed("opening the lock file", lockPath, e);
    }
    FileLock acquired;
    try {
      acquired = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      channel.close();
      throw new IOException("snapshot store " + shown(directory) + " is already open in this JVM");
    } catch (IOException e) {
      closeAfterFailure(channel, e);
      throw failed("locking", lockPath, e);
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
    for (String name : List.of(LOG_FILE + TEMP_SUFFIX, POINTER_FILE + TEMP_SUFFIX)) {
      Path leftover = directory.resolve(name);
      if (readOnly) {
        if (Files.exists(leftover)) {
          notes.add("found " + shown(leftover) + ", left by an interrupted write; left it in place:"
              + " the store is open read-only");
        }
      } else {
        try {
          if (io.deleteIfExists(leftover)) {
            notes.add("removed " + shown(leftover) + ", left by an interrupted write");
          }
        } catch (IOException e) {
          throw failed("removing the leftover", leftover, e);
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
      channel = io.open(logPath, readOnly ? Set.of(StandardOpenOption.READ)
          : Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw failed("opening the log", logPath, e);
    }
    log = channel;
    if (created) {
      fsyncDirectory();
    }
    long size;
    try {
      size = channel.size();
      end = scan(channel, size, snapshots, marks, notes);
    } catch (SnapshotIntegrityException e) {
      throw e;
    } catch (IOException e) {
      throw failed("reading the log", logPath, e);
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

  /** Reads the records' headers; returns where the intact log ends. */
  private long scan(FileChannel channel, long size, List<SnapshotInfo> snapshots,
      List<StableMark> marks, List<String> notes) throws IOException {
    if (size > 0 && !startsWithMagicPrefix(channel, 0, size, false)) {
      long next = findValidHeader(channel, 1, size);
      if (next >= 0) {
        throw damaged(0, "no record magic", "a valid record follows at byte " + next);
      }
      throw new SnapshotIntegrityException(shown(logPath) + " is not a breakglass snapshot log:"
          + " it starts with " + firstBytes(channel, size) + ", not with the record magic 42 47"
          + " 53 52 (\"BGSR\"); refusing to open it, and leaving it untouched. Move it out of "
          + shown(directory) + " or open the store elsewhere");
    }
    long pos = 0;
    long lastSequence = -1;
    while (pos < size) {
      Header header = readHeader(channel, pos, size);
      if (header.problem == null) {
        long recordEnd = pos + header.headerLength + header.payloadLength;
        if (recordEnd > size) {
          return discardTornTail(channel, pos, size, "the record #" + header.sequence
              + " at byte " + pos + " is incomplete: its header promises " + header.payloadLength
              + " payload bytes and the file ends after " + (size - pos - header.headerLength),
              notes);
        }
        if (header.sequence <= lastSequence) {
          throw new SnapshotIntegrityException(shown(logPath) + " at byte " + pos
              + ": record sequence " + header.sequence + " does not follow " + lastSequence
              + "; refusing to open it, and leaving it untouched");
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
      // A torn append leaves a prefix of one record (with zeros where blocks never reached the
      // disk), so it starts with the magic or zeros, the file cannot extend beyond the record's
      // own declared end, and no valid record can follow it.
      if (!startsWithMagicPrefix(channel, pos, size, true)) {
        throw damaged(pos, header.problem, "it starts with " + bytesAt(channel, pos, size)
            + ", neither the record magic nor the zeros an interrupted append can leave");
      }
      long declaredEnd = header.declaredEnd(pos);
      if (declaredEnd >= 0 && declaredEnd < size) {
        throw damaged(pos, header.problem, "its length fields say it ends at byte "
            + declaredEnd + " and the file goes on to byte " + size);
      }
      long next = findValidHeader(channel, pos + 1, size);
      if (next >= 0) {
        throw damaged(pos, header.problem, "a valid record follows at byte " + next);
      }
      return discardTornTail(channel, pos, size, header.problem, notes);
    }
    return size;
  }

  /**
   * Whether the bytes at {@code pos} (up to 4) are the record magic, or, where
   * {@code zerosAllowed}, zeros in its place.
   */
  private static boolean startsWithMagicPrefix(FileChannel channel, long pos, long size,
      boolean zerosAllowed) throws IOException {
    int n = (int) Math.min(4, size - pos);
    ByteBuffer bytes = ByteBuffer.allocate(n);
    readFully(channel, bytes, pos);
    for (int i = 0; i < n; i++) {
      byte expected = (byte) (MAGIC >>> (24 - 8 * i));
      if (bytes.get(i) != expected && !(zerosAllowed && bytes.get(i) == 0)) {
        return false;
      }
    }
    return true;
  }

  private static String bytesAt(FileChannel channel, long pos, long size) throws IOException {
    int n = (int) Math.min(8, size - pos);
    ByteBuffer bytes = ByteBuffer.allocate(n);
    readFully(channel, bytes, pos);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : " ").append(String.format("%02x", bytes.get(i)));
    }
    return out.append(size - pos > n ? " ..." : "").toString();
  }

  /** The first bytes of the file, in hexadecimal and as ASCII where printable. */
  private static String firstBytes(FileChannel channel, long size) throws IOException {
    int n = (int) Math.min(8, size);
    ByteBuffer bytes = ByteBuffer.allocate(n);
    readFully(channel, bytes, 0);
    StringBuilder ascii = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int b = bytes.get(i) & 0xFF;
      ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
    }
    return bytesAt(channel, 0, size) + " (\"" + PlainText.escape(ascii.toString()) + "\")";
  }

  private SnapshotIntegrityException damaged(long pos, @Nullable String problem,
      String evidence) {
    return new SnapshotIntegrityException(shown(logPath) + " is damaged at byte " + pos + " ("
        + problem + "), and " + evidence + ", so this is not a torn append; refusing to"
        + " truncate acknowledged records, and leaving the file untouched. Move the file aside"
        + " to start afresh, or repair it by hand (docs/fingerprint-format.md)");
  }

  /**
   * Cuts the log at {@code pos} after copying what is cut beside it; read-only, only notes it.
   * Returns the new end of the log.
   */
  private long discardTornTail(FileChannel channel, long pos, long size, String why,
      List<String> notes) throws IOException {
    if (readOnly) {
      notes.add("torn tail: ignored " + (size - pos) + " bytes at byte " + pos + " of "
          + shown(logPath) + " (" + why + "); left them in place: the store is open read-only");
      return pos;
    }
    Path copy = saveDiscarded(channel, pos, size);
    try {
      truncate(channel, pos);
    } catch (IOException e) {
      throw failed("truncating the torn tail of", logPath, e);
    }
    notes.add("torn tail: discarded " + (size - pos) + " bytes at byte " + pos + " of "
        + shown(logPath) + " (" + why + "); they are kept in " + shown(copy) + "; every complete"
        + " record before them is intact");
    return pos;
  }

  /** Copies bytes {@code [pos, size)} of the log into a new file beside it, durably. */
  private Path saveDiscarded(FileChannel channel, long pos, long size) throws IOException {
    String base = LOG_FILE + DISCARDED_INFIX + DISCARD_STAMP.format(Instant.now());
    Path copy = directory.resolve(base);
    for (int n = 2; Files.exists(copy); n++) {
      copy = directory.resolve(base + "-" + n);
    }
    try (FileChannel out = io.open(copy,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
      long copied = 0;
      while (copied < size - pos) {
        long n = channel.transferTo(pos + copied, size - pos - copied, out);
        if (n <= 0) {
          throw new EOFException("end of file at byte " + (pos + copied));
        }
        copied += n;
      }
      out.force(true);
    } catch (IOException | RuntimeException e) {
      deleteAfterFailure(copy, e);
      if (e instanceof IOException io) {
        throw failed("saving the torn tail of " + shown(logPath) + " to", copy, io);
      }
      throw (RuntimeException) e;
    }
    fsyncDirectory();
    return copy;
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
          appendRecord(KIND_MARK, fromPointer.sequence(), fromPointer.markedAt(),
              fromPointer.fingerprint(), new byte[0], new byte[0]);
        } catch (IOException e) {
          throw failed("restoring stable mark #" + fromPointer.sequence() + " to", logPath, e);
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
    try (FileChannel in = io.open(pointerPath, Set.of(StandardOpenOption.READ))) {
      long size = in.size();
      if (size > POINTER_SIZE + 1) {
        size = POINTER_SIZE + 1; // too long is damage enough; no need to read it all
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      readFully(in, buffer, 0);
      bytes = buffer.array();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw failed("reading the stable pointer", pointerPath, e);
    }
    String problem = null;
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (bytes.length != POINTER_SIZE) {
      problem = "size " + (bytes.length > POINTER_SIZE ? "over " + POINTER_SIZE : bytes.length)
          + ", expected " + POINTER_SIZE;
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
    notes.add(shown(pointerPath) + " is damaged (" + problem + "); ignored it: the log's stable"
        + " marks are used");
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
      throw new IOException("snapshot store " + shown(directory) + ": " + shown(logPath)
          + " at byte " + pos + ": record format version "
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
    checkWritable("append snapshot " + info.describe());
    byte[] label = info.label().getBytes(StandardCharsets.UTF_8);
    if (label.length > MAX_LABEL_BYTES) {
      throw new IllegalArgumentException("label must be at most " + MAX_LABEL_BYTES
          + " bytes of UTF-8, was " + label.length);
    }
    try {
      appendRecord(KIND_SNAPSHOT, info.sequence(), info.timestamp(), info.fingerprint(), label,
          encoding);
    } catch (IOException e) {
      throw failed("appending snapshot " + info.describe() + " (" + encoding.length
          + " bytes) to", logPath, e);
    }
  }

  @Override
  public void appendMark(StableMark mark) throws IOException {
    checkWritable("append stable mark #" + mark.sequence());
    long before = end;
    try {
      appendRecord(KIND_MARK, mark.sequence(), mark.markedAt(), mark.fingerprint(), new byte[0],
          new byte[0]);
    } catch (IOException e) {
      throw failed("appending stable mark #" + mark.sequence() + " to", logPath, e);
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
        if (e instanceof IOException io) {
          throw failed("writing the stable pointer", pointerPath, io);
        }
        throw (RuntimeException) e;
      }
      undoAppend(log(), before, e, "a failed stable-mark write");
      locations.remove(mark.sequence());
      if (e instanceof IOException io) {
        throw failed("writing the stable pointer", pointerPath, io);
      }
      throw (RuntimeException) e;
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
      io.deleteIfExists(pointerPath);
      fsyncDirectory();
    }
  }

  /** Deletes a half-written temporary file, keeping a failure to delete with {@code failure}. */
  private void deleteAfterFailure(Path temp, Exception failure) {
    try {
      io.deleteIfExists(temp);
    } catch (IOException cleanup) {
      failure.addSuppressed(cleanup);
    }
  }

  private void replaceAtomically(Path target, byte[] content) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
    try (FileChannel out = io.open(temp, Set.of(StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    } catch (IOException | RuntimeException e) {
      deleteAfterFailure(temp, e);
      throw e;
    }
    io.moveAtomically(temp, target);
    fsyncDirectory();
  }

  @Override
  public void rewrite(List<SnapshotInfo> snapshots, List<StableMark> marks) throws IOException {
    checkWritable("compact");
    FileChannel old = log();
    long needed = 0;
    for (SnapshotInfo info : snapshots) {
      Location at = location(info);
      needed += at.end() - at.offset();
    }
    needed += (long) marks.size() * (FIXED_HEADER + 4);
    long free;
    try {
      free = io.usableSpace(directory);
    } catch (IOException e) {
      throw failed("checking the free space for compacting", directory, e);
    }
    if (free < needed) {
      throw new InsufficientSpaceException("snapshot store " + shown(directory)
          + ": compaction needs " + needed + " bytes, " + free + " free", needed, free);
    }
    Path temp = logPath.resolveSibling(LOG_FILE + TEMP_SUFFIX);
    Map<Long, Location> rewritten = new ConcurrentHashMap<>();
    long size = 0;
    try (FileChannel out = io.open(temp, Set.of(StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
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
      if (e instanceof IOException io) {
        throw failed("writing the compacted log", temp, io);
      }
      throw (RuntimeException) e;
    }
    try {
      io.moveAtomically(temp, logPath);
    } catch (IOException | RuntimeException e) {
      deleteAfterFailure(temp, e);
      if (e instanceof IOException io) {
        throw failed("replacing the log with", temp, io);
      }
      throw (RuntimeException) e;
    }
    // From here on the new log is in place: any failure leaves this instance unusable.
    try {
      fsyncDirectory();
      old.close();
      log = io.open(logPath, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
      end = log.size();
    } catch (IOException | RuntimeException e) {
      broken = "the log was compacted but could not be reopened (" + e + ")";
      if (e instanceof IOException io) {
        throw failed("reopening the compacted log", logPath, io);
      }
      throw (RuntimeException) e;
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
      throw new SnapshotIntegrityException("snapshot " + info.describe() + " in "
          + shown(logPath) + " at byte " + at.offset() + ": the file ends before its payload"
          + " does", e);
    } catch (IOException e) {
      throw failed("reading snapshot " + info.describe() + " from", logPath, e);
    }
    int computed = crc(payload.array(), 0, at.payloadLength());
    if (computed != at.payloadCrc()) {
      throw new SnapshotIntegrityException(String.format("snapshot %s in %s at byte %d: payload"
          + " checksum mismatch (stored crc32c 0x%08x, computed 0x%08x)", info.describe(),
          shown(logPath), at.offset(), at.payloadCrc(), computed));
    }
    return payload.array();
  }

  private Location location(SnapshotInfo info) {
    Location at = locations.get(info.sequence());
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
          failure = e instanceof IOException io ? failed("closing", directory, io)
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

  private static void closeAfterFailure(FileChannel channel, Exception failure) {
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public String toString() {
    return "SnapshotStorage[" + PlainText.escape(describe()) + "]";
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

  private void fsyncDirectory() throws IOException {
    fsyncDirectory(directory);
  }

  private void fsyncDirectory(Path dir) throws IOException {
    if (WINDOWS) {
      return;
    }
    try (FileChannel channel = io.open(dir, Set.of(StandardOpenOption.READ))) {
      channel.force(true);
    } catch (IOException e) {
      throw failed("flushing the directory", dir, e);
    }
  }

  /**
   * Rethrows a filesystem failure naming the store, the operation and the file:
   * {@code "snapshot store /var/lib/app: appending snapshot #7 'deploy 42' sha256:3f1a9c0b7e42
   * (812 bytes) to /var/lib/app/snapshots.log failed: No space left on device"}. Integrity
   * failures and failures already rethrown this way pass unchanged.
   */
  private IOException failed(String operation, Path file, IOException cause) {
    if (cause instanceof SnapshotIntegrityException || cause instanceof InsufficientSpaceException
        || isOurs(cause)) {
      return cause;
    }
    String reason = reason(cause, file);
    String message = "snapshot store " + shown(directory) + ": " + operation + " "
        + shown(file) + " failed: " + reason;
    if (!readOnly && reason.contains("Read-only file system")) {
      message += "; a store on a read-only filesystem can be opened with"
          + " SnapshotStore.openReadOnly or SnapshotStorage.readOnlyDirectory";
    }
    return new IOException(message, cause);
  }

  private boolean isOurs(IOException e) {
    String message = e.getMessage();
    return message != null && message.startsWith("snapshot store " + shown(directory) + ": ");
  }

  /** What went wrong, without repeating {@code file}. */
  private static String reason(IOException e, Path file) {
    String reason;
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      reason = fs.getReason();
    } else if (e instanceof NoSuchFileException) {
      reason = "no such file or directory";
    } else if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else if (e instanceof FileAlreadyExistsException) {
      reason = "a file is in the way";
    } else if (e instanceof NotDirectoryException) {
      reason = "not a directory";
    } else if (e instanceof FileSystemException) {
      reason = e.getClass().getSimpleName();
    } else {
      reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
    if (e instanceof FileSystemException fs && fs.getFile() != null
        && !fs.getFile().equals(file.toString())) {
      reason += " (" + fs.getFile() + (fs.getOtherFile() != null ? " -> " + fs.getOtherFile()
          : "") + ")";
    }
    return PlainText.escape(reason);
  }

  private static String shown(Path path) {
    return PlainText.escape(path.toString());
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
