package dev.breakglass.fingerprint;

import java.util.Arrays;
import java.util.Comparator;

/** Sorts map entries into canonical order: by the unsigned bytes of their UTF-8 keys. */
final class KeySort {

  /*
   * Design: a comparator sort costs a megamorphic call per comparison, and configuration keys
   * share long prefixes ("pool.max-size", "pool.min-size"), so every comparison walks them.
   * Instead each entry gets a 64-bit sort key: the 5 bytes that follow the longest prefix all
   * keys share (zero-padded), then the entry's index in 24 bits, with the sign bit flipped so
   * that Arrays.sort(long[]) orders it as unsigned. Entries whose 5 bytes tie are few and are
   * then ordered by the full comparison. Maps of more than 2^24 entries fall back to the
   * comparator.
   */

  static final Comparator<MapEntry> ORDER = (a, b) -> Arrays.compareUnsigned(a.keyUtf8, b.keyUtf8);

  private static final int INDEX_BITS = 24;
  private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

  private KeySort() {}

  static void sort(MapEntry[] entries) {
    int n = entries.length;
    if (n < 2) {
      return;
    }
    if (n > INDEX_MASK + 1) {
      Arrays.sort(entries, ORDER);
      return;
    }
    byte[] first = entries[0].keyUtf8;
    int common = first.length;
    for (int i = 1; i < n && common > 0; i++) {
      byte[] key = entries[i].keyUtf8;
      int mismatch = Arrays.mismatch(first, 0, common, key, 0, Math.min(common, key.length));
      common = mismatch >= 0 ? mismatch : Math.min(common, key.length);
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      byte[] key = entries[i].keyUtf8;
      long prefix = 0;
      for (int b = 0; b < 5; b++) {
        int at = common + b;
        prefix = prefix << 8 | (at < key.length ? key[at] & 0xFF : 0);
      }
      keys[i] = (prefix << INDEX_BITS | i) ^ Long.MIN_VALUE;
    }
    Arrays.sort(keys);
    MapEntry[] sorted = new MapEntry[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = entries[(int) (keys[i] & INDEX_MASK)];
    }
    for (int i = 0; i < n; ) {
      int j = i + 1;
      while (j < n && keys[j] >>> INDEX_BITS == keys[i] >>> INDEX_BITS) {
        j++;
      }
      if (j - i > 1) {
        Arrays.sort(sorted, i, j, ORDER);
      }
      i = j;
    }
    System.arraycopy(sorted, 0, entries, 0, n);
  }
}
