package dev.breakglass.cascade.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.EventListener;
import dev.breakglass.core.Health;
import dev.breakglass.core.HealthChange;
import dev.breakglass.core.HealthSource;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Listeners;
import dev.breakglass.core.ManualTicker;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Subscription;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CascadeManagerWatchTest {

  /** A health source driven by the test, like a circuit breaker changing state. */
  static class TestSource implements HealthSource {
    private final String name;
    private final Listeners<HealthChange> listeners = Listeners.create("test-source");
    private final AtomicReference<Health> health = new AtomicReference<>(Health.UP);

    TestSource(String name) {
      this.name = name;
    }

    void set(Health next) {
      Health previous = health.getAndSet(next);
      if (previous != next) {
        listeners.publish(new HealthChange(name, previous, next));
      }
    }

    int listenerCount() {
      return listeners.size();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Health health() {
      return health.get();
    }

    @Override
    public Subscription onHealthChange(EventListener<? super HealthChange> listener) {
      return listeners.add(listener);
    }
  }

  @Test
  void watch_breakerLikeSource_reportsItsChanges() {
    ManualTicker ticker = new ManualTicker();
    IncidentJournal journal = IncidentJournal.builder().ticker(ticker).build();
    CascadeManager manager = CascadeManager.builder()
        .component("payments", Tier.CRITICAL)
        .feature("recommendations", Tier.STANDARD)
        .ticker(ticker)
        .journal(journal)
        .build();
    TestSource breaker = new TestSource("payments");
    manager.watch(breaker);

    breaker.set(Health.DOWN); // the breaker opens
    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
    assertThat(manager.isEnabled("recommendations")).isFalse();

    breaker.set(Health.DEGRADED); // half-open
    breaker.set(Health.UP); // closed again
    assertThat(manager.health("payments")).isEqualTo(Health.UP);
    ticker.advance(Duration.ofSeconds(30));
    assertThat(manager.evaluate()).isEqualTo(Severity.MINOR);
    assertThat(manager.isEnabled("recommendations")).isTrue();
    assertThat(journal.entries().get(0).detail())
        .isEqualTo("NORMAL -> MAJOR: payments (CRITICAL) DOWN, rule critical-down;"
            + " capacity 1.0 -> 0.6");
  }

  @Test
  void watch_sourceAlreadyDown_reportsCurrentHealthAtOnce() {
    CascadeManager manager = CascadeManager.builder().component("payments", Tier.CRITICAL).build();
    TestSource breaker = new TestSource("payments");
    breaker.set(Health.DOWN);

    manager.watch(breaker);

    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
  }

  @Test
  void watch_underAnotherName_reportsForThatComponent() {
    CascadeManager manager =
        CascadeManager.builder().component("inventory", Tier.ESSENTIAL).build();
    TestSource check = new TestSource("inventory-db-health-check");

    manager.watch("inventory", check);
    check.set(Health.DEGRADED);

    assertThat(manager.health("inventory")).isEqualTo(Health.DEGRADED);
    assertThat(manager.severity()).isEqualTo(Severity.MINOR);
  }

  @Test
  void watch_changeDuringSubscription_winsOverStaleInitialReading() {
    CascadeManager manager = CascadeManager.builder().component("payments", Tier.CRITICAL).build();
    // health() returns the reading taken before a change that is published meanwhile
    TestSource racing = new TestSource("payments") {
      @Override
      public Health health() {
        Health stale = super.health();
        set(Health.DOWN);
        return stale;
      }
    };

    manager.watch(racing);

    assertThat(manager.health("payments")).isEqualTo(Health.DOWN);
    assertThat(manager.severity()).isEqualTo(Severity.MAJOR);
  }

  @Test
  void watch_closed_stopsForwardingAndKeepsLastHealth() {
    CascadeManager manager = CascadeManager.builder().component("payments", Tier.CRITICAL).build();
    TestSource breaker = new TestSource("payments");
    Subscription subscription = manager.watch(breaker);
    breaker.set(Health.DEGRADED);

    subscription.close();
    breaker.set(Health.DOWN);

    assertThat(breaker.listenerCount()).isZero();
    assertThat(manager.health("payments")).isEqualTo(Health.DEGRADED);
    assertThat(manager.severity()).isEqualTo(Severity.MINOR);
  }

  @Test
  void watch_sourceHealthFails_throwsAndUnsubscribes() {
    CascadeManager manager = CascadeManager.builder().component("payments", Tier.CRITICAL).build();
    TestSource broken = new TestSource("payments") {
      @Override
      public Health health() {
        throw new IllegalStateException("health check crashed");
      }
    };

    assertThatThrownBy(() -> manager.watch(broken))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("health check crashed");
    assertThat(broken.listenerCount()).isZero();
  }

  @Test
  void watch_unknownComponent_throwsWithoutSubscribing() {
    CascadeManager manager = CascadeManager.builder().feature("search", Tier.STANDARD).build();
    TestSource source = new TestSource("paymnts");

    assertThatThrownBy(() -> manager.watch(source))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown component 'paymnts'");
    assertThatThrownBy(() -> manager.watch("search", source))
        .hasMessageStartingWith("'search' is a feature, not a component");
    assertThatThrownBy(() -> manager.watch(null)).hasMessage("source");
    assertThat(source.listenerCount()).isZero();
  }
}
