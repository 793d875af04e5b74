package dev.breakglass.spring.boot.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Several breakglass binders as one Micrometer {@link MeterBinder}: binding it binds each binder
 * the supplier gives at that moment (for example, one per {@code AdmissionLimiter} bean), and
 * {@link #close()} closes every binder it created, removing their meters and subscriptions.
 * Spring closes it with the context.
 *
 * <p>Thread-safe.
 *
 * @param <B> the type of the binders
 */
public final class MeterBinderGroup<B extends MeterBinder> implements MeterBinder, AutoCloseable {

  private final String description;
  private final Supplier<? extends List<? extends B>> binders;
  private final Consumer<? super B> closer;
  private final List<B> bound = new ArrayList<>(); // guarded by this
  private boolean closed; // guarded by this

  /**
   * Creates a group.
   *
   * @param description what the binders are for, for {@link #toString()}
   * @param binders gives the binders to bind, each time the group is bound
   * @param closer closes one binder, such as {@code LimiterMeters::close}
   * @throws NullPointerException if an argument is null
   */
  public MeterBinderGroup(String description, Supplier<? extends List<? extends B>> binders,
      Consumer<? super B> closer) {
    this.description = Objects.requireNonNull(description, "description");
    this.binders = Objects.requireNonNull(binders, "binders");
    this.closer = Objects.requireNonNull(closer, "closer");
  }

  /**
   * Binds every binder the supplier gives to {@code registry}.
   *
   * @param registry the registry
   * @throws NullPointerException if {@code registry} is null
   * @throws IllegalStateException if the group was closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    List<? extends B> now = binders.get();
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException(this + " was closed");
      }
      bound.addAll(now);
    }
    for (B binder : now) {
      binder.bindTo(registry);
    }
  }

  /**
   * Returns the binders created so far, oldest first.
   *
   * @return a snapshot
   */
  public synchronized List<B> binders() {
    return List.copyOf(bound);
  }

  /**
   * Closes every binder the group created: their meters leave the registries. Idempotent; if
   * a binder's close throws, the others are still closed and the first failure is rethrown
   * with the rest suppressed.
   *
   * @throws RuntimeException the first failure of a binder's close
   */
  @Override
  public void close() {
    List<B> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(bound);
      bound.clear();
    }
    @Nullable RuntimeException first = null;
    for (B binder : all) {
      try {
        closer.accept(binder);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "MeterBinderGroup[" + description + "]";
  }
}
