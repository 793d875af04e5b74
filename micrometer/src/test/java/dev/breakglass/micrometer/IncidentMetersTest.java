package dev.breakglass.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import dev.breakglass.core.incident.Incident;
import dev.breakglass.core.incident.IncidentTracker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IncidentMetersTest {

  private static final String[] SEVERITIES = {"normal", "minor", "major", "critical"};
  private static final String[] TIMERS = {IncidentMeters.TIME_TO_DETECT,
      IncidentMeters.TIME_TO_MITIGATE, IncidentMeters.TIME_TO_RECOVER,
      IncidentMeters.TIME_TO_RESOLVE, IncidentMeters.DURATION};
  private static final long SECOND = 1_000_000_000L;

  private final ManualTicker ticker = new ManualTicker();
  private final IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
  private final IncidentTracker tracker =
      IncidentTracker.builder(journal).window(Duration.ofMinutes(5)).build();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private void at(long seconds) {
    ticker.advanceNanos(seconds * SECOND - ticker.read());
  }

  private void breaker(Health health, EventCategory category) {
    journal.record(category, "payments", "transition", null, null, health, "-> " + health);
  }

  private void severity(Severity severity, EventCategory category) {
    journal.record(category, "cascade", "severity", severity, null, null, "-> " + severity);
  }

  /** IncidentTrackerTest's drill: detected at 10 s, MAJOR at 11 s, resolved at 90 s. */
  private void openAndEscalate() {
    at(10);
    breaker(Health.DOWN, EventCategory.DETECTION);
    at(11);
    severity(Severity.MAJOR, EventCategory.DETECTION);
    journal.record(EventCategory.MITIGATION, "cascade", "shed", null, Tier.ENHANCED, null,
        "ENHANCED shed");
  }

  private void recoverAndResolve() {
    at(41);
    breaker(Health.UP, EventCategory.RECOVERY);
    at(60);
    severity(Severity.MINOR, EventCategory.RECOVERY);
    at(90);
    severity(Severity.NORMAL, EventCategory.RESOLUTION);
    at(90 + 300);
    assertThat(tracker.refresh()).isTrue();
  }

  private static double gauge(MeterRegistry registry, String name) {
    return registry.get(name).gauge().value();
  }

  private double gauge(String name) {
    return gauge(meters, name);
  }

  private double counter(String name) {
    return meters.get(name).counter().count();
  }

  private Timer timer(String name, String severity) {
    return meters.get(name).tags("severity", severity).timer();
  }

  private double seconds(String name, String severity) {
    return timer(name, severity).totalTime(TimeUnit.SECONDS);
  }

  @Test
  void meters_noIncident_closedAndNothingCounted() {
    IncidentMeters.of(tracker, Tags.of("service", "shop")).bindTo(meters);

    // a registry without histograms of its own (this one) adds a gauge per timer and bucket
    assertThat(meters.getMeters()).filteredOn(m -> m.getId().getTag("le") == null)
        .hasSize(5 + TIMERS.length * SEVERITIES.length);
    assertThat(meters.getMeters()).filteredOn(m -> m.getId().getTag("le") != null)
        .hasSize(TIMERS.length * SEVERITIES.length * 5);
    assertThat(meters.getMeters()).allMatch(m -> "shop".equals(m.getId().getTag("service")));
    assertThat(gauge(IncidentMeters.OPEN)).isZero();
    assertThat(gauge(IncidentMeters.PEAK_SEVERITY)).isZero();
    assertThat(counter(IncidentMeters.OPENED)).isZero();
    assertThat(counter(IncidentMeters.ESCALATIONS)).isZero();
    assertThat(counter(IncidentMeters.RESOLVED)).isZero();
    for (String timer : TIMERS) {
      for (String severity : SEVERITIES) {
        assertThat(timer(timer, severity).count()).as(timer + " " + severity).isZero();
      }
    }
  }

  @Test
  void meters_scriptedIncident_followItAndTimeItUnderItsPeakSeverityWhenResolved() {
    IncidentMeters.of(tracker).bindTo(meters);

    openAndEscalate();
    assertThat(gauge(IncidentMeters.OPEN)).isEqualTo(1.0);
    assertThat(gauge(IncidentMeters.PEAK_SEVERITY)).isEqualTo(2.0); // MAJOR
    assertThat(counter(IncidentMeters.OPENED)).isEqualTo(1.0);
    assertThat(counter(IncidentMeters.ESCALATIONS)).isEqualTo(1.0);
    assertThat(counter(IncidentMeters.RESOLVED)).isZero();
    assertThat(timer(IncidentMeters.DURATION, "major").count()).as("not until resolved")
        .isZero();

    recoverAndResolve();
    assertThat(gauge(IncidentMeters.OPEN)).isZero();
    assertThat(gauge(IncidentMeters.PEAK_SEVERITY)).isZero();
    assertThat(counter(IncidentMeters.OPENED)).isEqualTo(1.0);
    assertThat(counter(IncidentMeters.ESCALATIONS)).isEqualTo(1.0);
    assertThat(counter(IncidentMeters.RESOLVED)).isEqualTo(1.0);
    for (String timer : TIMERS) {
      assertThat(timer(timer, "major").count()).as(timer).isEqualTo(1);
      for (String severity : new String[] {"normal", "minor", "critical"}) {
        assertThat(timer(timer, severity).count()).as(timer + " " + severity).isZero();
      }
    }
    assertThat(seconds(IncidentMeters.TIME_TO_DETECT, "major")).isZero();
    assertThat(seconds(IncidentMeters.TIME_TO_MITIGATE, "major")).isEqualTo(1.0);
    assertThat(seconds(IncidentMeters.TIME_TO_RECOVER, "major")).isEqualTo(31.0);
    assertThat(seconds(IncidentMeters.TIME_TO_RESOLVE, "major")).isEqualTo(80.0);
    assertThat(seconds(IncidentMeters.DURATION, "major")).isEqualTo(80.0);
  }

  @Test
  void timers_serviceLevelBuckets_atTheResponseObjectivesAndTheLongestRecoveryTarget() {
    IncidentMeters.of(tracker).bindTo(meters);
    openAndEscalate();
    recoverAndResolve();

    CountAtBucket[] mitigate =
        timer(IncidentMeters.TIME_TO_MITIGATE, "major").takeSnapshot().histogramCounts();
    assertThat(mitigate).extracting(b -> b.bucket(TimeUnit.SECONDS))
        .containsExactly(60.0, 120.0, 300.0, 900.0, 1800.0);
    assertThat(mitigate).extracting(CountAtBucket::count)
        .containsExactly(1.0, 1.0, 1.0, 1.0, 1.0); // 1 s: within every objective
    CountAtBucket[] resolve =
        timer(IncidentMeters.TIME_TO_RESOLVE, "major").takeSnapshot().histogramCounts();
    assertThat(resolve).extracting(CountAtBucket::count)
        .containsExactly(0.0, 1.0, 1.0, 1.0, 1.0); // 80 s: over 1 min, within 2
  }

  @Test
  void meters_incidentOpenedAndClosedByHand_recordOnlyTheMilestonesItHas() {
    IncidentMeters.of(tracker).bindTo(meters);
    at(5);
    tracker.openIncident("on-call", "customers report slow checkout");
    assertThat(gauge(IncidentMeters.OPEN)).isEqualTo(1.0);
    assertThat(gauge(IncidentMeters.PEAK_SEVERITY)).isZero(); // NORMAL: no severity reported
    at(65);
    tracker.closeIncident("on-call", "false alarm");

    assertThat(gauge(IncidentMeters.OPEN)).isZero();
    assertThat(counter(IncidentMeters.RESOLVED)).isEqualTo(1.0);
    assertThat(timer(IncidentMeters.TIME_TO_DETECT, "normal").count()).isEqualTo(1);
    assertThat(timer(IncidentMeters.TIME_TO_MITIGATE, "normal").count())
        .as("nothing was mitigated").isZero();
    assertThat(timer(IncidentMeters.TIME_TO_RECOVER, "normal").count())
        .as("nothing recovered").isZero();
    assertThat(seconds(IncidentMeters.TIME_TO_RESOLVE, "normal")).isEqualTo(60.0);
    assertThat(seconds(IncidentMeters.DURATION, "normal")).isEqualTo(60.0);
  }

  @Test
  void bindTo_whileAnIncidentIsOpen_readsItThenFollowsItsChanges() {
    openAndEscalate();
    IncidentMeters.of(tracker).bindTo(meters);

    assertThat(gauge(IncidentMeters.OPEN)).isEqualTo(1.0);
    assertThat(gauge(IncidentMeters.PEAK_SEVERITY)).isEqualTo(2.0);
    assertThat(counter(IncidentMeters.OPENED)).as("opened before binding").isZero();

    at(20);
    severity(Severity.CRITICAL, EventCategory.DETECTION);
    assertThat(gauge(IncidentMeters.PEAK_SEVERITY)).isEqualTo(3.0);
    assertThat(counter(IncidentMeters.ESCALATIONS)).isEqualTo(1.0);

    recoverAndResolve();
    assertThat(gauge(IncidentMeters.OPEN)).isZero();
    assertThat(timer(IncidentMeters.TIME_TO_RESOLVE, "critical").count()).isEqualTo(1);
    assertThat(timer(IncidentMeters.TIME_TO_RESOLVE, "major").count()).isZero();
  }

  @Test
  void bindTo_racingIncidentChanges_gaugesEndAsTheTrackerIs() throws InterruptedException {
    for (int round = 0; round < 1000; round++) {
      IncidentJournal racing = IncidentJournal.builder().ticker(ticker).build();
      IncidentTracker raced = IncidentTracker.watch(racing);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      AtomicBoolean bound = new AtomicBoolean();
      CountDownLatch started = new CountDownLatch(1);
      Thread writer = new Thread(() -> {
        // opens, escalates and closes incidents until the binder is bound: the last changes
        // race the binding, and none comes later to correct a stale reading
        for (int i = 0; i == 0 || !bound.get(); i++) {
          raced.openIncident("on-call", "round");
          racing.record(EventCategory.DETECTION, "cascade", "severity",
              Severity.values()[1 + i % 3], null, null, "raised");
          started.countDown();
          if (i % 2 == 0) {
            raced.closeIncident("on-call", "round");
          }
        }
      });
      writer.start();
      started.await();
      IncidentMeters.of(raced).bindTo(registry);
      bound.set(true);
      writer.join();

      Optional<Incident> open = raced.current();
      assertThat(gauge(registry, IncidentMeters.OPEN)).as("round " + round)
          .isEqualTo(open.isPresent() ? 1.0 : 0.0);
      assertThat(gauge(registry, IncidentMeters.PEAK_SEVERITY)).as("round " + round)
          .isEqualTo(open.map(i -> i.peakSeverity().ordinal()).orElse(0).doubleValue());
    }
  }

  @Test
  void bindTo_twoRegistries_bothFollowTheTrackerAndCloseRemovesFromBoth() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    IncidentMeters binder = IncidentMeters.of(tracker);
    binder.bindTo(meters);
    binder.bindTo(other);
    openAndEscalate();

    assertThat(gauge(meters, IncidentMeters.OPEN)).isEqualTo(1.0);
    assertThat(gauge(other, IncidentMeters.OPEN)).isEqualTo(1.0);
    assertThat(other.get(IncidentMeters.OPENED).counter().count()).isEqualTo(1.0);

    binder.close();
    assertThat(meters.getMeters()).isEmpty();
    assertThat(other.getMeters()).isEmpty();
  }

  @Test
  void close_removesTheMetersAndStopsFollowing() {
    IncidentMeters binder = IncidentMeters.of(tracker);
    binder.bindTo(meters);
    Counter opened = meters.get(IncidentMeters.OPENED).counter();

    binder.close();
    binder.close();
    openAndEscalate();

    assertThat(meters.getMeters()).isEmpty();
    assertThat(opened.count()).as("no longer listening").isZero();
    assertThatThrownBy(() -> binder.bindTo(meters))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("IncidentMeters was closed; create a new one");
  }

  @Test
  void of_reservedTagKey_throwsNamingTheKey() {
    assertThatThrownBy(() -> IncidentMeters.of(tracker, Tags.of("severity", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tag key 'severity' is set by the meters themselves; use another key");
  }

  @Test
  void toString_showsTheTags() {
    assertThat(IncidentMeters.of(tracker, Tags.of("service", "shop")).toString())
        .isEqualTo("IncidentMeters[tags=[tag(service=shop)]]");
  }
}
