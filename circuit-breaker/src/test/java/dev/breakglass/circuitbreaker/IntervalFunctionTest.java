package dev.breakglass.circuitbreaker;

import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.testing.Gen;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
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

  /** An attempt number and a jitter factor. */
  record Draw(int attempt, double jitter) {}

  @Test
  void exponentialWithJitter_anyAttempt_jittersTheCappedWait() {
    Gen<Draw> draws = source ->
        new Draw(source.draw(Gen.ints(1, 40)), source.draw(Gen.doubles(0.0, 0.9)));

    forAll(draws).tries(300).check(draw -> {
      int attempt = draw.attempt();
      double jitter = draw.jitter();
      IntervalFunction f = IntervalFunction.exponentialWithJitter(
          Duration.ofMillis(100), 1.5, Duration.ofSeconds(30), jitter);
      double capped = Math.min(100e6 * Math.pow(1.5, attempt - 1), 30e9);

      long nanos = f.waitFor(attempt).toNanos();

      assertThat((double) nanos).isBetween(capped * (1 - jitter) - 1, capped * (1 + jitter) + 1);
    });
  }

  @Test
  void exponentialWithJitter_atTheCap_spreadsWaitsInsteadOfPilingUpAtMax() {
    IntervalFunction f = IntervalFunction.exponentialWithJitter(
        Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 0.2);
    Set<Duration> waits = new HashSet<>();
    int atMax = 0;
    for (int i = 0; i < 1_000; i++) {
      Duration wait = f.waitFor(30); // far past the cap
      waits.add(wait);
      if (wait.equals(Duration.ofSeconds(60))) {
        atMax++;
      }
      assertThat(wait).isBetween(Duration.ofSeconds(48), Duration.ofSeconds(72));
    }

    assertThat(atMax).isLessThan(10); // jitter before the cap put about half exactly at max
    assertThat(waits).hasSizeGreaterThan(900);
  }

  @Test
  void exponential_durationTooLongForNanos_throwsNamingIt() {
    Duration huge = Duration.ofDays(365L * 300);
    assertThatThrownBy(() -> IntervalFunction.exponential(Duration.ofSeconds(1), 2.0, huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max must fit in a long of nanoseconds (about 292 years), was PT2628000H");
    assertThatThrownBy(() -> IntervalFunction.exponential(huge, 2.0, huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initial must fit in a long of nanoseconds (about 292 years), was PT2628000H");
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
