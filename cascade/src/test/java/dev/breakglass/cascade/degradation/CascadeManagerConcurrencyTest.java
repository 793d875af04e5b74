package dev.breakglass.cascade.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.Health;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CascadeManagerConcurrencyTest {

  private static final int READERS = 4;
  private static final int WRITERS = 3;
  private static final int SIGNALS_PER_WRITER = 20_000;

  /** Components spread over the tiers; a ladder with a distinct capacity per severity. */
  private static CascadeManager.Builder builder(ManualTicker ticker) {
    CascadeManager.Builder builder = CascadeManager.builder()
        .ticker(ticker)
        .cooldown(Duration.ZERO)
        .capacityFactor(Severity.MINOR, 0.8)
        .capacityFactor(Severity.MAJOR, 0.5)
        .capacityFactor(Severity.CRITICAL, 0.2);
    for (int i = 0; i < 12; i++) {
      builder.component("c" + i, Tier.values()[i % 4]);
    }
    for (Tier tier : Tier.values()) {
      builder.feature("feature-" + tier, tier);
    }
    return builder;
  }

  private static final double[] FACTOR = {1.0, 0.8, 0.5, 0.2};
  private static final Tier[] LEAST_ADMITTED =
      {Tier.ENHANCED, Tier.STANDARD, Tier.ESSENTIAL, Tier.CRITICAL};

  @Test
  void mode_readWhileSignalsFlip_isNeverTorn() throws Exception {
    ManualTicker ticker = new ManualTicker();
    CascadeManager manager = builder(ticker).build();
    Feature[] features = new Feature[4];
    for (Tier tier : Tier.values()) {
      features[tier.ordinal()] = manager.feature("feature-" + tier);
    }
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean writersDone = new AtomicBoolean();
    List<String> violations = new CopyOnWriteArrayList<>();
    Set<Severity> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(READERS + WRITERS);
    try {
      List<Future<?>> readers = new ArrayList<>();
      for (int r = 0; r < READERS; r++) {
        readers.add(pool.submit(() -> {
          await(start);
          long reads = 0;
          while (!writersDone.get() || reads < 10_000) {
            Mode mode = manager.mode();
            int s = mode.severity().ordinal();
            seen.add(mode.severity());
            if (mode.capacityFactor() != FACTOR[s]
                || mode.leastImportantAdmitted() != LEAST_ADMITTED[s]) {
              violations.add("torn mode " + mode);
            }
            for (Tier tier : Tier.values()) {
              if (mode.admits(tier) != (tier.ordinal() <= LEAST_ADMITTED[s].ordinal())) {
                violations.add(mode + " answers " + mode.admits(tier) + " for " + tier);
              }
            }
            // separate reads may straddle a change, but each answers for some whole mode
            double factor = manager.capacityFactor();
            if (factor != 1.0 && factor != 0.8 && factor != 0.5 && factor != 0.2) {
              violations.add("capacity " + factor + " is on no rung of the ladder");
            }
            if (!manager.admit(Tier.CRITICAL) || !manager.isEnabled("feature-CRITICAL")
                || !features[Tier.CRITICAL.ordinal()].isEnabled()) {
              violations.add("CRITICAL shed");
            }
            reads++;
          }
        }));
      }
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(writer);
          await(start);
          for (int i = 0; i < SIGNALS_PER_WRITER; i++) {
            int component = writer + WRITERS * random.nextInt(4); // each writer owns 4
            manager.report("c" + component, Health.values()[random.nextInt(3)]);
            if (i % 1000 == 999) {
              manager.declare(Severity.CRITICAL, "writer-" + writer, "burst");
              manager.clearDeclaration("writer-" + writer, "burst over");
            }
            manager.evaluate();
          }
        }));
      }
      start.countDown();
      for (Future<?> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
      writersDone.set(true);
      for (Future<?> reader : readers) {
        reader.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(violations).isEmpty();
    assertThat(seen).as("the readers saw the severity move").hasSizeGreaterThan(1);
  }

  @Test
  void report_concurrentSignals_deliverEveryChangeOnceInOrderAndEndConsistent()
      throws Exception {
    ManualTicker ticker = new ManualTicker();
    IncidentJournal journal = IncidentJournal.builder().capacity(1 << 20).ticker(ticker).build();
    CascadeManager manager = builder(ticker).journal(journal).build();
    List<SeverityChange> changes = new CopyOnWriteArrayList<>();
    manager.onSeverityChange(changes::add);
    Map<String, List<AdmissionChange>> perFeature = new ConcurrentHashMap<>();
    for (Tier tier : Tier.values()) {
      String name = "feature-" + tier;
      perFeature.put(name, new CopyOnWriteArrayList<>());
      manager.onChange(name, perFeature.get(name)::add);
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    Health[][] last = new Health[WRITERS][12];
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(100 + writer);
          await(start);
          for (int i = 0; i < SIGNALS_PER_WRITER; i++) {
            int component = writer + WRITERS * random.nextInt(4);
            Health health = Health.values()[random.nextInt(3)];
            manager.report("c" + component, health);
            last[writer][component] = health;
          }
        }));
      }
      start.countDown();
      for (Future<?> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    // every severity change was delivered once, in the order it was made
    assertThat(changes).isNotEmpty();
    for (int i = 1; i < changes.size(); i++) {
      assertThat(changes.get(i).previous()).isSameAs(changes.get(i - 1).current());
    }
    assertThat(changes.get(changes.size() - 1).current()).isSameAs(manager.mode());
    List<JournalEntry> severityEntries = new ArrayList<>();
    for (JournalEntry entry : journal.entries()) {
      if (entry.kind().equals("severity")) {
        severityEntries.add(entry);
      }
    }
    assertThat(severityEntries).hasSameSizeAs(changes);
    for (int i = 0; i < changes.size(); i++) {
      assertThat(severityEntries.get(i).detail()).startsWith(
          changes.get(i).previous().severity() + " -> " + changes.get(i).current().severity());
    }
    // each feature's allowance flips alternate: shed, restored, shed, ...
    for (Map.Entry<String, List<AdmissionChange>> feature : perFeature.entrySet()) {
      Boolean admitted = null;
      for (AdmissionChange change : feature.getValue()) {
        if (admitted != null && change.wasAdmitted() != change.admitted()) {
          assertThat(change.wasAdmitted()).as(feature.getKey()).isEqualTo(admitted);
        }
        admitted = change.admitted();
      }
    }
    // no signal was lost, and the counters agree with a fresh manager given the final health
    // of every component (with a zero cooldown, each evaluation steps down one level)
    CascadeManager fresh = builder(ticker).build();
    for (int w = 0; w < WRITERS; w++) {
      for (int component = 0; component < 12; component++) {
        if (last[w][component] != null) {
          assertThat(manager.health("c" + component)).isEqualTo(last[w][component]);
          fresh.report("c" + component, last[w][component]);
        }
      }
    }
    for (int i = 0; i < Severity.values().length; i++) {
      manager.evaluate();
    }
    assertThat(manager.severity()).isEqualTo(fresh.severity());
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("start latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
