package dev.breakglass.fingerprint;

import java.util.Arrays;

/** A growable byte buffer for writing canonical encodings. Not thread-safe. */
final class ByteSink {

  private byte[] buffer;
  private int length;

  ByteSink(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  void u8(int value) {
    ensure(1);
    buffer[length++] = (byte) value;
  }

  void u32(int value) {
    ensure(4);
    Format.U32.set(buffer, length, value);
    length += 4;
  }

  void bytes(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
  }

  /** Writes {@code tag || u32(payload.length) || payload}: a leaf that carries a payload. */
  void leaf(int tag, byte[] payload) {
    u8(tag);
    u32(payload.length);
    bytes(payload);
  }

  int length() {
    return length;
  }

  byte[] toArray() {
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }

  private void ensure(int extra) {
    long needed = (long) length + extra;
    if (needed > buffer.length) {
      if (needed > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(
            "the canonical encoding would exceed 2 GiB (" + needed + " bytes)");
      }
      long grown = Math.max(needed, Math.min((long) buffer.length * 2, Integer.MAX_VALUE - 16));
      buffer = Arrays.copyOf(buffer, (int) grown);
    }
  }
}
