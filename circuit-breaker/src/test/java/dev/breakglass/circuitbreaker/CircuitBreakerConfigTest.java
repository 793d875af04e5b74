package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.circuitbreaker.CircuitBreakerConfig.WindowType;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class CircuitBreakerConfigTest {

  @Test
  void ofDefaults_noSettings_usesDocumentedDefaults() {
    CircuitBreakerConfig config = CircuitBreakerConfig.ofDefaults();

    assertThat(config.windowType()).isEqualTo(WindowType.COUNT_BASED);
    assertThat(config.windowSize()).isEqualTo(100);
    assertThat(config.minimumNumberOfCalls()).isEqualTo(100);
    assertThat(config.failureRateThreshold()).isEqualTo(50.0);
    assertThat(config.slowCallDetection()).isFalse();
    assertThat(config.slowCallDurationThreshold()).isNull();
    assertThat(config.waitIntervalFunctionInOpenState().waitFor(1)).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.permittedNumberOfCallsInHalfOpenState()).isEqualTo(10);
    assertThat(config.maxWaitDurationInHalfOpenState()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.automaticTransitionToHalfOpen()).isFalse();
    assertThat(config.writableStackTrace()).isFalse();
    assertThat(config.recordExceptions()).isEmpty();
    assertThat(config.ignoreExceptions()).isEmpty();
  }

  @Test
  void consecutiveFailures_factory_buildsClassicBreaker() {
    CircuitBreakerConfig config = CircuitBreakerConfig.consecutiveFailures(5, Duration.ofSeconds(300));

    assertThat(config.windowType()).isEqualTo(WindowType.CONSECUTIVE_FAILURES);
    assertThat(config.consecutiveFailureThreshold()).isEqualTo(5);
    assertThat(config.waitIntervalFunctionInOpenState().waitFor(3)).isEqualTo(Duration.ofSeconds(300));
    assertThat(config.permittedNumberOfCallsInHalfOpenState()).isEqualTo(1);
    assertThat(config.windowSize()).isZero();
  }

  @Test
  void countWindow_smallerThanDefaultMinimum_lowersMinimumToWindowSize() {
    assertThat(CircuitBreakerConfig.builder().countWindow(10).build().minimumNumberOfCalls())
        .isEqualTo(10);
  }

  @Test
  void build_explicitMinimumLargerThanCountWindow_throwsNamingBothAndTheFix() {
    // Resilience4j accepts slidingWindowSize(10) + minimumNumberOfCalls(100) and then opens
    // after 10 failures; here the conflict is reported, with what to set instead
    CircuitBreakerConfig.Builder builder =
        CircuitBreakerConfig.builder().countWindow(10).minimumNumberOfCalls(100);

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
        .hasMessage("minimumNumberOfCalls (100) must not exceed the countWindow size (10):"
            + " a count window never holds more than 10 calls, so its rates would never be"
            + " judged; set minimumNumberOfCalls(10) to judge them once the window is full"
            + " (what Resilience4j does with this setting), or a larger countWindow");
  }

  @Test
  void timeWindow_lengthAndBuckets_setsTimeBasedWindow() {
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .timeWindow(Duration.ofSeconds(10)).minimumNumberOfCalls(500).build();

    assertThat(config.windowType()).isEqualTo(WindowType.TIME_BASED);
    assertThat(config.windowLength()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.windowBuckets()).isEqualTo(10);
    assertThat(config.bucketNanos()).isEqualTo(1_000_000_000L);
    assertThat(config.minimumNumberOfCalls()).isEqualTo(500);
  }

  @Test
  void setters_outOfRangeValues_throwNamingTheValue() {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();

    assertThatThrownBy(() -> b.failureRateThreshold(150.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failureRateThreshold must be in (0, 100], was 150.0");
    assertThatThrownBy(() -> b.failureRateThreshold(0.0))
        .hasMessage("failureRateThreshold must be in (0, 100], was 0.0");
    assertThatThrownBy(() -> b.failureRateThreshold(Double.NaN))
        .hasMessage("failureRateThreshold must be in (0, 100], was NaN");
    assertThatThrownBy(() -> b.slowCallRateThreshold(-1))
        .hasMessage("slowCallRateThreshold must be in (0, 100], was -1.0");
    assertThatThrownBy(() -> b.countWindow(0))
        .hasMessage("countWindow size must be in [1, 1048576], was 0");
    assertThatThrownBy(() -> b.countWindow(2_000_000))
        .hasMessage("countWindow size must be in [1, 1048576], was 2000000");
    assertThatThrownBy(() -> b.timeWindow(Duration.ZERO))
        .hasMessage("timeWindow length must be positive, was PT0S");
    assertThatThrownBy(() -> b.timeWindow(Duration.ofSeconds(1), 0))
        .hasMessage("timeWindow buckets must be in [1, 1000], was 0");
    assertThatThrownBy(() -> b.timeWindow(Duration.ofNanos(5), 10))
        .hasMessage("timeWindow length must be at least one nanosecond per bucket (10 buckets),"
            + " was PT0.000000005S");
    assertThatThrownBy(() -> b.consecutiveFailures(0))
        .hasMessage("consecutiveFailures must be in [1, 1000000], was 0");
    assertThatThrownBy(() -> b.minimumNumberOfCalls(0))
        .hasMessage("minimumNumberOfCalls must be >= 1, was 0");
    assertThatThrownBy(() -> b.slowCallDurationThreshold(Duration.ofMillis(-5)))
        .hasMessage("slowCallDurationThreshold must be positive, was PT-0.005S");
    assertThatThrownBy(() -> b.waitDurationInOpenState(Duration.ZERO))
        .hasMessage("waitDurationInOpenState must be positive, was PT0S");
    assertThatThrownBy(() -> b.waitDurationInOpenState(Duration.ofDays(365L * 1000)))
        .hasMessage("waitDurationInOpenState must fit in a long of nanoseconds"
            + " (about 292 years), was PT8760000H");
    assertThatThrownBy(() -> b.permittedNumberOfCallsInHalfOpenState(0))
        .hasMessage("permittedNumberOfCallsInHalfOpenState must be in [1, 1000000], was 0");
    assertThatThrownBy(() -> b.maxWaitDurationInHalfOpenState(Duration.ofSeconds(-1)))
        .hasMessage("maxWaitDurationInHalfOpenState must not be negative, was PT-1S");
  }

  @Test
  void setters_nullArguments_throwNamingTheParameter() {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();

    assertThatThrownBy(() -> b.timeWindow(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("timeWindow length");
    assertThatThrownBy(() -> b.waitIntervalFunctionInOpenState(null)).hasMessage("function");
    assertThatThrownBy(() -> b.recordExceptions(IOException.class, null))
        .isInstanceOf(NullPointerException.class).hasMessage("recordExceptions[1]");
    assertThatThrownBy(() -> b.recordResult(null)).hasMessage("predicate");
  }

  @Test
  void build_slowCallRateWithoutDuration_throws() {
    CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder().slowCallRateThreshold(80);

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
        .hasMessage("slowCallRateThreshold (80.0) needs slowCallDurationThreshold:"
            + " slow-call detection is off");
  }

  @Test
  void build_rateSettingsInConsecutiveMode_throwNamingTheSetting() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().consecutiveFailures(3)
            .slowCallDurationThreshold(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("slowCallDurationThreshold does not apply to consecutiveFailures");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureRateThreshold(20)
            .consecutiveFailures(3).build())
        .hasMessageStartingWith("failureRateThreshold does not apply to consecutiveFailures");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().consecutiveFailures(3)
            .minimumNumberOfCalls(5).build())
        .hasMessageStartingWith("minimumNumberOfCalls does not apply to consecutiveFailures");
  }

  @Test
  void build_typeBothRecordedAndIgnored_throws() {
    CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder()
        .recordExceptions(IOException.class).ignoreExceptions(IOException.class);

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
        .hasMessage("java.io.IOException is in both recordExceptions and ignoreExceptions");
  }

  @Test
  void classify_defaults_recordsEveryThrowableIncludingErrors() {
    CircuitBreakerConfig config = CircuitBreakerConfig.ofDefaults();

    assertThat(config.classifier().classify(new IOException())).isEqualTo(Classifier.FAILURE);
    assertThat(config.classifier().classify(new OutOfMemoryError())).isEqualTo(Classifier.FAILURE);
  }

  @Test
  void classify_ignoreBeatsRecord_andUnlistedCountAsSuccess() {
    Predicate<Throwable> slowDown = e -> e.getMessage() != null && e.getMessage().contains("429");
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .recordExceptions(IOException.class)
        .recordException(e -> e instanceof TimeoutException)
        .ignoreExceptions(java.io.FileNotFoundException.class)
        .ignoreException(slowDown)
        .build();

    assertThat(config.classifier().classify(new IOException("down"))).isEqualTo(Classifier.FAILURE);
    assertThat(config.classifier().classify(new TimeoutException())).isEqualTo(Classifier.FAILURE);
    assertThat(config.classifier().classify(new java.io.FileNotFoundException()))
        .isEqualTo(Classifier.IGNORED);
    assertThat(config.classifier().classify(new IOException("HTTP 429")))
        .isEqualTo(Classifier.IGNORED);
    assertThat(config.classifier().classify(new IllegalArgumentException()))
        .isEqualTo(Classifier.SUCCESS);
  }

  @Test
  void toBuilder_roundTrip_producesEqualConfig() {
    Predicate<Object> bad = "bad"::equals;
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .timeWindow(Duration.ofSeconds(30), 30).minimumNumberOfCalls(7)
        .failureRateThreshold(20).slowCallDurationThreshold(Duration.ofMillis(300))
        .slowCallRateThreshold(60).recordResult(bad).automaticTransitionToHalfOpen(true)
        .build();

    assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
    assertThat(CircuitBreakerConfig.ofDefaults().toBuilder().countWindow(10).build()
        .minimumNumberOfCalls()).isEqualTo(10);
    assertThat(CircuitBreakerConfig.consecutiveFailures(3, Duration.ofSeconds(1)).toBuilder()
        .build()).isEqualTo(CircuitBreakerConfig.consecutiveFailures(3, Duration.ofSeconds(1)));
  }

  @Test
  void equals_differentSettings_notEqual() {
    assertThat(CircuitBreakerConfig.builder().countWindow(10).build())
        .isNotEqualTo(CircuitBreakerConfig.builder().countWindow(11).build())
        .isEqualTo(CircuitBreakerConfig.builder().countWindow(10).build());
  }

  @Test
  void toString_describesWindowAndThresholds() {
    assertThat(CircuitBreakerConfig.builder().countWindow(20).build().toString())
        .startsWith("CircuitBreakerConfig[countWindow=20, minimumNumberOfCalls=20,"
            + " failureRateThreshold=50.0");
  }
}
