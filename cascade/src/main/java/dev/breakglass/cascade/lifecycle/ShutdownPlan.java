package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.DurationFormat;
import dev.breakglass.core.internal.PlainText;
import java.time.Duration;
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
public final class ShutdownPlan extends Plan {

  /*
   * Design: longest-path layering over the graph's dependents-first topological order (the
   * order Kahn's algorithm produced when the graph was built): wave(v) = 1 + max wave(d) over
   * the dependents d of v, or 0 if there are none; every dependent precedes v in that order, so
   * one pass suffices. The plan order is a stable counting sort on (wave, effective tier) of
   * the components taken in name order (see Plan): O(V + E) in all. Plans restricted to a set
   * of members (isolation) consider only edges inside the set.
   */

  private final int[] waveStart;

  private ShutdownPlan(DependencyGraph graph, @Nullable String isolated, int[] order,
      int[] waveStart, int[] wave) {
    super(graph, isolated, order, wave);
    this.waveStart = waveStart;
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
    int[] order = orderByBucket(graph, members, bucket, start);
    int[] waveStart = new int[maxWave + 2];
    for (int w = 0; w <= maxWave + 1; w++) {
      waveStart[w] = start[w * tiers];
    }
    return new ShutdownPlan(graph, isolated, order, waveStart, wave);
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
  @Override
  public String toText() {
    int[] order = orderIndices();
    StringBuilder out = new StringBuilder(96 + order.length * 64);
    out.append("shutdown plan");
    String isolated = isolated();
    if (isolated != null) {
      PlainText.append(out.append(" isolating "), isolated);
    }
    out.append(": ").append(TextLayout.plural(size(), "component", "components")).append(" in ")
        .append(TextLayout.plural(waveCount(), "wave", "waves"))
        .append(" (each component stops as soon as everything that depends on it has finished,"
            + " so waves can overlap)\n");
    String[] names = printableNames();
    int nameWidth = width(names);
    int tierWidth = tierWidth();
    for (int w = 0; w < waveCount(); w++) {
      out.append("  wave ").append(w).append('\n');
      for (int i = waveStart[w]; i < waveStart[w + 1]; i++) {
        Component c = graph().componentAt(order[i]);
        out.append("    ");
        TextLayout.pad(out, names[i], nameWidth);
        out.append("  ");
        TextLayout.pad(out, tierText(i), tierWidth);
        StringBuilder steps = new StringBuilder();
        for (StepKind kind : c.stopStepKinds()) {
          steps.append(steps.length() == 0 ? "" : ", ").append(kind.label());
        }
        if (steps.length() == 0) {
          steps.append("no stop steps");
        }
        out.append("  ").append(steps);
        Duration stopTimeout = c.stopTimeout();
        if (stopTimeout != null) {
          out.append("; stop timeout ").append(DurationFormat.format(stopTimeout));
        }
        TextLayout.endLine(out);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    String isolated = isolated();
    return "ShutdownPlan[" + size() + " components, " + waveCount() + " waves"
        + (isolated == null ? "" : ", isolating " + PlainText.escape(isolated)) + "]";
  }
}
