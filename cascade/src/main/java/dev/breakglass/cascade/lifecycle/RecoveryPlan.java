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
 * The order in which staged recovery starts a {@link DependencyGraph}'s components: one phase
 * per {@link Tier}, most important first, and within a phase, waves in dependency order.
 *
 * <p>A component's phase is its {@linkplain DependencyGraph#effectiveTier(String) effective
 * tier}: the most important tier among itself and everything that depends on it. So a
 * component never depends on something in a later phase, and no phase waits for a later one:
 * the STANDARD cache that a CRITICAL checkout uses starts in the CRITICAL phase. Within a
 * phase, a component's wave is the length of the longest chain of its dependencies in the
 * same phase (dependencies in earlier phases are already up); components of a wave are
 * independent of each other and start in parallel, listed by name.
 *
 * <pre>{@code
 * System.out.print(RecoveryPlan.of(graph).toText());   // a dry run: nothing is started
 * }</pre>
 *
 * <p>Computed in time linear in the number of components and edges (the first plan of a graph
 * also sorts its component names once); deterministic. Immutable and thread-safe.
 */
public final class RecoveryPlan extends Plan {

  /*
   * Design: the phase of v is its effective tier, computed by the graph. Start waves are a
   * longest-path layering in the dependencies-first direction (the graph's dependents-first
   * order walked backwards), counting only edges between components of the same phase:
   * wave(v) = 1 + max wave(d) over same-phase dependencies d, else 0. The plan order is a
   * stable counting sort on (phase, wave) of the components in the graph's name order (see
   * Plan), so each bucket comes out sorted by name.
   */

  private static final Tier[] TIERS = Tier.values();

  private final int[] phaseStart;

  private RecoveryPlan(DependencyGraph graph, @Nullable String isolated, int[] order,
      int[] phaseStart, int[] wave) {
    super(graph, isolated, order, wave);
    this.phaseStart = phaseStart;
  }

  /**
   * Plans the recovery of every component of a graph.
   *
   * @param graph the graph
   * @return the plan
   * @throws NullPointerException if {@code graph} is null
   */
  public static RecoveryPlan of(DependencyGraph graph) {
    Objects.requireNonNull(graph, "graph");
    return create(graph, null, null);
  }

  /**
   * Plans the recovery of an isolated component: starting it and everything that depends on
   * it, directly or not, as {@link ShutdownPlan#isolating} stopped them. Its dependencies are
   * assumed to be running.
   *
   * @param graph the graph
   * @param name the isolated component
   * @return the plan, holding {@code name} and its transitive dependents
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the graph has no component of that name
   */
  public static RecoveryPlan isolating(DependencyGraph graph, String name) {
    Objects.requireNonNull(graph, "graph");
    return create(graph, graph.selfAndTransitiveDependents(name), name);
  }

  private static RecoveryPlan create(
      DependencyGraph graph, boolean @Nullable [] members, @Nullable String isolated) {
    int n = graph.size();
    int[] topo = graph.dependentsFirstOrder();
    int[] wave = new int[n];
    int maxWave = 0;
    for (int i = n - 1; i >= 0; i--) {
      int v = topo[i];
      if (members != null && !members[v]) {
        continue;
      }
      Tier phase = graph.effectiveTierAt(v);
      int w = 0;
      for (int d : graph.dependencyIndices(v)) {
        if ((members == null || members[d]) && graph.effectiveTierAt(d) == phase
            && wave[d] >= w) {
          w = wave[d] + 1;
        }
      }
      wave[v] = w;
      maxWave = Math.max(maxWave, w);
    }
    int stride = maxWave + 1;
    int[] bucket = new int[n];
    for (int v = 0; v < n; v++) {
      bucket[v] = graph.effectiveTierAt(v).ordinal() * stride + wave[v];
    }
    int[] start = new int[TIERS.length * stride + 1];
    int[] order = orderByBucket(graph, members, bucket, start);
    int[] phaseStart = new int[TIERS.length + 1];
    for (int t = 0; t <= TIERS.length; t++) {
      phaseStart[t] = start[t * stride];
    }
    return new RecoveryPlan(graph, isolated, order, phaseStart, wave);
  }

  /**
   * Returns the phases that have components, most important first.
   *
   * @return an immutable list of tiers, each naming a phase
   */
  public List<Tier> phases() {
    List<Tier> phases = new ArrayList<>(TIERS.length);
    for (Tier tier : TIERS) {
      if (phaseStart[tier.ordinal() + 1] > phaseStart[tier.ordinal()]) {
        phases.add(tier);
      }
    }
    return Collections.unmodifiableList(phases);
  }

  /**
   * Returns the waves of a phase, first to start first; each lists its components by name.
   *
   * @param phase the phase
   * @return an immutable list of immutable lists of names; empty if the phase has no
   *     components
   * @throws NullPointerException if {@code phase} is null
   */
  public List<List<String>> waves(Tier phase) {
    Objects.requireNonNull(phase, "phase");
    int[] order = orderIndices();
    int from = phaseStart[phase.ordinal()];
    int to = phaseStart[phase.ordinal() + 1];
    List<List<String>> waves = new ArrayList<>();
    int i = from;
    while (i < to) {
      int j = i;
      while (j < to && waveAt(order[j]) == waveAt(order[i])) {
        j++;
      }
      waves.add(names(i, j));
      i = j;
    }
    return Collections.unmodifiableList(waves);
  }

  /**
   * Returns the components of a phase in start order.
   *
   * @param phase the phase
   * @return an immutable list of names; empty if the phase has no components
   * @throws NullPointerException if {@code phase} is null
   */
  public List<String> components(Tier phase) {
    Objects.requireNonNull(phase, "phase");
    return names(phaseStart[phase.ordinal()], phaseStart[phase.ordinal() + 1]);
  }

  /**
   * Returns the phase in which the named component starts: its effective tier.
   *
   * @param name a component name
   * @return its phase
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the component is not in this plan
   */
  public Tier phaseOf(String name) {
    return graph().effectiveTierAt(member(name));
  }

  /**
   * Renders the plan for a person, without running anything: phase by phase and wave by
   * wave, one line per component with its effective tier (and the declared one when the graph
   * promoted it), whether it has a start step and a health check.
   *
   * <pre>
   * recovery plan: 3 components in 2 phases (each phase waits for the health of what it started)
   *   phase CRITICAL: 2 components in 2 waves
   *     wave 0  payment-client      CRITICAL (from STANDARD)  start, health check
   *     wave 1  checkout            CRITICAL                  start, health check
   *   phase ENHANCED: 1 component in 1 wave
   *     wave 0  analytics-exporter  ENHANCED                  start
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
    out.append("recovery plan");
    String isolated = isolated();
    if (isolated != null) {
      PlainText.append(out.append(" undoing the isolation of "), isolated);
    }
    List<Tier> phases = phases();
    out.append(": ").append(TextLayout.plural(size(), "component", "components")).append(" in ")
        .append(TextLayout.plural(phases.size(), "phase", "phases"))
        .append(" (each phase waits for the health of what it started)\n");
    String[] names = printableNames();
    int nameWidth = width(names);
    int tierWidth = tierWidth();
    int waveWidth = 1;
    for (int v : order) {
      waveWidth = Math.max(waveWidth, Integer.toString(waveAt(v)).length());
    }
    for (Tier phase : phases) {
      int from = phaseStart[phase.ordinal()];
      int to = phaseStart[phase.ordinal() + 1];
      int waves = waveAt(order[to - 1]) + 1;
      out.append("  phase ").append(phase).append(": ")
          .append(TextLayout.plural(to - from, "component", "components")).append(" in ")
          .append(TextLayout.plural(waves, "wave", "waves")).append('\n');
      for (int i = from; i < to; i++) {
        int v = order[i];
        Component c = graph().componentAt(v);
        boolean firstOfWave = i == from || waveAt(order[i - 1]) != waveAt(v);
        out.append("    ");
        TextLayout.pad(out, firstOfWave ? "wave " + waveAt(v) : "", 5 + waveWidth);
        out.append("  ");
        TextLayout.pad(out, names[i], nameWidth);
        out.append("  ");
        TextLayout.pad(out, tierText(i), tierWidth);
        out.append("  ").append(c.start() == null ? "no start step" : "start");
        if (c.healthCheck() != null) {
          out.append(", health check");
        }
        Duration startTimeout = c.startTimeout();
        if (startTimeout != null) {
          out.append("; start timeout ").append(DurationFormat.format(startTimeout));
        }
        TextLayout.endLine(out);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    String isolated = isolated();
    return "RecoveryPlan[" + size() + " components, " + phases().size() + " phases"
        + (isolated == null ? "" : ", isolating " + PlainText.escape(isolated)) + "]";
  }

  /** Start of the phase of tier ordinal {@code t} in {@link #orderIndices()}; t in [0, 4]. */
  int phaseStart(int t) {
    return phaseStart[t];
  }
}
