package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ManualTicker;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerRegistryTest {

  private final CircuitBreakerConfig batch =
      CircuitBreakerConfig.builder().timeWindow(Duration.ofMinutes(1)).build();

  @Test
  void circuitBreaker_sameName_returnsSameInstance() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();

    CircuitBreaker first = registry.circuitBreaker("payments");

    assertThat(registry.circuitBreaker("payments")).isSameAs(first);
    assertThat(registry.find("payments")).containsSame(first);
    assertThat(registry.find("other")).isEmpty();
    assertThat(first.config()).isEqualTo(CircuitBreakerConfig.ofDefaults());
  }

  @Test
  void circuitBreaker_namedConfig_sharedAcrossBreakers() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().config("batch", batch)
        .build();

    CircuitBreaker reports = registry.circuitBreaker("reports", "batch");
    CircuitBreaker exports = registry.circuitBreaker("exports", "batch");

    assertThat(reports.config()).isSameAs(exports.config()).isSameAs(batch);
    assertThat(registry.config("batch")).containsSame(batch);
    assertThat(registry.configNames()).containsExactly("batch");
    assertThat(registry.circuitBreakers()).extracting(CircuitBreaker::name)
        .containsExactly("exports", "reports");
  }

  @Test
  void circuitBreaker_unknownConfigName_throwsListingKnownNames() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().config("batch", batch)
        .build();

    assertThatThrownBy(() -> registry.circuitBreaker("x", "fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no config named 'fast'; known: [batch]");
  }

  @Test
  void circuitBreaker_existingNameWithOtherConfig_throws() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().config("batch", batch)
        .build();
    registry.circuitBreaker("payments");

    assertThatThrownBy(() -> registry.circuitBreaker("payments", "batch"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("circuit breaker 'payments' already exists with another config");
    assertThat(registry.circuitBreaker("payments", CircuitBreakerConfig.ofDefaults()))
        .isSameAs(registry.circuitBreaker("payments"));
  }

  @Test
  void remove_existing_nextGetCreatesAFreshBreaker() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    CircuitBreaker old = registry.circuitBreaker("payments");

    assertThat(registry.remove("payments")).containsSame(old);
    assertThat(registry.remove("payments")).isEmpty();
    assertThat(registry.circuitBreaker("payments")).isNotSameAs(old);
  }

  @Test
  void builder_sharedJournalAndTicker_reachEveryBreaker() {
    ManualTicker ticker = new ManualTicker();
    IncidentJournal journal = IncidentJournal.create(10);
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
        .defaultConfig(CircuitBreakerConfig.builder().countWindow(1).build())
        .ticker(ticker).journal(journal).build();
    CircuitBreaker breaker = registry.circuitBreaker("ledger");

    breaker.onError(0, new IllegalStateException());
    ticker.advance(Duration.ofSeconds(60));

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(journal.entries()).extracting(e -> e.source()).containsExactly("ledger", "ledger");
  }

  @Test
  void builder_badConfigNames_throw() {
    CircuitBreakerRegistry.Builder builder = CircuitBreakerRegistry.builder().config("a", batch);

    assertThatThrownBy(() -> builder.config("a", batch))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a config named 'a' was already added");
    assertThatThrownBy(() -> builder.config(" ", batch))
        .hasMessage("config name must not be blank, was ' '");
    assertThatThrownBy(() -> CircuitBreakerRegistry.ofDefaults().circuitBreaker(""))
        .hasMessage("name must not be blank, was ''");
  }

  @Test
  void circuitBreaker_manyThreadsSameNewName_allGetOneInstance() throws Exception {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 50; round++) {
        String name = "dep-" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<CircuitBreaker>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          results.add(pool.submit(() -> {
            start.await();
            return registry.circuitBreaker(name);
          }));
        }
        start.countDown();
        Set<CircuitBreaker> distinct = ConcurrentHashMap.newKeySet();
        for (Future<CircuitBreaker> result : results) {
          distinct.add(result.get());
        }
        assertThat(distinct).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(registry.circuitBreakers()).hasSize(50);
  }

  @Test
  void onAdded_newBreakers_toldOnceEachAndNotForExistingOnes() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    registry.circuitBreaker("existing");
    List<String> added = new ArrayList<>();
    dev.breakglass.core.Subscription subscription =
        registry.onAdded(breaker -> added.add(breaker.name()));

    CircuitBreaker payments = registry.circuitBreaker("payments");
    registry.circuitBreaker("payments"); // existing: not told again
    registry.circuitBreaker("inventory");
    subscription.close();
    registry.circuitBreaker("search");

    assertThat(added).containsExactly("payments", "inventory");
    assertThat(registry.find("payments")).containsSame(payments);
  }

  @Test
  void onRemoved_removal_toldWithTheRemovedBreaker() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    CircuitBreaker payments = registry.circuitBreaker("payments");
    List<CircuitBreaker> removed = new ArrayList<>();
    registry.onRemoved(removed::add);

    registry.remove("payments");
    registry.remove("payments"); // already gone: nothing to tell

    assertThat(removed).containsExactly(payments);
  }

  @Test
  void onAdded_throwingListener_breakerStillCreatedAndFailureReported() {
    List<Throwable> failures = new ArrayList<>();
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
        .listenerErrorHandler((owner, listener, event, error) -> failures.add(error)).build();
    registry.onAdded(breaker -> {
      throw new IllegalStateException("listener broke");
    });

    CircuitBreaker payments = registry.circuitBreaker("payments");

    assertThat(registry.find("payments")).containsSame(payments);
    assertThat(failures).singleElement().extracting(Throwable::getMessage)
        .isEqualTo("listener broke");
  }
}
