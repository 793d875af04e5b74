package dev.breakglass.fingerprint;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A SHA-256 digest identifying a {@link Value}: the root of its Merkle tree.
 *
 * <p>Two values have equal fingerprints exactly when they are equal in the canonical value
 * model (up to the collision resistance of SHA-256). A fingerprint prints as 64 lowercase
 * hexadecimal digits ({@link #toHex()}, also {@link #toString()}) or as 44 characters of
 * standard base64 ({@link #toBase64()}); {@link #parse(String)} reads either form back.
 *
 * <p>{@link #equals(Object)} compares in constant time (with
 * {@link MessageDigest#isEqual(byte[], byte[])}), so checking a presented fingerprint against
 * a stored one does not leak how many leading bytes matched.
 *
 * <p>Immutable and thread-safe.
 */
public final class Fingerprint implements Comparable<Fingerprint> {

  /** The length of a fingerprint in bytes. */
  public static final int BYTES = 32;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final byte[] bytes;

  private Fingerprint(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a digest this package computed and will never modify. */
  static Fingerprint wrap(byte[] digest) {
    return new Fingerprint(digest);
  }

  /**
   * Creates a fingerprint from its 32 raw bytes.
   *
   * @param bytes the SHA-256 digest; copied
   * @return the fingerprint
   * @throws NullPointerException if {@code bytes} is null
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static Fingerprint ofBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException(
          "a fingerprint is " + BYTES + " bytes, was " + bytes.length);
    }
    return new Fingerprint(bytes.clone());
  }

  /**
   * Parses a fingerprint from its hexadecimal (64 digits, either case) or base64 (44
   * characters, standard alphabet with padding) form.
   *
   * @param text the text form, as printed by {@link #toHex()} or {@link #toBase64()}
   * @return the fingerprint
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if {@code text} is neither form; the message quotes it
   */
  public static Fingerprint parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() == 2 * BYTES) {
      byte[] out = new byte[BYTES];
      for (int i = 0; i < BYTES; i++) {
        int hi = hexDigit(text.charAt(2 * i));
        int lo = hexDigit(text.charAt(2 * i + 1));
        if (hi < 0 || lo < 0) {
          throw badText(text, "a non-hexadecimal character at index " + (hi < 0 ? 2 * i : 2 * i + 1));
        }
        out[i] = (byte) (hi << 4 | lo);
      }
      return new Fingerprint(out);
    }
    if (text.length() == 44) {
      byte[] out;
      try {
        out = Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw badText(text, "not base64: " + e.getMessage());
      }
      if (out.length != BYTES || !Base64.getEncoder().encodeToString(out).equals(text)) {
        throw badText(text, "not the canonical base64 form of 32 bytes");
      }
      return new Fingerprint(out);
    }
    throw badText(text, "expected 64 hexadecimal digits or 44 base64 characters, got "
        + text.length() + " characters");
  }

  /**
   * The value of an ASCII hexadecimal digit, either case, or -1. Unlike {@link
   * Character#digit(char, int)}, it refuses other scripts' digits and full-width letters, so
   * a fingerprint (and a JSON escape) has one text form per case.
   */
  static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static IllegalArgumentException badText(String text, String why) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return new IllegalArgumentException("not a fingerprint: '" + shown + "' (" + why + ")");
  }

  /**
   * Returns the 32 raw bytes.
   *
   * @return a copy of the digest
   */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /**
   * Returns the 64-digit lowercase hexadecimal form.
   *
   * @return the hexadecimal form, which {@link #parse(String)} reads back
   */
  public String toHex() {
    return hex(bytes, BYTES);
  }

  /**
   * Returns the standard base64 form (RFC 4648, with padding).
   *
   * @return the 44-character base64 form, which {@link #parse(String)} reads back
   */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Returns a short form for people: {@code "sha256:"} and the first 12 hexadecimal digits.
   * It is not unique and cannot be parsed back; use it in logs and messages only.
   *
   * @return for example {@code "sha256:3f1a9c0b7e42"}
   */
  public String toShortString() {
    return "sha256:" + hex(bytes, 6);
  }

  static String hex(byte[] bytes, int count) {
    char[] out = new char[2 * count];
    for (int i = 0; i < count; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }

  byte[] bytesUnsafe() {
    return bytes;
  }

  /**
   * Compares with another fingerprint in constant time.
   *
   * @param other the object to compare with
   * @return {@code true} if {@code other} is a fingerprint with the same 32 bytes
   */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Fingerprint that && MessageDigest.isEqual(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8
        | (bytes[3] & 0xFF);
  }

  /**
   * Orders fingerprints by their bytes, compared as unsigned numbers: the order in which the
   * canonical encoding sorts set elements.
   *
   * @param other the fingerprint to compare with
   * @return a negative number, zero or a positive number as this is less than, equal to or
   *     greater than {@code other}
   */
  @Override
  public int compareTo(Fingerprint other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  /**
   * Returns the hexadecimal form.
   *
   * @return the same as {@link #toHex()}
   */
  @Override
  public String toString() {
    return toHex();
  }
}
