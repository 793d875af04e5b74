package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncrementalUpdateTest {

  @Test
  void with_replacesALeaf_likeAFullRecompute() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("pools", List.of(Map.of("size", 20), Map.of("size", 5)));
    config.put("name", "payments");
    Value value = Value.from(config);
    Value updated = value.with("pools[1].size", 7);
    Map<String, Object> expected = new LinkedHashMap<>(config);
    expected.put("pools", List.of(Map.of("size", 20), Map.of("size", 7)));
    assertThat(updated).isEqualTo(Value.from(expected));
    assertThat(Value.decode(updated.encode())).isEqualTo(updated);
    assertThat(value.get("pools[1].size")).isEqualTo(Value.of(5)); // unchanged original
  }

  @Test
  void with_inLargeCollections_matchesFullRecompute() {
    for (int size : new int[] {1, 32, 33, 1024, 1025, 40_000}) {
      List<Integer> list = new ArrayList<>();
      Map<String, Integer> map = new LinkedHashMap<>();
      Set<Integer> set = new LinkedHashSet<>();
      for (int i = 0; i < size; i++) {
        list.add(i);
        map.put("k" + i, i);
        set.add(i);
      }
      Value value = Value.from(Map.of("l", list, "m", map, "s", set));
      int at = size / 2;
      Value updated = value.with("l[" + at + "]", -1).with("m.k" + at, -1)
          .without("s{" + Value.of(at).fingerprint().toHex() + "}");
      list.set(at, -1);
      map.put("k" + at, -1);
      set.remove(at);
      assertThat(updated).as("size %d", size).isEqualTo(Value.from(Map.of("l", list, "m", map,
          "s", set)));
      assertThat(Value.decode(updated.encode())).isEqualTo(updated);
    }
  }

  @Test
  void with_absentMapKey_addsIt_andListEndAppends() {
    Value value = Value.from(Map.of("a", 1, "l", List.of(1)));
    assertThat(value.with("b", 2)).isEqualTo(Value.from(Map.of("a", 1, "b", 2, "l", List.of(1))));
    assertThat(value.with("l[1]", 2)).isEqualTo(Value.from(Map.of("a", 1, "l", List.of(1, 2))));
    assertThat(value.with("$", 5)).isEqualTo(Value.of(5));
  }

  /**
   * Regression: with() could add a key with a lone surrogate; it fingerprinted like the key
   * with '?' in its place, and next to that key the map held two entries with the same UTF-8
   * key, which the encoder wrote and the decoder then refused: an unreadable snapshot.
   */
  @Test
  void with_keyWithAnUnpairedSurrogate_isRejectedAndNothingCollides() {
    Value value = Value.from(Map.of("a?", 1));

    assertThatThrownBy(() -> value.with(ValuePath.root().key("a\uD800"), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key has an unpaired high surrogate U+D800 at index 1");
    assertThatThrownBy(() -> Value.from(Map.of()).with(ValuePath.root().key("\uDFFF"), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Value.decode(value.with(ValuePath.root().key("a\uD83D\uDE00"), 2).encode()))
        .isEqualTo(Value.from(Map.of("a?", 1, "a\uD83D\uDE00", 2)));
  }

  @Test
  void mapEntry_unpairedSurrogate_isRefusedEvenPastTheChecks() {
    assertThatThrownBy(() -> MapEntry.of("\uD800", Value.of(1), new Hasher()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("map key has an unpaired high surrogate U+D800 at index 0");
  }

  @Test
  void with_badPath_namesWhatIsMissing() {
    Value value = Value.from(Map.of("a", 1, "l", List.of(1), "s", Set.of(1)));
    assertThatThrownBy(() -> value.with("x.y", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x: no value there");
    assertThatThrownBy(() -> value.with("l[5]", 1))
        .hasMessage("l[5]: out of range: elements can be added only at the end, index 1");
    assertThatThrownBy(() -> value.with("a.b", 1))
        .hasMessage("a: is an integer, which has no children");
    assertThatThrownBy(() -> value.with("l.x", 1))
        .hasMessage("l: is a list: address its elements by index, not by key \"x\"");
    assertThatThrownBy(() -> value.with("[0]", 1))
        .hasMessage("$: is a map: address its entries by key, not by index [0]");
    String missing = Value.of(9).fingerprint().toHex();
    assertThatThrownBy(() -> value.with("s{" + missing + "}", 2))
        .hasMessageStartingWith("s{" + missing + "}: no such element");
    assertThatThrownBy(() -> value.with("a", new Object()))
        .hasMessage("$: unsupported type java.lang.Object");
  }

  @Test
  void with_setElement_replacesIt_orAddsItUnderItsOwnFingerprint() {
    Value value = Value.from(Map.of("s", Set.of("a", "b")));
    String a = Value.of("a").fingerprint().toHex();
    assertThat(value.with("s{" + a + "}", "c")).isEqualTo(Value.from(Map.of("s", Set.of("b", "c"))));
    String d = Value.of("d").fingerprint().toHex();
    assertThat(value.with("s{" + d + "}", "d"))
        .isEqualTo(Value.from(Map.of("s", Set.of("a", "b", "d"))));
    assertThatThrownBy(() -> value.with("s{" + a + "}", "b"))
        .hasMessage("s: the set would hold \"b\" twice");
  }

  @Test
  void without_removesEntriesAndElements() {
    Value value = Value.from(Map.of("a", 1, "l", List.of(1, 2, 3)));
    assertThat(value.without("a")).isEqualTo(Value.from(Map.of("l", List.of(1, 2, 3))));
    assertThat(value.without("l[0]")).isEqualTo(Value.from(Map.of("a", 1, "l", List.of(2, 3))));
    assertThatThrownBy(() -> value.without("b")).hasMessage("b: no entry to remove");
    assertThatThrownBy(() -> value.without("$")).hasMessage("cannot remove the root value");
    assertThatThrownBy(() -> value.without("l[3]"))
        .hasMessage("l[3]: no element to remove in a list of 3");
  }

  @Test
  void replacingOneLeaf_reHashesOnlyItsPathToTheRoot() {
    // 1,000 components of 100 parameters: both maps have one level of interior nodes
    Map<String, Object> config = new LinkedHashMap<>();
    for (int c = 0; c < 1000; c++) {
      Map<String, Object> component = new LinkedHashMap<>();
      for (int p = 0; p < 100; p++) {
        component.put("p" + p, p);
      }
      config.put("component-" + c, component);
    }
    Value value = Value.from(config);
    Value replacement = Value.of(-1);
    Hasher hasher = new Hasher();
    Value updated = Patch.single(ValuePath.parse("component-517.p42"), replacement)
        .applyTo(value, hasher);
    // per map on the path: its entry, one interior node, its root: 2 maps x 3 hashes
    assertThat(hasher.count).isEqualTo(6);
    assertThat(Value.decode(updated.encode())).isEqualTo(updated);

    Value flat = Value.from(RandomValues.flatConfig(100_000));
    Hasher flatHasher = new Hasher();
    Patch.single(ValuePath.parse("param-4242"), replacement).applyTo(flat, flatHasher);
    // the entry, three levels of interior nodes (100,000 > 32^3), the map's root
    assertThat(flatHasher.count).isEqualTo(5);
  }

  @Test
  void with_sharesUnchangedSubtrees() {
    Value value = Value.from(Map.of("big", RandomValues.flatConfig(2000), "small", Map.of("x", 1)));
    Value updated = value.with("small.x", 2);
    assertThat(updated.get("big")).isSameAs(value.get("big"));
  }
}
