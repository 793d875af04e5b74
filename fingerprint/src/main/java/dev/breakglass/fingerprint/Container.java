package dev.breakglass.fingerprint;

import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * A list, map or set value: its members (values, or a map's entries) in a {@link MerkleSeq},
 * digested as one fixed-shape Merkle tree under the kind's tag. Immutable and thread-safe.
 */
abstract sealed class Container extends Value permits ListValue, MapValue, SetValue {

  /** The members in canonical order: Values, or MapEntries for a map. */
  final MerkleSeq members;
  private final int depth;

  Container(int tag, MerkleSeq members, int depth, Hasher hasher) {
    super(members.rootDigest(tag, hasher));
    this.members = members;
    this.depth = checkDepth(depth);
  }

  @Override
  public final int size() {
    return members.size;
  }

  @Override
  final int depth() {
    return depth;
  }

  /** The canonical encoding of a list or set: tag, number of members, each member's. */
  final void encodeValues(ByteSink sink, int tag) {
    sink.u8(tag);
    sink.u32(members.size);
    for (Object member : members.toArray()) {
      ((Value) member).encodeTo(sink);
    }
  }

  /** Adds the Java form of each member of a list or set to {@code out}, and returns it. */
  final <C extends Collection<@Nullable Object>> C toJava(C out) {
    for (Object member : members.toArray()) {
      out.add(((Value) member).toJavaOrNull());
    }
    return out;
  }

  /** Renders the members within a budget: values, or a map's {@code key: value} entries. */
  final void render(StringBuilder out, int budget, String open, String close) {
    Object[] all = members.toArray();
    out.append(open);
    for (int i = 0; i < all.length; i++) {
      if (i > 0) {
        out.append(", ");
      }
      if (out.length() > budget) {
        out.append("...(").append(all.length - i).append(" more)");
        break;
      }
      if (all[i] instanceof MapEntry entry) {
        Json.quoteForText(out, entry.key, budget);
        out.append(": ");
        entry.value.render(out, budget);
      } else {
        ((Value) all[i]).render(out, budget);
      }
    }
    out.append(close);
  }

  /** The depth of a container of these children: one more than the deepest. */
  static int depthOf(Value[] children) {
    int depth = 0;
    for (Value child : children) {
      depth = Math.max(depth, child.depth());
    }
    return depth + 1;
  }

  static int checkDepth(int depth) {
    if (depth > Format.MAX_DEPTH) {
      throw new IllegalArgumentException(
          "values nest at most " + Format.MAX_DEPTH + " containers deep, this one " + depth);
    }
    return depth;
  }
}
