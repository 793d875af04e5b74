package dev.breakglass.fleet;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Tier;
import java.time.Duration;

/** Fleet instances with the short timings the tests use. Stateless. */
final class Instances {

  private Instances() {}

  /** An instance builder with a heartbeat of 200 ms, a poll of 1 s and quick reconnects. */
  static FleetInstance.Builder fast(Fleet fleet, String id) {
    return fleet.instance(id)
        .heartbeatInterval(Duration.ofMillis(200))
        .reconcileInterval(Duration.ofSeconds(1))
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .journalShipping(10_000, 500, Duration.ofMillis(50));
  }

  /** A cascade manager like a service's: two components, no cooldown. */
  static CascadeManager manager(IncidentJournal journal) {
    return CascadeManager.builder()
        .component("payments", Tier.CRITICAL)
        .feature("recommendations", Tier.STANDARD)
        .cooldown(Duration.ZERO)
        .journal(journal)
        .build();
  }
}
