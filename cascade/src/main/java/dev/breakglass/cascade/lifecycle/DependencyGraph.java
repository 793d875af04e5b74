package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Tier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The components of a service and the "A depends on B" edges between them: what must stop
 * before what, and what must start before what.
 *
 * <pre>{@code
 * DependencyGraph graph = DependencyGraph.builder()
 *     .add(Component.of("http", Tier.CRITICAL, server::stop), "checkout")
 *     .add(Component.of("checkout", Tier.CRITICAL), "payments", "inventory")
 *     .add(Component.of("payments", Tier.CRITICAL, payments::close))
 *     .add(Component.of("inventory", Tier.ESSENTIAL, pool::close))
 *     .build();
 * }</pre>
 *
 * <p>"A depends on B" means A uses B: on shutdown A stops before B; on recovery B starts before
 * A. The graph is checked when built: a cycle (the message lists it, e.g.
 * {@code "dependency cycle: a -> b -> c -> a"}), an edge naming an unknown component, a
 * duplicate name or a component depending on itself is rejected with an exception naming the
 * culprit. Declaring the same edge twice is harmless: edges form a set.
 *
 * <p><b>Effective tier.</b> A component's {@link #effectiveTier(String) effective tier} is the
 * most important tier among itself and everything that depends on it, directly or not: a
 * STANDARD cache used by a CRITICAL checkout is, for ordering purposes, CRITICAL, so staged
 * recovery never makes a CRITICAL phase wait for a later one.
 *
 * <p>Immutable and thread-safe once built. Queries by name cost a hash lookup; the
 * {@code transitive...} queries walk the graph and are meant for reports and planning, not
 * per-request paths.
 */
public final class DependencyGraph {

  /*
   * Design: components are numbered in insertion order; edges are stored twice in compressed
   * sparse row form (dependencies of i, dependents of i), each row sorted and de-duplicated.
   * build() runs Kahn's algorithm over "number of dependents not yet placed", which yields a
   * topological order with dependents before their dependencies (the shutdown direction) in
   * O(V + E), detects cycles (nodes never placed), and lets effective tiers be computed in the
   * same order: eff(v) = min(tier(v), eff(d) for each direct dependent d). Cycle paths are
   * recovered by walking the unplaced nodes, so the error names a real cycle.
   *
   * Planners also need the components in name order (their deterministic tie-break). It is
   * computed on first use and cached in a volatile field; racing threads compute the same
   * array, so, like String.hashCode, the cache needs no lock and the graph stays immutable in
   * every observable way.
   */

  private final Component[] components;
  private final Map<String, Integer> indexByName;
  private final int[][] dependencies;
  private final int[][] dependents;
  private final int[] dependentsFirstOrder;
  private final Tier[] effectiveTiers;
  private final int edgeCount;
  private volatile int @Nullable [] nameOrder;

  private DependencyGraph(
      Component[] components,
      Map<String, Integer> indexByName,
      int[][] dependencies,
      int[][] dependents,
      int[] dependentsFirstOrder,
      Tier[] effectiveTiers,
      int edgeCount) {
    this.components = components;
    this.indexByName = indexByName;
    this.dependencies = dependencies;
    this.dependents = dependents;
    this.dependentsFirstOrder = dependentsFirstOrder;
    this.effectiveTiers = effectiveTiers;
    this.edgeCount = edgeCount;
  }

  /**
   * Returns a builder for a new graph.
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the number of components.
   *
   * @return how many components the graph has
   */
  public int size() {
    return components.length;
  }

  /**
   * Returns the number of distinct "depends on" edges.
   *
   * @return how many edges the graph has
   */
  public int edgeCount() {
    return edgeCount;
  }

  /**
   * Returns the components in the order they were added.
   *
   * @return an immutable list of every component
   */
  public List<Component> components() {
    return List.of(components);
  }

  /**
   * Tells whether a component of that name is in the graph.
   *
   * @param name a component name
   * @return {@code true} if the graph has a component of that name
   * @throws NullPointerException if {@code name} is null
   */
  public boolean contains(String name) {
    return indexByName.containsKey(Objects.requireNonNull(name, "name"));
  }

  /**
   * Returns the component of the given name.
   *
   * @param name a component name
   * @return the component
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the graph has no such component
   */
  public Component component(String name) {
    return components[indexOf(name)];
  }

  /**
   * Returns the names of the components the given one depends on directly.
   *
   * @param name a component name
   * @return an immutable set, sorted by name
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the graph has no such component
   */
  public Set<String> dependenciesOf(String name) {
    return names(dependencies[indexOf(name)]);
  }

  /**
   * Returns the names of the components that depend directly on the given one.
   *
   * @param name a component name
   * @return an immutable set, sorted by name
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the graph has no such component
   */
  public Set<String> dependentsOf(String name) {
    return names(dependents[indexOf(name)]);
  }

  /**
   * Returns the names of every component that depends on the given one, directly or through
   * others: what is at risk when it fails, and what must stop before it.
   *
   * @param name a component name
   * @return an immutable set, sorted by name, not containing {@code name}
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the graph has no such component
   */
  public Set<String> transitiveDependentsOf(String name) {
    return names(reachable(indexOf(name), dependents));
  }

  /**
   * Returns the names of every component the given one depends on, directly or through
   * others: what must start before it.
   *
   * @param name a component name
   * @return an immutable set, sorted by name, not containing {@code name}
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the graph has no such component
   */
  public Set<String> transitiveDependenciesOf(String name) {
    return names(reachable(indexOf(name), dependencies));
  }

  /**
   * Returns the component's effective tier: the most important tier among itself and every
   * component that depends on it, directly or not.
   *
   * @param name a component name
   * @return the effective tier, never less important than the declared one
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the graph has no such component
   */
  public Tier effectiveTier(String name) {
    return effectiveTiers[indexOf(name)];
  }

  @Override
  public String toString() {
    return "DependencyGraph[" + components.length + " components, " + edgeCount + " edges]";
  }

  // ---- index-based access for planners in this package ----

  int indexOf(String name) {
    Objects.requireNonNull(name, "name");
    Integer index = indexByName.get(name);
    if (index == null) {
      throw new IllegalArgumentException("unknown component '" + name + "'");
    }
    return index;
  }

  Component componentAt(int index) {
    return components[index];
  }

  /** The indices of what component {@code index} depends on, sorted; do not modify. */
  int[] dependencyIndices(int index) {
    return dependencies[index];
  }

  /** The indices of what depends on component {@code index}, sorted; do not modify. */
  int[] dependentIndices(int index) {
    return dependents[index];
  }

  /**
   * Membership flags, by index, of the named component and everything that depends on it:
   * what isolating it stops (and what recovering it restarts).
   */
  boolean[] selfAndTransitiveDependents(String name) {
    int root = indexOf(name);
    boolean[] members = new boolean[components.length];
    members[root] = true;
    for (int dependent : reachable(root, dependents)) {
      members[dependent] = true;
    }
    return members;
  }

  /** A topological order with every component before its dependencies; do not modify. */
  int[] dependentsFirstOrder() {
    return dependentsFirstOrder;
  }

  Tier effectiveTierAt(int index) {
    return effectiveTiers[index];
  }

  /** Every component index, sorted by component name; computed once; do not modify. */
  int[] nameOrder() {
    int[] order = nameOrder;
    if (order == null) {
      order = sortedByName();
      nameOrder = order;
    }
    return order;
  }

  private int[] sortedByName() {
    int n = components.length;
    String[] names = new String[n];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      names[i] = components[i].name();
      order[i] = i;
    }
    mergeSort(order, new int[n], 0, n, names);
    return order;
  }

  /** Sorts {@code a[from, to)} by {@code names[a[i]]}; names are unique. */
  private static void mergeSort(int[] a, int[] buffer, int from, int to, String[] names) {
    if (to - from <= 16) {
      for (int i = from + 1; i < to; i++) {
        int value = a[i];
        String name = names[value];
        int j = i - 1;
        while (j >= from && names[a[j]].compareTo(name) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = value;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, buffer, from, mid, names);
    mergeSort(a, buffer, mid, to, names);
    if (names[a[mid - 1]].compareTo(names[a[mid]]) <= 0) {
      return;
    }
    System.arraycopy(a, from, buffer, from, mid - from);
    int i = from;
    int j = mid;
    int k = from;
    while (i < mid && j < to) {
      a[k++] = names[buffer[i]].compareTo(names[a[j]]) <= 0 ? buffer[i++] : a[j++];
    }
    while (i < mid) {
      a[k++] = buffer[i++];
    }
  }

  /** Every index that depends on {@code index}, directly or not, excluding it, sorted. */
  int[] transitiveDependentIndices(int index) {
    return reachable(index, dependents);
  }

  /** Every index reachable from {@code start} along {@code edges}, excluding start, sorted. */
  int[] reachable(int start, int[][] edges) {
    BitSet seen = new BitSet(components.length);
    int[] stack = new int[16];
    int top = 0;
    seen.set(start);
    stack[top++] = start;
    int count = 0;
    while (top > 0) {
      int node = stack[--top];
      for (int next : edges[node]) {
        if (!seen.get(next)) {
          seen.set(next);
          if (top == stack.length) {
            stack = Arrays.copyOf(stack, top * 2);
          }
          stack[top++] = next;
          count++;
        }
      }
    }
    seen.clear(start);
    int[] result = new int[count];
    int i = 0;
    for (int bit = seen.nextSetBit(0); bit >= 0; bit = seen.nextSetBit(bit + 1)) {
      result[i++] = bit;
    }
    return result;
  }


  private Set<String> names(int[] indices) {
    TreeSet<String> names = new TreeSet<>();
    for (int index : indices) {
      names.add(components[index].name());
    }
    return Collections.unmodifiableSet(names);
  }

  /**
   * Builds a {@link DependencyGraph}. Components and edges may be declared in any order; edges
   * are resolved and the whole graph is checked in {@link #build()}. Not thread-safe;
   * reusable: each {@code build()} creates an independent graph.
   */
  public static final class Builder {
    private final LinkedHashMap<String, Component> components = new LinkedHashMap<>();
    private final List<String> edgeFrom = new ArrayList<>();
    private final List<String> edgeTo = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a component.
     *
     * @param component the component to add
     * @return this builder
     * @throws NullPointerException if {@code component} is null
     * @throws IllegalArgumentException if a component of the same name was already added
     */
    public Builder add(Component component) {
      Objects.requireNonNull(component, "component");
      if (components.putIfAbsent(component.name(), component) != null) {
        throw new IllegalArgumentException(
            "duplicate component name '" + component.name() + "'");
      }
      return this;
    }

    /**
     * Adds a component together with the names of the components it depends on.
     *
     * @param component the component to add
     * @param dependencies the names of what it depends on; they may be added later
     * @return this builder
     * @throws NullPointerException if an argument or a dependency name is null
     * @throws IllegalArgumentException if a component of the same name was already added, or
     *     the component names itself as a dependency
     */
    public Builder add(Component component, String... dependencies) {
      Objects.requireNonNull(dependencies, "dependencies");
      for (String dependency : dependencies) {
        checkEdge(component.name(), dependency);
      }
      add(component);
      for (String dependency : dependencies) {
        edgeFrom.add(component.name());
        edgeTo.add(dependency);
      }
      return this;
    }

    /**
     * Declares that one component depends on another: {@code dependent} stops before
     * {@code dependency}, and starts after it. Either may be added later.
     *
     * @param dependent the name of the component that uses the other
     * @param dependency the name of the component it uses
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the two names are the same
     */
    public Builder dependsOn(String dependent, String dependency) {
      checkEdge(dependent, dependency);
      edgeFrom.add(dependent);
      edgeTo.add(dependency);
      return this;
    }

    private static void checkEdge(String dependent, String dependency) {
      Objects.requireNonNull(dependent, "dependent");
      Objects.requireNonNull(dependency, "dependency");
      if (dependent.equals(dependency)) {
        throw new IllegalArgumentException(
            "component '" + dependent + "' cannot depend on itself");
      }
    }

    /**
     * Checks the graph and creates it.
     *
     * @return the immutable graph
     * @throws IllegalArgumentException if an edge names an unknown component, or the edges
     *     form a cycle (the message lists the cycle, e.g. {@code a -> b -> c -> a})
     */
    public DependencyGraph build() {
      int n = components.size();
      Component[] nodes = components.values().toArray(new Component[0]);
      Map<String, Integer> index = new HashMap<>(Math.max(16, n * 4 / 3 + 1));
      for (int i = 0; i < n; i++) {
        index.put(nodes[i].name(), i);
      }
      int e = edgeFrom.size();
      int[] from = new int[e];
      int[] to = new int[e];
      for (int k = 0; k < e; k++) {
        Integer a = index.get(edgeFrom.get(k));
        Integer b = index.get(edgeTo.get(k));
        if (a == null) {
          throw new IllegalArgumentException("unknown component '" + edgeFrom.get(k)
              + "' declared as depending on '" + edgeTo.get(k) + "'");
        }
        if (b == null) {
          throw new IllegalArgumentException("component '" + edgeFrom.get(k)
              + "' depends on unknown component '" + edgeTo.get(k) + "'");
        }
        from[k] = a;
        to[k] = b;
      }
      int[][] dependencies = rows(n, from, to);
      int[][] dependents = rows(n, to, from);
      int edgeCount = 0;
      for (int[] row : dependencies) {
        edgeCount += row.length;
      }

      // Kahn: place a component once everything depending on it is placed.
      int[] pendingDependents = new int[n];
      for (int i = 0; i < n; i++) {
        pendingDependents[i] = dependents[i].length;
      }
      int[] order = new int[n];
      int head = 0;
      int tail = 0;
      for (int i = 0; i < n; i++) {
        if (pendingDependents[i] == 0) {
          order[tail++] = i;
        }
      }
      Tier[] effective = new Tier[n];
      while (head < tail) {
        int node = order[head++];
        Tier tier = nodes[node].tier();
        for (int dependent : dependents[node]) {
          tier = Tier.mostImportant(tier, effective[dependent]);
        }
        effective[node] = tier;
        for (int dependency : dependencies[node]) {
          if (--pendingDependents[dependency] == 0) {
            order[tail++] = dependency;
          }
        }
      }
      if (tail < n) {
        throw new IllegalArgumentException(
            "dependency cycle: " + describeCycle(nodes, dependents, pendingDependents));
      }
      return new DependencyGraph(
          nodes, index, dependencies, dependents, order, effective, edgeCount);
    }

    /** Rows of a CSR adjacency: row[a] = sorted, distinct b for each edge (a, b). */
    private static int[][] rows(int n, int[] a, int[] b) {
      int[] counts = new int[n];
      for (int x : a) {
        counts[x]++;
      }
      int[][] rows = new int[n][];
      for (int i = 0; i < n; i++) {
        rows[i] = new int[counts[i]];
      }
      int[] fill = new int[n];
      for (int k = 0; k < a.length; k++) {
        rows[a[k]][fill[a[k]]++] = b[k];
      }
      for (int i = 0; i < n; i++) {
        int[] row = rows[i];
        if (row.length > 1) {
          Arrays.sort(row);
          int distinct = 1;
          for (int k = 1; k < row.length; k++) {
            if (row[k] != row[distinct - 1]) {
              row[distinct++] = row[k];
            }
          }
          if (distinct < row.length) {
            rows[i] = Arrays.copyOf(row, distinct);
          }
        }
      }
      return rows;
    }

    /**
     * Finds a cycle among the unplaced nodes (pendingDependents > 0): each has an unplaced
     * dependent, so walking to an unplaced dependent must revisit a node. Deterministic: starts
     * at the lowest index and always takes the lowest-index unplaced dependent.
     */
    private static String describeCycle(
        Component[] nodes, int[][] dependents, int[] pendingDependents) {
      int start = 0;
      while (pendingDependents[start] == 0) {
        start++;
      }
      Map<Integer, Integer> position = new HashMap<>();
      List<Integer> walk = new ArrayList<>();
      int node = start;
      while (!position.containsKey(node)) {
        position.put(node, walk.size());
        walk.add(node);
        int next = -1;
        for (int dependent : dependents[node]) {
          if (pendingDependents[dependent] > 0) {
            next = dependent;
            break;
          }
        }
        node = next;
      }
      // walk[i + 1] depends on walk[i]; read it backwards for "a depends on b" arrows.
      List<Integer> cycle = new ArrayList<>(walk.subList(position.get(node), walk.size()));
      Collections.reverse(cycle);
      int smallest = 0;
      for (int i = 1; i < cycle.size(); i++) {
        if (nodes[cycle.get(i)].name().compareTo(nodes[cycle.get(smallest)].name()) < 0) {
          smallest = i;
        }
      }
      Collections.rotate(cycle, -smallest);
      StringBuilder path = new StringBuilder();
      for (int member : cycle) {
        path.append(nodes[member].name()).append(" -> ");
      }
      return path.append(nodes[cycle.get(0)].name()).toString();
    }
  }
}
