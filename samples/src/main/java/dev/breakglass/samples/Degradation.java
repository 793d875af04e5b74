package dev.breakglass.samples;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Feature;
import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Tier;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Graceful degradation driven by a circuit breaker: the example the README quotes. Time is a
 * {@link ManualTicker}, so the cooldowns pass at once.
 *
 * <pre>
 * mvn -B -q -Psample -Dsample=Degradation -pl samples -am package
 * </pre>
 */
public final class Degradation {

  private Degradation() {}

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Opens a payments breaker, watches the service degrade, closes it, and watches the service
   * step back up.
   *
   * @param out where to print
   * @return the manager, for inspection
   */
  public static CascadeManager run(PrintStream out) {
    IncidentJournal journal = IncidentJournal.create(100);
    ManualTicker ticker = new ManualTicker();
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.of("checkout", Tier.CRITICAL), "payments")
        .add(Component.of("payments", Tier.CRITICAL))
        .build();
    CircuitBreaker paymentsBreaker = CircuitBreaker.of("payments");

    // [readme:degradation]
    CascadeManager manager = CascadeManager.builder()
        .graph(graph)                                   // components, tiers, blast radius
        .feature("recommendations", Tier.STANDARD)
        .feature("analytics", Tier.ENHANCED)
        .journal(journal)
        .ticker(ticker)                                 // Ticker.system() unless testing
        .build();
    manager.watch(paymentsBreaker);                     // any HealthSource: a breaker opening -> MAJOR

    Feature recommendations = manager.feature("recommendations");
    paymentsBreaker.transitionToOpen();
    if (!recommendations.isEnabled()) {                 // one volatile read, no lock, no allocation
      out.println("recommendations shed at " + manager.severity()
          + "; capacity " + manager.capacityFactor());   // size pools and limiters by this
    }
    // [/readme:degradation]

    paymentsBreaker.transitionToClosed();
    for (int step = 0; step < 2; step++) {
      ticker.advance(Duration.ofSeconds(30));           // the default cooldown
      manager.evaluate();
    }
    out.println("after recovery: " + manager.severity()
        + ", recommendations enabled: " + recommendations.isEnabled());
    out.print(journal.toText());
    return manager;
  }
}
