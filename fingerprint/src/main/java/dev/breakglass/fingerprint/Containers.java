package dev.breakglass.fingerprint;

import org.jspecify.annotations.Nullable;

/** Helpers shared by the list, map and set values. */
final class Containers {

  private Containers() {}

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

  /** Renders children (Values, or MapEntries when {@code entries} is given) within a budget. */
  static void render(
      StringBuilder out, int budget, String open, String close, Object[] members,
      Object @Nullable [] entries) {
    out.append(open);
    for (int i = 0; i < members.length; i++) {
      if (i > 0) {
        out.append(", ");
      }
      if (out.length() > budget) {
        out.append("...(").append(members.length - i).append(" more)");
        break;
      }
      if (entries != null) {
        MapEntry entry = (MapEntry) entries[i];
        Json.quoteForText(out, entry.key, budget);
        out.append(": ");
        entry.value.render(out, budget);
      } else {
        ((Value) members[i]).render(out, budget);
      }
    }
    out.append(close);
  }
}
