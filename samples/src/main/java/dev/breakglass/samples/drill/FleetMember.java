package dev.breakglass.samples.drill;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.fingerprint.Fingerprint;
import dev.breakglass.fingerprint.RollbackPlan;
import dev.breakglass.fingerprint.Snapshot;
import dev.breakglass.fingerprint.SnapshotStore;
import dev.breakglass.fingerprint.Value;
import dev.breakglass.fleet.Fleet;
import dev.breakglass.fleet.FleetInstance;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One instance of the drill's shop in a JVM of its own, a member of the fleet drill's fleet:
 * the shop with its breaker and cascade manager, real traffic against it, the fleet's shared
 * snapshot store, a rollback plan through the shop's own hooks, and its journal shipped to the
 * fleet timeline. The fleet drill ({@code FleetDrill}) starts three and talks to them on
 * standard input and output:
 *
 * <ul>
 *   <li>it prints {@code ready <id> <address>} once it has joined the fleet;
 *   <li>{@code apply <fingerprint>}: a deploy: reads that configuration from the fleet's store
 *       (verified) and runs it; answers {@code applied <id>};
 *   <li>{@code status}: answers {@code status <id> <severity> <breaker state> <running
 *       fingerprint> <declared: yes|no>};
 *   <li>{@code stop}: stops the traffic, shuts the shop down in dependency waves, leaves the
 *       fleet and exits.
 * </ul>
 *
 * <p>Arguments: the database's JDBC URL, the fleet's name, the instance's id.
 */
public final class FleetMember {

  private FleetMember() {}

  /**
   * Runs the instance until told to stop.
   *
   * @param args the JDBC URL, the fleet's name, the instance's id
   * @throws Exception if the instance cannot start
   */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(args[0]);
    Fleet fleet = Fleet.builder(dataSource, args[1]).build();
    String id = args[2];
    IncidentJournal journal = IncidentJournal.create(4096);
    Settings settings = Settings.fast();
    try (SnapshotStore store = SnapshotStore.builder(fleet.snapshotStorage()).name("config")
        .journal(journal).open()) {
      // a new instance starts on the fleet's last known-stable configuration
      Snapshot stable = store.lastKnownStable().orElseThrow(
          () -> new IllegalStateException("the fleet has no known-stable configuration"));
      AtomicReference<Value> running = new AtomicReference<>(stable.value());
      try (Shop shop = Shop.start(settings, journal, stable.value());
          LoadGenerator load = new LoadGenerator(shop.address(), new Traffic())) {
        RollbackPlan plan = RollbackPlan.builder(store)
            .stabilise(context -> journal.record("drill", "freeze", "configuration changes"
                + " frozen"))
            .restore(context -> {
              shop.apply(context.target().value());
              running.set(context.target().value());
            })
            .reinitialise(context -> journal.record(Shop.PAYMENT, "reconnected", "timeout "
                + context.target().value().get("payment.timeoutMillis") + " ms"))
            .validate(context -> shop.probePayment())
            .journal(journal)
            .build();
        FleetInstance instance = fleet.instance(id)
            .declarationsTo(shop.cascade())
            .state(running::get)
            .rollback(plan, store)
            .journal(journal)
            .heartbeatInterval(Duration.ofMillis(500))
            .reconcileInterval(Duration.ofSeconds(2))
            .start();
        try {
          long deadline = System.nanoTime() + settings.waitLimit().toNanos();
          while (!instance.status().connected()) {
            if (System.nanoTime() - deadline > 0) {
              throw new IllegalStateException(id + " could not join the fleet");
            }
            LockSupport.parkNanos(5_000_000L);
          }
          load.start();
          out.println("ready " + id + " " + shop.address());
          serve(out, id, store, shop, journal, running, load);
        } finally {
          instance.close();
        }
      }
    }
    out.println("stopped " + id);
  }

  private static void serve(PrintStream out, String id, SnapshotStore store, Shop shop,
      IncidentJournal journal, AtomicReference<Value> running, LoadGenerator load)
      throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.startsWith("apply ")) {
        Snapshot snapshot = store.load(Fingerprint.parse(line.substring(6)));
        shop.apply(snapshot.value());
        running.set(snapshot.value());
        journal.record("drill", "config", snapshot.label() + " applied, "
            + snapshot.fingerprint().toShortString());
        out.println("applied " + id);
      } else if (line.equals("status")) {
        out.println("status " + id + " " + shop.cascade().severity() + " "
            + shop.paymentBreaker().state() + " " + running.get().fingerprint().toShortString()
            + " " + (shop.cascade().declaration().isPresent() ? "declared" : "rules"));
      } else if (line.equals("stop")) {
        load.stop();
        journal.record("drill", "traffic", "load balancer stopped sending traffic");
        shop.shutdown(Duration.ofSeconds(10));
        return;
      }
    }
  }
}
