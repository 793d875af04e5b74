package dev.breakglass.cascade.degradation;

import dev.breakglass.core.EventListener;
import dev.breakglass.core.HealthChange;
import dev.breakglass.core.HealthSource;
import dev.breakglass.core.Subscription;
import java.util.Objects;

/**
 * Forwards a {@link dev.breakglass.core.HealthSource}'s changes to
 * {@link CascadeManager#report}. Created by {@link CascadeManager#watch(String,
 * dev.breakglass.core.HealthSource)}.
 */
final class HealthWatch implements EventListener<HealthChange> {

  final CascadeManager manager;
  final Member member;
  final String sourceName;

  /**
   * Whether a change event has been applied; guarded by the manager's lock. Once it has, the
   * initial reading taken at subscription is stale and must not be applied after it.
   */
  boolean eventApplied;

  /**
   * Starts a watch: subscribes to {@code source}, then reports its current health (a change
   * published meanwhile wins over it). A watch whose initial reading fails is closed.
   *
   * @return the subscription that stops the watch
   * @throws NullPointerException if the source's health is null
   */
  static Subscription start(CascadeManager manager, Member member, HealthSource source) {
    HealthWatch watch = new HealthWatch(manager, member, source.name());
    Subscription subscription = source.onHealthChange(watch);
    try {
      manager.reportWatched(watch, Objects.requireNonNull(source.health(), "source.health()"),
          true);
    } catch (RuntimeException | Error failure) {
      subscription.close(); // do not leave a half-made watch behind
      throw failure;
    }
    return subscription;
  }

  private HealthWatch(CascadeManager manager, Member member, String sourceName) {
    this.manager = manager;
    this.member = member;
    this.sourceName = sourceName;
  }

  @Override
  public void onEvent(HealthChange change) {
    manager.reportWatched(this, change.current(), false);
  }

  @Override
  public String toString() {
    return "CascadeManager.watch(" + member.name() + " <- " + sourceName + ")";
  }
}
