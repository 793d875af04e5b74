package dev.breakglass.samples;

import dev.breakglass.cascade.degradation.AdmissionLimiter;
import dev.breakglass.cascade.degradation.AdmissionRejectedException;
import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Deferral;
import dev.breakglass.cascade.degradation.DeferralCounts;
import dev.breakglass.cascade.lifecycle.ShutdownReport;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.core.EventCategory;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import dev.breakglass.core.incident.Incident;
import dev.breakglass.core.incident.IncidentReport;
import dev.breakglass.core.incident.IncidentTracker;
import dev.breakglass.core.incident.Milestone;
import dev.breakglass.fingerprint.Change;
import dev.breakglass.fingerprint.Diff;
import dev.breakglass.fingerprint.RollbackPlan;
import dev.breakglass.fingerprint.RollbackReport;
import dev.breakglass.fingerprint.SnapshotInfo;
import dev.breakglass.fingerprint.SnapshotStore;
import dev.breakglass.fingerprint.Value;
import dev.breakglass.samples.drill.LoadGenerator;
import dev.breakglass.samples.drill.Settings;
import dev.breakglass.samples.drill.Shop;
import dev.breakglass.samples.drill.Traffic.Kind;
import dev.breakglass.samples.drill.Traffic;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The emergency drill: a simulated shop goes through an incident and back, with every
 * breakglass module at work, printed as a timeline as it happens.
 *
 * <ol>
 *   <li>normal traffic, and the running configuration fingerprinted and marked known-stable;
 *   <li>a configuration change (the payment client's timeout) is applied and fingerprinted;
 *   <li>the payment gateway starts failing: its breaker opens and fallbacks defer payments;
 *       the cascade manager escalates and sheds recommendations and analytics, whose requests
 *       get a clear degraded answer;
 *   <li>the diff against the last known-stable fingerprint names the changed path;
 *   <li>rollback to the last known-stable fingerprint, in stages;
 *   <li>the breaker recovers through half-open and severity steps down with hysteresis;
 *   <li>a graceful shutdown in dependency waves, with its report; then the incident journal.
 * </ol>
 *
 * <p>Then the incident, derived from the journal by an {@link IncidentTracker}: its summary
 * (peak severity, time to detect, mitigate, recover) is printed, and the post-incident report is
 * written as {@code report.md}, {@code report.json} and {@code report.html} under
 * {@code target/incident/} (the path is printed). The drill's correlation window is one phase
 * (400 ms in fast mode) rather than five minutes, so that the incident resolves before the drill
 * ends.
 *
 * <pre>
 * mvn -B -q -Pdrill -pl samples -am package
 * </pre>
 *
 * <p>Flags: {@code --fast} (the default: a few seconds) or {@code --seconds N} (the same script
 * stretched over about N seconds); {@code --report-dir DIR} writes the report there instead. Exit status 0 when every expectation held, 1 when one did
 * not (each is listed at the end), 2 on a bad flag.
 */
public final class EmergencyDrill {

  private final PrintStream out;
  private final Settings settings;
  private final List<String> failures = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  private final Path reportDirectory;
  private long origin;

  private EmergencyDrill(PrintStream out, Settings settings, Path reportDirectory) {
    this.out = out;
    this.settings = settings;
    this.reportDirectory = reportDirectory;
  }

  /**
   * Runs the drill and exits with its status.
   *
   * @param args {@code --fast} or {@code --seconds N}
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the drill.
   *
   * @param args {@code --fast} or {@code --seconds N}
   * @param out where the timeline goes
   * @param err where errors go
   * @return the exit status: 0 if every expectation held
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Settings settings;
    Path reportDirectory;
    try {
      int seconds = parseArgs(args);
      settings = seconds == 0 ? Settings.fast() : Settings.lasting(seconds);
      reportDirectory = reportDirectory(args);
    } catch (IllegalArgumentException e) {
      err.println("emergency drill: " + e.getMessage());
      err.println("usage: EmergencyDrill [--fast | --seconds N] [--report-dir DIR]");
      return 2;
    }
    EmergencyDrill drill = new EmergencyDrill(out, settings, reportDirectory);
    try {
      drill.script();
    } catch (Exception e) {
      drill.failures.add("the drill stopped with " + e);
      e.printStackTrace(err);
    }
    return drill.verdict(err);
  }

  private void script() throws Exception {
    IncidentJournal journal = IncidentJournal.create(4096);
    origin = System.nanoTime();
    journal.onRecord(this::print);
    IncidentTracker tracker = IncidentTracker.builder(journal).window(settings.phase()).build();
    Path storeDirectory = Files.createTempDirectory("breakglass-drill-");
    Traffic traffic = new Traffic();
    Value stable = Value.from(Shop.initialConfiguration());

    out.println("breakglass emergency drill");
    try (SnapshotStore store = SnapshotStore.open(storeDirectory);
        Shop shop = Shop.start(settings, journal, stable);
        LoadGenerator load = new LoadGenerator(shop.address(), traffic)) {
      CircuitBreaker breaker = shop.paymentBreaker();
      CascadeManager cascade = shop.cascade();
      out.printf("shop listening on %s: %d components, shutdown in %d waves%n",
          shop.address(), shop.graph().size(), shutdownWaves(shop));

      banner("1/7 normal traffic; the running configuration is known-stable");
      load.start();
      long[] before = traffic.snapshot();
      pause(settings.phase());
      // On a busy machine the first requests are slow: the phase lasts until both paths served.
      eventually(() -> traffic.countSince(before, Kind.CHECKOUT_PAID) > 0
          && traffic.countSince(before, Kind.RECOMMENDATIONS) > 0);
      SnapshotInfo stableInfo = store.append("release " + shop.release(), stable);
      store.markStable(stableInfo.fingerprint());
      journal.record("drill", "stable", "release " + shop.release() + " marked known-stable, "
          + stableInfo.fingerprint().toShortString());
      summary(traffic, before);
      check("normal traffic is served in full", traffic.countSince(before, Kind.CHECKOUT_PAID) > 0
          && traffic.countSince(before, Kind.RECOMMENDATIONS) > 0
          && traffic.countSince(before, Kind.CHECKOUT_DEFERRED) == 0
          && traffic.countSince(before, Kind.RECOMMENDATIONS_DEGRADED) == 0
          && traffic.countSince(before, Kind.ERROR) == 0);

      banner("2/7 a configuration change is applied");
      Value changed = stable.with("release", "2026.11.4").with("payment.timeoutMillis", 1);
      SnapshotInfo changedInfo = store.append("release 2026.11.4", changed);
      shop.apply(changed);
      journal.record("drill", "config", "release 2026.11.4 applied, "
          + changedInfo.fingerprint().toShortString() + " (not yet known-stable)");

      banner("3/7 the payment gateway fails: breaker, fallbacks, shedding");
      long[] beforeIncident = traffic.snapshot();
      await("the payment breaker opens", () -> breaker.state() == CircuitBreaker.State.OPEN);
      await("severity reaches MAJOR", () -> cascade.severity() == Severity.MAJOR);
      pause(settings.phase());
      eventually(() -> traffic.countSince(beforeIncident, Kind.CHECKOUT_DEFERRED) > 0
          && traffic.countSince(beforeIncident, Kind.RECOMMENDATIONS_DEGRADED) > 0);
      summary(traffic, beforeIncident);
      check("fallbacks defer payments while the breaker is open",
          traffic.countSince(beforeIncident, Kind.CHECKOUT_DEFERRED) > 0);
      check("recommendations get a degraded answer while shed",
          traffic.countSince(beforeIncident, Kind.RECOMMENDATIONS_DEGRADED) > 0);
      check("analytics is shed", !cascade.isEnabled(Shop.ANALYTICS));
      Deferral deferral = shop.deferral();
      out.println("    deferred: " + deferredSummary(deferral));
      check("STANDARD and ENHANCED follow-up work is deferred at MAJOR, not dropped",
          deferral.counts(Tier.STANDARD).deferred() > 0
              && deferral.counts(Tier.ENHANCED).deferred() > 0);
      AdmissionLimiter.Metrics door = shop.frontDoor().metrics();
      journal.record("drill", "front-door", "at " + cascade.severity() + ": limit "
          + door.effectiveLimit() + " of " + door.limit() + ", STANDARD refused "
          + door.rejections(Tier.STANDARD, AdmissionRejectedException.Reason.NOT_ADMITTED)
          + " times (NOT_ADMITTED), CRITICAL refused "
          + door.rejections(Tier.CRITICAL, AdmissionRejectedException.Reason.OVER_LIMIT)
          + " times (OVER_LIMIT)");
      check("the front door holds capacity at 60 %: limit " + door.effectiveLimit() + " of "
          + door.limit(), door.effectiveLimit() == Shop.FRONT_DOOR_LIMIT * 6 / 10);
      check("the front door refuses STANDARD-tier work at MAJOR",
          door.rejections(Tier.STANDARD, AdmissionRejectedException.Reason.NOT_ADMITTED) > 0);
      check("no request fails outright", traffic.countSince(beforeIncident, Kind.ERROR) == 0);

      banner("4/7 what changed since the last known-stable configuration?");
      Diff diff = Diff.between(store.lastKnownStable().orElseThrow().value(), changed);
      for (Change change : diff.changes()) {
        out.println("    " + change);
      }
      check("the diff names payment.timeoutMillis", diff.changes().stream()
          .anyMatch(c -> c.path().toString().equals("payment.timeoutMillis")));

      banner("5/7 roll back to the last known-stable configuration");
      RollbackReport rollback = RollbackPlan.builder(store)
          .stabilise(context -> journal.record("drill", "freeze", "configuration changes frozen"))
          .restore(context -> shop.apply(context.target().value()))
          .reinitialise(context -> journal.record(Shop.PAYMENT, "reconnected",
              "timeout " + context.target().value().get("payment.timeoutMillis") + " ms"))
          .validate(context -> shop.probePayment())
          .journal(journal)
          .build()
          .rollBack(changed);
      check("the rollback succeeds", rollback.succeeded());
      check("the running configuration is the known-stable one again",
          store.latest().orElseThrow().fingerprint().equals(stableInfo.fingerprint()));

      banner("6/7 recovery: half-open trials, then severity steps down with hysteresis");
      long[] beforeRecovery = traffic.snapshot();
      await("the payment breaker closes again", () -> breaker.state() == CircuitBreaker.State.CLOSED);
      await("severity is back to NORMAL", () -> cascade.severity() == Severity.NORMAL);
      summary(traffic, beforeRecovery);
      // A change is visible to queries as soon as it is made and journalled right after, by
      // the thread that made it: wait for the entries rather than read the journal at once.
      check("the breaker recovered through HALF_OPEN", eventually(() -> inOrder(journal,
          Shop.PAYMENT, "CLOSED -> OPEN", "OPEN -> HALF_OPEN", "HALF_OPEN -> CLOSED")));
      check("severity stepped down one level at a time", eventually(() -> inOrder(journal,
          "cascade", "NORMAL -> MAJOR", "MAJOR -> MINOR", "MINOR -> NORMAL")));
      check("recommendations and analytics are back", cascade.isEnabled(Shop.RECOMMENDATIONS)
          && cascade.isEnabled(Shop.ANALYTICS));
      boolean replayed = eventually(() -> deferral.pending() == 0);
      out.println("    deferred: " + deferredSummary(deferral));
      check("deferred work is replayed on recovery: none expired or overflowed", replayed
          && deferral.counts().stream().allMatch(c -> c.replayed() == c.deferred()
              && c.expired() == 0 && c.overflowed() == 0));
      check("the front door is back to full capacity: limit "
          + shop.frontDoor().effectiveLimit(),
          shop.frontDoor().effectiveLimit() == Shop.FRONT_DOOR_LIMIT);

      banner("7/7 graceful shutdown in dependency waves");
      load.stop();
      journal.record("drill", "traffic", "load balancer stopped sending traffic");
      ShutdownReport report = shop.shutdown(Duration.ofSeconds(10));
      out.println();
      out.print(indent(report.toText()));
      check("every component stopped cleanly, within the deadline", report.isClean());
      check("the front stopped before checkout, checkout before payments", eventually(() ->
          inOrder(journal, null, "stopped " + Shop.FRONT, "stopped " + Shop.CHECKOUT,
              "stopped " + Shop.PAYMENT)));
    } finally {
      deleteRecursively(storeDirectory);
    }
    out.println();
    out.print(journal.toText());
    incident(journal, tracker);
  }

  // ---- the incident ----

  private void incident(IncidentJournal journal, IncidentTracker tracker) throws IOException {
    // the incident resolves one quiet window after everything was back to normal
    eventually(() -> {
      tracker.refresh();
      return tracker.current().isEmpty() && !tracker.incidents().isEmpty();
    });
    List<Incident> incidents = tracker.incidents();
    check("the journal makes one incident, resolved", incidents.size() == 1
        && incidents.get(0).status() == Incident.Status.RESOLVED);
    if (incidents.isEmpty()) {
      return;
    }
    Incident incident = incidents.get(0);
    List<JournalEntry> entries = journal.entries();
    long trip = firstTime(entries, Shop.PAYMENT, "CLOSED -> OPEN");
    long firstShed = firstKind(entries, "shed");
    long firstFallback = firstKind(entries, "fallback");
    long closed = firstTime(entries, Shop.PAYMENT, "HALF_OPEN -> CLOSED");
    long normal = firstTime(entries, "cascade", "MINOR -> NORMAL");
    check("the incident is detected when the payment breaker trips, not before",
        at(incident, Milestone.DETECTED) - trip >= 0);
    check("it is mitigated no later than the first shed or fallback",
        at(incident, Milestone.MITIGATED) - Math.min(firstShed, firstFallback) <= 0);
    check("it recovers once the breaker is CLOSED again (HALF_OPEN -> CLOSED)",
        at(incident, Milestone.RECOVERED) - closed >= 0);
    check("it resolves after severity is back to NORMAL",
        at(incident, Milestone.RESOLVED) - normal >= 0);
    Files.createDirectories(reportDirectory);
    Files.writeString(reportDirectory.resolve("report.md"), IncidentReport.markdown(incident));
    Files.writeString(reportDirectory.resolve("report.json"), IncidentReport.json(incident));
    Files.writeString(reportDirectory.resolve("report.html"), IncidentReport.html(incident));
    out.println();
    out.println(IncidentReport.summary(incident));
    out.println("post-incident report: " + reportDirectory.toAbsolutePath().normalize()
        + "/report.{md,json,html}");
  }

  private static long at(Incident incident, Milestone milestone) {
    return incident.nanos(milestone).orElse(Long.MIN_VALUE);
  }

  /** The time of the first entry from {@code source} whose detail contains {@code text}. */
  private static long firstTime(List<JournalEntry> entries, String source, String text) {
    return entries.stream()
        .filter(e -> e.source().equals(source) && e.detail().contains(text))
        .mapToLong(JournalEntry::nanoTime).min().orElse(Long.MAX_VALUE);
  }

  /** The time of the first mitigation of the given kind. */
  private static long firstKind(List<JournalEntry> entries, String kind) {
    return entries.stream()
        .filter(e -> e.kind().equals(kind) && e.category() == EventCategory.MITIGATION)
        .mapToLong(JournalEntry::nanoTime).min().orElse(Long.MAX_VALUE);
  }

  // ---- expectations ----

  private void check(String expectation, boolean held) {
    checks.add((held ? "  ok    " : "  FAIL  ") + expectation);
    if (!held) {
      failures.add(expectation);
    }
  }

  private void await(String expectation, BooleanSupplier condition) {
    if (!eventually(condition)) {
      check(expectation + " (waited " + settings.waitLimit().toSeconds() + " s)", false);
      throw new IllegalStateException("expected: " + expectation);
    }
    check(expectation, true);
  }

  /** Polls {@code condition} until it holds or the wait limit passes; returns its last value. */
  private boolean eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + settings.waitLimit().toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      pause(Duration.ofMillis(5));
    }
    return true;
  }

  private int verdict(PrintStream err) {
    out.println();
    out.println("expectations:");
    checks.forEach(out::println);
    if (failures.isEmpty()) {
      out.printf(Locale.ROOT, "drill passed: %d expectations held in %.1f s%n", checks.size(),
          (System.nanoTime() - origin) / 1e9);
      return 0;
    }
    err.println("emergency drill FAILED: " + String.join("; ", failures));
    return 1;
  }

  /**
   * Whether entries whose detail (or "kind source" for the shutdown) contains each text appear
   * in that order.
   */
  private static boolean inOrder(IncidentJournal journal, String source, String... texts) {
    int next = 0;
    for (JournalEntry entry : journal.entries()) {
      if (next == texts.length) {
        break;
      }
      if (source != null && !entry.source().equals(source)) {
        continue;
      }
      String text = source != null ? entry.detail() : entry.kind() + " " + entry.source();
      if (text.contains(texts[next])) {
        next++;
      }
    }
    return next == texts.length;
  }

  // ---- printing ----

  private void print(JournalEntry entry) {
    out.printf(Locale.ROOT, "  %s  %-18s %-12s %s%n",
        offset(entry.nanoTime()), entry.source(), entry.kind(), entry.detail());
  }

  private String offset(long nanoTime) {
    return String.format(Locale.ROOT, "%8s",
        String.format(Locale.ROOT, "+%.3fs", (nanoTime - origin) / 1e9));
  }

  private void banner(String title) {
    out.println();
    out.println("[" + offset(System.nanoTime()).strip() + "] " + title);
  }

  private void summary(Traffic traffic, long[] before) {
    out.println("    traffic: " + traffic.summarySince(before));
  }

  private static String deferredSummary(Deferral deferral) {
    StringBuilder line = new StringBuilder();
    for (Tier tier : new Tier[] {Tier.STANDARD, Tier.ENHANCED}) {
      DeferralCounts c = deferral.counts(tier);
      line.append(line.length() == 0 ? "" : "; ").append(tier).append(' ')
          .append(c.deferred()).append(" deferred, ").append(c.replayed()).append(" replayed, ")
          .append(c.pending()).append(" waiting, ").append(c.expired()).append(" expired, ")
          .append(c.overflowed()).append(" overflowed");
    }
    return line.toString();
  }

  private static int shutdownWaves(Shop shop) {
    return dev.breakglass.cascade.lifecycle.ShutdownPlan.of(shop.graph()).waveCount();
  }

  private static String indent(String text) {
    return text.lines().map(line -> "    " + line + "\n").reduce("", String::concat);
  }

  private static void pause(Duration duration) {
    try {
      TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** The directory of {@code --report-dir}, else {@code target/incident}. */
  static Path reportDirectory(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--report-dir")) {
        return Path.of(args[i + 1]);
      }
    }
    return Path.of("target", "incident");
  }

  /** Validates the flags; returns the drill length in seconds, 0 for fast mode. */
  static int parseArgs(String[] args) {
    int seconds = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--fast" -> seconds = 0;
        case "--report-dir" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--report-dir needs a value");
          }
          i++;
        }
        case "--seconds" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--seconds needs a value");
          }
          String value = args[++i];
          try {
            seconds = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "--seconds must be a whole number, was '" + value + "'");
          }
          if (seconds <= 0) {
            throw new IllegalArgumentException("--seconds must be > 0, was " + seconds);
          }
        }
        default -> throw new IllegalArgumentException("unknown flag '" + args[i] + "'");
      }
    }
    return seconds;
  }
}
