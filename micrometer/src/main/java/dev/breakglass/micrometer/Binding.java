package dev.breakglass.micrometer;

import dev.breakglass.core.Subscription;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What one binder registered in one meter registry: the meters, and the subscriptions that feed
 * them. {@link #close()} removes the meters from the registry and ends the subscriptions.
 *
 * <p>Thread-safe: every method is synchronized; none of them is called on a hot path (binding,
 * closing, and the rare events that add meters).
 */
final class Binding implements AutoCloseable {

  private final MeterRegistry registry;
  private final Set<Meter> meters = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<Subscription> subscriptions = new ArrayList<>();
  private boolean closed;

  Binding(MeterRegistry registry) {
    this.registry = registry;
  }

  MeterRegistry registry() {
    return registry;
  }

  /**
   * Keeps {@code meter} (once, however often it is added) for removal on close, or removes it
   * now if closed already.
   */
  synchronized <M extends Meter> M add(M meter) {
    if (closed) {
      registry.remove(meter);
    } else {
      meters.add(meter);
    }
    return meter;
  }

  /** Keeps {@code subscription} for closing on close, or closes it now if closed already. */
  synchronized void add(Subscription subscription) {
    if (closed) {
      subscription.close();
    } else {
      subscriptions.add(subscription);
    }
  }

  synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Subscription subscription : subscriptions) {
      subscription.close();
    }
    for (Meter meter : meters) {
      registry.remove(meter);
    }
    subscriptions.clear();
    meters.clear();
  }
}
