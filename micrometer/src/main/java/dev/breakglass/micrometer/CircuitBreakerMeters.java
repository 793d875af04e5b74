package dev.breakglass.micrometer;

import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerEvent;
import dev.breakglass.circuitbreaker.CircuitBreakerMetrics;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import dev.breakglass.core.EventListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Meters for circuit breakers: given breakers, and every breaker of given
 * {@link CircuitBreakerRegistry registries}, those they hold when bound and those created in
 * them later (a breaker {@link CircuitBreakerRegistry#remove removed} from its registry loses
 * its meters).
 *
 * <pre>{@code
 * CircuitBreakerMeters.of(registry).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Each breaker gets these meters, tagged {@code name} (the breaker's name) plus the tags
 * given to {@link Builder#tags}:
 *
 * <table class="striped">
 *   <caption>Meters of one breaker</caption>
 *   <thead><tr><th>name</th><th>type</th><th>more tags</th><th>value</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@value #STATE}</td><td>gauge</td><td>{@code state}: closed, open, half_open,
 *       disabled, forced_open, metrics_only</td><td>1 for the current state, else 0</td></tr>
 *   <tr><td>{@value #FAILURE_RATE}</td><td>gauge</td><td></td><td>the failure rate in percent,
 *       -1 while too few calls to rate (see {@link CircuitBreakerMetrics})</td></tr>
 *   <tr><td>{@value #SLOW_CALL_RATE}</td><td>gauge</td><td></td><td>the slow-call rate in
 *       percent, or -1</td></tr>
 *   <tr><td>{@value #BUFFERED_CALLS}</td><td>gauge</td><td>{@code kind}: successful,
 *       failed</td><td>the outcomes in the window</td></tr>
 *   <tr><td>{@value #SLOW_CALLS}</td><td>gauge</td><td></td><td>the slow outcomes in the
 *       window</td></tr>
 *   <tr><td>{@value #NOT_PERMITTED_CALLS}</td><td>function counter</td><td>{@code kind}:
 *       not_permitted</td><td>the calls rejected since the breaker was created or
 *       reset</td></tr>
 *   <tr><td>{@value #CALLS}</td><td>timer (only with {@link Builder#callsTimer})</td>
 *       <td>{@code kind}: successful, failed, ignored, not_permitted</td><td>every call and its
 *       duration (0 for a rejection, and for every call of a breaker that does not time its
 *       calls)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p><b>Cost.</b> The gauges and the counter read the breaker's
 * {@link CircuitBreaker#metrics() metrics snapshot} when the registry is scraped: the breaker's
 * call path does not change. The calls timer is different: a breaker tells about each call only
 * through {@link CircuitBreaker#onEvent call events}, so binding the timer registers an event
 * listener, and from then on the breaker builds an event object for every call (a few tens of
 * bytes, and the timer's own work, on the calling thread; docs/observability.md has the
 * measured cost). That is why it is off unless asked for.
 *
 * <p>Thread-safe: binding, closing and the meters' reads may happen on any threads.
 */
public final class CircuitBreakerMeters implements MeterBinder, AutoCloseable {

  /** The name of the state gauge. */
  public static final String STATE = "breakglass.circuitbreaker.state";
  /** The name of the calls timer. */
  public static final String CALLS = "breakglass.circuitbreaker.calls";
  /** The name of the not-permitted calls counter. */
  public static final String NOT_PERMITTED_CALLS = "breakglass.circuitbreaker.not.permitted.calls";
  /** The name of the failure-rate gauge. */
  public static final String FAILURE_RATE = "breakglass.circuitbreaker.failure.rate";
  /** The name of the slow-call-rate gauge. */
  public static final String SLOW_CALL_RATE = "breakglass.circuitbreaker.slow.call.rate";
  /** The name of the buffered-calls gauge. */
  public static final String BUFFERED_CALLS = "breakglass.circuitbreaker.buffered.calls";
  /** The name of the slow-calls gauge. */
  public static final String SLOW_CALLS = "breakglass.circuitbreaker.slow.calls";

  private static final CircuitBreaker.State[] STATES = CircuitBreaker.State.values();

  private final List<CircuitBreaker> breakers;
  private final List<CircuitBreakerRegistry> registries;
  private final Tags tags;
  private final boolean callsTimer;
  private final Bindings<RegistryBinding> bindings =
      new Bindings<>("CircuitBreakerMeters", RegistryBinding::close);

  private CircuitBreakerMeters(Builder builder) {
    this.breakers = List.copyOf(builder.breakers);
    this.registries = List.copyOf(builder.registries);
    this.tags = builder.tags;
    this.callsTimer = builder.callsTimer;
  }

  /**
   * Returns meters for every breaker of {@code registry}, now and later, without the calls
   * timer.
   *
   * @param registry the breakers' registry
   * @return a binder, not yet bound
   * @throws NullPointerException if {@code registry} is null
   */
  public static CircuitBreakerMeters of(CircuitBreakerRegistry registry) {
    return builder().registry(registry).build();
  }

  /**
   * Returns meters for one breaker, without the calls timer.
   *
   * @param breaker the breaker
   * @return a binder, not yet bound
   * @throws NullPointerException if {@code breaker} is null
   */
  public static CircuitBreakerMeters of(CircuitBreaker breaker) {
    return builder().breaker(breaker).build();
  }

  /**
   * Returns a builder, to bind several breakers or registries, add tags or the calls timer.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers the meters of every breaker in {@code registry}, and, for bound
   * {@link CircuitBreakerRegistry registries}, starts following them: a breaker created later
   * gets its meters when it is created, a removed one loses them.
   *
   * @param registry the meter registry
   * @throws NullPointerException if {@code registry} is null
   * @throws IllegalStateException if this binder was closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    RegistryBinding binding =
        bindings.add(new RegistryBinding(Objects.requireNonNull(registry, "registry")));
    for (CircuitBreakerRegistry breakers : registries) {
      // follow first, then walk: a breaker created in between is bound once (see bind)
      binding.own.add(breakers.onAdded(EventListener.named("CircuitBreakerMeters",
          binding::bind)));
      binding.own.add(breakers.onRemoved(EventListener.named("CircuitBreakerMeters",
          binding::unbind)));
      for (CircuitBreaker breaker : breakers.circuitBreakers()) {
        binding.bind(breaker);
      }
    }
    for (CircuitBreaker breaker : breakers) {
      binding.bind(breaker);
    }
  }

  /**
   * Removes every meter this binder registered from the registries it was bound to, and stops
   * following the breaker registries and listening to the breakers. Idempotent.
   */
  @Override
  public void close() {
    bindings.close();
  }

  @Override
  public String toString() {
    return "CircuitBreakerMeters[breakers=" + breakers.size() + ", registries="
        + registries.size() + ", callsTimer=" + callsTimer + ", tags=" + tags + "]";
  }


  /** Everything bound into one meter registry: one {@link Binding} per breaker. */
  private final class RegistryBinding {
    final MeterRegistry registry;
    final Binding own;
    final ConcurrentHashMap<CircuitBreaker, Binding> byBreaker = new ConcurrentHashMap<>();

    RegistryBinding(MeterRegistry registry) {
      this.registry = registry;
      this.own = new Binding(registry);
    }

    void bind(CircuitBreaker breaker) {
      if (own.isClosed()) {
        return;
      }
      // identity keys (a breaker does not override equals): bound at most once
      byBreaker.computeIfAbsent(breaker, b -> register(registry, b));
      if (own.isClosed()) { // closed meanwhile: close() may have missed this one
        unbind(breaker);
      }
    }

    void unbind(CircuitBreaker breaker) {
      Binding binding = byBreaker.remove(breaker);
      if (binding != null) {
        binding.close();
      }
    }

    void close() {
      own.close();
      for (CircuitBreaker breaker : List.copyOf(byBreaker.keySet())) {
        unbind(breaker);
      }
    }
  }

  private Binding register(MeterRegistry registry, CircuitBreaker breaker) {
    Binding binding = new Binding(registry);
    Tags base = tags.and("name", breaker.name());
    for (CircuitBreaker.State state : STATES) {
      binding.add(Gauge.builder(STATE, breaker, b -> b.state() == state ? 1 : 0)
          .tags(base).tag("state", MeterTags.value(state))
          .description("1 if the circuit breaker is in this state, else 0")
          .strongReference(true)
          .register(registry));
    }
    binding.add(Gauge.builder(FAILURE_RATE, breaker, b -> b.metrics().failureRate())
        .tags(base).baseUnit("percent")
        .description("The failure rate of the circuit breaker's window, -1 if too few calls")
        .strongReference(true)
        .register(registry));
    binding.add(Gauge.builder(SLOW_CALL_RATE, breaker, b -> b.metrics().slowCallRate())
        .tags(base).baseUnit("percent")
        .description("The slow-call rate of the circuit breaker's window, -1 if too few calls"
            + " or no slow-call threshold")
        .strongReference(true)
        .register(registry));
    binding.add(Gauge.builder(BUFFERED_CALLS, breaker, b -> b.metrics().successfulCalls())
        .tags(base).tag("kind", "successful")
        .description("The successful calls in the circuit breaker's window")
        .strongReference(true)
        .register(registry));
    binding.add(Gauge.builder(BUFFERED_CALLS, breaker, b -> b.metrics().failedCalls())
        .tags(base).tag("kind", "failed")
        .description("The failed calls in the circuit breaker's window")
        .strongReference(true)
        .register(registry));
    binding.add(Gauge.builder(SLOW_CALLS, breaker, b -> b.metrics().slowCalls())
        .tags(base)
        .description("The slow calls in the circuit breaker's window")
        .strongReference(true)
        .register(registry));
    binding.add(FunctionCounter.builder(NOT_PERMITTED_CALLS, breaker,
            b -> b.metrics().notPermittedCalls())
        .tags(base).tag("kind", "not_permitted")
        .description("The calls the circuit breaker rejected since it was created or reset")
        .register(registry));
    if (callsTimer) {
      Timer successful = binding.add(callsTimer(registry, base, "successful"));
      Timer failed = binding.add(callsTimer(registry, base, "failed"));
      Timer ignored = binding.add(callsTimer(registry, base, "ignored"));
      Timer notPermitted = binding.add(callsTimer(registry, base, "not_permitted"));
      binding.add(breaker.onEvent(EventListener.named("CircuitBreakerMeters.calls", event -> {
        if (event instanceof CircuitBreakerEvent.Success success) {
          successful.record(success.durationNanos(), TimeUnit.NANOSECONDS);
        } else if (event instanceof CircuitBreakerEvent.Failure failure) {
          failed.record(failure.durationNanos(), TimeUnit.NANOSECONDS);
        } else if (event instanceof CircuitBreakerEvent.IgnoredError ignoredError) {
          ignored.record(ignoredError.durationNanos(), TimeUnit.NANOSECONDS);
        } else if (event instanceof CircuitBreakerEvent.NotPermitted) {
          notPermitted.record(0, TimeUnit.NANOSECONDS);
        }
      })));
    }
    return binding;
  }

  private static Timer callsTimer(MeterRegistry registry, Tags base, String kind) {
    return Timer.builder(CALLS).tags(base).tag("kind", kind)
        .description("The calls through the circuit breaker, by outcome")
        .register(registry);
  }

  /**
   * Builds {@link CircuitBreakerMeters}. Not thread-safe.
   */
  public static final class Builder {
    private final List<CircuitBreaker> breakers = new ArrayList<>();
    private final List<CircuitBreakerRegistry> registries = new ArrayList<>();
    private Tags tags = Tags.empty();
    private boolean callsTimer;

    private Builder() {}

    /**
     * Adds a breaker.
     *
     * @param breaker the breaker
     * @return this builder
     * @throws NullPointerException if {@code breaker} is null
     */
    public Builder breaker(CircuitBreaker breaker) {
      breakers.add(Objects.requireNonNull(breaker, "breaker"));
      return this;
    }

    /**
     * Adds a registry: every breaker it holds when bound, and every breaker created in it
     * later.
     *
     * @param registry the registry
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     */
    public Builder registry(CircuitBreakerRegistry registry) {
      registries.add(Objects.requireNonNull(registry, "registry"));
      return this;
    }

    /**
     * Adds tags to every meter, such as {@code service=checkout}.
     *
     * @param tags the tags
     * @return this builder
     * @throws NullPointerException if {@code tags} is null
     * @throws IllegalArgumentException if a tag's key is {@code name}, {@code state} or
     *     {@code kind}, which the meters set themselves
     */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = this.tags.and(MeterTags.userTags(tags, "name", "state", "kind"));
      return this;
    }

    /**
     * Sets whether to register the calls timer ({@value CircuitBreakerMeters#CALLS}, by {@code kind}). It is
     * fed by the breakers' call events, so a bound breaker then builds an event object for
     * every call; see the class description.
     *
     * @param on whether to time the calls; off by default
     * @return this builder
     */
    public Builder callsTimer(boolean on) {
      this.callsTimer = on;
      return this;
    }

    /**
     * Creates the binder.
     *
     * @return a binder, not yet bound
     */
    public CircuitBreakerMeters build() {
      return new CircuitBreakerMeters(this);
    }
  }
}
