package dev.breakglass.micrometer;

import dev.breakglass.cascade.degradation.AdmissionLimiter;
import dev.breakglass.cascade.degradation.AdmissionRejectedException;
import dev.breakglass.core.Tier;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Meters for an {@link AdmissionLimiter}: its limit before and after the cascade's capacity
 * factor, the calls in flight, the calls it refused by tier and reason, and how often its
 * algorithm moved the limit.
 *
 * <pre>{@code
 * LimiterMeters.of(limiter).bindTo(meterRegistry);
 * }</pre>
 *
 * <table class="striped">
 *   <caption>Meters of an admission limiter</caption>
 *   <thead><tr><th>name</th><th>type</th><th>tags</th><th>value</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@value #LIMIT}</td><td>gauge</td><td>{@code name}</td><td>the algorithm's limit,
 *       before any capacity factor</td></tr>
 *   <tr><td>{@value #EFFECTIVE_LIMIT}</td><td>gauge</td><td>{@code name}</td><td>the limit
 *       scaled by the bound cascade manager's capacity factor: what CRITICAL-tier work may
 *       fill</td></tr>
 *   <tr><td>{@value #IN_FLIGHT}</td><td>gauge</td><td>{@code name}</td><td>the calls admitted
 *       whose outcome is not recorded yet</td></tr>
 *   <tr><td>{@value #REJECTIONS}</td><td>function counter</td><td>{@code name}, {@code tier}:
 *       critical, essential, standard, enhanced; {@code reason}: not_admitted,
 *       over_limit</td><td>the calls refused since the limiter was built</td></tr>
 *   <tr><td>{@value #LIMIT_CHANGES}</td><td>function counter</td><td>{@code name}</td><td>how
 *       often the algorithm moved the limit since the limiter was built</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Every meter has the tag {@code name}, the limiter's {@link AdmissionLimiter#name() name},
 * so several limiters share a registry, and the tags given to
 * {@link #of(AdmissionLimiter, Iterable)}. Every meter reads the limiter when the registry is
 * scraped ({@link AdmissionLimiter#limit()}, {@link AdmissionLimiter#effectiveLimit()},
 * {@link AdmissionLimiter#inFlight()}, {@link AdmissionLimiter#limitChanges()} and the
 * rejection counts of {@link AdmissionLimiter#metrics()}); the binder registers no listener,
 * so nothing is added to {@link AdmissionLimiter#tryAcquire} or to the outcome methods, nor
 * to the release that closes a sample window.
 *
 * <p>Thread-safe: binding, closing and the meters' reads may happen on any threads.
 */
public final class LimiterMeters implements MeterBinder, AutoCloseable {

  /** The name of the gauge of the algorithm's limit. */
  public static final String LIMIT = "breakglass.limiter.limit";
  /** The name of the gauge of the effective limit (after the capacity factor). */
  public static final String EFFECTIVE_LIMIT = "breakglass.limiter.effective.limit";
  /** The name of the gauge of the calls in flight. */
  public static final String IN_FLIGHT = "breakglass.limiter.inflight";
  /** The name of the counter of refused calls, by tier and reason. */
  public static final String REJECTIONS = "breakglass.limiter.rejections";
  /** The name of the counter of limit changes. */
  public static final String LIMIT_CHANGES = "breakglass.limiter.limit.changes";

  private static final Tier[] TIERS = Tier.values();
  private static final AdmissionRejectedException.Reason[] REASONS =
      AdmissionRejectedException.Reason.values();

  private final AdmissionLimiter limiter;
  private final Tags tags;
  private final Bindings<Binding> bindings = new Bindings<>("LimiterMeters", Binding::close);

  private LimiterMeters(AdmissionLimiter limiter, Tags tags) {
    this.limiter = limiter;
    this.tags = tags;
  }

  /**
   * Returns meters for {@code limiter}.
   *
   * @param limiter the admission limiter
   * @return a binder, not yet bound
   * @throws NullPointerException if {@code limiter} is null
   */
  public static LimiterMeters of(AdmissionLimiter limiter) {
    return of(limiter, Tags.empty());
  }

  /**
   * Returns meters for {@code limiter} with more tags on every meter.
   *
   * @param limiter the admission limiter
   * @param tags tags for every meter, such as {@code service=checkout}
   * @return a binder, not yet bound
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if a tag's key is {@code name}, {@code tier} or
   *     {@code reason}, which the meters set themselves
   */
  public static LimiterMeters of(AdmissionLimiter limiter, Iterable<Tag> tags) {
    Objects.requireNonNull(limiter, "limiter");
    Tags own = MeterTags.userTags(tags, "name", "tier", "reason");
    return new LimiterMeters(limiter, own.and("name", limiter.name()));
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
    binding.add(Gauge.builder(LIMIT, limiter, AdmissionLimiter::limit)
        .tags(tags)
        .description("The admission limiter's limit, before any capacity factor")
        .strongReference(true)
        .register(registry));
    binding.add(Gauge.builder(EFFECTIVE_LIMIT, limiter, AdmissionLimiter::effectiveLimit)
        .tags(tags)
        .description("The admission limiter's limit scaled by the cascade's capacity factor")
        .strongReference(true)
        .register(registry));
    binding.add(Gauge.builder(IN_FLIGHT, limiter, AdmissionLimiter::inFlight)
        .tags(tags)
        .description("The calls the admission limiter admitted whose outcome is not recorded")
        .strongReference(true)
        .register(registry));
    for (Tier tier : TIERS) {
      for (AdmissionRejectedException.Reason reason : REASONS) {
        // metrics() sums the rejection adders into a small snapshot: at scrape time only
        binding.add(FunctionCounter.builder(REJECTIONS, limiter,
                l -> l.metrics().rejections(tier, reason))
            .tags(tags).tag("tier", MeterTags.value(tier)).tag("reason", MeterTags.value(reason))
            .description("The calls the admission limiter refused, by tier and reason")
            .register(registry));
      }
    }
    binding.add(FunctionCounter.builder(LIMIT_CHANGES, limiter, AdmissionLimiter::limitChanges)
        .tags(tags)
        .description("How often the admission limiter's algorithm moved the limit")
        .register(registry));
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
    return "LimiterMeters[" + limiter + ", tags=" + tags + "]";
  }

}
