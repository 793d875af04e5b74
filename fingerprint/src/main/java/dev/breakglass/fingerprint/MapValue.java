package dev.breakglass.fingerprint;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A map value: entries sorted by the UTF-8 bytes of their keys, each with its own digest. */
final class MapValue extends Container {

  MapValue(MerkleSeq entries, int depth, Hasher hasher) {
    super(Format.MAP, entries, depth, hasher);
  }

  /** Builds a map from entries already sorted by key and free of duplicates. */
  static MapValue of(MapEntry[] sorted, Hasher hasher) {
    int depth = 0;
    for (MapEntry entry : sorted) {
      depth = Math.max(depth, entry.value.depth());
    }
    return of(sorted, depth, hasher);
  }

  /**
   * Builds a map from entries already sorted by key and free of duplicates, whose deepest value
   * the caller already knows: {@code childDepth} is the maximum depth of the entries' values.
   */
  static MapValue of(MapEntry[] sorted, int childDepth, Hasher hasher) {
    return new MapValue(MerkleSeq.build(sorted, hasher), childDepth + 1, hasher);
  }

  MapEntry entry(int index) {
    return (MapEntry) members.get(index);
  }

  /** Binary search: the index of {@code key}, or {@code -(insertion point) - 1}. */
  int indexOf(String key) {
    int low = 0;
    int high = members.size - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int cmp = Keys.compare(entry(mid).key, key);
      if (cmp < 0) {
        low = mid + 1;
      } else if (cmp > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -(low + 1);
  }

  @Override
  public Kind kind() {
    return Kind.MAP;
  }

  @Override
  @Nullable Value child(Object segment) {
    if (segment instanceof String key) {
      int index = indexOf(key);
      return index >= 0 ? entry(index).value : null;
    }
    return null;
  }

  @Override
  void encodeTo(ByteSink sink) {
    sink.u8(Format.MAP);
    sink.u32(members.size);
    for (Object member : members.toArray()) {
      MapEntry entry = (MapEntry) member;
      sink.u32(entry.keyUtf8.length);
      sink.bytes(entry.keyUtf8);
      entry.value.encodeTo(sink);
    }
  }

  @Override
  Object toJavaOrNull() {
    Map<String, @Nullable Object> out = new LinkedHashMap<>(Math.max(16, members.size * 2));
    for (Object member : members.toArray()) {
      MapEntry entry = (MapEntry) member;
      out.put(entry.key, entry.value.toJavaOrNull());
    }
    return out;
  }

  @Override
  void render(StringBuilder out, int budget) {
    render(out, budget, "{", "}");
  }

  Map<String, Value> view() {
    return new View();
  }

  private final class View extends AbstractMap<String, Value> {
    @Override
    public @Nullable Value get(Object key) {
      if (key instanceof String string) {
        int index = indexOf(string);
        return index >= 0 ? entry(index).value : null;
      }
      return null;
    }

    @Override
    public boolean containsKey(Object key) {
      return key instanceof String string && indexOf(string) >= 0;
    }

    @Override
    public int size() {
      return members.size;
    }

    @Override
    public Set<Map.Entry<String, Value>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, Value>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < members.size;
            }

            @Override
            public Map.Entry<String, Value> next() {
              if (next >= members.size) {
                throw new NoSuchElementException();
              }
              MapEntry entry = entry(next++);
              return Map.entry(entry.key, entry.value);
            }
          };
        }

        @Override
        public int size() {
          return members.size;
        }
      };
    }
  }
}
