package dev.breakglass.samples;

import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.cascade.lifecycle.RecoveryReport;
import dev.breakglass.cascade.lifecycle.RecoverySequencer;
import dev.breakglass.cascade.lifecycle.ShutdownReport;
import dev.breakglass.cascade.lifecycle.ShutdownSequencer;
import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Tier;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Ordered shutdown and staged recovery of a small service: the example the README quotes.
 *
 * <pre>
 * mvn -B -q -Psample -Dsample=OrderedShutdown -pl samples -am package
 * </pre>
 */
public final class OrderedShutdown {

  private OrderedShutdown() {}

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Runs the example, printing the plan and both reports.
   *
   * @param out where to print
   * @return the shutdown report
   */
  public static ShutdownReport run(PrintStream out) {
    IncidentJournal journal = IncidentJournal.create(1_000);
    Stand server = new Stand("http server", out);
    Stand payments = new Stand("payments client", out);
    Stand pool = new Stand("inventory pool", out);
    Stand exporter = new Stand("analytics exporter", out);

    // [readme:shutdown]
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("http-front").tier(Tier.CRITICAL)
            .onStopIntake(server::stopAccepting).onDrain(server::awaitRequests)
            .onRelease(server::close).build(), "checkout-handler")
        .add(Component.of("checkout-handler", Tier.CRITICAL), "payment-client", "inventory-store")
        .add(Component.builder("payment-client").tier(Tier.CRITICAL)
            .stopTimeout(Duration.ofSeconds(5)).onRelease(payments::close).build())
        .add(Component.of("inventory-store", Tier.ESSENTIAL, pool::close))
        .add(Component.builder("analytics-exporter").tier(Tier.ENHANCED)
            .onFlush(exporter::flush).onRelease(exporter::close).build())
        .build();

    ShutdownSequencer shutdown = ShutdownSequencer.builder(graph)
        .deadline(Duration.ofSeconds(25))          // inside Kubernetes' 30 s grace period
        .journal(journal)
        .build();
    out.print(shutdown.plan().toText());           // a dry run: waves, effective tiers, steps
    shutdown.installShutdownHook(report -> System.err.print(report.toText()));   // on SIGTERM
    // [/readme:shutdown]

    ShutdownReport report = shutdown.shutdown();     // here by hand; the hook then does nothing
    out.print(report.toText());

    // [readme:recovery]
    // after the emergency: dependencies first, CRITICAL phase first, each phase gated on health
    DependencyGraph restartable = DependencyGraph.builder()
        .add(Component.builder("http-front").tier(Tier.CRITICAL)
            .onStart(server::open).healthCheck(() -> Health.UP).build(), "checkout-handler")
        .add(Component.of("checkout-handler", Tier.CRITICAL), "payment-client")
        .add(Component.builder("payment-client").tier(Tier.CRITICAL)
            .onStart(payments::open).healthCheck(() -> Health.UP).build())
        .build();
    RecoveryReport recovery = RecoverySequencer.builder(restartable).journal(journal).build()
        .recover();
    // [/readme:recovery]
    out.print(recovery.toText());
    return report;
  }

  /** A stand-in for a real resource: prints what is done to it. */
  static final class Stand {
    private final String name;
    private final PrintStream out;

    Stand(String name, PrintStream out) {
      this.name = name;
      this.out = out;
    }

    void open() {
      out.println("  " + name + ": opened");
    }

    void stopAccepting() {
      out.println("  " + name + ": stopped accepting");
    }

    void awaitRequests() {
      out.println("  " + name + ": requests drained");
    }

    void flush() {
      out.println("  " + name + ": flushed");
    }

    void close() {
      out.println("  " + name + ": closed");
    }
  }
}
