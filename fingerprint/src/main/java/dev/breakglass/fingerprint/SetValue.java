package dev.breakglass.fingerprint;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A set value: distinct elements sorted by their digests (unsigned, bytewise). */
final class SetValue extends Container {

  SetValue(MerkleSeq elements, int depth, Hasher hasher) {
    super(Format.SET, elements, depth, hasher);
  }

  /** Builds a set from elements already sorted by digest and free of duplicates. */
  static SetValue of(Value[] sorted, Hasher hasher) {
    return new SetValue(MerkleSeq.build(sorted, hasher), depthOf(sorted), hasher);
  }

  /**
   * Sorts elements into canonical order, by digest.
   *
   * @return the index of the first element with the same digest as the one before it, or -1
   *     if the elements are distinct
   */
  static int sortByDigest(Value[] elements) {
    Arrays.sort(elements, (a, b) -> Arrays.compareUnsigned(a.digest, b.digest));
    for (int i = 1; i < elements.length; i++) {
      if (Arrays.equals(elements[i - 1].digest, elements[i].digest)) {
        return i;
      }
    }
    return -1;
  }

  Value element(int index) {
    return (Value) members.get(index);
  }

  /** Binary search by digest: the index, or {@code -(insertion point) - 1}. */
  int indexOf(byte[] digest) {
    int low = 0;
    int high = members.size - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int cmp = Arrays.compareUnsigned(element(mid).digest, digest);
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
    return Kind.SET;
  }

  @Override
  @Nullable Value child(Object segment) {
    if (segment instanceof Fingerprint fingerprint) {
      int index = indexOf(fingerprint.bytesUnsafe());
      return index >= 0 ? element(index) : null;
    }
    return null;
  }

  @Override
  void encodeTo(ByteSink sink) {
    encodeValues(sink, Format.SET);
  }

  @Override
  Object toJavaOrNull() {
    return toJava(new LinkedHashSet<>(Math.max(16, members.size * 2)));
  }

  @Override
  void render(StringBuilder out, int budget) {
    render(out, budget, "set[", "]");
  }

  Set<Value> view() {
    return new View();
  }

  private final class View extends AbstractSet<Value> {
    @Override
    public boolean contains(Object o) {
      return o instanceof Value value && indexOf(value.digest) >= 0;
    }

    @Override
    public int size() {
      return members.size;
    }

    @Override
    public Iterator<Value> iterator() {
      return new Iterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next < members.size;
        }

        @Override
        public Value next() {
          if (next >= members.size) {
            throw new NoSuchElementException();
          }
          return element(next++);
        }
      };
    }
  }
}
