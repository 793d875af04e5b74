package dev.breakglass.consumercheck;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.core.EventListener;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import dev.breakglass.core.incident.IncidentTracker;
import dev.breakglass.fingerprint.Value;
import java.util.Map;

/**
 * Uses each library module once, through its API only, and prints what happened; one of its
 * listeners throws on purpose, so that the run shows where breakglass logs that.
 */
public final class Main {

  private Main() {}

  /**
   * Runs the check; prints one line per module and exits normally.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    CircuitBreaker breaker = CircuitBreaker.of("payments");
    breaker.onStateTransition(event -> {
      throw new IllegalStateException("a listener that throws (on purpose)");
    });
    breaker.onStateTransition(EventListener.named("pager", event -> {
      throw new IllegalStateException("a named listener that throws (on purpose)");
    }));
    breaker.transitionToOpen();
    System.out.println("circuit-breaker: " + breaker.name() + " " + breaker.state());

    IncidentJournal journal = IncidentJournal.create(100);
    IncidentTracker incidents = IncidentTracker.watch(journal);
    CascadeManager manager = CascadeManager.builder()
        .feature("recommendations", Tier.STANDARD)
        .journal(journal)
        .build();
    manager.declare(Severity.MAJOR, "consumer-check", "a drill");
    System.out.println("cascade: " + manager.severity() + ", STANDARD admitted "
        + manager.admit(Tier.STANDARD));
    System.out.println("incidents: " + incidents.current()
        .map(incident -> "#" + incident.number() + " " + incident.status() + " at "
            + incident.peakSeverity())
        .orElse("none"));

    Value config = Value.from(Map.of("payments", Map.of("timeout", 30)));
    System.out.println("fingerprint: " + config.fingerprint().toHex().substring(0, 16));

    System.out.println("module " + Main.class.getModule().getName() + " reads "
        + CircuitBreaker.class.getModule().getName() + "; org.jspecify present: "
        + ModuleLayer.boot().findModule("org.jspecify").isPresent());
  }
}
