package dev.breakglass.fingerprint;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The children of a list, map or set: an immutable, persistent sequence with a Merkle digest of
 * fixed shape, so that replacing one child re-hashes only the nodes on its path.
 *
 * <p>Items are {@link Value}s (list and set elements) or {@link MapEntry}s, each carrying its own
 * digest. Immutable and thread-safe.
 */
final class MerkleSeq {

  /*
   * Design: the shape is that of a persistent vector (Bagwell, Hickey) with fan-out 32, and it is
   * fixed by the number of items alone, so two equal collections always have the same tree:
   *
   *   level 0: the items' digests, in canonical order;
   *   level k: the items of level k-1 grouped left to right in chunks of 32, each chunk hashed
   *            as NODE || digest || digest ...;
   *   top:     the first level with at most 32 members; the collection's digest is
   *            TAG || u32(count) || their digests.
   *
   * A collection of up to 32 children is therefore one hash over its children's digests. A node
   * at level L with index j covers items [j * 32^L, (j + 1) * 32^L), which is what lets Diff
   * compare two collections node by node and skip every equal node. set() copies the path from
   * the top to the item (at most `height` arrays of 32 references) and re-hashes exactly those
   * nodes; adding or removing an item moves every later item, so it rebuilds the interior
   * nodes (n * 32 bytes of hashing) but never re-hashes an item.
   */

  static final int FANOUT = 32;
  static final int SHIFT = 5;
  static final int MASK = FANOUT - 1;

  static final MerkleSeq EMPTY = new MerkleSeq(0, 0, new Object[0]);

  /** An interior node: its digest and its 1 to 32 children (items at level 1, else nodes). */
  static final class Node {
    final byte[] digest;
    final Object[] children;

    Node(byte[] digest, Object[] children) {
      this.digest = digest;
      this.children = children;
    }
  }

  final int size;
  /** 0 when {@link #top} holds the items themselves, else the level of the nodes in it. */
  final int height;
  /** At most 32 members: items (height 0) or nodes of level {@code height}. */
  final Object[] top;

  private MerkleSeq(int size, int height, Object[] top) {
    this.size = size;
    this.height = height;
    this.top = top;
  }

  /** Builds the tree over items already in canonical order. The array is taken, not copied. */
  static MerkleSeq build(Object[] items, Hasher hasher) {
    if (items.length == 0) {
      return EMPTY;
    }
    Object[] level = items;
    int height = 0;
    while (level.length > FANOUT) {
      Object[] next = new Object[(level.length + MASK) >>> SHIFT];
      for (int j = 0; j < next.length; j++) {
        int from = j << SHIFT;
        Object[] children = Arrays.copyOfRange(level, from, Math.min(from + FANOUT, level.length));
        next[j] = new Node(hashNode(children, hasher), children);
      }
      level = next;
      height++;
    }
    return new MerkleSeq(items.length, height, level);
  }

  static byte[] digestOf(Object member) {
    if (member instanceof Value value) {
      return value.digest;
    }
    if (member instanceof MapEntry entry) {
      return entry.digest;
    }
    return ((Node) member).digest;
  }

  private static byte[] hashNode(Object[] children, Hasher hasher) {
    hasher.start(Format.NODE);
    for (Object child : children) {
      hasher.bytes(digestOf(child));
    }
    return hasher.finish();
  }

  /** The collection digest: {@code tag || u32(size) || digests of the top members}. */
  byte[] rootDigest(int tag, Hasher hasher) {
    hasher.start(tag).u32(size);
    for (Object member : top) {
      hasher.bytes(digestOf(member));
    }
    return hasher.finish();
  }

  Object get(int index) {
    if (height == 0) {
      return top[index];
    }
    Object node = top[index >>> (SHIFT * height)];
    for (int level = height; level >= 1; level--) {
      node = ((Node) node).children[(index >>> (SHIFT * (level - 1))) & MASK];
    }
    return node;
  }

  /** Returns a sequence with the item at {@code index} replaced, re-hashing only its path. */
  MerkleSeq set(int index, Object item, Hasher hasher) {
    Object[] newTop = top.clone();
    if (height == 0) {
      newTop[index] = item;
    } else {
      int topIndex = index >>> (SHIFT * height);
      newTop[topIndex] = setIn((Node) top[topIndex], height, index, item, hasher);
    }
    return new MerkleSeq(size, height, newTop);
  }

  private static Node setIn(Node node, int level, int index, Object item, Hasher hasher) {
    Object[] children = node.children.clone();
    int child = (index >>> (SHIFT * (level - 1))) & MASK;
    children[child] = level == 1 ? item : setIn((Node) children[child], level - 1, index, item, hasher);
    return new Node(hashNode(children, hasher), children);
  }

  /** Copies the items, in order, into a new array. */
  Object[] toArray() {
    Object[] out = new Object[size];
    int[] position = {0};
    for (Object member : top) {
      collect(member, height, out, position);
    }
    return out;
  }

  private static void collect(Object member, int level, Object[] out, int[] position) {
    if (level == 0) {
      out[position[0]++] = member;
      return;
    }
    for (Object child : ((Node) member).children) {
      collect(child, level - 1, out, position);
    }
  }

  /**
   * Returns the member at (level, index) of the tree, or null if this sequence has no such
   * member: items are level 0. Levels above {@link #height} have no real members.
   */
  @Nullable Object memberAt(int level, int index) {
    if (level > height) {
      return null;
    }
    int topIndex = index >>> (SHIFT * (height - level));
    if (topIndex >= top.length) {
      return null;
    }
    Object node = top[topIndex];
    for (int l = height; l > level; l--) {
      Object[] children = ((Node) node).children;
      int child = (index >>> (SHIFT * (l - 1 - level))) & MASK;
      if (child >= children.length) {
        return null;
      }
      node = children[child];
    }
    return node;
  }
}
