package dev.breakglass.fingerprint;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;

/** A list value: elements in order, digested with the fixed-shape Merkle tree of MerkleSeq. */
final class ListValue extends Container {

  ListValue(MerkleSeq items, int depth, Hasher hasher) {
    super(Format.LIST, items, depth, hasher);
  }

  static ListValue of(Value[] elements, Hasher hasher) {
    return new ListValue(MerkleSeq.build(elements, hasher), depthOf(elements), hasher);
  }

  Value element(int index) {
    return (Value) members.get(index);
  }

  @Override
  public Kind kind() {
    return Kind.LIST;
  }

  @Override
  @Nullable Value child(Object segment) {
    if (segment instanceof Integer index && index >= 0 && index < members.size) {
      return element(index);
    }
    return null;
  }

  @Override
  void encodeTo(ByteSink sink) {
    encodeValues(sink, Format.LIST);
  }

  @Override
  Object toJavaOrNull() {
    return toJava(new ArrayList<>(members.size));
  }

  @Override
  void render(StringBuilder out, int budget) {
    render(out, budget, "[", "]");
  }

  List<Value> view() {
    return new View();
  }

  private final class View extends AbstractList<Value> implements RandomAccess {
    @Override
    public Value get(int index) {
      if (index < 0 || index >= members.size) {
        throw new IndexOutOfBoundsException("index " + index + " out of range for a list of "
            + members.size + " elements");
      }
      return element(index);
    }

    @Override
    public int size() {
      return members.size;
    }
  }
}
