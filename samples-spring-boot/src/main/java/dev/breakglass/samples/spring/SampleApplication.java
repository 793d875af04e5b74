package dev.breakglass.samples.spring;

import dev.breakglass.cascade.degradation.AdmissionLimiter;
import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.GradientLimit;
import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Tier;
import dev.breakglass.spring.boot.autoconfigure.BreakglassComponent;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The sample shop's quote service. Run it with
 * {@code mvn -B -q -Pspring-sample -pl samples-spring-boot -am package}, then try
 * {@code curl localhost:8080/quotes/book-1}, {@code curl -X POST localhost:8080/downstream/outage},
 * {@code curl localhost:8080/actuator/health}, {@code curl localhost:8080/actuator/breakglass},
 * {@code curl localhost:8080/actuator/breakglass/incident/html} and
 * {@code curl localhost:8080/actuator/prometheus}.
 *
 * <p>Quotes pass an adaptive admission limiter ({@code quotes}, tier ESSENTIAL): it sheds load
 * beyond what the service sustains with HTTP 503, and refuses quotes altogether only at
 * CRITICAL severity.
 *
 * <p>Its components, stopped in dependency order when the application shuts down: the orders
 * consumer (depends on the orders database and the pricing client), the quote cache, the
 * pricing client, and the orders database last.
 */
@SpringBootApplication
public class SampleApplication {

  /**
   * Starts the application.
   *
   * @param args Spring Boot's command-line arguments
   */
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }

  /**
   * The admission limiter in front of the quotes: a gradient limit between 10 and 200 calls in
   * flight, scaled by the cascade manager's capacity factor.
   *
   * @param manager the auto-configured cascade manager
   * @param journal the auto-configured journal
   * @return the limiter
   */
  @Bean
  AdmissionLimiter quotesLimiter(CascadeManager manager, IncidentJournal journal) {
    return AdmissionLimiter.builder("quotes")
        .algorithm(() -> GradientLimit.builder().minLimit(10).initialLimit(50).maxLimit(200)
            .build())
        .manager(manager)
        .journal(journal)
        .build();
  }

  @Bean
  BreakglassComponent ordersDatabase(ShopResources resources) {
    return BreakglassComponent.of(Component.builder("orders-db")
        .tier(Tier.CRITICAL)
        .onRelease(() -> resources.close("orders-db"))
        .build());
  }

  @Bean
  BreakglassComponent pricingClient(ShopResources resources) {
    return BreakglassComponent.of(Component.builder("pricing-client")
        .tier(Tier.STANDARD)
        .onRelease(() -> resources.close("pricing-client"))
        .build());
  }

  @Bean
  BreakglassComponent quoteCache(ShopResources resources) {
    return BreakglassComponent.of(Component.builder("quote-cache")
        .tier(Tier.ENHANCED)
        .onFlush(() -> resources.close("quote-cache"))
        .build(), "pricing-client");
  }

  @Bean
  BreakglassComponent ordersConsumer(ShopResources resources) {
    return BreakglassComponent.of(Component.builder("orders-consumer")
        .tier(Tier.ESSENTIAL)
        .onStopIntake(() -> resources.close("orders-consumer"))
        .build(), "orders-db", "pricing-client");
  }
}
