package dev.breakglass.micrometer;

import dev.breakglass.cascade.degradation.Deferral;
import dev.breakglass.cascade.degradation.DeferralCounts;
import dev.breakglass.core.Tier;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Meters for a {@link Deferral}: the shed work waiting per tier, and what became of the work it
 * deferred or turned away, per tier (its {@link DeferralCounts}).
 *
 * <pre>{@code
 * DeferralMeters.of(deferral).bindTo(meterRegistry);
 * // a deferral has no name: tag it if there are several
 * DeferralMeters.of(emails, Tags.of("deferral", "emails")).bindTo(meterRegistry);
 * }</pre>
 *
 * <table class="striped">
 *   <caption>Meters of a deferral</caption>
 *   <thead><tr><th>name</th><th>type</th><th>tags</th><th>value</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@value #PENDING}</td><td>gauge</td><td>{@code tier}: critical, essential,
 *       standard, enhanced</td><td>the work deferred and waiting in the tier's queue now</td>
 *       </tr>
 *   <tr><td>{@value #DEFERRED}</td><td>function counter</td><td>{@code tier}</td><td>the work
 *       queued because its tier was shed</td></tr>
 *   <tr><td>{@value #REPLAYED}</td><td>function counter</td><td>{@code tier}</td><td>the
 *       deferred work taken from the queue and run (whether it then succeeded or threw)</td>
 *       </tr>
 *   <tr><td>{@value #EXPIRED}</td><td>function counter</td><td>{@code tier}</td><td>the
 *       deferred work that waited past its deadline, or was expired by
 *       {@link Deferral#expireAll}</td></tr>
 *   <tr><td>{@value #HANDED_BACK}</td><td>function counter</td><td>{@code tier}</td><td>the
 *       deferred work returned by {@link Deferral#handBack()}</td></tr>
 *   <tr><td>{@value #OVERFLOWED}</td><td>function counter</td><td>{@code tier}</td><td>the
 *       shed work rejected because the tier's queue was full</td></tr>
 *   <tr><td>{@value #REFUSED}</td><td>function counter</td><td>{@code tier}</td><td>the shed
 *       work rejected because the deferral was closed</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>The counters count since the deferral was built. Per tier, {@code deferred = pending +
 * replayed + expired + handed.back}, and every piece of shed work is counted once as
 * {@code deferred}, {@code overflowed} or {@code refused}. Every meter also has the tags given
 * to {@link #of(Deferral, Iterable)}. Every meter reads {@link Deferral#counts(Tier)} when the
 * registry is scraped (a short hold of the deferral's queue lock, which admitted work never
 * takes); the binder registers no listener, so nothing is added to {@link Deferral#submit}.
 *
 * <p>Thread-safe: binding, closing and the meters' reads may happen on any threads.
 */
public final class DeferralMeters implements MeterBinder, AutoCloseable {

  /** The name of the gauge of pending work, by tier. */
  public static final String PENDING = "breakglass.deferral.pending";
  /** The name of the counter of deferred work, by tier. */
  public static final String DEFERRED = "breakglass.deferral.deferred";
  /** The name of the counter of replayed work, by tier. */
  public static final String REPLAYED = "breakglass.deferral.replayed";
  /** The name of the counter of expired work, by tier. */
  public static final String EXPIRED = "breakglass.deferral.expired";
  /** The name of the counter of work handed back, by tier. */
  public static final String HANDED_BACK = "breakglass.deferral.handed.back";
  /** The name of the counter of work rejected because the tier's queue was full, by tier. */
  public static final String OVERFLOWED = "breakglass.deferral.overflowed";
  /** The name of the counter of work rejected because the deferral was closed, by tier. */
  public static final String REFUSED = "breakglass.deferral.refused";

  private static final Tier[] TIERS = Tier.values();

  private final Deferral deferral;
  private final Tags tags;
  private final Bindings<Binding> bindings = new Bindings<>("DeferralMeters", Binding::close);

  private DeferralMeters(Deferral deferral, Tags tags) {
    this.deferral = deferral;
    this.tags = tags;
  }

  /**
   * Returns meters for {@code deferral}.
   *
   * @param deferral the deferral
   * @return a binder, not yet bound
   * @throws NullPointerException if {@code deferral} is null
   */
  public static DeferralMeters of(Deferral deferral) {
    return of(deferral, Tags.empty());
  }

  /**
   * Returns meters for {@code deferral} with more tags on every meter.
   *
   * @param deferral the deferral
   * @param tags tags for every meter, such as {@code deferral=emails} to tell several
   *     deferrals apart
   * @return a binder, not yet bound
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if a tag's key is {@code tier}, which the meters set
   */
  public static DeferralMeters of(Deferral deferral, Iterable<Tag> tags) {
    Objects.requireNonNull(deferral, "deferral");
    return new DeferralMeters(deferral, MeterTags.userTags(tags, "tier"));
  }

  /**
   * Registers the meters in {@code registry}.
   *
   * @param registry the meter registry
   * @throws NullPointerException if {@code registry} is null
   * @throws IllegalStateException if this binder was closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Binding binding = bindings.add(new Binding(Objects.requireNonNull(registry, "registry")));
    for (Tier tier : TIERS) {
      String value = MeterTags.value(tier);
      binding.add(Gauge.builder(PENDING, deferral, d -> d.counts(tier).pending())
          .tags(tags).tag("tier", value)
          .description("The deferred work waiting in the tier's queue")
          .strongReference(true)
          .register(registry));
      counter(binding, DEFERRED, tier, value, DeferralCounts::deferred,
          "The work deferred because its tier was shed");
      counter(binding, REPLAYED, tier, value, DeferralCounts::replayed,
          "The deferred work replayed");
      counter(binding, EXPIRED, tier, value, DeferralCounts::expired,
          "The deferred work that expired before it could be replayed");
      counter(binding, HANDED_BACK, tier, value, DeferralCounts::handedBack,
          "The deferred work handed back unrun at shutdown");
      counter(binding, OVERFLOWED, tier, value, DeferralCounts::overflowed,
          "The shed work rejected because the tier's deferral queue was full");
      counter(binding, REFUSED, tier, value, DeferralCounts::refused,
          "The shed work rejected because the deferral was closed");
    }
  }

  private void counter(Binding binding, String name, Tier tier, String value,
      ToLongFunction<DeferralCounts> count, String description) {
    binding.add(FunctionCounter.builder(name, deferral, d -> count.applyAsLong(d.counts(tier)))
        .tags(tags).tag("tier", value)
        .description(description)
        .register(binding.registry()));
  }

  /**
   * Removes every meter this binder registered. Idempotent.
   */
  @Override
  public void close() {
    bindings.close();
  }

  @Override
  public String toString() {
    return "DeferralMeters[" + deferral + ", tags=" + tags + "]";
  }
}
