package dev.breakglass.micrometer;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Mode;
import dev.breakglass.cascade.degradation.SeverityChange;
import dev.breakglass.core.EventListener;
import dev.breakglass.core.Tier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Meters for a {@link CascadeManager}: its severity, which tiers it admits, its capacity
 * factor, and how often it shed and restored each tier.
 *
 * <pre>{@code
 * CascadeMeters.of(manager).bindTo(meterRegistry);
 * }</pre>
 *
 * <table class="striped">
 *   <caption>Meters of a cascade manager</caption>
 *   <thead><tr><th>name</th><th>type</th><th>tags</th><th>value</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@value #SEVERITY}</td><td>gauge</td><td></td><td>the severity's level:
 *       0 NORMAL, 1 MINOR, 2 MAJOR, 3 CRITICAL</td></tr>
 *   <tr><td>{@value #TIER_ADMITTED}</td><td>gauge</td><td>{@code tier}: critical, essential,
 *       standard, enhanced</td><td>1 if the tier is admitted, else 0</td></tr>
 *   <tr><td>{@value #CAPACITY_FACTOR}</td><td>gauge</td><td></td><td>the share of normal
 *       capacity admitted tiers may use, in (0, 1]</td></tr>
 *   <tr><td>{@value #SHEDS}</td><td>counter</td><td>{@code tier}</td><td>how often the tier
 *       was shed since binding</td></tr>
 *   <tr><td>{@value #RESTORES}</td><td>counter</td><td>{@code tier}</td><td>how often the
 *       tier was restored since binding</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Every meter also has the tags given to {@link #of(CascadeManager, Iterable)}. The gauges
 * read the manager when the registry is scraped; the counters count the manager's
 * {@link CascadeManager#onSeverityChange severity changes}, which are rare: nothing is added to
 * {@link CascadeManager#admit}.
 *
 * <p>Thread-safe: binding, closing and the meters' reads may happen on any threads.
 */
public final class CascadeMeters implements MeterBinder, AutoCloseable {

  /** The name of the severity gauge. */
  public static final String SEVERITY = "breakglass.cascade.severity";
  /** The name of the per-tier admission gauge. */
  public static final String TIER_ADMITTED = "breakglass.cascade.tier.admitted";
  /** The name of the capacity-factor gauge. */
  public static final String CAPACITY_FACTOR = "breakglass.cascade.capacity.factor";
  /** The name of the counter of sheds, by tier. */
  public static final String SHEDS = "breakglass.cascade.sheds";
  /** The name of the counter of restores, by tier. */
  public static final String RESTORES = "breakglass.cascade.restores";

  private static final Tier[] TIERS = Tier.values();

  private final CascadeManager manager;
  private final Tags tags;
  private final Bindings<Binding> bindings = new Bindings<>("CascadeMeters", Binding::close);

  private CascadeMeters(CascadeManager manager, Tags tags) {
    this.manager = manager;
    this.tags = tags;
  }

  /**
   * Returns meters for {@code manager}.
   *
   * @param manager the cascade manager
   * @return a binder, not yet bound
   * @throws NullPointerException if {@code manager} is null
   */
  public static CascadeMeters of(CascadeManager manager) {
    return of(manager, Tags.empty());
  }

  /**
   * Returns meters for {@code manager} with more tags on every meter.
   *
   * @param manager the cascade manager
   * @param tags tags for every meter, such as {@code service=checkout}
   * @return a binder, not yet bound
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if a tag's key is {@code tier}, which the meters set
   */
  public static CascadeMeters of(CascadeManager manager, Iterable<Tag> tags) {
    Objects.requireNonNull(manager, "manager");
    return new CascadeMeters(manager, MeterTags.userTags(tags, "tier"));
  }

  /**
   * Registers the meters in {@code registry} and starts counting sheds and restores.
   *
   * @param registry the meter registry
   * @throws NullPointerException if {@code registry} is null
   * @throws IllegalStateException if this binder was closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Binding binding = bindings.add(new Binding(Objects.requireNonNull(registry, "registry")));
    binding.add(Gauge.builder(SEVERITY, manager, m -> m.severity().ordinal())
        .tags(tags)
        .description("The cascade manager's severity: 0 NORMAL, 1 MINOR, 2 MAJOR, 3 CRITICAL")
        .strongReference(true)
        .register(registry));
    binding.add(Gauge.builder(CAPACITY_FACTOR, manager, CascadeManager::capacityFactor)
        .tags(tags)
        .description("The share of normal capacity the admitted tiers may use")
        .strongReference(true)
        .register(registry));
    Counter[] sheds = new Counter[TIERS.length];
    Counter[] restores = new Counter[TIERS.length];
    for (Tier tier : TIERS) {
      String value = MeterTags.value(tier);
      binding.add(Gauge.builder(TIER_ADMITTED, manager, m -> m.mode().admits(tier) ? 1 : 0)
          .tags(tags).tag("tier", value)
          .description("1 if the cascade manager admits the tier, else 0")
          .strongReference(true)
          .register(registry));
      sheds[tier.ordinal()] = binding.add(Counter.builder(SHEDS)
          .tags(tags).tag("tier", value)
          .description("How often the cascade manager shed the tier")
          .register(registry));
      restores[tier.ordinal()] = binding.add(Counter.builder(RESTORES)
          .tags(tags).tag("tier", value)
          .description("How often the cascade manager restored the tier")
          .register(registry));
    }
    binding.add(manager.onSeverityChange(EventListener.named("CascadeMeters",
        (SeverityChange change) -> count(change, sheds, restores))));
  }

  private static void count(SeverityChange change, Counter[] sheds, Counter[] restores) {
    Mode from = change.previous();
    Mode to = change.current();
    for (Tier tier : TIERS) {
      boolean before = from.admits(tier);
      boolean after = to.admits(tier);
      if (before && !after) {
        sheds[tier.ordinal()].increment();
      } else if (!before && after) {
        restores[tier.ordinal()].increment();
      }
    }
  }

  /**
   * Removes every meter this binder registered and stops counting. Idempotent.
   */
  @Override
  public void close() {
    bindings.close();
  }

  @Override
  public String toString() {
    return "CascadeMeters[" + manager + ", tags=" + tags + "]";
  }

}
