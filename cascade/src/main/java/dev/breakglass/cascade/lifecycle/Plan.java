package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.internal.PlainText;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ShutdownPlan} and a {@link RecoveryPlan} have in common: the components of a
 * {@link DependencyGraph} (all of them, or one component and its dependents when the plan
 * {@linkplain #isolated() isolates} it) in the order a run hands them to its executor, each in
 * a wave. Printing a plan's {@link #toText() text} is a dry run.
 *
 * <p>Immutable and thread-safe.
 */
public abstract sealed class Plan permits ShutdownPlan, RecoveryPlan {

  /*
   * Design: a plan is three int arrays over the graph's component indices: `order` (plan
   * order), `position` (index to place in order, -1 outside the plan) and `wave`. Subclasses
   * compute the waves (a longest-path layering, each in its own direction) and bucket keys;
   * orderByBucket turns the keys into the order with one stable counting sort of the
   * components taken in the graph's cached name order, so each bucket comes out sorted by
   * name: O(V + E) per plan.
   */

  private final DependencyGraph graph;
  private final @Nullable String isolated;
  private final int[] order;
  private final int[] position;
  private final int[] wave;

  Plan(DependencyGraph graph, @Nullable String isolated, int[] order, int[] wave) {
    this.graph = graph;
    this.isolated = isolated;
    this.order = order;
    this.wave = wave;
    this.position = new int[graph.size()];
    Arrays.fill(position, -1);
    for (int i = 0; i < order.length; i++) {
      position[order[i]] = i;
    }
  }

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

  /**
   * Returns the graph this plan was made for.
   *
   * @return the graph
   */
  public DependencyGraph graph() {
    return graph;
  }

  /**
   * Returns the component this plan was made for by {@code isolating}: the one a shutdown
   * isolates, or whose isolation a recovery undoes.
   *
   * @return the component's name, or null for a plan of the whole graph
   */
  public @Nullable String isolated() {
    return isolated;
  }

  /**
   * Returns the number of components in the plan.
   *
   * @return how many components the plan stops or starts
   */
  public int size() {
    return order.length;
  }

  /**
   * Returns every component of the plan in plan order: for a shutdown wave by wave, for a
   * recovery phase by phase and wave by wave within a phase.
   *
   * @return an immutable list of component names
   */
  public List<String> order() {
    return names(0, order.length);
  }

  /**
   * Tells whether the plan stops or starts the named component.
   *
   * @param name a component name
   * @return {@code true} if the component is in this plan
   * @throws NullPointerException if {@code name} is null
   */
  public boolean contains(String name) {
    Objects.requireNonNull(name, "name");
    return graph.contains(name) && position[graph.indexOf(name)] >= 0;
  }

  /**
   * Returns the named component's wave: in a shutdown plan, the wave in which it stops; in a
   * recovery plan, the wave within its phase in which it starts.
   *
   * @param name a component name
   * @return its wave, from 0
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the component is not in this plan
   */
  public int waveOf(String name) {
    return wave[member(name)];
  }

  /**
   * Renders the plan for a person, without running anything. Component names are escaped so
   * that each stays on its line and no control character reaches a terminal: a newline prints
   * as {@code \n}, other control characters (ESC among them) and lone surrogates as
   * {@code \}{@code uXXXX} escapes, a backslash as two.
   *
   * @return the plan as text, ending with a line break
   */
  public abstract String toText();

  // ---- for the sequencers and the renderings ----

  /** Global component indices in plan order; do not modify. */
  final int[] orderIndices() {
    return order;
  }

  /** Global index to position in {@link #orderIndices()}, or -1 if not in the plan. */
  final int[] positions() {
    return position;
  }

  /** The wave of the component of global index {@code index}. */
  final int waveAt(int index) {
    return wave[index];
  }

  /** The global index of a member of the plan. */
  final int member(String name) {
    int index = graph.indexOf(name);
    if (position[index] < 0) {
      throw new IllegalArgumentException("component '" + name + "' is not in this plan");
    }
    return index;
  }

  /** The names of {@code order[from, to)}. */
  final List<String> names(int from, int to) {
    String[] names = new String[to - from];
    for (int i = from; i < to; i++) {
      names[i - from] = graph.componentAt(order[i]).name();
    }
    return List.of(names);
  }

  /** The names of the components in plan order, escaped for a text rendering. */
  final String[] printableNames() {
    String[] names = new String[order.length];
    for (int i = 0; i < order.length; i++) {
      names[i] = PlainText.escape(graph.componentAt(order[i]).name());
    }
    return names;
  }

  /** The tier column of the component at plan position {@code i}. */
  final String tierText(int i) {
    Component c = graph.componentAt(order[i]);
    return TextLayout.tier(c.tier(), graph.effectiveTierAt(order[i]));
  }

  /** The width of the tier column: the longest {@link #tierText(int)}. */
  final int tierWidth() {
    int width = 0;
    for (int i = 0; i < order.length; i++) {
      width = Math.max(width, tierText(i).length());
    }
    return width;
  }

  /** The width of the name column, over names escaped by {@link #printableNames()}. */
  static int width(String[] texts) {
    int width = 0;
    for (String text : texts) {
      width = Math.max(width, text.length());
    }
    return width;
  }
}
