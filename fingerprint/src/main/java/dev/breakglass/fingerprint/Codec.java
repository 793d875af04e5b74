package dev.breakglass.fingerprint;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes the canonical binary encoding, strictly: anything that {@link Value#encode()} would
 * not have produced is rejected, so decoding and re-encoding is the identity. Not thread-safe;
 * one instance per decode.
 */
final class Codec {

  /*
   * Design: recursive descent over the byte array with one position, building values with one
   * shared Hasher, so decoding re-computes every digest from the bytes: a full recompute, which
   * is what a snapshot store relies on to verify content against its fingerprint. Lengths and
   * counts are checked against the remaining input before anything is allocated, and depth is
   * capped, so hostile input fails with a message instead of exhausting memory or stack.
   */

  private final byte[] in;
  private int pos;
  private final Hasher hasher = new Hasher();
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);

  private Codec(byte[] in) {
    this.in = in;
  }

  static Value decode(byte[] encoding) {
    Codec codec = new Codec(encoding);
    Value value = codec.value(0);
    if (codec.pos != encoding.length) {
      throw codec.error("trailing bytes after the value (" + (encoding.length - codec.pos)
          + " bytes)");
    }
    return value;
  }

  private Value value(int depth) {
    int start = pos;
    int tag = u8();
    return switch (tag) {
      case Format.NULL -> Scalars.NULL;
      case Format.FALSE -> Scalars.FALSE;
      case Format.TRUE -> Scalars.TRUE;
      case Format.INTEGER -> {
        int length = length();
        int at = pos;
        pos += length;
        if (length == 0) {
          throw error(start, "an integer needs at least one byte");
        }
        if (length > 1 && ((in[at] == 0 && in[at + 1] >= 0)
            || (in[at] == (byte) 0xFF && in[at + 1] < 0))) {
          throw error(start, "integer not in minimal two's-complement form");
        }
        // minimal, so the payload is exactly the encoding IntegerValue.of hashes, and it fits
        // a long exactly when it has at most 8 bytes
        byte[] digest = hasher.leaf(Format.INTEGER, in, at, length);
        if (length <= 8) {
          long value = in[at];
          for (int i = at + 1; i < at + length; i++) {
            value = value << 8 | (in[i] & 0xFF);
          }
          yield new Scalars.IntegerValue(value, null, digest);
        }
        yield new Scalars.IntegerValue(0, new BigInteger(in, at, length), digest);
      }
      case Format.DECIMAL -> {
        int length = length();
        int at = pos;
        pos += length;
        String text = new String(in, at, length, StandardCharsets.ISO_8859_1);
        BigDecimal decimal = Decimals.parseCanonical(text);
        if (decimal == null) {
          throw error(start, "decimal text '" + abbreviate(text) + "' is not canonical"
              + " (coefficient without trailing zeros, 'E', exponent; zero is 0E0)");
        }
        // canonical text parses to a normalized decimal whose canonical text is this text
        yield new Scalars.DecimalValue(
            decimal, text, hasher.leaf(Format.DECIMAL, in, at, length));
      }
      case Format.STRING -> {
        int length = length();
        int at = pos;
        pos += length;
        yield new Scalars.StringValue(
            string(start, at, length), hasher.leaf(Format.STRING, in, at, length));
      }
      case Format.BYTES -> new Scalars.BytesValue(bytes(length()), hasher);
      case Format.LIST -> {
        checkDepth(start, depth);
        int count = count();
        Value[] elements = new Value[count];
        for (int i = 0; i < count; i++) {
          elements[i] = value(depth + 1);
        }
        yield ListValue.of(elements, hasher);
      }
      case Format.MAP -> {
        checkDepth(start, depth);
        int count = count();
        MapEntry[] entries = new MapEntry[count];
        int childDepth = 0;
        for (int i = 0; i < count; i++) {
          int keyStart = pos;
          int keyLength = length();
          String key = string(keyStart, pos, keyLength);
          byte[] keyUtf8 = bytes(keyLength);
          if (i > 0 && Arrays.compareUnsigned(entries[i - 1].keyUtf8, keyUtf8) >= 0) {
            throw error(keyStart, "map keys not in strictly ascending order of their UTF-8"
                + " bytes (" + Json.quoted(key) + " after " + Json.quoted(entries[i - 1].key)
                + ")");
          }
          Value value = value(depth + 1);
          childDepth = Math.max(childDepth, value.depth());
          entries[i] = new MapEntry(key, keyUtf8, value, hasher);
        }
        yield MapValue.of(entries, childDepth, hasher);
      }
      case Format.SET -> {
        checkDepth(start, depth);
        int count = count();
        Value[] elements = new Value[count];
        for (int i = 0; i < count; i++) {
          int elementStart = pos;
          elements[i] = value(depth + 1);
          if (i > 0 && Arrays.compareUnsigned(elements[i - 1].digest, elements[i].digest) >= 0) {
            throw error(elementStart, "set elements not in strictly ascending order of their"
                + " fingerprints");
          }
        }
        yield SetValue.of(elements, hasher);
      }
      default -> throw error(start, "unknown type tag 0x" + String.format("%02x", tag));
    };
  }

  private void checkDepth(int at, int depth) {
    if (depth >= Format.MAX_DEPTH) {
      throw error(at, "nesting deeper than " + Format.MAX_DEPTH + " containers");
    }
  }

  private int count() {
    int at = pos;
    int count = u32();
    // every child takes at least one byte: a count beyond the remaining input is malformed
    if (count < 0 || count > in.length - pos) {
      throw error(at, "count " + Integer.toUnsignedString(count) + " exceeds the remaining "
          + (in.length - pos) + " bytes");
    }
    return count;
  }

  /** Reads a u32 length and checks that that many bytes remain; does not consume them. */
  private int length() {
    int length = u32();
    if (length < 0 || length > in.length - pos) {
      throw error("length " + Integer.toUnsignedString(length) + " exceeds the remaining "
          + (in.length - pos) + " bytes");
    }
    return length;
  }

  /** Copies and consumes the next {@code length} bytes, a length {@link #length()} checked. */
  private byte[] bytes(int length) {
    byte[] out = Arrays.copyOfRange(in, pos, pos + length);
    pos += length;
    return out;
  }

  /** Decodes {@code in[offset, offset + length)} as strict UTF-8; {@code at} is for errors. */
  private String string(int at, int offset, int length) {
    boolean ascii = true;
    for (int i = offset; i < offset + length; i++) {
      if (in[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(in, offset, length, StandardCharsets.ISO_8859_1);
    }
    try {
      return utf8.decode(ByteBuffer.wrap(in, offset, length)).toString();
    } catch (CharacterCodingException e) {
      throw error(at, "string is not valid UTF-8 (" + e.getMessage() + ")");
    } finally {
      utf8.reset();
    }
  }

  private int u8() {
    if (pos >= in.length) {
      throw error("unexpected end of input");
    }
    return in[pos++] & 0xFF;
  }

  private int u32() {
    if (in.length - pos < 4) {
      throw error("unexpected end of input in a 4-byte length");
    }
    int value = (in[pos] & 0xFF) << 24 | (in[pos + 1] & 0xFF) << 16 | (in[pos + 2] & 0xFF) << 8
        | (in[pos + 3] & 0xFF);
    pos += 4;
    return value;
  }

  private IllegalArgumentException error(String why) {
    return error(pos, why);
  }

  private static IllegalArgumentException error(int at, String why) {
    return new IllegalArgumentException("malformed canonical encoding at byte " + at + ": " + why);
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

}
