package dev.breakglass.cascade.degradation;

import dev.breakglass.core.EventListener;
import dev.breakglass.core.HealthChange;

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

  HealthWatch(CascadeManager manager, Member member, String sourceName) {
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
