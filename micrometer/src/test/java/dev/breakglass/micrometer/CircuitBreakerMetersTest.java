package dev.breakglass.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.circuitbreaker.CallNotPermittedException;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerConfig;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import dev.breakglass.core.ManualTicker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CircuitBreakerMetersTest {

  private final ManualTicker ticker = new ManualTicker();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** Count window of 4, opens at 50% failures, slow from 100 ms, ignores IllegalStateException. */
  private static CircuitBreakerConfig config() {
    return CircuitBreakerConfig.builder()
        .countWindow(4)
        .minimumNumberOfCalls(4)
        .failureRateThreshold(50)
        .slowCallDurationThreshold(Duration.ofMillis(100))
        .slowCallRateThreshold(100)
        .ignoreException(e -> e instanceof IllegalStateException)
        .build();
  }

  private CircuitBreaker breaker(String name) {
    return CircuitBreaker.builder(name).config(config()).ticker(ticker).build();
  }

  private String succeed(CircuitBreaker breaker, long millis) {
    return breaker.get(() -> {
      ticker.advance(Duration.ofMillis(millis));
      return "ok";
    });
  }

  private void fail(CircuitBreaker breaker, long millis, RuntimeException error) {
    assertThatThrownBy(() -> breaker.get(() -> {
      ticker.advance(Duration.ofMillis(millis));
      throw error;
    })).isSameAs(error);
  }

  private double gauge(String name, String... tags) {
    return meters.get(name).tags(tags).gauge().value();
  }

  private double stateGauge(String breaker, String state) {
    return gauge(CircuitBreakerMeters.STATE, "name", breaker, "state", state);
  }

  private Timer timer(String breaker, String kind) {
    return meters.get(CircuitBreakerMeters.CALLS).tags("name", breaker, "kind", kind).timer();
  }

  /** Every meter of the registry as "name{k=v,...}", sorted. */
  private List<String> ids() {
    List<String> ids = new ArrayList<>();
    for (Meter meter : meters.getMeters()) {
      Map<String, String> tags = new TreeMap<>();
      for (Tag tag : meter.getId().getTags()) {
        tags.put(tag.getKey(), tag.getValue());
      }
      ids.add(meter.getId().getName() + tags);
    }
    ids.sort(null);
    return ids;
  }

  @Test
  void bindTo_oneBreaker_registersEveryMeterWithItsTags() {
    CircuitBreakerMeters.builder().breaker(breaker("payments")).tags(Tags.of("service", "shop"))
        .callsTimer(true).build().bindTo(meters);

    assertThat(ids()).containsExactly(
        "breakglass.circuitbreaker.buffered.calls{kind=failed, name=payments, service=shop}",
        "breakglass.circuitbreaker.buffered.calls{kind=successful, name=payments, service=shop}",
        "breakglass.circuitbreaker.calls{kind=failed, name=payments, service=shop}",
        "breakglass.circuitbreaker.calls{kind=ignored, name=payments, service=shop}",
        "breakglass.circuitbreaker.calls{kind=not_permitted, name=payments, service=shop}",
        "breakglass.circuitbreaker.calls{kind=successful, name=payments, service=shop}",
        "breakglass.circuitbreaker.failure.rate{name=payments, service=shop}",
        "breakglass.circuitbreaker.not.permitted.calls{kind=not_permitted, name=payments, "
            + "service=shop}",
        "breakglass.circuitbreaker.slow.call.rate{name=payments, service=shop}",
        "breakglass.circuitbreaker.slow.calls{name=payments, service=shop}",
        "breakglass.circuitbreaker.state{name=payments, service=shop, state=closed}",
        "breakglass.circuitbreaker.state{name=payments, service=shop, state=disabled}",
        "breakglass.circuitbreaker.state{name=payments, service=shop, state=forced_open}",
        "breakglass.circuitbreaker.state{name=payments, service=shop, state=half_open}",
        "breakglass.circuitbreaker.state{name=payments, service=shop, state=metrics_only}",
        "breakglass.circuitbreaker.state{name=payments, service=shop, state=open}");
  }

  @Test
  void meters_scriptedCalls_readTheBreakerAndTimeEveryCall() {
    CircuitBreaker payments = breaker("payments");
    CircuitBreakerMeters.builder().breaker(payments).callsTimer(true).build().bindTo(meters);

    succeed(payments, 10);
    succeed(payments, 150); // slow
    fail(payments, 20, new IllegalArgumentException("boom"));
    fail(payments, 5, new IllegalStateException("ignored")); // not in the window

    assertThat(stateGauge("payments", "closed")).isEqualTo(1.0);
    assertThat(stateGauge("payments", "open")).isZero();
    assertThat(gauge(CircuitBreakerMeters.BUFFERED_CALLS, "name", "payments", "kind",
        "successful")).isEqualTo(2.0);
    assertThat(gauge(CircuitBreakerMeters.BUFFERED_CALLS, "name", "payments", "kind",
        "failed")).isEqualTo(1.0);
    assertThat(gauge(CircuitBreakerMeters.SLOW_CALLS, "name", "payments")).isEqualTo(1.0);
    assertThat(gauge(CircuitBreakerMeters.FAILURE_RATE, "name", "payments")).isEqualTo(-1.0);
    assertThat(gauge(CircuitBreakerMeters.SLOW_CALL_RATE, "name", "payments")).isEqualTo(-1.0);
    assertThat(timer("payments", "successful").count()).isEqualTo(2);
    assertThat(timer("payments", "successful").totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(160.0);
    assertThat(timer("payments", "failed").count()).isEqualTo(1);
    assertThat(timer("payments", "failed").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20.0);
    assertThat(timer("payments", "ignored").count()).isEqualTo(1);
    assertThat(timer("payments", "ignored").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5.0);

    fail(payments, 30, new IllegalArgumentException("boom")); // 2 of 4 failed: opens
    assertThatThrownBy(() -> succeed(payments, 1)).isInstanceOf(CallNotPermittedException.class);

    assertThat(stateGauge("payments", "open")).isEqualTo(1.0);
    assertThat(stateGauge("payments", "closed")).isZero();
    assertThat(gauge(CircuitBreakerMeters.FAILURE_RATE, "name", "payments")).isEqualTo(50.0);
    assertThat(gauge(CircuitBreakerMeters.SLOW_CALL_RATE, "name", "payments")).isEqualTo(25.0);
    assertThat(gauge(CircuitBreakerMeters.BUFFERED_CALLS, "name", "payments", "kind",
        "failed")).isEqualTo(2.0);
    assertThat(meters.get(CircuitBreakerMeters.NOT_PERMITTED_CALLS)
        .tags("name", "payments", "kind", "not_permitted").functionCounter().count())
        .isEqualTo(1.0);
    assertThat(timer("payments", "failed").count()).isEqualTo(2);
    assertThat(timer("payments", "not_permitted").count()).isEqualTo(1);
    assertThat(timer("payments", "not_permitted").totalTime(TimeUnit.NANOSECONDS)).isZero();

    payments.transitionToForcedOpen();
    assertThat(stateGauge("payments", "forced_open")).isEqualTo(1.0);
    assertThat(stateGauge("payments", "open")).isZero();
    assertThat(gauge(CircuitBreakerMeters.BUFFERED_CALLS, "name", "payments", "kind",
        "successful")).isZero();
  }

  @Test
  void of_breaker_hasNoCallsTimer() {
    CircuitBreaker payments = breaker("payments");
    CircuitBreakerMeters.of(payments).bindTo(meters);
    succeed(payments, 1);

    assertThat(meters.find(CircuitBreakerMeters.CALLS).meters()).isEmpty();
    assertThat(gauge(CircuitBreakerMeters.BUFFERED_CALLS, "name", "payments", "kind",
        "successful")).isEqualTo(1.0);
  }

  @Test
  void bindTo_registry_bindsTheBreakersItHoldsAndThoseAddedLater() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().defaultConfig(config())
        .ticker(ticker).build();
    registry.circuitBreaker("payments");
    CircuitBreakerMeters binder = CircuitBreakerMeters.of(registry);
    binder.bindTo(meters);

    CircuitBreaker inventory = registry.circuitBreaker("inventory");
    inventory.transitionToOpen();

    assertThat(stateGauge("payments", "closed")).isEqualTo(1.0);
    assertThat(stateGauge("inventory", "open")).isEqualTo(1.0);
    assertThat(meters.find(CircuitBreakerMeters.STATE).meters()).hasSize(12);

    registry.remove("payments");
    assertThat(meters.find(CircuitBreakerMeters.STATE).tag("name", "payments").meters())
        .isEmpty();
    assertThat(meters.find(CircuitBreakerMeters.STATE).tag("name", "inventory").meters())
        .hasSize(6);

    binder.close();
    registry.circuitBreaker("search");
    assertThat(meters.getMeters()).isEmpty();
  }

  @Test
  void bindTo_registryWhileOtherThreadsAddBreakers_bindsEachBreakerExactlyOnce()
      throws InterruptedException {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    int threads = 4;
    int perThread = 50;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> adders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread adder = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < perThread; i++) {
          registry.circuitBreaker("b-" + id + "-" + i);
        }
      });
      adder.start();
      adders.add(adder);
    }
    CircuitBreakerMeters binder = CircuitBreakerMeters.of(registry);
    start.countDown();
    binder.bindTo(meters);
    for (Thread adder : adders) {
      adder.join();
    }

    assertThat(registry.circuitBreakers()).hasSize(threads * perThread);
    for (CircuitBreaker breaker : registry.circuitBreakers()) {
      assertThat(meters.find(CircuitBreakerMeters.STATE).tag("name", breaker.name()).meters())
          .as(breaker.name()).hasSize(6);
    }
    assertThat(meters.getMeters()).hasSize(threads * perThread * 12);
  }

  @Test
  void close_removesEveryMeterAndStopsTiming() {
    CircuitBreaker payments = breaker("payments");
    CircuitBreakerMeters binder =
        CircuitBreakerMeters.builder().breaker(payments).callsTimer(true).build();
    binder.bindTo(meters);
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    binder.bindTo(other);
    Timer successful = timer("payments", "successful");

    binder.close();
    binder.close();
    succeed(payments, 1);

    assertThat(meters.getMeters()).isEmpty();
    assertThat(other.getMeters()).isEmpty();
    assertThat(successful.count()).isZero();
    assertThatThrownBy(() -> binder.bindTo(meters))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void tags_reservedKey_throwsNamingTheKey() {
    assertThatThrownBy(() -> CircuitBreakerMeters.builder().tags(Tags.of("name", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'name'");
  }

  @Test
  void gauges_readOnScrape_areOfTheRightTypes() {
    CircuitBreakerMeters.of(breaker("payments")).bindTo(meters);
    assertThat(meters.get(CircuitBreakerMeters.STATE).meters()).allMatch(m -> m instanceof Gauge);
    assertThat(meters.get(CircuitBreakerMeters.NOT_PERMITTED_CALLS).meter())
        .isInstanceOf(FunctionCounter.class);
  }
}
