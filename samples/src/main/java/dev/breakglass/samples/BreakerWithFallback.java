package dev.breakglass.samples;

import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerConfig;
import dev.breakglass.core.IncidentJournal;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A circuit breaker with a fallback around a failing payment client: the example the README
 * quotes.
 *
 * <pre>
 * mvn -B -q -Psample -Dsample=BreakerWithFallback -pl samples -am package
 * </pre>
 */
public final class BreakerWithFallback {

  private BreakerWithFallback() {}

  /** A receipt for an order, paid now or deferred. */
  record Receipt(String order, boolean paid) {
    static Receipt deferred(String order) {
      return new Receipt(order, false);
    }
  }

  /** A payment client that fails after its first few charges. */
  static final class FlakyClient {
    private int calls;

    Receipt charge(String order) {
      if (++calls > 3) {
        throw new IllegalStateException("payment gateway unavailable");
      }
      return new Receipt(order, true);
    }
  }

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Runs 30 orders through a breaker around a client that starts failing.
   *
   * @param out where to print
   * @return the breaker, for inspection
   */
  public static CircuitBreaker run(PrintStream out) {
    IncidentJournal journal = IncidentJournal.create(100);
    FlakyClient client = new FlakyClient();
    String order = "order-1";

    // [readme:breaker]
    CircuitBreaker payments = CircuitBreaker.builder("payments")
        .config(CircuitBreakerConfig.builder()
            .countWindow(20).failureRateThreshold(50)            // open at 50 % of the last 20 calls
            .minimumNumberOfCalls(10)
            .waitDurationInOpenState(Duration.ofSeconds(30))
            .build())
        .journal(journal)                                         // transitions go to the timeline
        .build();

    Receipt receipt = payments.get(() -> client.charge(order),   // the protected call
        error -> Receipt.deferred(order));                        // fallback: failure or rejection
    // [/readme:breaker]

    int paid = receipt.paid() ? 1 : 0;
    int deferred = receipt.paid() ? 0 : 1;
    for (int i = 2; i <= 30; i++) {
      String next = "order-" + i;
      if (payments.get(() -> client.charge(next), error -> Receipt.deferred(next)).paid()) {
        paid++;
      } else {
        deferred++;
      }
    }
    // [readme:breaker-classic]
    // the classic breaker: 5 failures in a row, then stay open for 300 s
    CircuitBreaker ledger =
        CircuitBreaker.of("ledger", CircuitBreakerConfig.consecutiveFailures(5, Duration.ofSeconds(300)));
    // [/readme:breaker-classic]
    out.printf("paid %d, deferred %d; payments breaker %s, ledger breaker %s%n",
        paid, deferred, payments.state(), ledger.state());
    out.print(journal.toText());
    return payments;
  }
}
