package dev.breakglass.fingerprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The differences between two values, path by path: what {@link #between(Value, Value)} finds
 * and {@link #applyTo(Value)} replays.
 *
 * <pre>{@code
 * Diff diff = Diff.between(stable, candidate);
 * diff.changes().forEach(System.out::println);   // ~ pools[2].timeout: 30 -> 5
 * Value again = diff.applyTo(stable);            // equals candidate
 * }</pre>
 *
 * <p><b>What counts as a change.</b> Maps are compared key by key, sets element by element
 * (an element is only ever added or removed: its identity is its content), and lists position
 * by position: inserting at the front of a list shows every later position as changed, and a
 * longer list shows its extra elements as added at the end. Where two values are containers of
 * the same kind, the diff descends; anywhere else a difference is one {@link Change.Type#CHANGED
 * CHANGED} at that path.
 *
 * <p><b>Cost.</b> The walk compares digests before it descends, so identical subtrees are
 * never entered; within a collection of more than 32 children it also skips every interior
 * node whose digest matches. Two trees that differ in one leaf cost about one digest
 * comparison per level and per interior node on that path, however large the trees are. A
 * collection whose size changed is compared child by child over the positions that differ,
 * which for an insertion in a large map can be most of that map.
 *
 * <p>Immutable and thread-safe.
 */
public final class Diff {

  private final Fingerprint from;
  private final Fingerprint to;
  private final List<Change> changes;

  private Diff(Fingerprint from, Fingerprint to, List<Change> changes) {
    this.from = from;
    this.to = to;
    this.changes = changes;
  }

  /**
   * Computes the changes that turn {@code from} into {@code to}.
   *
   * @param from the older value
   * @param to the newer value
   * @return the diff, with changes in depth-first canonical order
   * @throws NullPointerException if either value is null
   */
  public static Diff between(Value from, Value to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Walker walker = new Walker();
    walker.values(from, to);
    return new Diff(from.fingerprint(), to.fingerprint(), List.copyOf(walker.changes));
  }

  /**
   * Returns the changes, in depth-first canonical order (map keys by code point, list
   * positions ascending, set elements by fingerprint).
   *
   * @return an immutable list; empty when the values are equal
   */
  public List<Change> changes() {
    return changes;
  }

  /**
   * Tells whether the two values are equal.
   *
   * @return {@code true} if there is no change
   */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /**
   * Returns the fingerprint of the older value.
   *
   * @return the fingerprint this diff applies to
   */
  public Fingerprint from() {
    return from;
  }

  /**
   * Returns the fingerprint of the newer value.
   *
   * @return the fingerprint {@link #applyTo(Value)} produces
   */
  public Fingerprint to() {
    return to;
  }

  /**
   * Replays the changes on the older value, which yields the newer one.
   *
   * @param base the value this diff was computed from
   * @return the newer value
   * @throws NullPointerException if {@code base} is null
   * @throws IllegalArgumentException if {@code base} is not the value this diff was computed
   *     from (its fingerprint is not {@link #from()})
   */
  public Value applyTo(Value base) {
    Objects.requireNonNull(base, "base");
    if (!base.fingerprint().equals(from)) {
      throw new IllegalArgumentException("this diff applies to " + from.toShortString()
          + ", not to " + base.fingerprint().toShortString());
    }
    Patch patch = new Patch();
    for (Change change : changes) {
      patch.add(change.path(), change.after(), change.type() == Change.Type.REMOVED);
    }
    Value result = patch.applyTo(base, new Hasher());
    if (!result.fingerprint().equals(to)) {
      throw new IllegalStateException("replaying the diff produced "
          + result.fingerprint().toShortString() + " instead of " + to.toShortString());
    }
    return result;
  }

  /**
   * Renders the diff: a header line with both fingerprints, then one line per change.
   *
   * @return the rendering, for example
   *     {@code "diff sha256:3f1a.. -> sha256:9b0c..: 1 change\n~ pools[2].timeout: 30 -> 5\n"}
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    out.append("diff ").append(from.toShortString()).append(" -> ").append(to.toShortString())
        .append(": ").append(changes.size()).append(changes.size() == 1 ? " change" : " changes")
        .append('\n');
    for (Change change : changes) {
      out.append(change).append('\n');
    }
    return out.toString();
  }

  /** The recursive comparison. Package-private so tests can count the nodes it visits. */
  static final class Walker {

    /*
     * Design: values() compares digests first and returns at once when they match, so equal
     * subtrees are never entered. For two collections of the same kind, differingPositions()
     * walks both MerkleSeq trees together from the top, level by level: a node at (level L,
     * index j) covers the same item positions in both trees, so when both exist, cover the
     * same range (the collections may differ in size) and have equal digests, the whole range
     * is skipped. What remains are the item positions that differ. Lists compare them pairwise;
     * maps and sets merge the differing items of both sides by key or digest (items at equal
     * positions with equal digests are identical, so any item missing from the merge is on
     * one side only).
     */

    final List<Change> changes = new ArrayList<>();
    /** How many value pairs and interior node pairs were compared. */
    int visited;
    private final List<Object> path = new ArrayList<>();

    void values(Value a, Value b) {
      visited++;
      if (Arrays.equals(a.digest, b.digest)) {
        return;
      }
      if (a.kind() != b.kind()) {
        record(Change.Type.CHANGED, a, b);
        return;
      }
      switch (a.kind()) {
        case LIST -> lists((ListValue) a, (ListValue) b);
        case MAP -> maps((MapValue) a, (MapValue) b);
        case SET -> sets((SetValue) a, (SetValue) b);
        default -> record(Change.Type.CHANGED, a, b);
      }
    }

    private void lists(ListValue a, ListValue b) {
      for (int p : differingPositions(a.members, b.members)) {
        path.add(p);
        if (p < a.size() && p < b.size()) {
          values(a.element(p), b.element(p));
        } else if (p < b.size()) {
          record(Change.Type.ADDED, null, b.element(p));
        } else {
          record(Change.Type.REMOVED, a.element(p), null);
        }
        path.remove(path.size() - 1);
      }
    }

    private void maps(MapValue a, MapValue b) {
      List<MapEntry> left = new ArrayList<>();
      List<MapEntry> right = new ArrayList<>();
      for (int p : differingPositions(a.members, b.members)) {
        if (p < a.size()) {
          left.add(a.entry(p));
        }
        if (p < b.size()) {
          right.add(b.entry(p));
        }
      }
      int i = 0;
      int j = 0;
      while (i < left.size() || j < right.size()) {
        int cmp = i >= left.size() ? 1 : j >= right.size() ? -1
            : Arrays.compareUnsigned(left.get(i).keyUtf8, right.get(j).keyUtf8);
        MapEntry entry = cmp <= 0 ? left.get(i) : right.get(j);
        path.add(entry.key);
        if (cmp == 0) {
          values(left.get(i++).value, right.get(j++).value);
        } else if (cmp < 0) {
          record(Change.Type.REMOVED, left.get(i++).value, null);
        } else {
          record(Change.Type.ADDED, null, right.get(j++).value);
        }
        path.remove(path.size() - 1);
      }
    }

    private void sets(SetValue a, SetValue b) {
      List<Value> left = new ArrayList<>();
      List<Value> right = new ArrayList<>();
      for (int p : differingPositions(a.members, b.members)) {
        if (p < a.size()) {
          left.add(a.element(p));
        }
        if (p < b.size()) {
          right.add(b.element(p));
        }
      }
      int i = 0;
      int j = 0;
      while (i < left.size() || j < right.size()) {
        int cmp = i >= left.size() ? 1 : j >= right.size() ? -1
            : Arrays.compareUnsigned(left.get(i).digest, right.get(j).digest);
        if (cmp == 0) {
          i++;
          j++;
          continue;
        }
        Value element = cmp < 0 ? left.get(i++) : right.get(j++);
        path.add(element.fingerprint());
        if (cmp < 0) {
          record(Change.Type.REMOVED, element, null);
        } else {
          record(Change.Type.ADDED, null, element);
        }
        path.remove(path.size() - 1);
      }
    }

    /** The item positions, ascending, where the two sequences may differ. */
    int[] differingPositions(MerkleSeq a, MerkleSeq b) {
      int height = Math.max(a.height, b.height);
      long maxSize = Math.max(a.size, b.size);
      IntList out = new IntList();
      long span = 1L << (MerkleSeq.SHIFT * height);
      for (int j = 0; (long) j * span < maxSize; j++) {
        walk(a, b, height, j, maxSize, out);
      }
      return out.toArray();
    }

    private void walk(MerkleSeq a, MerkleSeq b, int level, int index, long maxSize, IntList out) {
      long span = 1L << (MerkleSeq.SHIFT * level);
      long start = index * span;
      if (start >= maxSize) {
        return;
      }
      visited++;
      Object left = a.memberAt(level, index);
      Object right = b.memberAt(level, index);
      if (left != null && right != null
          && Math.min(start + span, a.size) == Math.min(start + span, b.size)
          && Arrays.equals(MerkleSeq.digestOf(left), MerkleSeq.digestOf(right))) {
        return;
      }
      if (level == 0) {
        out.add(index);
        return;
      }
      for (int c = 0; c < MerkleSeq.FANOUT; c++) {
        walk(a, b, level - 1, index * MerkleSeq.FANOUT + c, maxSize, out);
      }
    }

    private void record(Change.Type type, @Nullable Value before, @Nullable Value after) {
      changes.add(new Change(type, ValuePath.of(path.toArray()), before, after));
    }
  }

  /** A growable int array. */
  private static final class IntList {
    private int[] items = new int[8];
    private int size;

    void add(int value) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = value;
    }

    int[] toArray() {
      return Arrays.copyOf(items, size);
    }
  }
}
