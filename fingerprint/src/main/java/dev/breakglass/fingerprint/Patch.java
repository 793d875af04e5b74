package dev.breakglass.fingerprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A set of replacements, additions and removals addressed by path, applied to a value in one
 * pass: each affected container is rebuilt once, and a container whose children are only
 * replaced is path-copied, re-hashing only the touched nodes. Used by {@link Value#with},
 * {@link Value#without} and {@link Diff#applyTo}. Not thread-safe.
 */
final class Patch {

  /*
   * Design: a trie of path segments whose nodes carry at most one operation (replace/add, or
   * remove). applyTo walks the trie and the value together: a container whose children are
   * only replaced is path-copied through MerkleSeq.set (re-hashing just the touched nodes);
   * one whose children are added or removed is rebuilt once from its old items (re-hashing its
   * interior nodes, never its children). Conflicting operations (a path and its ancestor) are
   * refused when added.
   */

  private @Nullable Value replacement;
  private boolean remove;
  private @Nullable Map<Object, Patch> children;

  static Patch single(ValuePath path, Value replacement) {
    Patch root = new Patch();
    root.add(path, replacement, false);
    return root;
  }

  static Patch removal(ValuePath path) {
    Patch root = new Patch();
    root.add(path, null, true);
    return root;
  }

  /** Adds one operation: a replacement (or addition) when {@code remove} is false. */
  void add(ValuePath path, @Nullable Value value, boolean remove) {
    Patch node = this;
    for (int i = 0; i < path.depth(); i++) {
      if (node.replacement != null || node.remove) {
        throw conflict(path);
      }
      if (node.children == null) {
        node.children = new LinkedHashMap<>();
      }
      node = node.children.computeIfAbsent(path.segment(i), s -> new Patch());
    }
    if (node.replacement != null || node.remove || node.children != null) {
      throw conflict(path);
    }
    node.replacement = value;
    node.remove = remove;
  }

  private static IllegalArgumentException conflict(ValuePath path) {
    return new IllegalArgumentException("conflicting changes at or above " + path.toText());
  }

  Value applyTo(Value base, Hasher hasher) {
    return apply(base, new ArrayList<>(), hasher);
  }

  private Value apply(Value base, List<Object> path, Hasher hasher) {
    if (replacement != null) {
      return replacement;
    }
    Map<Object, Patch> children = this.children;
    if (children == null) {
      return base;
    }
    return switch (base.kind()) {
      case MAP -> applyToMap((MapValue) base, children, path, hasher);
      case LIST -> applyToList((ListValue) base, children, path, hasher);
      case SET -> applyToSet((SetValue) base, children, path, hasher);
      default -> throw error(path, "is " + base.kindName() + ", which has no children");
    };
  }

  private Value applyToMap(MapValue map, Map<Object, Patch> children, List<Object> path,
      Hasher hasher) {
    TreeMap<Integer, MapEntry> replaced = new TreeMap<>();
    Set<Integer> removed = new HashSet<>();
    List<MapEntry> added = new ArrayList<>();
    int depth = map.depth();
    for (Map.Entry<Object, Patch> child : children.entrySet()) {
      if (!(child.getKey() instanceof String key)) {
        throw error(path, "is a map: address its entries by key, not by "
            + describe(child.getKey()));
      }
      Patch op = child.getValue();
      int index = map.indexOf(key);
      if (op.remove) {
        if (index < 0) {
          throw error(path, key, "no entry to remove");
        }
        removed.add(index);
      } else if (op.replacement != null) {
        if (index >= 0) {
          replaced.put(index, map.entry(index).withValue(op.replacement, hasher));
        } else {
          added.add(MapEntry.of(key, op.replacement, hasher));
        }
        depth = Math.max(depth, op.replacement.depth() + 1);
      } else {
        if (index < 0) {
          throw error(path, key, "no value there");
        }
        MapEntry entry = map.entry(index);
        path.add(key);
        Value updated = op.apply(entry.value, path, hasher);
        path.remove(path.size() - 1);
        replaced.put(index, entry.withValue(updated, hasher));
        depth = Math.max(depth, updated.depth() + 1);
      }
    }
    if (added.isEmpty() && removed.isEmpty()) {
      MerkleSeq entries = map.members;
      for (Map.Entry<Integer, MapEntry> r : replaced.entrySet()) {
        entries = entries.set(r.getKey(), r.getValue(), hasher);
      }
      return new MapValue(entries, depth, hasher);
    }
    Object[] old = map.members.toArray();
    for (Map.Entry<Integer, MapEntry> r : replaced.entrySet()) {
      old[r.getKey()] = r.getValue();
    }
    added.sort(KeySort.ORDER);
    MapEntry[] merged = new MapEntry[old.length - removed.size() + added.size()];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < old.length || j < added.size()) {
      if (i < old.length && removed.contains(i)) {
        i++;
        continue;
      }
      if (j >= added.size() || (i < old.length
          && Arrays.compareUnsigned(((MapEntry) old[i]).keyUtf8, added.get(j).keyUtf8) < 0)) {
        merged[k++] = (MapEntry) old[i++];
      } else {
        merged[k++] = added.get(j++);
      }
    }
    return MapValue.of(merged, hasher);
  }

  private Value applyToList(ListValue list, Map<Object, Patch> children, List<Object> path,
      Hasher hasher) {
    int size = list.size();
    TreeMap<Integer, Value> replaced = new TreeMap<>();
    TreeMap<Integer, Value> appended = new TreeMap<>();
    Set<Integer> removed = new HashSet<>();
    int depth = list.depth();
    for (Map.Entry<Object, Patch> child : children.entrySet()) {
      if (!(child.getKey() instanceof Integer index)) {
        throw error(path, "is a list: address its elements by index, not by "
            + describe(child.getKey()));
      }
      Patch op = child.getValue();
      if (op.remove) {
        if (index >= size) {
          throw error(path, index, "no element to remove in a list of " + size);
        }
        removed.add(index);
      } else if (op.replacement != null) {
        if (index < size) {
          replaced.put(index, op.replacement);
        } else {
          appended.put(index, op.replacement);
        }
        depth = Math.max(depth, op.replacement.depth() + 1);
      } else {
        if (index >= size) {
          throw error(path, index, "no element there in a list of " + size);
        }
        path.add(index);
        Value updated = op.apply(list.element(index), path, hasher);
        path.remove(path.size() - 1);
        replaced.put(index, updated);
        depth = Math.max(depth, updated.depth() + 1);
      }
    }
    if (!appended.isEmpty()) {
      if (!removed.isEmpty()) {
        throw error(path, "cannot both add and remove elements of one list in one change");
      }
      int expected = size;
      for (int index : appended.keySet()) {
        if (index != expected) {
          throw error(path, index, "out of range: elements can be added only at the end,"
              + " index " + expected);
        }
        expected++;
      }
    }
    if (appended.isEmpty() && removed.isEmpty()) {
      MerkleSeq items = list.members;
      for (Map.Entry<Integer, Value> r : replaced.entrySet()) {
        items = items.set(r.getKey(), r.getValue(), hasher);
      }
      return new ListValue(items, depth, hasher);
    }
    Object[] old = list.members.toArray();
    List<Value> result = new ArrayList<>(size + appended.size());
    for (int i = 0; i < old.length; i++) {
      if (!removed.contains(i)) {
        result.add(replaced.containsKey(i) ? replaced.get(i) : (Value) old[i]);
      }
    }
    result.addAll(appended.values());
    return ListValue.of(result.toArray(new Value[0]), hasher);
  }

  private Value applyToSet(SetValue set, Map<Object, Patch> children, List<Object> path,
      Hasher hasher) {
    Set<Integer> removed = new HashSet<>();
    List<Value> added = new ArrayList<>();
    for (Map.Entry<Object, Patch> child : children.entrySet()) {
      if (!(child.getKey() instanceof Fingerprint element)) {
        throw error(path, "is a set: address its elements by fingerprint, not by "
            + describe(child.getKey()));
      }
      Patch op = child.getValue();
      int index = set.indexOf(element.bytesUnsafe());
      if (op.remove) {
        if (index < 0) {
          throw error(path, element, "no such element to remove");
        }
        removed.add(index);
      } else if (op.replacement != null) {
        if (index >= 0) {
          removed.add(index);
        } else if (!Arrays.equals(op.replacement.digest, element.bytesUnsafe())) {
          throw error(path, element, "no such element (to add an element, give its own"
              + " fingerprint, " + op.replacement.fingerprint() + ")");
        }
        added.add(op.replacement);
      } else {
        if (index < 0) {
          throw error(path, element, "no such element");
        }
        path.add(element);
        Value updated = op.apply(set.element(index), path, hasher);
        path.remove(path.size() - 1);
        removed.add(index);
        added.add(updated);
      }
    }
    Object[] old = set.members.toArray();
    List<Value> result = new ArrayList<>(old.length + added.size());
    for (int i = 0; i < old.length; i++) {
      if (!removed.contains(i)) {
        result.add((Value) old[i]);
      }
    }
    result.addAll(added);
    Value[] sorted = result.toArray(new Value[0]);
    int duplicate = SetValue.sortByDigest(sorted);
    if (duplicate >= 0) {
      throw error(path, "the set would hold " + JavaValues.abbreviate(sorted[duplicate])
          + " twice");
    }
    return SetValue.of(sorted, hasher);
  }

  private static String describe(Object segment) {
    if (segment instanceof String key) {
      return "key " + Json.quoted(key);
    }
    if (segment instanceof Integer index) {
      return "index [" + index + "]";
    }
    return "element {" + ((Fingerprint) segment).toHex() + "}";
  }

  private static IllegalArgumentException error(List<Object> path, Object segment, String why) {
    List<Object> full = new ArrayList<>(path);
    full.add(segment);
    return error(full, why);
  }

  private static IllegalArgumentException error(List<Object> path, String why) {
    return new IllegalArgumentException(ValuePath.of(path.toArray()).toText() + ": " + why);
  }
}
