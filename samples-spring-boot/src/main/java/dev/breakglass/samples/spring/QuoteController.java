package dev.breakglass.samples.spring;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Quotes: the price comes from the pricing service through the {@code pricing} breaker (its
 * settings are in application.properties), with the catalogue's list price as the fallback
 * while pricing fails or the breaker is open; recommendations are added only while the
 * cascade manager admits them.
 */
@RestController
public class QuoteController {

  private final CircuitBreaker pricing;
  private final PricingService pricingService;
  private final CascadeManager manager;

  /**
   * Creates the controller; Spring calls this.
   *
   * @param registry the auto-configured breaker registry
   * @param pricingService the downstream
   * @param manager the auto-configured cascade manager
   */
  public QuoteController(CircuitBreakerRegistry registry, PricingService pricingService,
      CascadeManager manager) {
    // an instance configured under breakglass.circuitbreaker.instances is created at startup
    this.pricing = registry.find("pricing").orElseThrow(
        () -> new IllegalStateException("breakglass.circuitbreaker.instances.pricing is missing"));
    this.pricingService = pricingService;
    this.manager = manager;
  }

  /**
   * Quotes an article.
   *
   * @param sku the article
   * @return the quote
   */
  @GetMapping("/quotes/{sku}")
  public Quote quote(@PathVariable String sku) {
    Quote quote = pricing.get(
        () -> new Quote(sku, pricingService.price(sku), "pricing", false),
        failure -> new Quote(sku, 1999L, "list-price", false));
    return manager.isEnabled("recommendations")
        ? new Quote(quote.sku(), quote.cents(), quote.source(), true) : quote;
  }

  /** Starts an outage of the pricing service (for trying the sample out). */
  @PostMapping("/downstream/outage")
  public void startOutage() {
    pricingService.outage(true);
  }

  /** Ends the outage of the pricing service. */
  @DeleteMapping("/downstream/outage")
  public void endOutage() {
    pricingService.outage(false);
  }

  /**
   * A quote.
   *
   * @param sku the article
   * @param cents its price in cents
   * @param source {@code pricing}, or {@code list-price} when the pricing service could not
   *     answer
   * @param recommendations whether recommendations were added
   */
  public record Quote(String sku, long cents, String source, boolean recommendations) {}
}
