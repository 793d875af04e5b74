package dev.breakglass.samples.spring;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Service;

/**
 * The flaky downstream: a pricing service that fails while an outage is on. Thread-safe.
 */
@Service
public class PricingService {

  private final AtomicBoolean outage = new AtomicBoolean();

  /** Creates the service; Spring calls this. */
  public PricingService() {}

  /**
   * Prices an article.
   *
   * @param sku the article
   * @return its price in cents
   * @throws IllegalStateException during an outage
   */
  public long price(String sku) {
    if (outage.get()) {
      throw new IllegalStateException("pricing is unavailable");
    }
    return 1000L + Math.floorMod(sku.hashCode(), 9000);
  }

  /**
   * Starts or ends an outage.
   *
   * @param on whether the service fails
   */
  public void outage(boolean on) {
    outage.set(on);
  }
}
