package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class IntervalFunctionTest {

  @Test
  void exponential_attempts_doubleUpToMax() {
    IntervalFunction f =
        IntervalFunction.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10));

    assertThat(f.waitFor(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(f.waitFor(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(f.waitFor(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(f.waitFor(5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(f.waitFor(1_000)).isEqualTo(Duration.ofSeconds(10));
  }

  @Property(tries = 300)
  void exponentialWithJitter_anyAttempt_staysWithinJitterBandAndMax(
      @ForAll @IntRange(min = 1, max = 40) int attempt,
      @ForAll @DoubleRange(min = 0.0, max = 0.9) double jitter) {
    IntervalFunction f = IntervalFunction.exponentialWithJitter(
        Duration.ofMillis(100), 1.5, Duration.ofSeconds(30), jitter);
    double exact = Math.min(100e6 * Math.pow(1.5, attempt - 1), 30e9);

    long nanos = f.waitFor(attempt).toNanos();

    assertThat(nanos).isLessThanOrEqualTo(30_000_000_000L);
    assertThat((double) nanos).isBetween(Math.min(exact * (1 - jitter), 30e9) - 1,
        Math.min(exact * (1 + jitter), 30e9) + 1);
  }

  @Test
  void factories_badArguments_throwNamingTheValue() {
    assertThatThrownBy(() -> IntervalFunction.fixed(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("wait must be positive, was PT0S");
    assertThatThrownBy(() -> IntervalFunction.exponential(Duration.ofSeconds(1), 0.5,
            Duration.ofSeconds(2)))
        .hasMessage("multiplier must be finite and >= 1.0, was 0.5");
    assertThatThrownBy(() -> IntervalFunction.exponential(Duration.ofSeconds(5), 2,
            Duration.ofSeconds(2)))
        .hasMessage("max must be >= initial (PT5S), was PT2S");
    assertThatThrownBy(() -> IntervalFunction.exponentialWithJitter(Duration.ofSeconds(1), 2,
            Duration.ofSeconds(2), 1.0))
        .hasMessage("jitter must be in [0, 1), was 1.0");
  }
}
