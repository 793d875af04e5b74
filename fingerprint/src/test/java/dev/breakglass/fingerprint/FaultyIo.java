package dev.breakglass.fingerprint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The real filesystem, with faults a test cannot otherwise produce as root: a read-only
 * filesystem (every write-mode operation fails as Linux fails it, with "Read-only file
 * system"), a full disk (writes to chosen files fail with "No space left on device"), and a
 * chosen amount of free space. Records every write-mode operation it was asked for.
 */
final class FaultyIo implements DurableFiles.Io {

  volatile boolean readOnlyFileSystem;
  volatile Predicate<Path> diskFullFor = path -> false;
  volatile long usableSpace = Long.MAX_VALUE;
  final List<String> writeOperations = new ArrayList<>();

  private static boolean writes(Set<? extends OpenOption> options) {
    return options.contains(StandardOpenOption.WRITE)
        || options.contains(StandardOpenOption.APPEND)
        || options.contains(StandardOpenOption.CREATE)
        || options.contains(StandardOpenOption.CREATE_NEW)
        || options.contains(StandardOpenOption.TRUNCATE_EXISTING)
        || options.contains(StandardOpenOption.DELETE_ON_CLOSE);
  }

  private synchronized void write(String operation, Path path) throws IOException {
    writeOperations.add(operation + " " + path.getFileName());
    if (readOnlyFileSystem) {
      throw new FileSystemException(path.toString(), null, "Read-only file system");
    }
  }

  synchronized List<String> writeOperations() {
    return List.copyOf(writeOperations);
  }

  @Override
  public FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
    if (writes(options)) {
      write("open for writing", file);
    }
    FileChannel channel = FileChannel.open(file, options);
    return diskFullFor.test(file) ? new DiskFullChannel(channel, file) : channel;
  }

  @Override
  public void createDirectories(Path directory) throws IOException {
    write("create directories", directory);
    DurableFiles.Io.SYSTEM.createDirectories(directory);
  }

  @Override
  public void moveAtomically(Path source, Path target) throws IOException {
    write("move", target);
    DurableFiles.Io.SYSTEM.moveAtomically(source, target);
  }

  @Override
  public boolean deleteIfExists(Path file) throws IOException {
    write("delete", file);
    return DurableFiles.Io.SYSTEM.deleteIfExists(file);
  }

  @Override
  public long usableSpace(Path directory) {
    return usableSpace;
  }

  /** A channel whose writes fail, as on a full disk; reads, truncation and flushes work. */
  private static final class DiskFullChannel extends FileChannel {
    private final FileChannel delegate;
    private final Path file;

    DiskFullChannel(FileChannel delegate, Path file) {
      this.delegate = delegate;
      this.file = file;
    }

    private IOException full() {
      return new IOException("No space left on device");
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return delegate.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      throw full();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      throw full();
    }

    @Override
    public long position() throws IOException {
      return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      delegate.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      delegate.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      delegate.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      throw full();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      throw full();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      delegate.close();
    }

    @Override
    public String toString() {
      return "DiskFullChannel[" + file + "]";
    }
  }
}
