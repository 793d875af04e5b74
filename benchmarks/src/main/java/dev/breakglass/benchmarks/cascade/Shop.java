package dev.breakglass.benchmarks.cascade;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.core.Tier;

/**
 * The small shop the cascade manager benchmarks run: a dependency graph of seven components
 * (http -> checkout -> payments, inventory, cache; recommender -> cache; analytics) and four
 * features, two STANDARD and two ENHANCED.
 */
final class Shop {

  /** Every registered name, components first. */
  static final String[] NAMES = {"http", "checkout", "recommender", "payments", "inventory",
      "cache", "analytics", "recommendations", "search-suggestions", "prefetch", "reports"};

  /** The features. */
  static final String[] FEATURES = {"recommendations", "search-suggestions", "prefetch",
      "reports"};

  private Shop() {}

  /** A builder of the shop's manager, for a benchmark to finish. */
  static CascadeManager.Builder manager() {
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("http", Tier.CRITICAL), "checkout")
        .add(Component.of("checkout", Tier.CRITICAL), "payments", "inventory", "cache")
        .add(Component.of("recommender", Tier.STANDARD), "cache")
        .add(Component.of("payments", Tier.CRITICAL))
        .add(Component.of("inventory", Tier.ESSENTIAL))
        .add(Component.of("cache", Tier.STANDARD))
        .add(Component.of("analytics", Tier.ENHANCED))
        .build();
    return CascadeManager.builder()
        .graph(graph)
        .feature("recommendations", Tier.STANDARD)
        .feature("search-suggestions", Tier.STANDARD)
        .feature("prefetch", Tier.ENHANCED)
        .feature("reports", Tier.ENHANCED);
  }
}
