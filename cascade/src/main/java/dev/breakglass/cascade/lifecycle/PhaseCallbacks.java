package dev.breakglass.cascade.lifecycle;

import org.jspecify.annotations.Nullable;

/**
 * What the two engines of a recovery phase share: the starts ({@link PhaseStart}) and the
 * health gate ({@link HealthGate}) skip nothing, and a recovery that hands its components back
 * to a shutdown sequencer ends as soon as that sequencer's shutdown begins.
 */
abstract sealed class PhaseCallbacks implements Engine.Callbacks permits PhaseStart, HealthGate {

  final RunSettings settings;
  private final Object[] owners;
  private final @Nullable HandBack handBack;

  /**
   * @param recovery the recovery sequencer whose run this is
   * @param handBack the hand-back of a recovery of isolated components, or null
   */
  PhaseCallbacks(RunSettings settings, RecoverySequencer recovery, @Nullable HandBack handBack) {
    this.settings = settings;
    this.handBack = handBack;
    // a recovery that hands back holds the shutdown sequencer's run lock: its shutdown() and
    // isolate() would wait for this run, which waits for the step
    this.owners = handBack == null ? new Object[] {recovery}
        : new Object[] {recovery, handBack.owner()};
  }

  @Override
  public final Object[] stepOwners() {
    return owners;
  }

  @Override
  public final @Nullable String cancelReason() {
    return handBack != null && handBack.shutdownBegan() ? RecoverySequencer.SHUTDOWN_BEGAN : null;
  }

  @Override
  public final boolean cancellable() {
    return handBack != null;
  }
}
