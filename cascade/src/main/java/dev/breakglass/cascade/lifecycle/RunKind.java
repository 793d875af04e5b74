package dev.breakglass.cascade.lifecycle;

/**
 * The two kinds of run a {@link DependencyGraph}'s components go through: stopping them and
 * starting them. {@link StepKind} and {@link Outcome} say which kind of run each of their values
 * belongs to.
 */
public enum RunKind {
  /** A run of a {@link ShutdownSequencer}: {@code shutdown()} or {@code isolate(name)}. */
  SHUTDOWN("shutdown"),
  /** A run of a {@link RecoverySequencer}: {@code recover()} or {@code recoverIsolated}. */
  RECOVERY("recovery");

  private final String label;

  RunKind(String label) {
    this.label = label;
  }

  /**
   * Returns the lower-case name, which is also the journal source of the run's own entries.
   *
   * @return {@code "shutdown"} or {@code "recovery"}
   */
  public String label() {
    return label;
  }
}
