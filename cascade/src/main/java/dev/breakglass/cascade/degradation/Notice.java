package dev.breakglass.cascade.degradation;

import dev.breakglass.core.EventCategory;

/**
 * Something a {@link CascadeManager} decided under its lock and delivers outside it, in order,
 * through a {@link dev.breakglass.core.internal.DeliveryQueue} to its {@link ChangePublisher}.
 * Each is stamped with the ticker reading of the moment it happened, for the journal.
 */
sealed interface Notice {

  /**
   * A severity change: journal entries, then severity listeners, then member listeners.
   *
   * @param at the ticker reading of the change; 0 when the manager has no journal (no clock read)
   */
  record SeverityChanged(Mode from, Mode to, String cause, long at) implements Notice {}

  /**
   * A journal entry of its own: a declaration made or cleared.
   *
   * @param at the ticker reading of the declaration
   * @param category what the entry means for an incident
   */
  record JournalOnly(long at, EventCategory category, String kind, String detail)
      implements Notice {}
}
