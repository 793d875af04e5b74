package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.core.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeWindowScenarioTest {
  @Test
  void success_afterExpiryLeavesFailingRemainder_opens() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = CircuitBreaker.builder("t").ticker(ticker)
        .config(CircuitBreakerConfig.builder().timeWindow(Duration.ofSeconds(2), 2)
            .minimumNumberOfCalls(2).failureRateThreshold(50).build())
        .build();
    for (int i = 0; i < 3; i++) {
      breaker.onSuccess(0);
    }
    ticker.advance(Duration.ofSeconds(1));
    breaker.onError(0, new RuntimeException());
    breaker.onError(0, new RuntimeException());
    breaker.onSuccess(0);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED); // 2 of 6
    ticker.advance(Duration.ofSeconds(1)); // the 3 successes expire: 2 of 3
    assertThat(breaker.metrics().failureRate()).isEqualTo(200.0 / 3);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    breaker.onSuccess(0); // 2 of 4 = 50 %
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }
}
