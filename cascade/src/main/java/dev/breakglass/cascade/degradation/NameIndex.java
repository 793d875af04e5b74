package dev.breakglass.cascade.degradation;

import java.util.List;

/**
 * An immutable open-addressing hash table from name to slot, for lookups by name on the
 * request path.
 *
 * <p>Immutable and thread-safe once built (all fields final, arrays never written after
 * construction).
 */
final class NameIndex {

  /*
   * Design: linear probing over a power-of-two table at most half full, keys compared by
   * identity first (callers usually pass the same String instance, e.g. a constant) and by
   * equals() otherwise. A lookup reads the String's cached hash, one array slot and, on a hit,
   * nothing else: callers keep their values in arrays parallel to the slots. Compared with a
   * HashMap this saves the node indirection and the boxed value; it is built once and never
   * resized. Cf. java.util.ImmutableCollections.MapN, which probes the same way.
   */

  private final String[] keys;

  NameIndex(List<String> names) {
    int capacity = Integer.highestOneBit(Math.max(2, names.size()) * 2 - 1) << 1;
    this.keys = new String[capacity];
    for (String name : names) {
      int slot = probe(name);
      if (keys[slot] != null) {
        throw new IllegalArgumentException("duplicate name '" + name + "'");
      }
      keys[slot] = name;
    }
  }

  /** The number of slots; values live in arrays of this length. */
  int capacity() {
    return keys.length;
  }

  /** The keys by slot (do not modify), for {@link #slotOf(String[], String)}. */
  String[] keys() {
    return keys;
  }

  /** The slot of a name, or -1 if absent. */
  int slotOf(String name) {
    return slotOf(keys, name);
  }

  /**
   * The slot of a name in a table of keys built by a {@code NameIndex}, or -1 if absent.
   * Static, so that a caller holding the keys array in a final field saves a dereference on
   * its hot path.
   */
  static int slotOf(String[] keys, String name) {
    int slot = probe(keys, name);
    return keys[slot] == null ? -1 : slot;
  }

  private int probe(String name) {
    return probe(keys, name);
  }

  /** The slot holding {@code name}, or the empty slot where it would go. */
  private static int probe(String[] keys, String name) {
    int mask = keys.length - 1;
    int hash = name.hashCode();
    for (int slot = (hash ^ (hash >>> 16)) & mask; ; slot = (slot + 1) & mask) {
      String key = keys[slot];
      if (key == null || key.equals(name)) {
        return slot;
      }
    }
  }
}
