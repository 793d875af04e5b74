package dev.breakglass.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PlainTextTest {

  @Test
  void escape_safeText_returnsSameInstance() {
    String text = "payment-client: CLOSED -> OPEN (50.0%) é 日本 \uD83D\uDE00";
    assertThat(PlainText.escape(text)).isSameAs(text);
    assertThat(PlainText.needsEscaping(text)).isFalse();
  }

  @Test
  void escape_lineBreaksAndTabs_becomeBackslashEscapes() {
    assertThat(PlainText.escape("a\nb\r\nc\td")).isEqualTo("a\\nb\\r\\nc\\td");
  }

  @Test
  void escape_backslash_isDoubledSoEscapesAreUnambiguous() {
    assertThat(PlainText.escape("C:\\tmp\\n")).isEqualTo("C:\\\\tmp\\\\n");
  }

  @Test
  void escape_ansiAndOtherControls_becomeUnicodeEscapes() {
    assertThat(PlainText.escape("\u001b[2J\u001b[31mred\u0007\u007f\u0085"))
        .isEqualTo("\\u001b[2J\\u001b[31mred\\u0007\\u007f\\u0085");
  }

  @Test
  void escape_lineSeparatorsAndBidiControls_becomeUnicodeEscapes() {
    assertThat(PlainText.escape("a\u2028b\u2029c\u202ed\u2066e"))
        .isEqualTo("a\\u2028b\\u2029c\\u202ed\\u2066e");
  }

  @Test
  void escape_loneSurrogates_becomeUnicodeEscapesAndPairsStay() {
    assertThat(PlainText.escape("x\uD800y\uDC00z\uD83D\uDE00"))
        .isEqualTo("x\\ud800y\\udc00z\uD83D\uDE00");
    assertThat(PlainText.escape("end\uD83D")).isEqualTo("end\\ud83d");
  }

  @Test
  void append_appendsEscapedText() {
    StringBuilder out = new StringBuilder("name: ");
    assertThat(PlainText.append(out, "a\nb")).isSameAs(out);
    assertThat(out).hasToString("name: a\\nb");
  }

  @Test
  void escape_randomText_neverContainsALineBreakOrControl() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int run = 0; run < 2_000; run++) {
      char[] chars = new char[random.nextInt(40)];
      for (int i = 0; i < chars.length; i++) {
        chars[i] = random.nextInt(4) == 0 ? (char) random.nextInt(0x40) : (char) random.nextInt(0x10000);
      }
      String escaped = PlainText.escape(new String(chars));
      for (int i = 0; i < escaped.length(); i++) {
        char c = escaped.charAt(i);
        assertThat(c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029')
            .as("seed %d: control U+%04X in %s", seed, (int) c, escaped)
            .isFalse();
        if (Character.isHighSurrogate(c)) {
          assertThat(i + 1 < escaped.length() && Character.isLowSurrogate(escaped.charAt(i + 1)))
              .as("seed %d: lone high surrogate", seed).isTrue();
          i++;
        } else {
          assertThat(Character.isLowSurrogate(c)).as("seed %d: lone low surrogate", seed).isFalse();
        }
      }
    }
  }
}
