package dev.breakglass.fingerprint;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads record boundaries from snapshots.log bytes as docs/fingerprint-format.md describes
 * them, independently of DirectoryStorage, and rewrites checksums for tampering tests.
 */
final class LogRecords {

  record Span(long start, int kind, long sequence, int labelLength, long payloadLength) {
    long headerLength() {
      return 68 + labelLength + 4;
    }

    long payloadStart() {
      return start + headerLength();
    }

    long end() {
      return payloadStart() + payloadLength;
    }
  }

  private LogRecords() {}

  static List<Span> spans(byte[] log) {
    ByteBuffer b = ByteBuffer.wrap(log);
    List<Span> spans = new ArrayList<>();
    long pos = 0;
    while (pos < log.length) {
      int at = (int) pos;
      int labelLength = b.getShort(at + 6) & 0xFFFF;
      long payloadLength = b.getInt(at + 60) & 0xFFFFFFFFL;
      Span span = new Span(pos, b.get(at + 5), b.getLong(at + 8), labelLength, payloadLength);
      spans.add(span);
      pos = span.end();
    }
    return spans;
  }

  /** Recomputes the payload and header checksums of a record after its bytes were edited. */
  static void reseal(byte[] log, Span span) {
    ByteBuffer b = ByteBuffer.wrap(log);
    CRC32C payload = new CRC32C();
    payload.update(log, (int) span.payloadStart(), (int) span.payloadLength());
    b.putInt((int) span.start() + 64, (int) payload.getValue());
    CRC32C header = new CRC32C();
    header.update(log, (int) span.start(), 68 + span.labelLength());
    b.putInt((int) span.start() + 68 + span.labelLength(), (int) header.getValue());
  }
}
