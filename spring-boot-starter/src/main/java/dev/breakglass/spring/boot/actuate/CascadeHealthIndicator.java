package dev.breakglass.spring.boot.actuate;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Mode;
import dev.breakglass.core.Severity;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The cascade manager's health: {@code UP} at severity {@code NORMAL}; {@link #DEGRADED} at a
 * raised severity (the service sheds work on purpose), or {@code DOWN} from the severity
 * configured as {@code breakglass.health.down-at-severity}. The details hold the severity, the
 * admitted tiers, the capacity factor and the declaration, if any.
 *
 * <p>Thread-safe: each call reads the manager's current mode.
 */
public final class CascadeHealthIndicator implements HealthIndicator {

  /** The severity is above {@code NORMAL}: the service is shedding work. */
  public static final Status DEGRADED = new Status("DEGRADED");

  private final CascadeManager manager;
  private final @Nullable Severity downAtSeverity;

  /**
   * Creates the indicator.
   *
   * @param manager the manager to report on
   * @param downAtSeverity the severity from which to report {@code DOWN}, or null for never
   * @throws NullPointerException if {@code manager} is null
   */
  public CascadeHealthIndicator(CascadeManager manager, @Nullable Severity downAtSeverity) {
    this.manager = Objects.requireNonNull(manager, "manager");
    this.downAtSeverity = downAtSeverity;
  }

  @Override
  public Health health() {
    Mode mode = manager.mode();
    Severity severity = mode.severity();
    Status status;
    if (severity == Severity.NORMAL) {
      status = Status.UP;
    } else if (downAtSeverity != null && !downAtSeverity.isWorseThan(severity)) {
      status = Status.DOWN;
    } else {
      status = DEGRADED;
    }
    Health.Builder health = Health.status(status)
        .withDetail("severity", severity.name())
        .withDetail("admittedTiers", mode.admittedTiers().stream().map(Enum::name).toList())
        .withDetail("capacityFactor", mode.capacityFactor());
    manager.declaration().ifPresent(d -> health.withDetail("declaration",
        BreakglassEndpoint.DeclarationView.of(d)));
    return health.build();
  }
}
