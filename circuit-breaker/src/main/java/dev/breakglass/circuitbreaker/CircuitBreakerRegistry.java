package dev.breakglass.circuitbreaker;

import dev.breakglass.core.EventListener;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.ListenerErrorHandler;
import dev.breakglass.core.Listeners;
import dev.breakglass.core.Subscription;
import dev.breakglass.core.Ticker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Named circuit breakers that share named configs, a ticker, a journal and a scheduler: one
 * place to get the breaker for each dependency of a service.
 *
 * <pre>{@code
 * CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
 *     .defaultConfig(CircuitBreakerConfig.ofDefaults())
 *     .config("batch", CircuitBreakerConfig.builder().timeWindow(Duration.ofMinutes(1)).build())
 *     .journal(journal)
 *     .build();
 *
 * CircuitBreaker payments = registry.circuitBreaker("payments");          // default config
 * CircuitBreaker reports = registry.circuitBreaker("reports", "batch");   // a named config
 * }</pre>
 *
 * <p>{@link #circuitBreaker(String)} is get-or-create: the first call with a name creates the
 * breaker, later calls return the same instance. Asking for an existing name with a different
 * config is a mistake that would otherwise go unnoticed, so it throws.
 *
 * <p>{@link #onAdded} and {@link #onRemoved} tell a listener (such as a metrics binder) about
 * every breaker created in or removed from the registry later, so that it can follow the
 * registry without polling: register first, then walk {@link #circuitBreakers()}, and a
 * breaker created in between is seen at least once.
 *
 * <p>Thread-safe: get-or-create is atomic (two threads asking for the same new name get the
 * same breaker); creating a breaker is cheap and never blocks.
 */
public final class CircuitBreakerRegistry {

  private final CircuitBreakerConfig defaultConfig;
  private final Map<String, CircuitBreakerConfig> configs;
  private final Ticker ticker;
  private final @Nullable IncidentJournal journal;
  private final @Nullable ScheduledExecutorService scheduler;
  private final ListenerErrorHandler listenerErrorHandler;
  private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final Listeners<CircuitBreaker> added;
  private final Listeners<CircuitBreaker> removed;

  private CircuitBreakerRegistry(Builder builder) {
    this.defaultConfig = builder.defaultConfig;
    this.configs = Collections.unmodifiableMap(new LinkedHashMap<>(builder.configs));
    this.ticker = builder.ticker;
    this.journal = builder.journal;
    this.scheduler = builder.scheduler;
    this.listenerErrorHandler = builder.listenerErrorHandler;
    this.added = Listeners.create("CircuitBreakerRegistry", listenerErrorHandler);
    this.removed = Listeners.create("CircuitBreakerRegistry", listenerErrorHandler);
  }

  /**
   * Creates a registry whose breakers use {@link CircuitBreakerConfig#ofDefaults()}.
   *
   * @return a new, empty registry
   */
  public static CircuitBreakerRegistry ofDefaults() {
    return builder().build();
  }

  /**
   * Creates a registry with the given default config.
   *
   * @param defaultConfig the config of breakers created without a config name
   * @return a new, empty registry
   * @throws NullPointerException if {@code defaultConfig} is null
   */
  public static CircuitBreakerRegistry of(CircuitBreakerConfig defaultConfig) {
    return builder().defaultConfig(defaultConfig).build();
  }

  /**
   * Returns a builder for a registry with named configs, a ticker, a journal or a scheduler.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the breaker with this name, creating it with the default config if needed.
   *
   * @param name the breaker's name
   * @return the breaker
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank, or a breaker with this name
   *     exists with another config
   */
  public CircuitBreaker circuitBreaker(String name) {
    return circuitBreaker(name, defaultConfig);
  }

  /**
   * Returns the breaker with this name, creating it with the named config if needed.
   *
   * @param name the breaker's name
   * @param configName the name of a config given to {@link Builder#config}
   * @return the breaker
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is blank, no config has that name, or a
   *     breaker with this name exists with another config
   */
  public CircuitBreaker circuitBreaker(String name, String configName) {
    Objects.requireNonNull(configName, "configName");
    CircuitBreakerConfig config = configs.get(configName);
    if (config == null) {
      throw new IllegalArgumentException("no config named '" + configName + "'; known: "
          + configs.keySet());
    }
    return circuitBreaker(name, config);
  }

  /**
   * Returns the breaker with this name, creating it with the given config if needed.
   *
   * @param name the breaker's name
   * @param config the config to create it with
   * @return the breaker
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is blank, or a breaker with this name
   *     exists with another config
   */
  public CircuitBreaker circuitBreaker(String name, CircuitBreakerConfig config) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    CircuitBreaker breaker = breakers.get(name);
    if (breaker == null) {
      CircuitBreaker[] created = new CircuitBreaker[1];
      breaker = breakers.computeIfAbsent(name, n -> created[0] = create(n, config));
      if (breaker == created[0] && added.hasListeners()) {
        added.publish(breaker); // outside computeIfAbsent: a listener may use the registry
      }
    }
    if (!breaker.config().equals(config)) {
      throw new IllegalArgumentException("circuit breaker '" + name
          + "' already exists with another config: " + breaker.config());
    }
    return breaker;
  }

  private CircuitBreaker create(String name, CircuitBreakerConfig config) {
    CircuitBreaker.Builder builder = CircuitBreaker.builder(name).config(config).ticker(ticker)
        .listenerErrorHandler(listenerErrorHandler);
    if (journal != null) {
      builder.journal(journal);
    }
    if (scheduler != null) {
      builder.scheduler(scheduler);
    }
    return builder.build();
  }

  /**
   * Returns the breaker with this name, if it exists.
   *
   * @param name the breaker's name
   * @return the breaker, or empty
   * @throws NullPointerException if {@code name} is null
   */
  public Optional<CircuitBreaker> find(String name) {
    return Optional.ofNullable(breakers.get(Objects.requireNonNull(name, "name")));
  }

  /**
   * Removes a breaker from the registry; the breaker itself keeps working for whoever holds
   * it, and the next {@link #circuitBreaker(String)} with its name creates a new one.
   *
   * @param name the breaker's name
   * @return the removed breaker, or empty if there was none
   * @throws NullPointerException if {@code name} is null
   */
  public Optional<CircuitBreaker> remove(String name) {
    CircuitBreaker breaker = breakers.remove(Objects.requireNonNull(name, "name"));
    if (breaker != null && removed.hasListeners()) {
      removed.publish(breaker);
    }
    return Optional.ofNullable(breaker);
  }

  /**
   * Registers a listener for every breaker this registry creates from now on; it is called on
   * the creating thread, after the breaker is in the registry, once per breaker. Breakers that
   * exist already are not replayed: walk {@link #circuitBreakers()} after registering.
   *
   * @param listener called with each new breaker
   * @return the subscription that unregisters the listener
   * @throws NullPointerException if {@code listener} is null
   */
  public Subscription onAdded(EventListener<? super CircuitBreaker> listener) {
    return added.add(listener);
  }

  /**
   * Registers a listener for every breaker {@link #remove(String) removed} from this registry
   * from now on; it is called on the removing thread, once per removal.
   *
   * @param listener called with each removed breaker
   * @return the subscription that unregisters the listener
   * @throws NullPointerException if {@code listener} is null
   */
  public Subscription onRemoved(EventListener<? super CircuitBreaker> listener) {
    return removed.add(listener);
  }

  /**
   * Returns every breaker, sorted by name (for health endpoints and dashboards).
   *
   * @return an immutable snapshot
   */
  public List<CircuitBreaker> circuitBreakers() {
    List<CircuitBreaker> all = new ArrayList<>(breakers.values());
    all.sort(Comparator.comparing(CircuitBreaker::name));
    return Collections.unmodifiableList(all);
  }

  /**
   * Returns the config of breakers created without a config name.
   *
   * @return the default config
   */
  public CircuitBreakerConfig defaultConfig() {
    return defaultConfig;
  }

  /**
   * Returns a named config.
   *
   * @param configName the name given to {@link Builder#config}
   * @return the config, or empty
   * @throws NullPointerException if {@code configName} is null
   */
  public Optional<CircuitBreakerConfig> config(String configName) {
    return Optional.ofNullable(configs.get(Objects.requireNonNull(configName, "configName")));
  }

  /**
   * Returns the names of the named configs.
   *
   * @return an immutable set, in the order the configs were added
   */
  public Set<String> configNames() {
    return configs.keySet();
  }

  @Override
  public String toString() {
    return "CircuitBreakerRegistry[breakers=" + breakers.size() + ", configs="
        + configs.keySet() + "]";
  }

  /**
   * Builds a {@link CircuitBreakerRegistry}. Not thread-safe; reusable: each {@link #build()}
   * creates an independent, empty registry.
   */
  public static final class Builder {
    private CircuitBreakerConfig defaultConfig = CircuitBreakerConfig.ofDefaults();
    private final Map<String, CircuitBreakerConfig> configs = new LinkedHashMap<>();
    private Ticker ticker = Ticker.system();
    private @Nullable IncidentJournal journal;
    private @Nullable ScheduledExecutorService scheduler;
    private ListenerErrorHandler listenerErrorHandler = Slf4jLogging.DEFAULT_HANDLER;

    private Builder() {}

    /**
     * Sets the config of breakers created without a config name.
     *
     * @param config the config; by default {@link CircuitBreakerConfig#ofDefaults()}
     * @return this builder
     * @throws NullPointerException if {@code config} is null
     */
    public Builder defaultConfig(CircuitBreakerConfig config) {
      this.defaultConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Adds a named config that breakers can be created with.
     *
     * @param name the config's name
     * @param config the config
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank or already used
     */
    public Builder config(String name, CircuitBreakerConfig config) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(config, "config");
      if (name.isBlank()) {
        throw new IllegalArgumentException("config name must not be blank, was '" + name + "'");
      }
      if (configs.putIfAbsent(name, config) != null) {
        throw new IllegalArgumentException("a config named '" + name + "' was already added");
      }
      return this;
    }

    /**
     * Sets the ticker of every breaker.
     *
     * @param ticker the ticker; by default {@link Ticker#system()}
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Sets a journal that every breaker records its transitions in.
     *
     * @param journal the journal
     * @return this builder
     * @throws NullPointerException if {@code journal} is null
     */
    public Builder journal(IncidentJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * Sets the scheduler for automatic transitions of every breaker (see
     * {@link CircuitBreaker.Builder#scheduler}).
     *
     * @param scheduler the scheduler; the registry never shuts it down
     * @return this builder
     * @throws NullPointerException if {@code scheduler} is null
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Sets what happens when a listener of any breaker throws (see
     * {@link CircuitBreaker.Builder#listenerErrorHandler}).
     *
     * @param handler the handler; by default, logging at WARN on the SLF4J logger
     *     {@code dev.breakglass.circuitbreaker}
     * @return this builder
     * @throws NullPointerException if {@code handler} is null
     */
    public Builder listenerErrorHandler(ListenerErrorHandler handler) {
      this.listenerErrorHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Creates the registry.
     *
     * @return a new, empty registry
     */
    public CircuitBreakerRegistry build() {
      return new CircuitBreakerRegistry(this);
    }
  }
}
