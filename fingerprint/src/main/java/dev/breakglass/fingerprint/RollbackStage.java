package dev.breakglass.fingerprint;

import java.util.Locale;

/** The stages of a rollback, in the order a {@link RollbackPlan} runs them. Thread-safe. */
public enum RollbackStage {
  /** Make the service safe to change: stop intake, pause jobs, drain in-flight work. */
  STABILISE,
  /** Put the target state in place: apply the configuration, flags, rules or model. */
  RESTORE,
  /** Rebuild what depends on the state: pools, caches, compiled rules, clients. */
  REINITIALISE,
  /** Check that the service is healthy on the restored state; throw if it is not. */
  VALIDATE;

  /**
   * Returns the kind under which the stage is recorded in the incident journal.
   *
   * @return the lowercase name: {@code "stabilise"}, {@code "restore"},
   *     {@code "reinitialise"} or {@code "validate"}
   */
  public String journalKind() {
    return name().toLowerCase(Locale.ROOT);
  }
}
