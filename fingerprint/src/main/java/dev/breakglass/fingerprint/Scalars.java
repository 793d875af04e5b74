package dev.breakglass.fingerprint;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/** The leaf values: null, booleans, integers, decimals, strings and bytes. */
final class Scalars {

  private Scalars() {}

  static final NullValue NULL = new NullValue();
  static final BooleanValue TRUE = new BooleanValue(true);
  static final BooleanValue FALSE = new BooleanValue(false);

  /** Digest of a leaf whose whole encoding is its tag byte. */
  private static byte[] tagOnly(int tag) {
    return Hasher.newSha256().digest(new byte[] {(byte) tag});
  }

  abstract static sealed class Leaf extends Value
      permits NullValue, BooleanValue, IntegerValue, DecimalValue, StringValue, BytesValue {
    Leaf(byte[] digest) {
      super(digest);
    }

    @Override
    final int depth() {
      return 0;
    }
  }

  static final class NullValue extends Leaf {
    NullValue() {
      super(tagOnly(Format.NULL));
    }

    @Override
    public Kind kind() {
      return Kind.NULL;
    }

    @Override
    void encodeTo(ByteSink sink) {
      sink.u8(Format.NULL);
    }

    @Override
    @Nullable Object toJavaOrNull() {
      return null;
    }

    @Override
    void render(StringBuilder out, int budget) {
      out.append("null");
    }
  }

  static final class BooleanValue extends Leaf {
    final boolean value;

    BooleanValue(boolean value) {
      super(tagOnly(value ? Format.TRUE : Format.FALSE));
      this.value = value;
    }

    @Override
    public Kind kind() {
      return Kind.BOOLEAN;
    }

    @Override
    void encodeTo(ByteSink sink) {
      sink.u8(value ? Format.TRUE : Format.FALSE);
    }

    @Override
    Object toJavaOrNull() {
      return value;
    }

    @Override
    void render(StringBuilder out, int budget) {
      out.append(value);
    }
  }

  /** An integer of any size; values that fit a long are kept as one. */
  static final class IntegerValue extends Leaf {
    final long small;
    final @Nullable BigInteger big; // null when the value fits in `small`

    /**
     * An integer whose digest the caller computed from its minimal two's-complement bytes;
     * {@code big} is null exactly when the value fits a long, and is then {@code small}.
     */
    IntegerValue(long small, @Nullable BigInteger big, byte[] digest) {
      super(digest);
      this.small = small;
      this.big = big;
    }

    static IntegerValue of(long value, Hasher hasher) {
      return new IntegerValue(value, null, hasher.leaf(Format.INTEGER, twosComplement(value)));
    }

    static IntegerValue of(BigInteger value, Hasher hasher) {
      if (value.bitLength() < 64) {
        return of(value.longValueExact(), hasher);
      }
      return new IntegerValue(0, value, hasher.leaf(Format.INTEGER, value.toByteArray()));
    }

    /** The minimal big-endian two's-complement bytes, as {@code BigInteger.toByteArray()}. */
    static byte[] twosComplement(long value) {
      int bits = 64 - Long.numberOfLeadingZeros(value ^ (value >> 63));
      int count = bits / 8 + 1;
      byte[] out = new byte[count];
      for (int i = count - 1; i >= 0; i--) {
        out[i] = (byte) value;
        value >>= 8;
      }
      return out;
    }

    BigInteger bigInteger() {
      return big != null ? big : BigInteger.valueOf(small);
    }

    @Override
    public Kind kind() {
      return Kind.INTEGER;
    }

    @Override
    void encodeTo(ByteSink sink) {
      sink.leaf(Format.INTEGER, big != null ? big.toByteArray() : twosComplement(small));
    }

    @Override
    Object toJavaOrNull() {
      return big != null ? big : (Object) small;
    }

    @Override
    void render(StringBuilder out, int budget) {
      out.append(big != null ? big.toString() : Long.toString(small));
    }
  }

  /** A decimal number, kept normalized: no trailing zeros in its coefficient. */
  static final class DecimalValue extends Leaf {
    final BigDecimal value;
    final String canonical;

    DecimalValue(BigDecimal normalized, String canonical, Hasher hasher) {
      this(normalized, canonical,
          hasher.leaf(Format.DECIMAL, canonical.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A decimal whose digest the caller computed from {@code canonical}'s bytes. */
    DecimalValue(BigDecimal normalized, String canonical, byte[] digest) {
      super(digest);
      this.value = normalized;
      this.canonical = canonical;
    }

    @Override
    public Kind kind() {
      return Kind.DECIMAL;
    }

    @Override
    void encodeTo(ByteSink sink) {
      sink.leaf(Format.DECIMAL, canonical.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    Object toJavaOrNull() {
      return value;
    }

    @Override
    void render(StringBuilder out, int budget) {
      int scale = value.scale();
      if (scale >= -20 && scale <= 20) {
        String plain = value.toPlainString();
        out.append(plain);
        if (plain.indexOf('.') < 0) {
          out.append(".0");
        }
      } else {
        out.append(canonical);
      }
    }
  }

  static final class StringValue extends Leaf {
    final String value;

    StringValue(String value, Hasher hasher) {
      this(value, hasher.leaf(Format.STRING, value.getBytes(StandardCharsets.UTF_8)));
    }

    /** A string whose digest the caller computed from its UTF-8 bytes. */
    StringValue(String value, byte[] digest) {
      super(digest);
      this.value = value;
    }

    @Override
    public Kind kind() {
      return Kind.STRING;
    }

    @Override
    void encodeTo(ByteSink sink) {
      sink.leaf(Format.STRING, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    Object toJavaOrNull() {
      return value;
    }

    @Override
    void render(StringBuilder out, int budget) {
      Json.quoteForText(out, value, budget);
    }
  }

  static final class BytesValue extends Leaf {
    final byte[] value; // owned: never modified, never handed out

    BytesValue(byte[] owned, Hasher hasher) {
      super(hasher.leaf(Format.BYTES, owned));
      this.value = owned;
    }

    @Override
    public Kind kind() {
      return Kind.BYTES;
    }

    @Override
    void encodeTo(ByteSink sink) {
      sink.leaf(Format.BYTES, value);
    }

    @Override
    Object toJavaOrNull() {
      return value.clone();
    }

    @Override
    void render(StringBuilder out, int budget) {
      out.append("base64:");
      if (value.length <= 48) {
        out.append(Base64.getEncoder().encodeToString(value));
      } else {
        out.append(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(value, 48)))
            .append("...(").append(value.length).append(" bytes)");
      }
    }
  }
}
