package dev.breakglass.cascade.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.cascade.lifecycle.Outcome;
import dev.breakglass.cascade.lifecycle.ShutdownReport;
import dev.breakglass.cascade.lifecycle.ShutdownSequencer;
import dev.breakglass.core.ManualScheduler;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A deferral settled by a step of a real {@link ShutdownSequencer}, through the lifecycle
 * package's public API only: the front stops its intake first, then the deferral drains (or
 * hands back) into the store it depends on, which flushes last.
 */
class DeferralShutdownTest {

  private final ManualTicker ticker = new ManualTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final CascadeManager manager = CascadeManager.builder()
      .component("payments", Tier.CRITICAL)
      .ticker(ticker)
      .build();
  private final Deferral deferral = Deferral.builder(manager, scheduler).build();
  private final List<String> log = new CopyOnWriteArrayList<>();

  /** http -> deferred-work -> store: stopped in that order. */
  private ShutdownSequencer sequencer(Component deferredWork) {
    DependencyGraph graph = DependencyGraph.builder()
        .add(Component.builder("http").tier(Tier.CRITICAL)
            .onStopIntake(() -> log.add("http:stop-intake"))
            .build(), "deferred-work")
        .add(deferredWork, "store")
        .add(Component.builder("store").tier(Tier.CRITICAL)
            .onFlush(() -> log.add("store:flush"))
            .build())
        .build();
    return ShutdownSequencer.builder(graph).deadline(Duration.ofSeconds(20)).build();
  }

  @Test
  void shutdown_drainStep_replaysTheShedWorkBeforeWhatItDependsOnStops() {
    manager.declare(Severity.MAJOR, "test", "drill");
    CompletionStage<Void> report =
        deferral.submit(Tier.STANDARD, () -> log.add("work:nightly-report"));
    CompletionStage<Void> analytics =
        deferral.submit(Tier.ENHANCED, () -> log.add("work:analytics"));
    ShutdownSequencer sequencer = sequencer(Component.builder("deferred-work")
        .tier(Tier.STANDARD)
        .onDrain(deferral::drain)
        .build());

    ShutdownReport result = sequencer.shutdown();

    assertThat(result.isClean()).as(result.toText()).isTrue();
    assertThat(log).containsExactly(
        "http:stop-intake", "work:nightly-report", "work:analytics", "store:flush");
    assertThat(report.toCompletableFuture()).isCompletedWithValue(null);
    assertThat(analytics.toCompletableFuture()).isCompletedWithValue(null);
    assertThat(deferral.isClosed()).isTrue();
    assertThat(result.component("deferred-work").outcome()).isEqualTo(Outcome.STOPPED);
  }

  @Test
  void shutdown_handBackStep_givesThePendingWorkToTheOutboxWithoutRunningIt() {
    manager.declare(Severity.MAJOR, "test", "drill");
    CompletionStage<Void> report =
        deferral.submit(Tier.STANDARD, () -> log.add("work:nightly-report"));
    List<DeferredWork> outbox = new CopyOnWriteArrayList<>();
    ShutdownSequencer sequencer = sequencer(Component.builder("deferred-work")
        .tier(Tier.STANDARD)
        .onFlush(() -> {
          outbox.addAll(deferral.handBack());
          log.add("deferred-work:handed-back " + outbox.size());
        })
        .build());

    ShutdownReport result = sequencer.shutdown();

    assertThat(result.isClean()).as(result.toText()).isTrue();
    assertThat(log).containsExactly(
        "http:stop-intake", "deferred-work:handed-back 1", "store:flush");
    assertThat(outbox).extracting(DeferredWork::tier).containsExactly(Tier.STANDARD);
    assertThat(report.toCompletableFuture()).isCompletedExceptionally();
    assertThat(deferral.counts(Tier.STANDARD).handedBack()).isEqualTo(1);
  }
}
