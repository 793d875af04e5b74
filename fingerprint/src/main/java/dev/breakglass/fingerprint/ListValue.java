package dev.breakglass.fingerprint;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;

/** A list value: elements in order, digested with the fixed-shape Merkle tree of MerkleSeq. */
final class ListValue extends Value {

  final MerkleSeq items;
  private final int depth;

  ListValue(MerkleSeq items, int depth, Hasher hasher) {
    super(items.rootDigest(Format.LIST, hasher));
    this.items = items;
    this.depth = Containers.checkDepth(depth);
  }

  static ListValue of(Value[] elements, Hasher hasher) {
    return new ListValue(MerkleSeq.build(elements, hasher), Containers.depthOf(elements), hasher);
  }

  Value element(int index) {
    return (Value) items.get(index);
  }

  @Override
  public Kind kind() {
    return Kind.LIST;
  }

  @Override
  public int size() {
    return items.size;
  }

  @Override
  int depth() {
    return depth;
  }

  @Override
  @Nullable Value child(Object segment) {
    if (segment instanceof Integer index && index >= 0 && index < items.size) {
      return element(index);
    }
    return null;
  }

  @Override
  void encodeTo(ByteSink sink) {
    sink.u8(Format.LIST);
    sink.u32(items.size);
    for (Object element : items.toArray()) {
      ((Value) element).encodeTo(sink);
    }
  }

  @Override
  Object toJavaOrNull() {
    List<@Nullable Object> out = new ArrayList<>(items.size);
    for (Object element : items.toArray()) {
      out.add(((Value) element).toJavaOrNull());
    }
    return out;
  }

  @Override
  void render(StringBuilder out, int budget) {
    Containers.render(out, budget, "[", "]", items.toArray(), null);
  }

  List<Value> view() {
    return new View();
  }

  private final class View extends AbstractList<Value> implements RandomAccess {
    @Override
    public Value get(int index) {
      if (index < 0 || index >= items.size) {
        throw new IndexOutOfBoundsException("index " + index + " out of range for a list of "
            + items.size + " elements");
      }
      return element(index);
    }

    @Override
    public int size() {
      return items.size;
    }
  }
}
