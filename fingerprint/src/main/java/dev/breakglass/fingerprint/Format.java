package dev.breakglass.fingerprint;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The constants of the canonical format, version 1, as written down in
 * {@code docs/fingerprint-format.md}. Every hash input starts with one of these tags.
 */
final class Format {

  static final int VERSION = 1;

  static final int NULL = 0x00;
  static final int FALSE = 0x01;
  static final int TRUE = 0x02;
  static final int INTEGER = 0x03;
  static final int DECIMAL = 0x04;
  static final int STRING = 0x05;
  static final int BYTES = 0x06;
  static final int LIST = 0x07;
  static final int MAP = 0x08;
  static final int SET = 0x09;
  /** Digest input only: one map entry. */
  static final int ENTRY = 0x0A;
  /** Digest input only: an interior node of a collection with more than 32 children. */
  static final int NODE = 0x0B;

  /**
   * The deepest nesting of containers accepted anywhere, so that no recursive walk (convert,
   * encode, decode, diff, patch, JSON) can overflow even a half-size (512 KiB) thread stack,
   * whatever the JIT inlined. Configurations nest a few levels deep.
   */
  static final int MAX_DEPTH = 256;

  /**
   * Writes the 4-byte big-endian form of an {@code int} (a length or a count in the encoding)
   * into a byte array: {@code U32.set(bytes, offset, value)}.
   */
  static final VarHandle U32 =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private Format() {}
}
