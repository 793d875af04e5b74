package dev.breakglass.cascade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

class NameIndexTest {

  @Test
  void slotOf_collidingHashesAndEqualCopies_findEachName() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    NameIndex index = new NameIndex(List.of("Aa", "BB", "payments"));

    int aa = index.slotOf(new String("Aa".toCharArray()));
    int bb = index.slotOf("BB");

    assertThat(aa).isNotNegative();
    assertThat(bb).isNotNegative().isNotEqualTo(aa);
    assertThat(index.keys()[aa]).isEqualTo("Aa");
    assertThat(index.slotOf("C#")).isEqualTo(-1); // same hash again, absent
    assertThat(index.slotOf("paymnts")).isEqualTo(-1);
  }

  @Test
  void constructor_emptyOrDuplicate_isHandled() {
    assertThat(new NameIndex(List.of()).slotOf("x")).isEqualTo(-1);
    assertThatThrownBy(() -> new NameIndex(List.of("a", "b", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate name 'a'");
  }

  @Property(tries = 200)
  void slotOf_matchesASet(
      @ForAll @Size(max = 64) @UniqueElements List<String> names,
      @ForAll List<String> probes) {
    NameIndex index = new NameIndex(names);
    Set<String> expected = new HashSet<>(names);
    assertThat(index.capacity()).isGreaterThanOrEqualTo(2 * names.size());
    List<Integer> slots = new ArrayList<>();
    for (String name : names) {
      int slot = index.slotOf(name);
      assertThat(index.keys()[slot]).isEqualTo(name);
      slots.add(slot);
    }
    assertThat(new HashSet<>(slots)).hasSameSizeAs(names);
    for (String probe : probes) {
      assertThat(index.slotOf(probe) >= 0).isEqualTo(expected.contains(probe));
    }
  }
}
