package dev.breakglass.fingerprint;

import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.testing.Gen;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeySortTest {

  private static MapEntry[] entries(List<String> keys) {
    Hasher hasher = new Hasher();
    MapEntry[] entries = new MapEntry[keys.size()];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = MapEntry.of(keys.get(i), Value.ofNull(), hasher);
    }
    return entries;
  }

  private static List<String> sortedByKeySort(List<String> keys) {
    MapEntry[] entries = entries(keys);
    KeySort.sort(entries);
    return Arrays.stream(entries).map(e -> e.key).toList();
  }

  private static List<String> sortedByComparator(List<String> keys) {
    MapEntry[] entries = entries(keys);
    Arrays.sort(entries, KeySort.ORDER);
    return Arrays.stream(entries).map(e -> e.key).toList();
  }

  @Test
  void sort_paddingNulBytesAndLongCommonPrefixes() {
    List<String> keys = List.of("a", "a\u0000", "", "a\u0000\u0000\u0000\u0000\u0000b",
        "a\u0000\u0000\u0000\u0000\u0000", "pool.max-size-12345", "pool.max-size-12344",
        "pool.max-size-123456", "\uff61", "\uD83D\uDE00", "\u00e9", "b");
    assertThat(sortedByKeySort(keys)).containsExactlyElementsOf(sortedByComparator(keys));
  }

  /** Up to 300 distinct keys with a common prefix and a tail of awkward characters. */
  static Gen<List<String>> keySets() {
    return source -> {
      int n = source.draw(Gen.ints(0, 300));
      Random random = source.draw(Gen.randoms());
      String[] prefixes = {"", "parameter-", "a", "pool.max-size-", "\u00e9\u00e9"};
      String prefix = prefixes[random.nextInt(prefixes.length)];
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        StringBuilder key = new StringBuilder(prefix);
        int length = random.nextInt(9);
        for (int c = 0; c < length; c++) {
          key.append("\u0000ab\u00ff\uff61"
              .charAt(random.nextInt(5)));
        }
        keys.add(key.toString());
      }
      return new ArrayList<>(new java.util.LinkedHashSet<>(keys));
    };
  }

  @Test
  void sort_matchesTheComparator() {
    forAll(keySets()).tries(300).check(keys ->
        assertThat(sortedByKeySort(keys)).containsExactlyElementsOf(sortedByComparator(keys)));
  }
}
