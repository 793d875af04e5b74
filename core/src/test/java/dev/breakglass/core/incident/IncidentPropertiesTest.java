package dev.breakglass.core.incident;

import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.Health;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Severity;
import dev.breakglass.core.StrictJson;
import dev.breakglass.core.Tier;
import dev.breakglass.testing.Gen;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Incidents derived from random journals, checked against the rules stated in the docs. */
class IncidentPropertiesTest {

  private static final Instant BASE = Instant.parse("2026-12-02T09:00:00Z");
  private static final long MILLI = 1_000_000L;
  private static final Duration WINDOW = Duration.ofSeconds(60);
  private static final String[] BREAKERS = {"payments", "inventory", "search"};

  /** One step of a random journal: what happens, about what, and how long after the last. */
  record Step(int action, int arg, long gapMillis) {}

  private static final Gen<Step> STEPS = Gen.ints(0, 9).flatMap(action -> Gen.ints(0, 3)
      .flatMap(arg -> Gen.longs(0, 90_000).map(gap -> new Step(action, arg, gap))));

  /** Turns steps into entries the way the modules record them. */
  static List<JournalEntry> journal(List<Step> steps) {
    List<JournalEntry> entries = new ArrayList<>();
    long t = 0;
    Severity severity = Severity.NORMAL;
    boolean manual = false;
    for (Step step : steps) {
      t += step.gapMillis() * MILLI;
      long seq = entries.size();
      Instant time = BASE.plusNanos(t);
      int arg = step.arg();
      JournalEntry entry = switch (step.action()) {
        case 0, 1 -> {
          Health health = Health.values()[arg % 3];
          EventCategory category = health == Health.DOWN ? EventCategory.DETECTION
              : EventCategory.RECOVERY;
          yield new JournalEntry(seq, t, time, BREAKERS[arg % BREAKERS.length], "transition",
              "-> " + health, category, null, null, health);
        }
        case 2 -> {
          Severity next = Severity.values()[arg];
          EventCategory category = next.isWorseThan(severity) ? EventCategory.DETECTION
              : next == Severity.NORMAL ? EventCategory.RESOLUTION : EventCategory.RECOVERY;
          severity = next;
          yield new JournalEntry(seq, t, time, "cascade", "severity", "-> " + next, category,
              next, null, null);
        }
        case 3 -> new JournalEntry(seq, t, time, "cascade", "shed", "shed",
            EventCategory.MITIGATION, null, Tier.values()[arg], null);
        case 4 -> new JournalEntry(seq, t, time, "cascade", "restored", "restored",
            EventCategory.RECOVERY, null, Tier.values()[arg], null);
        case 5 -> new JournalEntry(seq, t, time, "component-" + arg, "error", "boom",
            EventCategory.SIGNAL, null, null, null);
        case 6 -> new JournalEntry(seq, t, time, BREAKERS[arg % BREAKERS.length], "fallback",
            "serving", EventCategory.MITIGATION, null, null, null);
        case 7 -> {
          if (arg == 0 && !manual) {
            manual = true;
            yield new JournalEntry(seq, t, time, "alice", IncidentTracker.OPENED_KIND, "by hand",
                EventCategory.DETECTION, null, null, null);
          }
          if (arg == 1 && manual) {
            manual = false;
            yield new JournalEntry(seq, t, time, "bob", IncidentTracker.CLOSED_KIND, "done",
                EventCategory.RESOLUTION, null, null, null);
          }
          yield new JournalEntry(seq, t, time, "drill", "note", "hostile \n\u001b[31m</script>"
              + "\ud800", EventCategory.INFO, null, null, null);
        }
        default -> new JournalEntry(seq, t, time, "drill", "config", "applied",
            EventCategory.INFO, null, null, null);
      };
      entries.add(entry);
    }
    return entries;
  }

  private static List<Incident> analyse(List<JournalEntry> entries) {
    long end = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).nanoTime();
    return IncidentTracker.analyse(entries, WINDOW, end + 2 * WINDOW.toNanos());
  }

  @Test
  void analyse_randomJournals_milestonesMonotonic() {
    forAll(STEPS.list(0, 60)).tries(500).check(steps -> {
      for (Incident incident : analyse(journal(steps))) {
        long previous = incident.startNanos();
        for (Milestone m : Milestone.values()) {
          if (incident.nanos(m).isPresent()) {
            long at = incident.nanos(m).getAsLong();
            assertThat(at).as("%s of %s", m, incident).isGreaterThanOrEqualTo(previous);
            assertThat(at).isLessThanOrEqualTo(incident.endNanos());
            previous = at;
          }
        }
      }
    });
  }

  @Test
  void analyse_randomJournals_everyEntryInAtMostOneIncident() {
    forAll(STEPS.list(0, 60)).tries(500).check(steps -> {
      List<JournalEntry> entries = journal(steps);
      Set<Long> seen = new HashSet<>();
      for (Incident incident : analyse(entries)) {
        for (JournalEntry entry : incident.entries()) {
          assertThat(seen.add(entry.sequence())).as("entry %s twice", entry.sequence()).isTrue();
        }
      }
      // and every trouble entry is in one
      for (JournalEntry entry : entries) {
        if (entry.category().isTrouble()) {
          assertThat(seen).contains(entry.sequence());
        }
      }
    });
  }

  @Test
  void analyse_randomJournals_neverResolvedWhileAnInvolvedBreakerIsNotClosed() {
    forAll(STEPS.list(0, 60)).tries(500).check(steps -> {
      List<JournalEntry> entries = journal(steps);
      for (Incident incident : analyse(entries)) {
        if (incident.status() != Incident.Status.RESOLVED || incident.closedBy().isPresent()) {
          continue;
        }
        // reference model: the last health each source reported, and the last severity,
        // among the entries up to and including the incident's last one
        long lastSequence = incident.entries().get(incident.entries().size() - 1).sequence();
        Map<String, Health> health = new HashMap<>();
        Severity severity = Severity.NORMAL;
        for (JournalEntry entry : entries) {
          if (entry.sequence() > lastSequence) {
            break;
          }
          if (entry.health() != null) {
            health.put(entry.source(), entry.health());
          }
          if (entry.severity() != null) {
            severity = entry.severity();
          }
        }
        assertThat(severity).as("severity when %s resolved", incident).isEqualTo(Severity.NORMAL);
        for (ComponentImpact component : incident.components()) {
          if (!component.spans().isEmpty()) {
            assertThat(health.get(component.name()))
                .as("%s when %s resolved", component.name(), incident).isEqualTo(Health.UP);
          }
        }
        // and a whole quiet window passed before anything came after it
        int index = entries.indexOf(incident.entries().get(incident.entries().size() - 1));
        if (index + 1 < entries.size()) {
          assertThat(entries.get(index + 1).nanoTime() - incident.endNanos())
              .isGreaterThanOrEqualTo(WINDOW.toNanos());
        }
      }
    });
  }

  @Test
  void renderings_randomJournals_deterministicAndValid() {
    forAll(STEPS.list(0, 40)).tries(200).check(steps -> {
      List<JournalEntry> entries = journal(steps);
      List<Incident> first = analyse(entries);
      List<Incident> second = analyse(entries);
      assertThat(second).hasSameSizeAs(first);
      for (int i = 0; i < first.size(); i++) {
        String json = IncidentReport.json(first.get(i));
        assertThat(IncidentReport.json(second.get(i))).isEqualTo(json);
        assertThat(IncidentReport.markdown(second.get(i)))
            .isEqualTo(IncidentReport.markdown(first.get(i)));
        assertThat(IncidentReport.html(second.get(i)))
            .isEqualTo(IncidentReport.html(first.get(i)));
        assertThat(StrictJson.array(StrictJson.object(StrictJson.parse(json)).get("entries")))
            .hasSize(first.get(i).entries().size());
      }
    });
  }
}
