package dev.breakglass.cascade.lifecycle;

import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.cascade.fixtures.RandomDag;
import dev.breakglass.core.Tier;
import dev.breakglass.testing.Gen;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DependencyGraphPropertiesTest {

  @Test
  void transitiveDependents_matchBreadthFirstReference() {
    forAll(RandomDag.dags(1, 60, 4)).tries(200).check(dag -> {
      DependencyGraph graph = dag.graph();
      for (Component component : graph.components()) {
        Set<String> expected = new TreeSet<>();
        ArrayDeque<String> queue = new ArrayDeque<>(graph.dependentsOf(component.name()));
        while (!queue.isEmpty()) {
          String next = queue.poll();
          if (expected.add(next)) {
            queue.addAll(graph.dependentsOf(next));
          }
        }
        assertThat(graph.transitiveDependentsOf(component.name()))
            .containsExactlyElementsOf(expected);
      }
    });
  }

  @Test
  void effectiveTier_isMostImportantOfSelfAndTransitiveDependents() {
    forAll(RandomDag.dags(1, 60, 4)).tries(200).check(dag -> {
      DependencyGraph graph = dag.graph();
      for (Component component : graph.components()) {
        Tier expected = component.tier();
        for (String dependent : graph.transitiveDependentsOf(component.name())) {
          expected = Tier.mostImportant(expected, graph.component(dependent).tier());
        }
        assertThat(graph.effectiveTier(component.name())).isEqualTo(expected);
        for (String dependency : graph.dependenciesOf(component.name())) {
          assertThat(graph.effectiveTier(dependency)
                  .compareTo(graph.effectiveTier(component.name())))
              .as("a dependency is never less important than its dependent")
              .isLessThanOrEqualTo(0);
        }
      }
    });
  }

  /** A chain of {@code nodes} components closed by a back edge from the last to target. */
  record Cycle(int nodes, int target) {}

  @Test
  void build_withOneBackEdge_reportsARealCycle() {
    Gen<Cycle> cycles = source -> {
      int nodes = source.draw(Gen.ints(2, 40));
      return new Cycle(nodes, source.draw(Gen.ints(0, nodes - 2)));
    };

    forAll(cycles).tries(200).check(cycle -> {
      // a chain c0 -> c1 -> ... -> c(n-1), closed by a back edge from the last to the target
      int nodes = cycle.nodes();
      int target = cycle.target();
      DependencyGraph.Builder builder = DependencyGraph.builder();
      for (int i = 0; i < nodes; i++) {
        builder.add(Component.of("c" + i, Tier.STANDARD));
        if (i > 0) {
          builder.dependsOn("c" + (i - 1), "c" + i);
        }
      }
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
    });
  }
}
