package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodecTest {

  private static Value decodeHex(String hex) {
    return Value.decode(HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  @Test
  void decode_roundTripsEncode() {
    Value value = Value.from(new RandomValues(11).map(4));
    byte[] encoding = value.encode();
    Value decoded = Value.decode(encoding);
    assertThat(decoded).isEqualTo(value);
    assertThat(decoded.encode()).isEqualTo(encoding);
  }

  @Test
  void decode_nonMinimalInteger_isRejected() {
    assertThat(decodeHex("03 00000002 0080")).isEqualTo(Value.of(128));
    assertThatThrownBy(() -> decodeHex("03 00000002 0001"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("malformed canonical encoding at byte 0: integer not in minimal"
            + " two's-complement form");
    assertThatThrownBy(() -> decodeHex("03 00000002 ffff"))
        .hasMessageContaining("minimal two's-complement");
    assertThatThrownBy(() -> decodeHex("03 00000000"))
        .hasMessageContaining("an integer needs at least one byte");
  }

  @Test
  void decode_nonCanonicalDecimal_isRejected() {
    assertThat(decodeHex("04 00000005 313545 2d31")).isEqualTo(Value.of(1.5)); // "15E-1"
    for (String text : List.of("150E-2", "1.5E0", "15e-1", "0E1", "-0E0", "015E-1", "15E+1",
        "15E01", "15", "E1", "15E")) {
      byte[] bytes = text.getBytes();
      String hex = "04" + String.format("%08x", bytes.length) + HexFormat.of().formatHex(bytes);
      assertThatThrownBy(() -> decodeHex(hex))
          .as(text)
          .hasMessageContaining("is not canonical");
    }
  }

  @Test
  void decode_unsortedOrDuplicateMapKeys_areRejected() {
    // {"b": null, "a": null}
    assertThatThrownBy(() -> decodeHex("08 00000002 00000001 62 00 00000001 61 00"))
        .hasMessage("malformed canonical encoding at byte 11: map keys not in strictly"
            + " ascending order of their UTF-8 bytes (\"a\" after \"b\")");
    assertThatThrownBy(() -> decodeHex("08 00000002 00000001 61 00 00000001 61 00"))
        .hasMessageContaining("strictly ascending");
  }

  @Test
  void decode_unsortedSetElements_areRejected() {
    Value set = Value.from(Set.of(1, 2));
    byte[] good = set.encode();
    // swap the two 6-byte integer encodings after the 5-byte header
    byte[] swapped = good.clone();
    System.arraycopy(good, 5, swapped, 11, 6);
    System.arraycopy(good, 11, swapped, 5, 6);
    assertThat(Value.decode(good)).isEqualTo(set);
    assertThatThrownBy(() -> Value.decode(swapped))
        .hasMessageContaining("set elements not in strictly ascending order");
  }

  @Test
  void decode_invalidUtf8_isRejected() {
    assertThatThrownBy(() -> decodeHex("05 00000002 c0af")) // overlong '/'
        .hasMessageContaining("string is not valid UTF-8");
    assertThatThrownBy(() -> decodeHex("05 00000003 eda080")) // an encoded surrogate
        .hasMessageContaining("string is not valid UTF-8");
  }

  @Test
  void decode_truncatedOrTrailingBytes_areRejected() {
    assertThatThrownBy(() -> decodeHex("05 00000005 6162"))
        .hasMessageContaining("length 5 exceeds the remaining 2 bytes");
    assertThatThrownBy(() -> decodeHex("00 00"))
        .hasMessage("malformed canonical encoding at byte 1: trailing bytes after the value (1"
            + " bytes)");
    assertThatThrownBy(() -> decodeHex("07 ffffffff"))
        .hasMessageContaining("count 4294967295 exceeds the remaining 0 bytes");
    assertThatThrownBy(() -> decodeHex("")).hasMessageContaining("unexpected end of input");
    assertThatThrownBy(() -> decodeHex("0c")).hasMessageContaining("unknown type tag 0x0c");
  }

  @Test
  void decode_tooDeep_isRejectedWithoutOverflow() {
    byte[] deep = new byte[5 * 2000 + 1];
    for (int i = 0; i < 2000; i++) {
      deep[5 * i] = 0x07;
      deep[5 * i + 4] = 1;
    }
    assertThatThrownBy(() -> Value.decode(deep))
        .hasMessageContaining("nesting deeper than 256 containers");
  }

  @Test
  void encode_isStableAcrossEqualValues() {
    Value a = Value.from(Map.of("x", List.of(1, "2"), "y", Set.of(3, 4)));
    Value b = Value.from(Map.of("y", Set.of(4L, 3L), "x", List.of(1L, "2")));
    assertThat(a.encode()).isEqualTo(b.encode());
  }
}
