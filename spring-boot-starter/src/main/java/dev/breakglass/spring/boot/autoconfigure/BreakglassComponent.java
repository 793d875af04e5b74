package dev.breakglass.spring.boot.autoconfigure;

import dev.breakglass.cascade.lifecycle.Component;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link Component} declared as a Spring bean, with the names of the components it depends
 * on: every bean of this type joins the auto-configured {@link
 * dev.breakglass.cascade.lifecycle.DependencyGraph}, is registered with the cascade manager,
 * and is stopped by the shutdown sequencer in dependency order when the context closes
 * (inside Spring's graceful shutdown; see {@link BreakglassProperties.Shutdown#phase()}).
 *
 * <pre>{@code
 * @Bean
 * BreakglassComponent ordersConsumer(OrdersConsumer consumer) {
 *   return BreakglassComponent.of(Component.builder("orders-consumer")
 *           .tier(Tier.ESSENTIAL)
 *           .onStopIntake(consumer::pause)
 *           .onDrain(consumer::awaitInFlight)
 *           .onRelease(consumer::close)
 *           .build(),
 *       "orders-db", "payments");                      // what it depends on
 * }
 * }</pre>
 *
 * <p>The dependency order replaces Spring's lifecycle phases for these components: give the
 * objects they stop no {@code Lifecycle} or destroy method of their own that would stop them
 * earlier.
 *
 * <p>Immutable and thread-safe.
 */
public final class BreakglassComponent {

  private final Component component;
  private final Set<String> dependsOn;

  private BreakglassComponent(Component component, Set<String> dependsOn) {
    this.component = component;
    this.dependsOn = dependsOn;
  }

  /**
   * Declares a component and the names of the components it depends on.
   *
   * @param component the component
   * @param dependsOn the names of the components it depends on (each a component of another
   *     {@code BreakglassComponent} bean)
   * @return the declaration
   * @throws NullPointerException if an argument or a name is null
   */
  public static BreakglassComponent of(Component component, String... dependsOn) {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(dependsOn, "dependsOn");
    Set<String> names = new LinkedHashSet<>();
    for (String name : Arrays.asList(dependsOn)) {
      names.add(Objects.requireNonNull(name, "dependsOn contains null"));
    }
    return new BreakglassComponent(component, Set.copyOf(names));
  }

  /**
   * Returns the component.
   *
   * @return the component
   */
  public Component component() {
    return component;
  }

  /**
   * Returns the names of the components it depends on.
   *
   * @return an unmodifiable set of names
   */
  public Set<String> dependsOn() {
    return dependsOn;
  }

  @Override
  public String toString() {
    return "BreakglassComponent[" + component.name() + " -> " + dependsOn + "]";
  }
}
