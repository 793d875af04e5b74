package dev.breakglass.fingerprint;

import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The byte layout of the {@code stable} file, the pointer to the rollback target
 * (docs/fingerprint-format.md, section 6, "{@code stable}"): the newest stable mark, in 61
 * bytes. Stateless.
 */
final class StablePointer {

  /*
   *   0  magic "BGSP"   4  version   5  sequence   13 seconds   21 nanos   25 fingerprint (32)
   *   57 CRC32C of bytes [0, 57)
   */

  static final int MAGIC = 0x42475350; // "BGSP"
  static final int SIZE = 61;

  private StablePointer() {}

  /** The pointer to a mark, ready to write. */
  static byte[] encode(StableMark mark) {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    Instant markedAt = mark.markedAt();
    b.putInt(MAGIC).put((byte) LogRecord.VERSION).putLong(mark.sequence())
        .putLong(markedAt.getEpochSecond()).putInt(markedAt.getNano())
        .put(mark.fingerprint().bytesUnsafe());
    b.putInt(LogRecord.crc(b.array(), 0, SIZE - 4));
    return b.array();
  }

  /**
   * Says what is wrong with the bytes of a pointer file.
   *
   * @return what is damaged, or null if the size, magic, checksum and version are right
   */
  static @Nullable String damage(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (bytes.length != SIZE) {
      return "size " + (bytes.length > SIZE ? "over " + SIZE : bytes.length)
          + ", expected " + SIZE;
    } else if (b.getInt(0) != MAGIC) {
      return "no pointer magic";
    } else if (LogRecord.crc(bytes, 0, SIZE - 4) != b.getInt(SIZE - 4)) {
      return "checksum mismatch";
    } else if (b.get(4) != LogRecord.VERSION) {
      return "unsupported version " + b.get(4);
    }
    return null;
  }

  /**
   * Reads the mark of a pointer that {@link #damage} found intact.
   *
   * @throws DateTimeException if its timestamp is out of range
   * @throws IllegalArgumentException if a field is invalid (a negative sequence number)
   */
  static StableMark decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long sequence = b.getLong(5);
    Instant time = Instant.ofEpochSecond(b.getLong(13), b.getInt(21));
    byte[] fingerprint = new byte[Fingerprint.BYTES];
    b.get(25, fingerprint);
    return new StableMark(sequence, Fingerprint.wrap(fingerprint), time);
  }
}
