package dev.breakglass.cascade;

import dev.breakglass.core.Tier;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A part of a service that is started and stopped as a unit: a server, a consumer, a
 * connection pool, a cache, an exporter. It has a unique name, a {@link Tier}, and optional
 * lifecycle steps.
 *
 * <p>Stopping runs the data-safe steps in order, each only if present: <b>stop intake</b>
 * (refuse new work), <b>drain</b> (finish in-flight work), <b>flush</b> (write buffered data
 * out), <b>release</b> (close connections, free resources). Starting runs the <b>start</b>
 * step.
 *
 * <pre>{@code
 * // only a stop step (it runs as "release"):
 * Component cache = Component.of("cache", Tier.STANDARD, cache::close);
 *
 * // every step:
 * Component consumer = Component.builder("orders-consumer")
 *     .tier(Tier.ESSENTIAL)
 *     .onStart(consumer::subscribe)
 *     .onStopIntake(consumer::pause)
 *     .onDrain(consumer::awaitInFlight)
 *     .onFlush(consumer::commitOffsets)
 *     .onRelease(consumer::close)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe (the steps themselves are the caller's to make safe).
 */
public final class Component {

  private final String name;
  private final Tier tier;
  private final @Nullable Step start;
  private final @Nullable Step stopIntake;
  private final @Nullable Step drain;
  private final @Nullable Step flush;
  private final @Nullable Step release;

  private Component(Builder builder) {
    this.name = builder.name;
    this.tier = builder.tier;
    this.start = builder.start;
    this.stopIntake = builder.stopIntake;
    this.drain = builder.drain;
    this.flush = builder.flush;
    this.release = builder.release;
  }

  /**
   * Creates a component without lifecycle steps: it takes part in ordering only.
   *
   * @param name the unique name of the component
   * @param tier how much it matters
   * @return the component
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Component of(String name, Tier tier) {
    return builder(name).tier(tier).build();
  }

  /**
   * Creates a component whose only lifecycle step is how it stops (run as its release step).
   *
   * @param name the unique name of the component
   * @param tier how much it matters
   * @param stop how to stop it, e.g. {@code server::close}
   * @return the component
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Component of(String name, Tier tier, Step stop) {
    return builder(name).tier(tier).onRelease(stop).build();
  }

  /**
   * Returns a builder for a component with the given name, tier {@link Tier#STANDARD} and no
   * steps.
   *
   * @param name the unique name of the component
   * @return a new builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Returns the component's name, unique within its graph.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns how much the component matters.
   *
   * @return the declared tier (the graph may promote it; see
   *     {@link DependencyGraph#effectiveTier(String)})
   */
  public Tier tier() {
    return tier;
  }

  /**
   * Returns the start step.
   *
   * @return the step, or null if the component has none
   */
  public @Nullable Step start() {
    return start;
  }

  /**
   * Returns the stop-intake step.
   *
   * @return the step, or null if the component has none
   */
  public @Nullable Step stopIntake() {
    return stopIntake;
  }

  /**
   * Returns the drain step.
   *
   * @return the step, or null if the component has none
   */
  public @Nullable Step drain() {
    return drain;
  }

  /**
   * Returns the flush step.
   *
   * @return the step, or null if the component has none
   */
  public @Nullable Step flush() {
    return flush;
  }

  /**
   * Returns the release step.
   *
   * @return the step, or null if the component has none
   */
  public @Nullable Step release() {
    return release;
  }

  @Override
  public String toString() {
    return "Component[" + name + ", " + tier + "]";
  }

  /**
   * Builds a {@link Component}. Not thread-safe; reusable.
   */
  public static final class Builder {
    private final String name;
    private Tier tier = Tier.STANDARD;
    private @Nullable Step start;
    private @Nullable Step stopIntake;
    private @Nullable Step drain;
    private @Nullable Step flush;
    private @Nullable Step release;

    private Builder(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
      }
      this.name = name;
    }

    /**
     * Sets the tier.
     *
     * @param tier how much the component matters; {@link Tier#STANDARD} by default
     * @return this builder
     * @throws NullPointerException if {@code tier} is null
     */
    public Builder tier(Tier tier) {
      this.tier = Objects.requireNonNull(tier, "tier");
      return this;
    }

    /**
     * Sets the start step, run by staged recovery.
     *
     * @param step how to start the component
     * @return this builder
     * @throws NullPointerException if {@code step} is null
     */
    public Builder onStart(Step step) {
      this.start = Objects.requireNonNull(step, "step");
      return this;
    }

    /**
     * Sets the stop-intake step: refuse new work.
     *
     * @param step how to stop accepting work
     * @return this builder
     * @throws NullPointerException if {@code step} is null
     */
    public Builder onStopIntake(Step step) {
      this.stopIntake = Objects.requireNonNull(step, "step");
      return this;
    }

    /**
     * Sets the drain step: finish the work in flight.
     *
     * @param step how to wait for in-flight work
     * @return this builder
     * @throws NullPointerException if {@code step} is null
     */
    public Builder onDrain(Step step) {
      this.drain = Objects.requireNonNull(step, "step");
      return this;
    }

    /**
     * Sets the flush step: write buffered data out.
     *
     * @param step how to flush
     * @return this builder
     * @throws NullPointerException if {@code step} is null
     */
    public Builder onFlush(Step step) {
      this.flush = Objects.requireNonNull(step, "step");
      return this;
    }

    /**
     * Sets the release step: close connections and free resources.
     *
     * @param step how to release
     * @return this builder
     * @throws NullPointerException if {@code step} is null
     */
    public Builder onRelease(Step step) {
      this.release = Objects.requireNonNull(step, "step");
      return this;
    }

    /**
     * Creates the component.
     *
     * @return a new immutable component
     */
    public Component build() {
      return new Component(this);
    }
  }
}
