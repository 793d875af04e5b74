package dev.breakglass.cascade.lifecycle;

import static dev.breakglass.cascade.fixtures.TestGraphs.shop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.Tier;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {

  @Test
  void queries_answerDirectAndTransitiveRelations() {
    DependencyGraph graph = shop();

    assertThat(graph.size()).isEqualTo(7);
    assertThat(graph.edgeCount()).isEqualTo(5);
    assertThat(graph.dependenciesOf("checkout")).containsExactly("cache", "inventory", "payments");
    assertThat(graph.dependentsOf("cache")).containsExactly("checkout", "recommendations");
    assertThat(graph.transitiveDependentsOf("payments")).containsExactly("checkout", "http");
    assertThat(graph.transitiveDependenciesOf("http"))
        .containsExactly("cache", "checkout", "inventory", "payments");
    assertThat(graph.transitiveDependentsOf("analytics")).isEmpty();
    assertThat(graph.components()).extracting(Component::name)
        .containsExactly("http", "checkout", "recommendations", "payments", "inventory", "cache",
            "analytics");
    assertThat(graph.contains("cache")).isTrue();
    assertThat(graph.contains("nope")).isFalse();
  }

  @Test
  void effectiveTier_isPromotedToMostImportantDependent() {
    DependencyGraph graph = shop();

    assertThat(graph.effectiveTier("cache")).isEqualTo(Tier.CRITICAL);
    assertThat(graph.effectiveTier("inventory")).isEqualTo(Tier.CRITICAL);
    assertThat(graph.effectiveTier("recommendations")).isEqualTo(Tier.STANDARD);
    assertThat(graph.effectiveTier("analytics")).isEqualTo(Tier.ENHANCED);
    assertThat(graph.component("cache").tier()).isEqualTo(Tier.STANDARD);
  }

  @Test
  void dependentsFirstOrder_placesEveryDependentBeforeItsDependencies() {
    DependencyGraph graph = shop();
    int[] order = graph.dependentsFirstOrder();
    int[] position = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      position[order[i]] = i;
    }
    for (int node = 0; node < graph.size(); node++) {
      for (int dependency : graph.dependencyIndices(node)) {
        assertThat(position[node]).isLessThan(position[dependency]);
      }
    }
  }

  @Test
  void build_cycle_listsTheCyclePath() {
    DependencyGraph.Builder builder = DependencyGraph.builder()
        .add(Component.of("a", Tier.CRITICAL), "b")
        .add(Component.of("b", Tier.CRITICAL), "c")
        .add(Component.of("c", Tier.CRITICAL), "a")
        .add(Component.of("d", Tier.CRITICAL), "a");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dependency cycle: a -> b -> c -> a");
  }

  @Test
  void build_cycleFoundFromAnotherStart_isRotatedToSmallestName() {
    DependencyGraph.Builder builder = DependencyGraph.builder()
        .add(Component.of("z", Tier.CRITICAL), "y")
        .add(Component.of("y", Tier.CRITICAL), "m")
        .add(Component.of("m", Tier.CRITICAL), "z");

    assertThatThrownBy(builder::build).hasMessage("dependency cycle: m -> z -> y -> m");
  }

  @Test
  void build_twoNodeCycle_isReported() {
    DependencyGraph.Builder builder = DependencyGraph.builder()
        .add(Component.of("a", Tier.CRITICAL))
        .add(Component.of("b", Tier.CRITICAL))
        .dependsOn("a", "b")
        .dependsOn("b", "a");

    assertThatThrownBy(builder::build).hasMessage("dependency cycle: a -> b -> a");
  }

  @Test
  void build_unknownComponent_isNamed() {
    assertThatThrownBy(() -> DependencyGraph.builder()
            .add(Component.of("http", Tier.CRITICAL), "handlr")
            .add(Component.of("handler", Tier.CRITICAL))
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("component 'http' depends on unknown component 'handlr'");
    assertThatThrownBy(() -> DependencyGraph.builder()
            .add(Component.of("db", Tier.CRITICAL))
            .dependsOn("ghost", "db")
            .build())
        .hasMessage("unknown component 'ghost' declared as depending on 'db'");
  }

  @Test
  void add_duplicateNameOrSelfDependency_isRejectedAtOnce() {
    DependencyGraph.Builder builder = DependencyGraph.builder().add(Component.of("a", Tier.STANDARD));
    assertThatThrownBy(() -> builder.add(Component.of("a", Tier.CRITICAL)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate component name 'a'");
    assertThatThrownBy(() -> builder.dependsOn("a", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("component 'a' cannot depend on itself");
    assertThatThrownBy(() -> builder.add(Component.of("b", Tier.STANDARD), "b"))
        .hasMessage("component 'b' cannot depend on itself");
    assertThat(builder.build().size()).isEqualTo(1);
  }

  @Test
  void dependsOn_sameEdgeTwice_countsOnce() {
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("a", Tier.STANDARD), "b", "b")
        .add(Component.of("b", Tier.STANDARD))
        .dependsOn("a", "b")
        .build();

    assertThat(graph.edgeCount()).isEqualTo(1);
    assertThat(graph.dependenciesOf("a")).containsExactly("b");
  }

  @Test
  void queries_unknownName_throwNamingIt() {
    DependencyGraph graph = shop();
    assertThatThrownBy(() -> graph.component("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown component 'nope'");
    assertThatThrownBy(() -> graph.dependentsOf("nope")).hasMessage("unknown component 'nope'");
    assertThatThrownBy(() -> graph.effectiveTier(null)).hasMessage("name");
  }

  @Test
  void component_badInput_throwsNamingTheValue() {
    assertThatThrownBy(() -> Component.builder(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Component.of(null, Tier.CRITICAL)).hasMessage("name");
    assertThatThrownBy(() -> Component.of("a", null)).hasMessage("tier");
    assertThatThrownBy(() -> Component.builder("a").onDrain(null)).hasMessage("step");
  }

  @Test
  void component_ofWithStop_runsAsRelease() throws Exception {
    StringBuilder ran = new StringBuilder();
    Component component = Component.of("cache", Tier.STANDARD, () -> ran.append("closed"));

    assertThat(component.start()).isNull();
    assertThat(component.stopIntake()).isNull();
    assertThat(component.release()).isNotNull();
    component.release().run();
    assertThat(ran).hasToString("closed");
  }
}
