package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.DurationFormat;
import dev.breakglass.core.internal.PlainText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The order in which a {@link DependencyGraph}'s components stop: waves, where every component
 * of a wave has all the components that depend on it in earlier waves.
 *
 * <p>A component's wave is the length of the longest chain of components depending on it:
 * wave 0 holds what nothing depends on (the HTTP server, the metrics exporter), wave 1 what
 * only wave-0 components depend on, and so on. So the number of waves is the length of the
 * longest dependency chain plus one, and no two components of a wave depend on each other:
 * they may stop in parallel. Within a wave, components are listed by {@linkplain
 * DependencyGraph#effectiveTier(String) effective tier}, most important first, then by name;
 * the {@link ShutdownSequencer} hands them to its executor in this order when several are
 * ready at once.
 *
 * <p>Waves describe the order; they are not barriers. The sequencer stops a component as soon
 * as everything that depends on it has finished, so a component of wave 2 may begin before an
 * unrelated component of wave 1 has ended.
 *
 * <pre>{@code
 * System.out.print(ShutdownPlan.of(graph).toText());   // a dry run: nothing is stopped
 * }</pre>
 *
 * <p>A plan is computed in time linear in the number of components and edges (the first plan
 * of a graph also sorts its component names once), and is deterministic: the same graph always
 * yields the same plan. Immutable and thread-safe.
 */
public final class ShutdownPlan {

  /*
   * Design: longest-path layering over the graph's dependents-first topological order (the
   * order Kahn's algorithm produced when the graph was built): wave(v) = 1 + max wave(d) over
   * the dependents d of v, or 0 if there are none; every dependent precedes v in that order, so
   * one pass suffices. The plan order is a stable counting sort on (wave,
   * effective tier) of the components taken in name order (which the graph computes once and
   * keeps), so each bucket comes out sorted by name: O(V + E) in all. Plans restricted to a
   * set of members (isolation) consider only edges inside the set.
   */

  private final DependencyGraph graph;
  private final @Nullable String isolated;
  private final int[] order;
  private final int[] waveStart;
  private final int[] position;
  private final int[] wave;

  private ShutdownPlan(DependencyGraph graph, @Nullable String isolated, int[] order,
      int[] waveStart, int[] position, int[] wave) {
    this.graph = graph;
    this.isolated = isolated;
    this.order = order;
    this.waveStart = waveStart;
    this.position = position;
    this.wave = wave;
  }

  /**
   * Plans the shutdown of every component of a graph.
   *
   * @param graph the graph
   * @return the plan
   * @throws NullPointerException if {@code graph} is null
   */
  public static ShutdownPlan of(DependencyGraph graph) {
    Objects.requireNonNull(graph, "graph");
    return create(graph, null, null);
  }

  /**
   * Plans the isolation of one component: stopping it and everything that depends on it,
   * directly or not, and nothing else.
   *
   * @param graph the graph
   * @param name the component to isolate
   * @return the plan, holding {@code name} and its transitive dependents
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the graph has no component of that name
   */
  public static ShutdownPlan isolating(DependencyGraph graph, String name) {
    Objects.requireNonNull(graph, "graph");
    return create(graph, graph.selfAndTransitiveDependents(name), name);
  }

  private static ShutdownPlan create(
      DependencyGraph graph, boolean @Nullable [] members, @Nullable String isolated) {
    int n = graph.size();
    int[] topo = graph.dependentsFirstOrder();
    int[] wave = new int[n];
    int maxWave = -1;
    for (int v : topo) {
      if (members != null && !members[v]) {
        continue;
      }
      int w = 0;
      for (int d : graph.dependentIndices(v)) {
        if ((members == null || members[d]) && wave[d] >= w) {
          w = wave[d] + 1;
        }
      }
      wave[v] = w;
      maxWave = Math.max(maxWave, w);
    }

    int tiers = Tier.values().length;
    int[] bucket = new int[n];
    for (int v = 0; v < n; v++) {
      bucket[v] = wave[v] * tiers + graph.effectiveTierAt(v).ordinal();
    }
    int[] start = new int[(maxWave + 1) * tiers + 1];
    int[] order = Plans.orderByBucket(graph, members, bucket, start);
    int[] waveStart = new int[maxWave + 2];
    for (int w = 0; w <= maxWave + 1; w++) {
      waveStart[w] = start[w * tiers];
    }
    return new ShutdownPlan(graph, isolated, order, waveStart, Plans.positions(order, n), wave);
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
   * Returns the component this plan isolates.
   *
   * @return the name given to {@link #isolating}, or null for a plan of the whole graph
   */
  public @Nullable String isolated() {
    return isolated;
  }

  /**
   * Returns the number of components the plan stops.
   *
   * @return how many components are in the plan
   */
  public int size() {
    return order.length;
  }

  /**
   * Returns the number of waves: the length of the longest dependency chain in the plan, plus
   * one; zero for an empty graph.
   *
   * @return how many waves the plan has
   */
  public int waveCount() {
    return waveStart.length - 1;
  }

  /**
   * Returns the waves, first to stop first; each wave lists its components by effective tier
   * (most important first), then by name.
   *
   * @return an immutable list of immutable lists of component names
   */
  public List<List<String>> waves() {
    List<List<String>> waves = new ArrayList<>(waveCount());
    for (int w = 0; w < waveCount(); w++) {
      waves.add(names(waveStart[w], waveStart[w + 1]));
    }
    return Collections.unmodifiableList(waves);
  }

  /**
   * Returns every component of the plan in plan order: wave by wave, in the order of
   * {@link #waves()}.
   *
   * @return an immutable list of component names
   */
  public List<String> order() {
    return names(0, order.length);
  }

  /**
   * Tells whether the plan stops the named component.
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
   * Returns the wave in which the named component stops.
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
   * Renders the plan for a person, without running anything: one line per component, wave by
   * wave, with its effective tier (and the declared one when the graph promoted it), its stop
   * steps and its own stop timeout.
   *
   * <pre>
   * shutdown plan: 4 components in 3 waves (each component stops as soon as everything that depends on it has finished, so waves can overlap)
   *   wave 0
   *     http-front          CRITICAL                  stop-intake, drain, release
   *     analytics-exporter  ENHANCED                  flush, release
   *   wave 1
   *     checkout            CRITICAL                  drain; stop timeout 5.000s
   *   wave 2
   *     payment-client      CRITICAL (from STANDARD)  release
   * </pre>
   *
   * <p>Component names are escaped so that each stays on its line and no control character
   * reaches a terminal: a newline prints as {@code \n}, other control characters (ESC among
   * them) and lone surrogates as {@code \}{@code uXXXX} escapes, a backslash as two.
   *
   * @return the plan as text, ending with a line break
   */
  public String toText() {
    StringBuilder out = new StringBuilder(96 + order.length * 64);
    out.append("shutdown plan");
    if (isolated != null) {
      PlainText.append(out.append(" isolating "), isolated);
    }
    out.append(": ").append(Texts.plural(size(), "component", "components")).append(" in ")
        .append(Texts.plural(waveCount(), "wave", "waves"))
        .append(" (each component stops as soon as everything that depends on it has finished,"
            + " so waves can overlap)\n");
    String[] names = Plans.printableNames(graph, order);
    int nameWidth = 0;
    int tierWidth = 0;
    for (int i = 0; i < order.length; i++) {
      int v = order[i];
      Component c = graph.componentAt(v);
      nameWidth = Math.max(nameWidth, names[i].length());
      tierWidth = Math.max(tierWidth, Texts.tier(c.tier(), graph.effectiveTierAt(v)).length());
    }
    for (int w = 0; w < waveCount(); w++) {
      out.append("  wave ").append(w).append('\n');
      for (int i = waveStart[w]; i < waveStart[w + 1]; i++) {
        int v = order[i];
        Component c = graph.componentAt(v);
        out.append("    ");
        Texts.pad(out, names[i], nameWidth);
        out.append("  ");
        Texts.pad(out, Texts.tier(c.tier(), graph.effectiveTierAt(v)), tierWidth);
        StringBuilder steps = new StringBuilder();
        for (StepKind kind : c.stopStepKinds()) {
          steps.append(steps.length() == 0 ? "" : ", ").append(kind.label());
        }
        if (steps.length() == 0) {
          steps.append("no stop steps");
        }
        out.append("  ").append(steps);
        if (c.stopTimeout() != null) {
          out.append("; stop timeout ").append(DurationFormat.format(c.stopTimeout()));
        }
        Texts.trimTrailing(out);
        out.append('\n');
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "ShutdownPlan[" + size() + " components, " + waveCount() + " waves"
        + (isolated == null ? "" : ", isolating " + PlainText.escape(isolated)) + "]";
  }

  // ---- for the sequencer ----

  /** Global component indices in plan order; do not modify. */
  int[] orderIndices() {
    return order;
  }

  /** Global index to position in {@link #orderIndices()}, or -1 if not in the plan. */
  int[] positions() {
    return position;
  }

  int waveAt(int index) {
    return wave[index];
  }

  private int member(String name) {
    return Plans.member(graph, position, name);
  }

  private List<String> names(int from, int to) {
    return Plans.names(graph, order, from, to);
  }
}
