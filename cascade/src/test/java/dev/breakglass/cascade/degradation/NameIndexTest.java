package dev.breakglass.cascade.degradation;

import static dev.breakglass.testing.Gen.weighted;
import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.testing.Gen;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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

  /** Distinct names to index, and probes: random strings, some of them names. */
  record Lookup(List<String> names, List<String> probes) {}

  @Test
  void slotOf_matchesASet() {
    Gen<Lookup> lookups = source -> {
      List<String> names = new ArrayList<>(
          new LinkedHashSet<>(source.draw(Gen.strings(0, 255).list(0, 64))));
      Gen<String> probe = names.isEmpty() ? Gen.strings(0, 255)
          : Gen.frequency(weighted(3, Gen.strings(0, 255)), weighted(1, Gen.of(names)));
      return new Lookup(names, source.draw(probe.list(0, 255)));
    };

    forAll(lookups).tries(200).check(lookup -> {
      List<String> names = lookup.names();
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
      for (String probe : lookup.probes()) {
        assertThat(index.slotOf(probe) >= 0).isEqualTo(expected.contains(probe));
      }
    });
  }
}
