package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.internal.PlainText;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What shutdown and recovery plans share: how they order components and look them up. */
final class Plans {

  private Plans() {}

  /**
   * Orders the members of a plan by bucket, each bucket by name: a stable counting sort of the
   * components taken in the graph's name order. O(V + buckets).
   *
   * @param members the members of the plan, or null for every component
   * @param bucket each member's bucket, by global index; ignored for non-members
   * @param bucketStart filled with the position of each bucket's first member in the result,
   *     and the number of members at the end; length number of buckets + 1
   * @return the members' global indices in plan order
   */
  static int[] orderByBucket(DependencyGraph graph, boolean @Nullable [] members, int[] bucket,
      int[] bucketStart) {
    int buckets = bucketStart.length - 1;
    for (int v = 0; v < graph.size(); v++) {
      if (members == null || members[v]) {
        bucketStart[bucket[v] + 1]++;
      }
    }
    for (int b = 0; b < buckets; b++) {
      bucketStart[b + 1] += bucketStart[b];
    }
    int[] fill = Arrays.copyOf(bucketStart, buckets);
    int[] order = new int[bucketStart[buckets]];
    for (int v : graph.nameOrder()) { // stable distribution: each bucket ends up sorted by name
      if (members == null || members[v]) {
        order[fill[bucket[v]]++] = v;
      }
    }
    return order;
  }

  /** Global index to position in {@code order}, or -1 if not in it. */
  static int[] positions(int[] order, int size) {
    int[] position = new int[size];
    Arrays.fill(position, -1);
    for (int i = 0; i < order.length; i++) {
      position[order[i]] = i;
    }
    return position;
  }

  /** The global index of a member of the plan. */
  static int member(DependencyGraph graph, int[] position, String name) {
    int index = graph.indexOf(name);
    if (position[index] < 0) {
      throw new IllegalArgumentException("component '" + name + "' is not in this plan");
    }
    return index;
  }

  /** The names of {@code order[from, to)}. */
  static List<String> names(DependencyGraph graph, int[] order, int from, int to) {
    String[] names = new String[to - from];
    for (int i = from; i < to; i++) {
      names[i - from] = graph.componentAt(order[i]).name();
    }
    return List.of(names);
  }

  /** The names of the components of {@code order}, escaped for a text rendering. */
  static String[] printableNames(DependencyGraph graph, int[] order) {
    String[] names = new String[order.length];
    for (int i = 0; i < order.length; i++) {
      names[i] = PlainText.escape(graph.componentAt(order[i]).name());
    }
    return names;
  }
}
