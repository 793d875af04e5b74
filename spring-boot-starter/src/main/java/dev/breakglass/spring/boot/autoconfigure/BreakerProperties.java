package dev.breakglass.spring.boot.autoconfigure;

import dev.breakglass.circuitbreaker.CircuitBreakerConfig;
import dev.breakglass.core.Tier;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one named circuit-breaker config ({@code breakglass.circuitbreaker.configs.*})
 * or breaker instance ({@code breakglass.circuitbreaker.instances.*}). Every setting is
 * optional: one left out is taken from the {@link #baseConfig() base config}, then from the
 * config named {@code default} if there is one, then from {@link
 * CircuitBreakerConfig#ofDefaults()}. The names are Resilience4j's where the meaning is the
 * same, so a {@code resilience4j.circuitbreaker} block ports by renaming its prefix.
 *
 * <p>Immutable and thread-safe.
 *
 * @param baseConfig the config this one inherits unset settings from
 * @param tier the tier of the breaker's dependency for the cascade manager (default {@code
 *     STANDARD}); a breaker whose name is a component of the dependency graph takes that
 *     component's tier instead
 * @param slidingWindowType {@code COUNT_BASED} (default), {@code TIME_BASED}, or {@code
 *     CONSECUTIVE_FAILURES} (breakglass only: opens after a run of failures)
 * @param slidingWindowSize the window: a number of calls ({@code COUNT_BASED}) or of seconds
 *     ({@code TIME_BASED}); default 100
 * @param timeWindowBuckets how many buckets a {@code TIME_BASED} window is cut into (default 10)
 * @param consecutiveFailureThreshold how many failures in a row open a {@code
 *     CONSECUTIVE_FAILURES} breaker (required for that type)
 * @param failureRateThreshold the failure rate in percent, in (0, 100], at which the breaker
 *     opens (default 50)
 * @param slowCallRateThreshold the slow-call rate in percent, in (0, 100], at which the breaker
 *     opens (default 100)
 * @param slowCallDurationThreshold how long a call must take to count as slow (default: slow
 *     calls are not detected)
 * @param minimumNumberOfCalls how many calls the window must hold before a rate is judged
 *     (default 100, capped at the window size)
 * @param waitDurationInOpenState how long the breaker stays open before trial calls (default
 *     60 s)
 * @param permittedNumberOfCallsInHalfOpenState how many trial calls decide whether to close
 *     (default 10)
 * @param maxWaitDurationInHalfOpenState how long the breaker waits in half-open for the trial
 *     calls' outcomes before it opens again (default 60 s)
 * @param automaticTransitionFromOpenToHalfOpenEnabled whether the breaker turns half-open when
 *     the wait is over without waiting for a call (default false)
 * @param writableStackTraceEnabled whether rejections carry a stack trace (default false)
 * @param recordExceptions the exceptions that count as failures (default: every exception)
 * @param ignoreExceptions the exceptions that count as neither success nor failure
 */
public record BreakerProperties(
    @Nullable String baseConfig,
    @Nullable Tier tier,
    CircuitBreakerConfig.@Nullable WindowType slidingWindowType,
    @Nullable Integer slidingWindowSize,
    @Nullable Integer timeWindowBuckets,
    @Nullable Integer consecutiveFailureThreshold,
    @Nullable Double failureRateThreshold,
    @Nullable Double slowCallRateThreshold,
    @Nullable Duration slowCallDurationThreshold,
    @Nullable Integer minimumNumberOfCalls,
    @Nullable Duration waitDurationInOpenState,
    @Nullable Integer permittedNumberOfCallsInHalfOpenState,
    @Nullable Duration maxWaitDurationInHalfOpenState,
    @Nullable Boolean automaticTransitionFromOpenToHalfOpenEnabled,
    @Nullable Boolean writableStackTraceEnabled,
    @Nullable List<Class<? extends Throwable>> recordExceptions,
    @Nullable List<Class<? extends Throwable>> ignoreExceptions) {

  /**
   * Returns these settings with every setting this record leaves unset taken from {@code
   * base}.
   *
   * @param base the settings to inherit from
   * @return the combined settings
   */
  BreakerProperties over(BreakerProperties base) {
    return new BreakerProperties(
        baseConfig != null ? baseConfig : base.baseConfig,
        tier != null ? tier : base.tier,
        slidingWindowType != null ? slidingWindowType : base.slidingWindowType,
        slidingWindowSize != null ? slidingWindowSize : base.slidingWindowSize,
        timeWindowBuckets != null ? timeWindowBuckets : base.timeWindowBuckets,
        consecutiveFailureThreshold != null
            ? consecutiveFailureThreshold : base.consecutiveFailureThreshold,
        failureRateThreshold != null ? failureRateThreshold : base.failureRateThreshold,
        slowCallRateThreshold != null ? slowCallRateThreshold : base.slowCallRateThreshold,
        slowCallDurationThreshold != null
            ? slowCallDurationThreshold : base.slowCallDurationThreshold,
        minimumNumberOfCalls != null ? minimumNumberOfCalls : base.minimumNumberOfCalls,
        waitDurationInOpenState != null ? waitDurationInOpenState : base.waitDurationInOpenState,
        permittedNumberOfCallsInHalfOpenState != null
            ? permittedNumberOfCallsInHalfOpenState : base.permittedNumberOfCallsInHalfOpenState,
        maxWaitDurationInHalfOpenState != null
            ? maxWaitDurationInHalfOpenState : base.maxWaitDurationInHalfOpenState,
        automaticTransitionFromOpenToHalfOpenEnabled != null
            ? automaticTransitionFromOpenToHalfOpenEnabled
            : base.automaticTransitionFromOpenToHalfOpenEnabled,
        writableStackTraceEnabled != null
            ? writableStackTraceEnabled : base.writableStackTraceEnabled,
        recordExceptions != null ? recordExceptions : base.recordExceptions,
        ignoreExceptions != null ? ignoreExceptions : base.ignoreExceptions);
  }

  /**
   * Builds the breaker config these settings describe; unset settings keep {@link
   * CircuitBreakerConfig#ofDefaults()}'s values.
   *
   * @return the config
   * @throws IllegalArgumentException if a setting is out of range or settings conflict, or
   *     {@code CONSECUTIVE_FAILURES} has no {@code consecutive-failure-threshold}
   */
  CircuitBreakerConfig toConfig() {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
    CircuitBreakerConfig.WindowType type =
        slidingWindowType != null ? slidingWindowType : CircuitBreakerConfig.WindowType.COUNT_BASED;
    int size = slidingWindowSize != null ? slidingWindowSize : 100;
    switch (type) {
      case COUNT_BASED -> b.countWindow(size);
      case TIME_BASED -> b.timeWindow(Duration.ofSeconds(size),
          timeWindowBuckets != null ? timeWindowBuckets : 10);
      case CONSECUTIVE_FAILURES -> {
        if (consecutiveFailureThreshold == null) {
          throw new IllegalArgumentException("sliding-window-type CONSECUTIVE_FAILURES needs "
              + "consecutive-failure-threshold, which is not set");
        }
        b.consecutiveFailures(consecutiveFailureThreshold);
      }
    }
    if (failureRateThreshold != null) {
      b.failureRateThreshold(failureRateThreshold);
    }
    if (slowCallRateThreshold != null) {
      b.slowCallRateThreshold(slowCallRateThreshold);
    }
    if (slowCallDurationThreshold != null) {
      b.slowCallDurationThreshold(slowCallDurationThreshold);
    }
    if (minimumNumberOfCalls != null) {
      b.minimumNumberOfCalls(minimumNumberOfCalls);
    }
    if (waitDurationInOpenState != null) {
      b.waitDurationInOpenState(waitDurationInOpenState);
    }
    if (permittedNumberOfCallsInHalfOpenState != null) {
      b.permittedNumberOfCallsInHalfOpenState(permittedNumberOfCallsInHalfOpenState);
    }
    if (maxWaitDurationInHalfOpenState != null) {
      b.maxWaitDurationInHalfOpenState(maxWaitDurationInHalfOpenState);
    }
    if (automaticTransitionFromOpenToHalfOpenEnabled != null) {
      b.automaticTransitionToHalfOpen(automaticTransitionFromOpenToHalfOpenEnabled);
    }
    if (writableStackTraceEnabled != null) {
      b.writableStackTrace(writableStackTraceEnabled);
    }
    if (recordExceptions != null) {
      recordExceptions.forEach(b::recordExceptions);
    }
    if (ignoreExceptions != null) {
      ignoreExceptions.forEach(b::ignoreExceptions);
    }
    return b.build();
  }
}
