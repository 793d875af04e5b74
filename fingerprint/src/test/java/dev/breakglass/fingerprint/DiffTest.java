package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiffTest {

  private static final Value CONFIG = Value.from(Map.of(
      "pools", List.of(Map.of("name", "db", "timeout", 30), Map.of("name", "cache", "timeout", 5)),
      "flags", Set.of("checkout-v2", "dark-mode"),
      "ratio", 0.95));

  @Test
  void between_equalValues_isEmpty() {
    Diff diff = Diff.between(CONFIG, Value.from(CONFIG.toJava()));
    assertThat(diff.isEmpty()).isTrue();
    assertThat(diff.from()).isEqualTo(diff.to());
    assertThat(diff.toString()).endsWith(": 0 changes\n");
  }

  @Test
  void between_oneChangedLeaf_namesItsPath() {
    Value changed = CONFIG.with("pools[0].timeout", 5);
    Diff diff = Diff.between(CONFIG, changed);
    assertThat(diff.changes()).containsExactly(new Change(Change.Type.CHANGED,
        ValuePath.parse("pools[0].timeout"), Value.of(30), Value.of(5)));
    assertThat(diff.changes().get(0).toString()).isEqualTo("~ pools[0].timeout: 30 -> 5");
    assertThat(diff.toString()).isEqualTo("diff " + CONFIG.fingerprint().toShortString() + " -> "
        + changed.fingerprint().toShortString() + ": 1 change\n~ pools[0].timeout: 30 -> 5\n");
  }

  @Test
  void between_addedAndRemovedKeys_andSetElements() {
    Value after = CONFIG.with("owner", "team-a").without("ratio")
        .with("flags", Set.of("checkout-v2", "beta"));
    Diff diff = Diff.between(CONFIG, after);
    assertThat(diff.changes()).extracting(Change::toString).containsExactlyInAnyOrder(
        "+ owner: \"team-a\"",
        "- ratio: 0.95",
        "+ flags{" + Value.of("beta").fingerprint().toHex() + "}: \"beta\"",
        "- flags{" + Value.of("dark-mode").fingerprint().toHex() + "}: \"dark-mode\"");
  }

  @Test
  void between_listsCompareByPosition() {
    Value before = Value.from(List.of(1, 2, 3));
    assertThat(Diff.between(before, Value.from(List.of(1, 2, 3, 4))).changes())
        .extracting(Change::toString).containsExactly("+ [3]: 4");
    assertThat(Diff.between(before, Value.from(List.of(1))).changes())
        .extracting(Change::toString).containsExactly("- [1]: 2", "- [2]: 3");
    assertThat(Diff.between(before, Value.from(List.of(0, 1, 2, 3))).changes())
        .extracting(Change::toString)
        .containsExactly("~ [0]: 1 -> 0", "~ [1]: 2 -> 1", "~ [2]: 3 -> 2", "+ [3]: 3");
  }

  @Test
  void between_kindChange_isOneChangeNotADescent() {
    Value before = Value.from(Map.of("a", Map.of("x", 1)));
    Value after = Value.from(Map.of("a", List.of(1)));
    assertThat(Diff.between(before, after).changes()).extracting(Change::toString)
        .containsExactly("~ a: {\"x\": 1} -> [1]");
    assertThat(Diff.between(Value.of(1), Value.of("1")).changes()).extracting(Change::toString)
        .containsExactly("~ $: 1 -> \"1\"");
  }

  @Test
  void applyTo_replaysTheChanges() {
    Value after = CONFIG.with("pools[1].timeout", 50).with("pools[2]", Map.of("name", "x"))
        .with("flags", Set.of("beta")).without("ratio").with("new", List.of(1));
    Diff diff = Diff.between(CONFIG, after);
    assertThat(diff.applyTo(CONFIG)).isEqualTo(after);
    Diff back = Diff.between(after, CONFIG);
    assertThat(back.applyTo(after)).isEqualTo(CONFIG);
  }

  @Test
  void applyTo_anotherValue_isRejected() {
    Diff diff = Diff.between(CONFIG, CONFIG.with("ratio", 1));
    assertThatThrownBy(() -> diff.applyTo(Value.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("this diff applies to " + CONFIG.fingerprint().toShortString() + ", not to "
            + Value.of(1).fingerprint().toShortString());
  }

  @Test
  void between_largeTreesDifferingInOneLeaf_visitsOnlyThePath() {
    // 1000 components x 100 parameters: 100,000 leaves
    Map<String, Object> config = new HashMap<>();
    for (int c = 0; c < 1000; c++) {
      Map<String, Object> component = new HashMap<>();
      for (int p = 0; p < 100; p++) {
        component.put("p" + p, c * 100 + p);
      }
      config.put("component-" + c, component);
    }
    Value before = Value.from(config);
    Value after = before.with("component-517.p42", -1);
    Diff.Walker walker = new Diff.Walker();
    walker.values(before, after);
    assertThat(walker.changes).extracting(Change::toString)
        .containsExactly("~ component-517.p42: 51742 -> -1");
    // root, one node per level of the 1000-entry map (2 levels), the entry, the component,
    // one node per level of its 100-entry map (2 levels), the leaf, plus the sibling nodes
    // compared at each level: far fewer than the 101,000 nodes of each tree
    assertThat(walker.visited).isLessThan(200);
  }

  @Test
  void between_flatHundredThousandMap_oneLeaf_visitsFewNodes() {
    Value before = Value.from(RandomValues.flatConfig(100_000));
    Value after = before.with("param-777", "changed");
    Diff.Walker walker = new Diff.Walker();
    walker.values(before, after);
    assertThat(walker.changes).hasSize(1);
    assertThat(walker.visited).isLessThan(200);
  }

  @Test
  void between_collectionsAcrossTheThirtyTwoBoundary() {
    List<Integer> base = new ArrayList<>();
    for (int i = 0; i < 1100; i++) {
      base.add(i);
    }
    Value before = Value.from(base);
    for (int size : new int[] {0, 1, 31, 32, 33, 1023, 1024, 1025, 1099, 1100}) {
      Value after = Value.from(base.subList(0, size));
      Diff diff = Diff.between(before, after);
      assertThat(diff.changes()).hasSize(1100 - size);
      assertThat(diff.applyTo(before)).isEqualTo(after);
      assertThat(Diff.between(after, before).applyTo(after)).isEqualTo(before);
    }
  }
}
