package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.core.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The permit rules against a reference model, on random sequences of operations over two
 * breakers: every permit is refused by the breaker that did not issue it; a trial permit is
 * accepted once while its HALF_OPEN period lasts and refused after that; a trial permit of an
 * ended period is accepted and changes nothing; a HALF_OPEN period counts exactly the first
 * uses of its own trial permits and never has more of them in flight than it permits.
 */
class PermitModelTest {

  private static final int SEEDS = 300;
  private static final int STEPS = 400;
  private static final int PERMITTED = 3;

  /** A permit as the model knows it. */
  static final class Issued {
    final long value;
    final int breaker;
    /** The period (count of transitions of its breaker) that issued it. */
    final int period;
    final boolean trial;
    boolean used;

    Issued(long value, int breaker, int period, boolean trial) {
      this.value = value;
      this.breaker = breaker;
      this.period = period;
      this.trial = trial;
    }
  }

  /** One breaker and what the model expects of it. */
  static final class Subject {
    final CircuitBreaker breaker;
    int period;
    /** Trial outcomes counted by the current HALF_OPEN period. */
    int trialOutcomes;

    Subject(String name, ManualTicker ticker) {
      breaker = CircuitBreaker.builder(name).ticker(ticker)
          .config(CircuitBreakerConfig.builder().countWindow(4)
              .waitDurationInOpenState(Duration.ofSeconds(1))
              .permittedNumberOfCallsInHalfOpenState(PERMITTED)
              .maxWaitDurationInHalfOpenState(Duration.ZERO)
              .ignoreExceptions(IllegalArgumentException.class)
              .build())
          .build();
      breaker.onStateTransition(t -> {
        period++;
        trialOutcomes = 0;
      });
    }

    State state() {
      return breaker.state();
    }
  }

  @Test
  void permits_randomUse_followTheModel() {
    for (long seed = 0; seed < SEEDS; seed++) {
      try {
        run(new Random(seed));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  private void run(Random random) {
    ManualTicker ticker = new ManualTicker();
    Subject[] subjects = {new Subject("b", ticker), new Subject("c", ticker)};
    List<Issued> issued = new ArrayList<>();
    for (int step = 0; step < STEPS; step++) {
      int op = random.nextInt(100);
      int which = random.nextInt(2);
      Subject s = subjects[which];
      if (op < 35) {
        acquire(s, which, issued);
      } else if (op < 80 && !issued.isEmpty()) {
        Issued permit = issued.get(random.nextInt(issued.size()));
        use(subjects, which, permit, random.nextInt(4));
      } else if (op < 88) {
        s.breaker.transitionToOpen();
      } else if (op < 94) {
        ticker.advance(Duration.ofSeconds(1)); // OPEN -> HALF_OPEN when next looked at
      } else {
        s.breaker.transitionToClosed();
      }
      for (Subject subject : subjects) {
        State state = subject.state();
        if (state == State.HALF_OPEN) {
          assertThat(subject.breaker.metrics().bufferedCalls()).as("trial outcomes counted")
              .isEqualTo(subject.trialOutcomes);
        }
      }
    }
  }

  private static void acquire(Subject s, int which, List<Issued> issued) {
    State before = s.state();
    int period = s.period;
    long permit = s.breaker.tryAcquirePermit();
    if (permit == CircuitBreaker.NO_PERMIT) {
      assertThat(before).isIn(State.OPEN, State.HALF_OPEN);
      if (before == State.HALF_OPEN) {
        long inFlight = issued.stream().filter(p -> p.breaker == which && p.trial
            && p.period == period && !p.used).count();
        assertThat(inFlight).as("rejected only when every trial is in flight")
            .isEqualTo(PERMITTED - s.trialOutcomes);
      }
      return;
    }
    assertThat(s.period).as("acquiring never transitions here").isEqualTo(period);
    boolean trial = before == State.HALF_OPEN;
    issued.add(new Issued(permit, which, period, trial));
    if (trial) {
      long inFlight = issued.stream().filter(p -> p.breaker == which && p.trial
          && p.period == period && !p.used).count();
      assertThat(inFlight + s.trialOutcomes).as("never more trials than permitted")
          .isLessThanOrEqualTo(PERMITTED);
    }
  }

  /** Uses a permit on breaker {@code which}: 0 success, 1 failure, 2 ignored, 3 release. */
  private static void use(Subject[] subjects, int which, Issued permit, int how) {
    Subject s = subjects[which];
    if (permit.breaker != which) {
      long calls = s.breaker.metrics().bufferedCalls();
      int period = s.period;
      assertThatThrownBy(() -> report(s.breaker, permit.value, how))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("'" + s.breaker.name() + "'")
          .hasMessageContaining("another circuit breaker");
      assertThat(s.period).isEqualTo(period);
      assertThat(s.breaker.metrics().bufferedCalls()).isEqualTo(calls);
      return;
    }
    boolean current = permit.trial && permit.period == s.period;
    if (current && permit.used) {
      assertThatThrownBy(() -> report(s.breaker, permit.value, how))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("already used");
      return;
    }
    permit.used = true; // a CLOSED permit is not tracked: using it again counts again
    if (current && how < 2) {
      s.trialOutcomes++; // a transition it causes resets this
    }
    int period = s.period;
    State before = s.state();
    report(s.breaker, permit.value, how);
    if (permit.trial && !current) {
      assertThat(s.period).as("an ended period's trial changes nothing").isEqualTo(period);
    }
    if (!permit.trial && before == State.HALF_OPEN) {
      assertThat(s.period).as("a CLOSED permit never decides a trial period")
          .isEqualTo(period);
    }
  }

  private static void report(CircuitBreaker breaker, long permit, int how) {
    switch (how) {
      case 0:
        breaker.onSuccess(permit, 1);
        break;
      case 1:
        breaker.onError(permit, 1, new IOException("failed"));
        break;
      case 2:
        breaker.onError(permit, 1, new IllegalArgumentException("ignored"));
        break;
      default:
        breaker.releasePermit(permit);
        break;
    }
  }
}
