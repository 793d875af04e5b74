package dev.breakglass.samples.spring;

import dev.breakglass.cascade.degradation.AdmissionLimiter;
import dev.breakglass.cascade.degradation.AdmissionRejectedException;
import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import dev.breakglass.core.Tier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Quotes: the price comes from the pricing service through the {@code pricing} breaker (its
 * settings are in application.properties), with the catalogue's list price as the fallback
 * while pricing fails or the breaker is open; recommendations are added only while the
 * cascade manager admits them. Every quote passes the {@code quotes} admission limiter first
 * (tier ESSENTIAL); a refused quote is answered 503 with {@code Retry-After}.
 */
@RestController
public class QuoteController {

  private final CircuitBreaker pricing;
  private final PricingService pricingService;
  private final CascadeManager manager;
  private final AdmissionLimiter limiter;

  /**
   * Creates the controller; Spring calls this.
   *
   * @param registry the auto-configured breaker registry
   * @param pricingService the downstream
   * @param manager the auto-configured cascade manager
   * @param limiter the quotes' admission limiter
   */
  public QuoteController(CircuitBreakerRegistry registry, PricingService pricingService,
      CascadeManager manager, AdmissionLimiter limiter) {
    // an instance configured under breakglass.circuitbreaker.instances is created at startup
    this.pricing = registry.find("pricing").orElseThrow(
        () -> new IllegalStateException("breakglass.circuitbreaker.instances.pricing is missing"));
    this.pricingService = pricingService;
    this.manager = manager;
    this.limiter = limiter;
  }

  /**
   * Quotes an article.
   *
   * @param sku the article
   * @return the quote
   * @throws AdmissionRejectedException if the limiter refuses it (answered 503)
   */
  @GetMapping("/quotes/{sku}")
  public Quote quote(@PathVariable String sku) {
    return limiter.get(Tier.ESSENTIAL, () -> {
      Quote quote = pricing.get(
          () -> new Quote(sku, pricingService.price(sku), "pricing", false),
          failure -> new Quote(sku, 1999L, "list-price", false));
      return manager.isEnabled("recommendations")
          ? new Quote(quote.sku(), quote.cents(), quote.source(), true) : quote;
    });
  }

  /**
   * Answers a refused quote: 503 Service Unavailable, retry in a second.
   *
   * @param refused why the limiter refused it
   * @return the answer, with the reason in the body
   */
  @ExceptionHandler(AdmissionRejectedException.class)
  public ResponseEntity<String> refused(AdmissionRejectedException refused) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1")
        .body(refused.getMessage());
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
