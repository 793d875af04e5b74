package dev.breakglass.core;

/**
 * What a {@link JournalEntry} means for an incident: the small vocabulary that lets a machine
 * tell a failure signal from a detection, a mitigation, a recovery step and a resolution, so
 * that {@link dev.breakglass.core.incident.IncidentTracker} can derive incidents from a
 * journal.
 *
 * <p>How a module picks a category for what it records: ask what the entry says about the
 * trouble.
 *
 * <table>
 *   <caption>Categories, with the entries breakglass's own modules record under each</caption>
 *   <tr><th>category</th><th>means</th><th>recorded by breakglass for</th></tr>
 *   <tr><td>{@link #SIGNAL}</td><td>something failed, nobody has reacted yet</td>
 *       <td>an integrity failure of the snapshot store, a recovery phase that failed</td></tr>
 *   <tr><td>{@link #DETECTION}</td><td>the library (or a person) noticed and changed state
 *       because of it</td><td>a breaker opening, severity raised, a severity or an incident
 *       declared by hand</td></tr>
 *   <tr><td>{@link #MITIGATION}</td><td>something was done to limit the damage</td>
 *       <td>a tier shed or deferred, a limiter rejecting, a fallback serving, a rollback
 *       starting</td></tr>
 *   <tr><td>{@link #RECOVERY}</td><td>a step back to normal</td><td>a breaker half-open or
 *       closed, severity lowered (not yet to NORMAL), a tier restored, a rollback that
 *       succeeded, a recovery run done</td></tr>
 *   <tr><td>{@link #RESOLUTION}</td><td>back to normal</td><td>severity back to NORMAL, an
 *       incident closed by hand</td></tr>
 *   <tr><td>{@link #INFO}</td><td>context, neither good nor bad</td><td>configuration
 *       changes, snapshots, shutdown steps, anything recorded with
 *       {@link IncidentJournal#record(String, String, String)}</td></tr>
 * </table>
 *
 * <p>An entry that ends a mitigation (a tier restored, a fallback no longer serving) is a
 * {@link #RECOVERY} from the same source with the same {@link JournalEntry#tier() tier}; a
 * component's own state goes in {@link JournalEntry#health()}.
 */
public enum EventCategory {
  /** Something failed and nothing has reacted yet: a failure signal. */
  SIGNAL,
  /** The trouble was noticed: a breaker opened, severity was raised, a person declared it. */
  DETECTION,
  /** Something limits the damage: shedding, deferral, rejection, a fallback, a rollback. */
  MITIGATION,
  /** A step back to normal: a breaker closing, severity lowered, a tier restored. */
  RECOVERY,
  /** Back to normal: severity NORMAL again, or an incident closed by hand. */
  RESOLUTION,
  /** Context that is neither trouble nor recovery: configuration, snapshots, shutdown steps. */
  INFO;

  /**
   * Tells whether an entry of this category is trouble: a {@link #SIGNAL}, a
   * {@link #DETECTION} or a {@link #MITIGATION}. Trouble opens an incident and keeps it open.
   *
   * @return whether this category marks trouble
   */
  public boolean isTrouble() {
    return this == SIGNAL || this == DETECTION || this == MITIGATION;
  }
}
