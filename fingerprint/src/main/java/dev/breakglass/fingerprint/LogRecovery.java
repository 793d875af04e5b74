package dev.breakglass.fingerprint;

import static dev.breakglass.fingerprint.DurableFiles.shown;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Opening a {@code snapshots.log} (docs/fingerprint-format.md, section 6, "Opening"): reads the
 * records' headers, tells a torn append from damage a crash cannot explain, and cuts a torn
 * append off only after saving a copy of it beside the log. One instance reads one log, once.
 *
 * <p>Not thread-safe: the directory storage uses it while it loads, before anyone else can
 * use the log.
 */
final class LogRecovery {

  /*
   * A log starts with a record, so a file that does not start with the record magic is not a
   * log (or one damaged at its first byte) and is refused untouched. Appends are forced one at
   * a time, so a crash can only leave a prefix of the last record, in which blocks that never
   * reached the disk read as zeros: a record whose valid header promises more bytes than the
   * file has is a torn append; a damaged header is one only if its first bytes are the magic or
   * zeros, the file does not extend beyond the end its own length fields declare, and no valid
   * header follows it (a forward search). Anything else would lose acknowledged records, and
   * scan() refuses with a SnapshotIntegrityException rather than truncate them. A damaged last
   * record whose header still has its magic cannot be told from a torn append (bit rot in an
   * acknowledged record looks the same), so every cut tail is first copied to
   * snapshots.log.discarded-<time> beside the log, forced, and only then truncated: nothing
   * acknowledged is destroyed without a copy. The recovery note names the copy.
   */

  /** Between the log's name and the time in the name of a saved tail. */
  static final String DISCARDED_INFIX = ".discarded-";

  private static final DateTimeFormatter DISCARD_STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final FileChannel channel;
  private final long size;
  private final Path directory;
  private final Path logPath;
  private final boolean readOnly;
  private final DurableFiles files;
  private final String where;

  /**
   * Prepares to read a log.
   *
   * @param channel the log, open for reading (and writing, unless {@code readOnly})
   * @param size its size
   * @param directory the store's directory
   * @param logPath the log's path
   * @param readOnly whether to leave a torn tail in place
   * @param files the store's file operations
   * @param where the log, as messages name it
   */
  LogRecovery(FileChannel channel, long size, Path directory, Path logPath, boolean readOnly,
      DurableFiles files, String where) {
    this.channel = channel;
    this.size = size;
    this.directory = directory;
    this.logPath = logPath;
    this.readOnly = readOnly;
    this.files = files;
    this.where = where;
  }

  /**
   * Reads the records' headers into the lists and {@code locations}; cuts a torn tail off
   * after saving a copy of it (read-only: only notes it).
   *
   * @return where the intact log ends
   * @throws SnapshotIntegrityException if the log is not a snapshot log, or is damaged in a
   *     way a crash cannot explain
   */
  long scan(List<SnapshotInfo> snapshots, List<StableMark> marks,
      Map<Long, LogRecord.Location> locations, List<String> notes) throws IOException {
    if (size > 0 && !LogRecord.startsWithMagicPrefix(channel, 0, size, false)) {
      long next = LogRecord.findValidHeader(channel, 1, size, where);
      if (next >= 0) {
        throw damaged(0, "no record magic", "a valid record follows at byte " + next);
      }
      throw new SnapshotIntegrityException(shown(logPath) + " is not a breakglass snapshot log:"
          + " it starts with " + LogRecord.firstBytes(channel, size)
          + ", not with the record magic 42 47 53 52 (\"BGSR\"); refusing to open it, and"
          + " leaving it untouched. Move it out of "
          + shown(directory) + " or open the store elsewhere");
    }
    long pos = 0;
    long lastSequence = -1;
    while (pos < size) {
      LogRecord.Header header = LogRecord.read(channel, pos, size, where);
      if (header.problem() == null) {
        long recordEnd = pos + header.headerLength() + header.payloadLength();
        if (recordEnd > size) {
          return discardTornTail(pos, "the record #" + header.sequence()
              + " at byte " + pos + " is incomplete: its header promises " + header.payloadLength()
              + " payload bytes and the file ends after " + (size - pos - header.headerLength()),
              notes);
        }
        if (header.sequence() <= lastSequence) {
          throw new SnapshotIntegrityException(shown(logPath) + " at byte " + pos
              + ": record sequence " + header.sequence() + " does not follow " + lastSequence
              + "; refusing to open it, and leaving it untouched");
        }
        lastSequence = header.sequence();
        if (header.kind() == LogRecord.KIND_SNAPSHOT) {
          snapshots.add(new SnapshotInfo(header.sequence(), header.label(), header.time(),
              header.fingerprint(), header.payloadLength()));
        } else {
          marks.add(new StableMark(header.sequence(), header.fingerprint(), header.time()));
        }
        locations.put(header.sequence(), new LogRecord.Location(
            pos, header.headerLength(), (int) header.payloadLength(), header.payloadCrc()));
        pos = recordEnd;
        continue;
      }
      // A torn append leaves a prefix of one record (with zeros where blocks never reached the
      // disk), so it starts with the magic or zeros, the file cannot extend beyond the record's
      // own declared end, and no valid record can follow it.
      if (!LogRecord.startsWithMagicPrefix(channel, pos, size, true)) {
        throw damaged(pos, header.problem(), "it starts with "
            + LogRecord.bytesAt(channel, pos, size)
            + ", neither the record magic nor the zeros an interrupted append can leave");
      }
      long declaredEnd = header.declaredEnd(pos);
      if (declaredEnd >= 0 && declaredEnd < size) {
        throw damaged(pos, header.problem(), "its length fields say it ends at byte "
            + declaredEnd + " and the file goes on to byte " + size);
      }
      long next = LogRecord.findValidHeader(channel, pos + 1, size, where);
      if (next >= 0) {
        throw damaged(pos, header.problem(), "a valid record follows at byte " + next);
      }
      return discardTornTail(pos, header.problem(), notes);
    }
    return size;
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
  private long discardTornTail(long pos, String why,
      List<String> notes) throws IOException {
    if (readOnly) {
      notes.add("torn tail: ignored " + (size - pos) + " bytes at byte " + pos + " of "
          + shown(logPath) + " (" + why + "); left them in place: the store is open read-only");
      return pos;
    }
    Path copy = saveDiscarded(pos);
    try {
      DurableFiles.truncate(channel, pos);
    } catch (IOException e) {
      throw files.failed("truncating the torn tail of", logPath, e);
    }
    notes.add("torn tail: discarded " + (size - pos) + " bytes at byte " + pos + " of "
        + shown(logPath) + " (" + why + "); they are kept in " + shown(copy) + "; every complete"
        + " record before them is intact");
    return pos;
  }

  /** Copies bytes {@code [pos, size)} of the log into a new file beside it, durably. */
  private Path saveDiscarded(long pos) throws IOException {
    String base = DirectoryStorage.LOG_FILE + DISCARDED_INFIX + DISCARD_STAMP.format(Instant.now());
    Path copy = directory.resolve(base);
    for (int n = 2; Files.exists(copy); n++) {
      copy = directory.resolve(base + "-" + n);
    }
    try (FileChannel out = files.open(copy,
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
      files.deleteAfterFailure(copy, e);
      throw files.failed("saving the torn tail of " + shown(logPath) + " to", copy, e);
    }
    files.fsyncDirectory();
    return copy;
  }
}
