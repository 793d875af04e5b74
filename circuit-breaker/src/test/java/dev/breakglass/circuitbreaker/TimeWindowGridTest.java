package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.core.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Where a time window's buckets begin, as the migration notes describe it: counted from the
 * moment the window started (the breaker's creation, then each close), not from whole
 * seconds as in Resilience4j.
 */
class TimeWindowGridTest {

  private final ManualTicker ticker = new ManualTicker(Duration.ofMillis(300).toNanos());

  private CircuitBreaker breaker() {
    return CircuitBreaker.builder("quotes").ticker(ticker)
        .config(CircuitBreakerConfig.builder().timeWindow(Duration.ofSeconds(10), 10)
            .minimumNumberOfCalls(100).build())
        .build();
  }

  @Test
  void timeWindow_createdOffTheWholeSecond_bucketsCountFromCreation() {
    CircuitBreaker breaker = breaker(); // at 0.3 s: the first bucket is [0.3 s, 1.3 s)
    breaker.onSuccess(0);

    ticker.advance(Duration.ofMillis(9_999)); // 10.299 s: still the window's tenth bucket
    // (a window on whole seconds would hold seconds 1 to 10 now, without the call at 0.3 s)
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
    ticker.advance(Duration.ofMillis(1)); // 10.3 s: the first bucket leaves
    assertThat(breaker.metrics().bufferedCalls()).isZero();
  }

  @Test
  void timeWindow_breakerClosesAgain_bucketsCountFromTheClose() {
    CircuitBreaker breaker = breaker();
    breaker.transitionToOpen();
    ticker.advance(Duration.ofMillis(1_450)); // 1.75 s
    breaker.transitionToClosed(); // a new window: its first bucket is [1.75 s, 2.75 s)
    breaker.onSuccess(0);

    ticker.advance(Duration.ofMillis(9_999));
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
    ticker.advance(Duration.ofMillis(1));
    assertThat(breaker.metrics().bufferedCalls()).isZero();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }
}
