package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValuePathTest {

  @Test
  void toString_writesIdentifiersPlainAndOtherKeysQuoted() {
    Fingerprint element = Value.of("x").fingerprint();
    ValuePath path = ValuePath.root().key("config").key("pools").index(2).key("max.conns")
        .key("").key("10").key("x-y_z").element(element);
    assertThat(path.toString()).isEqualTo(
        "config.pools[2][\"max.conns\"][\"\"][\"10\"].x-y_z{" + element.toHex() + "}");
    assertThat(ValuePath.root().toString()).isEqualTo("$");
    assertThat(ValuePath.root().index(0).key("a").toString()).isEqualTo("[0].a");
    assertThat(ValuePath.root().key("a\"b\n").toString()).isEqualTo("[\"a\\\"b\\n\"]");
  }

  @Test
  void parse_readsBackEveryToString() {
    Fingerprint element = Value.of(1).fingerprint();
    List<ValuePath> paths = List.of(ValuePath.root(), ValuePath.root().key("a"),
        ValuePath.root().index(0).key("a b").index(12),
        ValuePath.root().key("\uD83D\uDE00").element(element).key("_"),
        ValuePath.root().key("").key("\u0001"));
    for (ValuePath path : paths) {
      assertThat(ValuePath.parse(path.toString())).isEqualTo(path);
    }
    assertThat(ValuePath.parse("")).isEqualTo(ValuePath.root());
    assertThat(ValuePath.parse("$.a[1]")).isEqualTo(ValuePath.root().key("a").index(1));
  }

  @Test
  void parse_invalid_givesThePosition() {
    assertThatThrownBy(() -> ValuePath.parse("a..b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid path 'a..b' at index 2: expected a key matching");
    assertThatThrownBy(() -> ValuePath.parse("a[01]"))
        .hasMessage("invalid path 'a[01]' at index 2: expected a list index or a quoted key");
    assertThatThrownBy(() -> ValuePath.parse("a[1"))
        .hasMessage("invalid path 'a[1' at index 3: expected ']'");
    assertThatThrownBy(() -> ValuePath.parse("a{12}"))
        .hasMessageContaining("a set element is written as 64 hexadecimal digits");
    assertThatThrownBy(() -> ValuePath.parse(".a")).hasMessageContaining("cannot start with '.'");
    assertThatThrownBy(() -> ValuePath.parse("a[99999999999]"))
        .hasMessageContaining("list index 99999999999 is too large");
    assertThatThrownBy(() -> ValuePath.parse("[\"a]"))
        .hasMessageContaining("invalid quoted key");
  }

  /**
   * Regression: key() took a lone surrogate, which the map encoder turned into '?': a value
   * with the key "a\uD800" had the fingerprint of one with the key "a?".
   */
  @Test
  void key_unpairedSurrogate_isRejectedNamingIt() {
    assertThatThrownBy(() -> ValuePath.root().key("a\uD800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key has an unpaired high surrogate U+D800 at index 1");
    assertThatThrownBy(() -> ValuePath.root().key("x").key("\uDC00b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key has an unpaired low surrogate U+DC00 at index 0");
    assertThatThrownBy(() -> ValuePath.parse("[\"a\\ud800\"]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired high surrogate");
    assertThat(ValuePath.root().key("\uD83D\uDE00").toString()).isEqualTo("[\"\uD83D\uDE00\"]");
  }

  @Test
  void structure_parentDepthStartsWith() {
    ValuePath path = ValuePath.parse("a.b[3]");
    assertThat(path.depth()).isEqualTo(3);
    assertThat(path.parent()).isEqualTo(ValuePath.parse("a.b"));
    assertThat(path.startsWith(ValuePath.parse("a"))).isTrue();
    assertThat(path.startsWith(ValuePath.parse("a.c"))).isFalse();
    assertThat(path.startsWith(ValuePath.root())).isTrue();
    assertThat(ValuePath.root().isRoot()).isTrue();
    assertThatThrownBy(() -> ValuePath.root().parent())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ValuePath.root().index(-1))
        .hasMessage("index must be >= 0, was -1");
  }

  @Test
  void compareTo_sortsParentsFirstAndIndexesNumerically() {
    List<ValuePath> sorted = new java.util.ArrayList<>(List.of(ValuePath.parse("a[10]"),
        ValuePath.parse("a[9]"), ValuePath.parse("a"), ValuePath.parse("b"),
        ValuePath.parse("a.x")));
    java.util.Collections.sort(sorted);
    assertThat(sorted).extracting(ValuePath::toString)
        .containsExactly("a", "a.x", "a[9]", "a[10]", "b");
  }
}
