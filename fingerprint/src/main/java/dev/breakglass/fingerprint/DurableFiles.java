package dev.breakglass.fingerprint;

import dev.breakglass.core.internal.PlainText;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The file operations of a directory store that survive a crash or a power loss (flushed
 * files, atomically replaced files, flushed directories), through the {@link Io} seam, and
 * the filesystem errors they raise, which name the store, the operation and the file.
 *
 * <p>Thread-safety: stateless apart from its settings; safe to use from several threads as
 * far as the files involved allow.
 */
final class DurableFiles {

  /*
   * Directory fsync opens the directory as a FileChannel, which works on Linux and macOS; on
   * Windows directories cannot be opened and NTFS journals renames itself, so it is skipped
   * there. Every filesystem call goes through Io, the seam through which tests simulate a full
   * disk or a read-only filesystem (root ignores permissions, so they cannot), and every
   * IOException it throws is rethrown by failed() naming the store, the operation and the
   * file.
   */

  /** The suffix of the temporary file that {@link #replaceAtomically} moves over its target. */
  static final String TEMP_SUFFIX = ".tmp";

  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

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

  private final Path directory;
  private final boolean readOnly;
  private final Io io;

  /**
   * Creates the file operations of a store.
   *
   * @param directory the store's directory: flushed by {@link #fsyncDirectory()}, and named
   *     in every error
   * @param readOnly whether the store was opened read-only (errors then do not suggest it)
   * @param io the filesystem
   */
  DurableFiles(Path directory, boolean readOnly, Io io) {
    this.directory = directory;
    this.readOnly = readOnly;
    this.io = io;
  }

  /** Opens a file through the seam (errors are the caller's to name). */
  FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
    return io.open(file, options);
  }

  /** Moves a file over another atomically, through the seam. */
  void moveAtomically(Path source, Path target) throws IOException {
    io.moveAtomically(source, target);
  }

  /** Deletes a file if it exists, through the seam. */
  boolean deleteIfExists(Path file) throws IOException {
    return io.deleteIfExists(file);
  }

  /** The bytes available to this process on the store's filesystem, through the seam. */
  long usableSpace() throws IOException {
    return io.usableSpace(directory);
  }

  /**
   * Files.createDirectories, then an fsync of the parent of each directory it created, so that
   * a new store directory, and with it every acknowledged append, survives a power loss.
   */
  void createDirectories() throws IOException {
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

  /**
   * Replaces a file's content atomically: writes a temporary file beside it, flushes it, moves
   * it over the file and flushes the directory.
   */
  void replaceAtomically(Path target, byte[] content) throws IOException {
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

  /** Deletes a half-written temporary file, keeping a failure to delete with {@code failure}. */
  void deleteAfterFailure(Path temp, Exception failure) {
    try {
      io.deleteIfExists(temp);
    } catch (IOException cleanup) {
      failure.addSuppressed(cleanup);
    }
  }

  /** Flushes the store's directory, so that files created or renamed in it stay. */
  void fsyncDirectory() throws IOException {
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
  IOException failed(String operation, Path file, IOException cause) {
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

  /**
   * What a failed file operation throws: an {@link IOException} named as by
   * {@link #failed(String, Path, IOException)}; an unchecked exception is rethrown as it is.
   *
   * @param cause an IOException or a RuntimeException
   * @throws RuntimeException {@code cause}, if it is one
   */
  IOException failed(String operation, Path file, Exception cause) {
    if (cause instanceof IOException io) {
      return failed(operation, file, io);
    }
    throw (RuntimeException) cause;
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

  /** A path as messages print it: escaped. */
  static String shown(Path path) {
    return PlainText.escape(path.toString());
  }

  /** Reads from {@code position} until {@code buffer} is full, then flips it. */
  static void readFully(FileChannel channel, ByteBuffer buffer, long position)
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

  /** Cuts a file at {@code length} and flushes it. */
  static void truncate(FileChannel channel, long length) throws IOException {
    channel.truncate(length);
    channel.force(true);
  }

  /** Closes a channel after {@code failure}, keeping a failure to close with it. */
  static void closeAfterFailure(FileChannel channel, Exception failure) {
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
