package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FingerprintTest {

  private static final Fingerprint ONE = Value.of(1).fingerprint();

  @Test
  void toHex_isSixtyFourLowercaseDigits_andParsesBack() {
    String hex = ONE.toHex();
    assertThat(hex).hasSize(64).matches("[0-9a-f]{64}");
    assertThat(Fingerprint.parse(hex)).isEqualTo(ONE);
    assertThat(Fingerprint.parse(hex.toUpperCase())).isEqualTo(ONE);
    assertThat(ONE.toString()).isEqualTo(hex);
  }

  @Test
  void toBase64_isStandardPadded_andParsesBack() {
    String base64 = ONE.toBase64();
    assertThat(base64).hasSize(44).endsWith("=");
    assertThat(Fingerprint.parse(base64)).isEqualTo(ONE);
  }

  @Test
  void ofBytes_copiesTheArray() {
    byte[] bytes = ONE.toBytes();
    Fingerprint copy = Fingerprint.ofBytes(bytes);
    Arrays.fill(bytes, (byte) 0);
    assertThat(copy).isEqualTo(ONE);
    assertThat(copy.toBytes()).isNotEqualTo(bytes);
  }

  @Test
  void ofBytes_wrongLength_namesTheLength() {
    assertThatThrownBy(() -> Fingerprint.ofBytes(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a fingerprint is 32 bytes, was 31");
  }

  @Test
  void parse_malformedText_quotesItAndSaysWhy() {
    assertThatThrownBy(() -> Fingerprint.parse("xyz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'xyz'")
        .hasMessageContaining("got 3 characters");
    String badHex = "g" + ONE.toHex().substring(1);
    assertThatThrownBy(() -> Fingerprint.parse(badHex))
        .hasMessageContaining("non-hexadecimal character at index 0");
    String badBase64 = "!" + ONE.toBase64().substring(1);
    assertThatThrownBy(() -> Fingerprint.parse(badBase64)).hasMessageContaining("not base64");
  }

  /** Regression: Character.digit took other scripts' digits, giving a fingerprint more text forms. */
  @Test
  void parse_nonAsciiDigits_areRejected() {
    String hex = ONE.toHex();
    for (char lookalike : new char[] {'\uFF10', '\u0660', '\u06F0', '\u0966', '\uFF21', '\uFF41'}) {
      String text = lookalike + hex.substring(1);
      assertThatThrownBy(() -> Fingerprint.parse(text))
          .as("U+%04X", (int) lookalike)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("non-hexadecimal character at index 0");
    }
    assertThat(Fingerprint.parse(hex.toUpperCase(java.util.Locale.ROOT))).isEqualTo(ONE);
  }

  @Test
  void parse_nonCanonicalBase64_isRejected() {
    // 44 characters of base64 whose last character carries bits that do not round-trip
    String base64 = ONE.toBase64();
    char last = base64.charAt(42);
    char tweaked = last == 'A' ? 'B' : (char) (last - 1);
    String other = base64.substring(0, 42) + tweaked + "=";
    Fingerprint parsed = null;
    try {
      parsed = Fingerprint.parse(other);
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessageContaining("not the canonical base64 form");
    }
    if (parsed != null) {
      assertThat(parsed.toBase64()).isEqualTo(other);
    }
  }

  @Test
  void equals_comparesBytes_andHashCodeAgrees() {
    Fingerprint again = Value.of(1L).fingerprint();
    assertThat(again).isEqualTo(ONE).hasSameHashCodeAs(ONE);
    assertThat(Value.of(2).fingerprint()).isNotEqualTo(ONE);
    assertThat(ONE).isNotEqualTo(ONE.toHex());
  }

  @Test
  void compareTo_ordersByUnsignedBytes() {
    byte[] low = new byte[32];
    byte[] high = new byte[32];
    high[0] = (byte) 0x80; // negative as a signed byte, but larger unsigned
    assertThat(Fingerprint.ofBytes(low).compareTo(Fingerprint.ofBytes(high))).isNegative();
    assertThat(Fingerprint.ofBytes(high).compareTo(Fingerprint.ofBytes(low))).isPositive();
    assertThat(ONE.compareTo(Value.of(1).fingerprint())).isZero();
  }

  @Test
  void toShortString_isPrefixedAndTwelveDigits() {
    assertThat(ONE.toShortString()).isEqualTo("sha256:" + ONE.toHex().substring(0, 12));
  }
}
