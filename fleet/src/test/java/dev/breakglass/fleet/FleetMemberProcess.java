package dev.breakglass.fleet;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.core.IncidentJournal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One instance of a fleet in a JVM of its own, for {@link FleetConvergenceTest}: it joins with a
 * cascade manager, prints {@code ready <id>}, then answers {@code report} on its standard input
 * with {@code severity <severity> <adopted declaration>} and leaves on {@code stop}.
 */
public final class FleetMemberProcess {

  private FleetMemberProcess() {}

  /**
   * Runs the instance.
   *
   * @param args the database's JDBC URL, the fleet's name, the instance's id
   * @throws Exception if it cannot join
   */
  public static void main(String[] args) throws Exception {
    Fleet fleet = Fleet.builder(new TestDataSource(args[0]), args[1]).build();
    IncidentJournal journal = IncidentJournal.create(4096);
    CascadeManager manager = Instances.manager(journal);
    FleetInstance instance = fleet.instance(args[2])
        .heartbeatInterval(Duration.ofSeconds(1))
        .reconcileInterval(Duration.ofSeconds(5))
        .declarationsTo(manager)
        .journal(journal)
        .start();
    try {
      Await.until("connected", () -> instance.status().connected());
      System.out.println("ready " + instance.id());
      BufferedReader in = new BufferedReader(
          new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals("report")) {
          System.out.println("severity " + manager.severity() + " "
              + instance.status().adoptedDeclaration().orElse(-1));
        } else if (line.equals("stop")) {
          break;
        }
      }
    } finally {
      instance.close();
    }
    System.out.println("stopped " + instance.id());
  }
}
