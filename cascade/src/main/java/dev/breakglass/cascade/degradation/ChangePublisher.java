package dev.breakglass.cascade.degradation;

import dev.breakglass.core.EventCategory;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Listeners;
import dev.breakglass.core.Severity;
import dev.breakglass.core.Ticker;
import dev.breakglass.core.Tier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Delivers a {@link CascadeManager}'s {@link Notice notices}: for a severity change, the journal
 * entries first, then the severity listeners, then the listeners of every component and feature
 * whose allowance changed, most expendable tier first when degrading and most important first
 * when restoring, registration order within a tier.
 *
 * <p>Called by one thread at a time (see {@link dev.breakglass.core.internal.SerialDelivery}),
 * never under the manager's lock; holds no state of its own.
 */
final class ChangePublisher implements Consumer<Notice> {

  private static final Tier[] TIERS = Tier.values();

  private final Roster roster;
  private final Listeners<SeverityChange> severityListeners;
  private final Ticker ticker;
  private final @Nullable IncidentJournal journal;

  ChangePublisher(Roster roster, Listeners<SeverityChange> severityListeners, Ticker ticker,
      @Nullable IncidentJournal journal) {
    this.roster = roster;
    this.severityListeners = severityListeners;
    this.ticker = ticker;
    this.journal = journal;
  }

  @Override
  public void accept(Notice notice) {
    if (notice instanceof Notice.SeverityChanged change) {
      publish(change);
    } else if (notice instanceof Notice.JournalOnly entry && journal != null) {
      journal.recordAt(ticker, entry.at(), entry.category(), CascadeManager.SOURCE,
          entry.kind(), null, null, null, entry.detail());
    }
  }

  private void publish(Notice.SeverityChanged change) {
    Mode from = change.from();
    Mode to = change.to();
    boolean degrading = to.severity().isWorseThan(from.severity());
    if (journal != null) {
      record(journal, change, degrading);
    }
    flightEvents(change, degrading);
    if (severityListeners.hasListeners()) {
      severityListeners.publish(new SeverityChange(from, to, change.cause()));
    }
    for (int k = 0; k < TIERS.length; k++) {
      Tier tier = TIERS[degrading ? TIERS.length - 1 - k : k];
      boolean affected = from.admits(tier) != to.admits(tier)
          || (to.admits(tier) && from.capacityFactor() != to.capacityFactor());
      if (!affected) {
        continue;
      }
      for (Member member : roster.ofTier(tier)) {
        if (member.listeners().hasListeners()) {
          member.listeners().publish(
              new AdmissionChange(member.name(), tier, from, to, change.cause()));
        }
      }
    }
  }

  /** The flight-recorder events of a change, each built only if a recording wants it. */
  private void flightEvents(Notice.SeverityChanged change, boolean degrading) {
    Mode from = change.from();
    Mode to = change.to();
    SeverityFlightEvent.commit(from, to, change.cause());
    for (int k = 0; k < TIERS.length; k++) {
      Tier tier = TIERS[degrading ? TIERS.length - 1 - k : k];
      if (from.admits(tier) != to.admits(tier)) {
        TierFlightEvent.commit(degrading, tier, to.severity(), roster.namesOf(tier));
      }
    }
  }

  private void record(IncidentJournal journal, Notice.SeverityChanged change, boolean degrading) {
    Mode from = change.from();
    Mode to = change.to();
    String capacity = from.capacityFactor() == to.capacityFactor()
        ? ""
        : "; capacity " + from.capacityFactor() + " -> " + to.capacityFactor();
    EventCategory category = degrading
        ? EventCategory.DETECTION
        : to.severity() == Severity.NORMAL ? EventCategory.RESOLUTION : EventCategory.RECOVERY;
    journal.recordAt(ticker, change.at(), category, CascadeManager.SOURCE, "severity",
        to.severity(), null, null,
        from.severity() + " -> " + to.severity() + ": " + change.cause() + capacity);
    for (int k = 0; k < TIERS.length; k++) {
      Tier tier = TIERS[degrading ? TIERS.length - 1 - k : k];
      if (from.admits(tier) == to.admits(tier)) {
        continue;
      }
      String names = roster.namesOf(tier);
      String kind = degrading ? "shed" : "restored";
      journal.recordAt(ticker, change.at(),
          degrading ? EventCategory.MITIGATION : EventCategory.RECOVERY, CascadeManager.SOURCE,
          kind, null, tier, null, tier + " " + kind + " at " + to.severity() + (names.isEmpty() ? "" : ": " + names));
    }
  }
}
