package dev.breakglass.fingerprint;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Computes the digests of the fingerprint format: a SHA-256 instance plus a scratch buffer in
 * which one hash input is assembled before a single {@code update}.
 *
 * <p>Not thread-safe: each conversion, update or decode creates its own and uses it on one
 * thread.
 */
final class Hasher {

  /*
   * Design: every hash input in the format is small (a tag, a length and a few bytes, or a tag
   * plus at most 32 child digests, about 1 KiB) except a large bytes or string leaf. Small
   * inputs are copied into `buffer` and hashed with one update() call, which is cheaper than
   * several update() calls of a few bytes each. Large leaves stream their payload straight from
   * the caller's array, so fingerprinting a 64 MiB leaf copies nothing.
   */

  private static final int STREAM_THRESHOLD = 4096;

  private final MessageDigest sha256;
  /** How many digests this hasher computed: lets tests check what an update re-hashes. */
  int count;
  private byte[] buffer = new byte[1 + 4 + Fingerprint.BYTES * MerkleSeq.FANOUT + 64];
  private int length;

  Hasher() {
    this.sha256 = newSha256();
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** Starts a new hash input with the given tag byte. */
  Hasher start(int tag) {
    length = 0;
    buffer[length++] = (byte) tag;
    return this;
  }

  Hasher u32(int value) {
    ensure(4);
    Format.U32.set(buffer, length, value);
    length += 4;
    return this;
  }

  Hasher bytes(byte[] bytes) {
    return bytes(bytes, 0, bytes.length);
  }

  Hasher bytes(byte[] bytes, int offset, int count) {
    ensure(count);
    System.arraycopy(bytes, offset, buffer, length, count);
    length += count;
    return this;
  }

  /** Finishes the input assembled since {@link #start(int)} and returns its digest. */
  byte[] finish() {
    count++;
    sha256.update(buffer, 0, length);
    return sha256.digest();
  }

  /**
   * Digests {@code tag || u32(payload.length) || payload} without copying large payloads: the
   * digest of a string or bytes leaf.
   */
  byte[] leaf(int tag, byte[] payload) {
    return leaf(tag, payload, 0, payload.length);
  }

  /**
   * Digests {@code tag || u32(count) || in[offset, offset + count)}: a leaf whose payload sits
   * inside a larger array, such as the input of a decode.
   */
  byte[] leaf(int tag, byte[] in, int offset, int count) {
    if (count <= STREAM_THRESHOLD) {
      return start(tag).u32(count).bytes(in, offset, count).finish();
    }
    start(tag).u32(count);
    this.count++;
    sha256.update(buffer, 0, length);
    sha256.update(in, offset, count);
    return sha256.digest();
  }

  private void ensure(int extra) {
    if (length + extra > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
    }
  }
}
