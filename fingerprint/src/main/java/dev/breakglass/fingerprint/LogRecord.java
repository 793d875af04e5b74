package dev.breakglass.fingerprint;

import dev.breakglass.core.internal.PlainText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The byte layout of a record of {@code snapshots.log} (docs/fingerprint-format.md, section 6,
 * "{@code snapshots.log}"): writing a header, reading one back and saying what is wrong with
 * it, and finding the next valid header after damage. Stateless.
 */
final class LogRecord {

  /*
   * A record is a header (magic, version, kind, label length, sequence, timestamp,
   * fingerprint, payload length, payload CRC32C, label) sealed by a CRC32C of the header, then
   * the payload (the value's canonical encoding):
   *
   *   0  magic "BGSR"   4  version   5  kind   6  label length L   8  sequence
   *   16 seconds   24 nanos   28 fingerprint (32)   60 payload length P   64 payload CRC32C
   *   68 label (L)   68+L header CRC32C   72+L payload (P)
   */

  static final int MAGIC = 0x42475352; // "BGSR"
  static final int VERSION = 1;
  static final int KIND_SNAPSHOT = 1;
  static final int KIND_MARK = 2;
  static final int FIXED_HEADER = 68;
  static final int MAX_LABEL_BYTES = 0xFFFF;

  private LogRecord() {}

  /** Where one record lives in the log. */
  record Location(long offset, int headerLength, int payloadLength, int payloadCrc) {
    long end() {
      return offset + headerLength + payloadLength;
    }
  }

  /** A header read from the log: valid, or the reason it is not. */
  record Header(
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

  /** The header of a record, sealed by its checksum, ready to write. */
  static ByteBuffer header(int kind, long sequence, Instant time, Fingerprint fingerprint,
      byte[] label, int payloadLength, int payloadCrc) {
    ByteBuffer b = ByteBuffer.allocate(FIXED_HEADER + label.length + 4);
    b.putInt(MAGIC).put((byte) VERSION).put((byte) kind).putShort((short) label.length);
    b.putLong(sequence).putLong(time.getEpochSecond()).putInt(time.getNano());
    b.put(fingerprint.bytesUnsafe()).putInt(payloadLength).putInt(payloadCrc).put(label);
    b.putInt(crc(b.array(), 0, FIXED_HEADER + label.length));
    return b.flip();
  }

  /**
   * Reads the header at {@code pos}.
   *
   * @param where the log, as messages name it ({@code "snapshot store <dir>: <file>"})
   * @return the header, or a bad one saying what is wrong with it
   * @throws IOException if it cannot be read, or it is a valid header of a format version this
   *     library does not read
   */
  static Header read(FileChannel channel, long pos, long size, String where)
      throws IOException {
    if (size - pos < FIXED_HEADER + 4) {
      return Header.bad("the file ends " + (size - pos) + " bytes into a record header");
    }
    ByteBuffer fixed = ByteBuffer.allocate(FIXED_HEADER);
    DurableFiles.readFully(channel, fixed, pos);
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
    DurableFiles.readFully(channel, rest, pos + FIXED_HEADER);
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
      throw new IOException(where + " at byte " + pos + ": record format version "
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

  /**
   * The offset of the first valid record header at or after {@code from}, or -1.
   *
   * @param where the log, as messages name it
   */
  static long findValidHeader(FileChannel channel, long from, long size, String where)
      throws IOException {
    int window = 1 << 16;
    ByteBuffer buffer = ByteBuffer.allocate(window + 3);
    byte m0 = (byte) (MAGIC >>> 24);
    for (long base = from; base < size; base += window) {
      buffer.clear();
      int want = (int) Math.min(window + 3L, size - base);
      buffer.limit(want);
      DurableFiles.readFully(channel, buffer, base);
      for (int i = 0; i + 3 < want && i < window; i++) {
        if (buffer.get(i) == m0 && buffer.getInt(i) == MAGIC) {
          Header header = read(channel, base + i, size, where);
          if (header.problem() == null) {
            return base + i;
          }
        }
      }
    }
    return -1;
  }

  /**
   * Whether the bytes at {@code pos} (up to 4) are the record magic, or, where
   * {@code zerosAllowed}, zeros in its place.
   */
  static boolean startsWithMagicPrefix(FileChannel channel, long pos, long size,
      boolean zerosAllowed) throws IOException {
    int n = (int) Math.min(4, size - pos);
    ByteBuffer bytes = ByteBuffer.allocate(n);
    DurableFiles.readFully(channel, bytes, pos);
    for (int i = 0; i < n; i++) {
      byte expected = (byte) (MAGIC >>> (24 - 8 * i));
      if (bytes.get(i) != expected && !(zerosAllowed && bytes.get(i) == 0)) {
        return false;
      }
    }
    return true;
  }

  /** Up to 8 bytes at {@code pos}, in hexadecimal, for messages. */
  static String bytesAt(FileChannel channel, long pos, long size) throws IOException {
    int n = (int) Math.min(8, size - pos);
    ByteBuffer bytes = ByteBuffer.allocate(n);
    DurableFiles.readFully(channel, bytes, pos);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : " ").append(String.format("%02x", bytes.get(i)));
    }
    return out.append(size - pos > n ? " ..." : "").toString();
  }

  /** The first bytes of the file, in hexadecimal and as ASCII where printable. */
  static String firstBytes(FileChannel channel, long size) throws IOException {
    int n = (int) Math.min(8, size);
    ByteBuffer bytes = ByteBuffer.allocate(n);
    DurableFiles.readFully(channel, bytes, 0);
    StringBuilder ascii = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int b = bytes.get(i) & 0xFF;
      ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
    }
    return bytesAt(channel, 0, size) + " (\"" + PlainText.escape(ascii.toString()) + "\")";
  }

  /** The CRC-32C of a range of bytes, as the format stores it. */
  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }
}
