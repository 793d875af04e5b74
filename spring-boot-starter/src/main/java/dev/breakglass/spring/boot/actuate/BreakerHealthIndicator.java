package dev.breakglass.spring.boot.actuate;

import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerMetrics;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of every breaker of a registry, as one indicator: {@code UP} while every breaker
 * lets calls through; {@link #CIRCUIT_OPEN} when one is open or forced open, or {@code DOWN}
 * instead when configured ({@code breakglass.health.open-breaker-down=true}); otherwise {@link
 * #CIRCUIT_HALF_OPEN} when one is half-open. The details hold each breaker's state and
 * metrics.
 *
 * <p>An open breaker is the application coping with a failing dependency, not the application
 * failing, so by default it does not take the application's health down: Actuator's status
 * aggregation leaves statuses out of its order list ({@code
 * management.endpoint.health.status.order}) out of the overall status, and answers them with
 * HTTP 200.
 *
 * <p>Thread-safe: each call reads the breakers' current metrics.
 */
public final class BreakerHealthIndicator implements HealthIndicator {

  /** At least one breaker is open or forced open. */
  public static final Status CIRCUIT_OPEN = new Status("CIRCUIT_OPEN");

  /** At least one breaker is half-open, none open. */
  public static final Status CIRCUIT_HALF_OPEN = new Status("CIRCUIT_HALF_OPEN");

  private final CircuitBreakerRegistry registry;
  private final boolean openBreakerDown;

  /**
   * Creates the indicator.
   *
   * @param registry the breakers to report on
   * @param openBreakerDown whether an open breaker reports {@code DOWN} rather than {@link
   *     #CIRCUIT_OPEN}
   * @throws NullPointerException if {@code registry} is null
   */
  public BreakerHealthIndicator(CircuitBreakerRegistry registry, boolean openBreakerDown) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.openBreakerDown = openBreakerDown;
  }

  @Override
  public Health health() {
    boolean open = false;
    boolean halfOpen = false;
    Map<String, Object> details = new LinkedHashMap<>();
    for (CircuitBreaker breaker : registry.circuitBreakers()) {
      CircuitBreakerMetrics m = breaker.metrics();
      switch (m.state()) {
        case OPEN, FORCED_OPEN -> open = true;
        case HALF_OPEN -> halfOpen = true;
        default -> { }
      }
      details.put(breaker.name(), BreakglassEndpoint.BreakerView.of(breaker.name(), m));
    }
    Status status = open ? (openBreakerDown ? Status.DOWN : CIRCUIT_OPEN)
        : halfOpen ? CIRCUIT_HALF_OPEN : Status.UP;
    return Health.status(status).withDetails(details).build();
  }
}
