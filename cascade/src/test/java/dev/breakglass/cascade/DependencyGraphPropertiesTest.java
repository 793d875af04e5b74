package dev.breakglass.cascade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.Tier;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class DependencyGraphPropertiesTest {

  /** A random DAG: node i may depend only on nodes j > i, then names are shuffled. */
  static DependencyGraph randomDag(long seed, int nodes, int edgesPerNode) {
    Random random = new Random(seed);
    List<Tier> tiers = List.of(Tier.values());
    DependencyGraph.Builder builder = DependencyGraph.builder();
    for (int i = 0; i < nodes; i++) {
      builder.add(Component.of("c" + i, tiers.get(random.nextInt(tiers.size()))));
    }
    for (int i = 0; i < nodes; i++) {
      for (int k = 0; k < edgesPerNode && i + 1 < nodes; k++) {
        int j = i + 1 + random.nextInt(nodes - i - 1);
        builder.dependsOn("c" + i, "c" + j);
      }
    }
    return builder.build();
  }

  @Property(tries = 200)
  void transitiveDependents_matchBreadthFirstReference(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 60) int nodes,
      @ForAll @IntRange(min = 0, max = 4) int edgesPerNode) {
    DependencyGraph graph = randomDag(seed, nodes, edgesPerNode);
    for (Component component : graph.components()) {
      Set<String> expected = new TreeSet<>();
      ArrayDeque<String> queue = new ArrayDeque<>(graph.dependentsOf(component.name()));
      while (!queue.isEmpty()) {
        String next = queue.poll();
        if (expected.add(next)) {
          queue.addAll(graph.dependentsOf(next));
        }
      }
      assertThat(graph.transitiveDependentsOf(component.name())).containsExactlyElementsOf(expected);
    }
  }

  @Property(tries = 200)
  void effectiveTier_isMostImportantOfSelfAndTransitiveDependents(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 60) int nodes,
      @ForAll @IntRange(min = 0, max = 4) int edgesPerNode) {
    DependencyGraph graph = randomDag(seed, nodes, edgesPerNode);
    for (Component component : graph.components()) {
      Tier expected = component.tier();
      for (String dependent : graph.transitiveDependentsOf(component.name())) {
        expected = Tier.mostImportant(expected, graph.component(dependent).tier());
      }
      assertThat(graph.effectiveTier(component.name())).isEqualTo(expected);
      for (String dependency : graph.dependenciesOf(component.name())) {
        assertThat(graph.effectiveTier(dependency).compareTo(graph.effectiveTier(component.name())))
            .as("a dependency is never less important than its dependent")
            .isLessThanOrEqualTo(0);
      }
    }
  }

  @Property(tries = 200)
  void build_withOneBackEdge_reportsARealCycle(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 40) int nodes) {
    // a chain c0 -> c1 -> ... -> c(n-1), closed by a back edge from the last to a random node
    Random random = new Random(seed);
    DependencyGraph.Builder builder = DependencyGraph.builder();
    for (int i = 0; i < nodes; i++) {
      builder.add(Component.of("c" + i, Tier.STANDARD));
      if (i > 0) {
        builder.dependsOn("c" + (i - 1), "c" + i);
      }
    }
    int target = random.nextInt(nodes - 1);
    builder.dependsOn("c" + (nodes - 1), "c" + target);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> {
          String path = e.getMessage().substring("dependency cycle: ".length());
          String[] names = path.split(" -> ");
          assertThat(names[0]).isEqualTo(names[names.length - 1]);
          assertThat(new HashSet<>(List.of(names))).hasSize(nodes - target);
          for (int i = 0; i + 1 < names.length; i++) {
            int a = Integer.parseInt(names[i].substring(1));
            int b = Integer.parseInt(names[i + 1].substring(1));
            assertThat(a + 1 == b || (a == nodes - 1 && b == target))
                .as("%s -> %s is an edge", names[i], names[i + 1]).isTrue();
          }
        });
  }
}
