package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.PlainText;
import java.time.Duration;
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
 * <p>For the {@link ShutdownSequencer}, a component may carry its own {@link
 * Builder#stopTimeout(Duration) stop timeout}; for the {@link RecoverySequencer}, a {@link
 * Builder#startTimeout(Duration) start timeout} and a {@link Builder#healthCheck(HealthCheck)
 * health check} that gates the recovery phase it starts in.
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
  private final @Nullable Duration stopTimeout;
  private final @Nullable Duration startTimeout;
  private final @Nullable HealthCheck healthCheck;
  private final StepKind[] stopKinds;
  private final Step[] stopSteps;

  private Component(Builder builder) {
    this.name = builder.name;
    this.tier = builder.tier;
    this.start = builder.start;
    this.stopIntake = builder.stopIntake;
    this.drain = builder.drain;
    this.flush = builder.flush;
    this.release = builder.release;
    this.stopTimeout = builder.stopTimeout;
    this.startTimeout = builder.startTimeout;
    this.healthCheck = builder.healthCheck;
    int count = (stopIntake == null ? 0 : 1) + (drain == null ? 0 : 1) + (flush == null ? 0 : 1)
        + (release == null ? 0 : 1);
    this.stopKinds = new StepKind[count];
    this.stopSteps = new Step[count];
    int i = 0;
    i = addStep(i, StepKind.STOP_INTAKE, stopIntake);
    i = addStep(i, StepKind.DRAIN, drain);
    i = addStep(i, StepKind.FLUSH, flush);
    addStep(i, StepKind.RELEASE, release);
  }

  private int addStep(int i, StepKind kind, @Nullable Step step) {
    if (step == null) {
      return i;
    }
    stopKinds[i] = kind;
    stopSteps[i] = step;
    return i + 1;
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

  /**
   * Returns how long this component's stop steps may take together before the shutdown
   * sequencer abandons it.
   *
   * @return the timeout, or null to let the sequencer decide (see
   *     {@link ShutdownSequencer.Builder#componentTimeout(Duration)})
   */
  public @Nullable Duration stopTimeout() {
    return stopTimeout;
  }

  /**
   * Returns how long this component's start step may take before staged recovery abandons it.
   *
   * @return the timeout, or null to let the sequencer decide (see
   *     {@link RecoverySequencer.Builder#startTimeout(Duration)})
   */
  public @Nullable Duration startTimeout() {
    return startTimeout;
  }

  /**
   * Returns the health check that gates the recovery phase this component starts in.
   *
   * @return the check, or null if the component counts as healthy once started
   */
  public @Nullable HealthCheck healthCheck() {
    return healthCheck;
  }

  /** The stop steps that are present, in order; shared, do not modify. */
  StepKind[] stopStepKinds() {
    return stopKinds;
  }

  /** The stop steps that are present, in the order of {@link #stopStepKinds()}. */
  Step[] stopSteps() {
    return stopSteps;
  }

  @Override
  public String toString() {
    return "Component[" + PlainText.escape(name) + ", " + tier + "]";
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
    private @Nullable Duration stopTimeout;
    private @Nullable Duration startTimeout;
    private @Nullable HealthCheck healthCheck;

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
     * Sets how long the stop steps may take together. Once it has passed, the shutdown
     * sequencer abandons the component (interrupting the step that is running), reports it as
     * timed out and moves on to what it depends on. The overall deadline still applies.
     *
     * @param timeout the stop timeout, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = requirePositive(timeout, "stopTimeout");
      return this;
    }

    /**
     * Sets how long the start step may take. Once it has passed, staged recovery abandons the
     * component (interrupting the step), reports it as timed out and stops the recovery.
     *
     * @param timeout the start timeout, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = requirePositive(timeout, "startTimeout");
      return this;
    }

    /**
     * Sets the health check that gates the recovery phase this component starts in: the
     * phase passes once the check reports a healthy value, polled until the recovery's health
     * timeout. For example {@code breaker::health}, or {@code () -> pool.ping() ? UP : DOWN}.
     *
     * @param check the health check
     * @return this builder
     * @throws NullPointerException if {@code check} is null
     */
    public Builder healthCheck(HealthCheck check) {
      this.healthCheck = Objects.requireNonNull(check, "check");
      return this;
    }

    static Duration requirePositive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
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
