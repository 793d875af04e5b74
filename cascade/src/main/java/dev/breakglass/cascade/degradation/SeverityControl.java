package dev.breakglass.cascade.degradation;

import dev.breakglass.core.Severity;
import dev.breakglass.core.Ticker;
import dev.breakglass.core.internal.DurationFormat;
import org.jspecify.annotations.Nullable;

/**
 * Decides a {@link CascadeManager}'s severity: the declaration in force, or else what the
 * escalation rules indicate on the {@link HealthBoard}, at once when that is worse and through
 * the cooldown, one level at a time, when it is better.
 *
 * <p>Not thread-safe: every method is called with the manager's lock held.
 */
final class SeverityControl {

  /*
   * Design: the hysteresis is a single timer. `betterSince` starts when the indicated severity
   * first drops below the current one (`coolingDown` is then set), is cancelled when it rises
   * back to the current one or above, and each step down restarts it, so two steps down are
   * always at least a cooldown apart. One evaluation takes at most one step, however long the
   * quiet spell before it. The ticker is read only while a cooldown runs (or to stamp a
   * change), so a signal that changes nothing reads no clock.
   */

  /** Where a decision goes: the manager publishes the mode and queues the notice. */
  @FunctionalInterface
  interface Change {
    void to(Severity severity, String cause);
  }

  private final HealthBoard board;
  private final Ticker ticker;
  private final long cooldownNanos;
  private final Change change;

  private @Nullable Declaration declared;
  /** Whether the rules indicate a better severity and the cooldown runs since betterSince. */
  private boolean coolingDown;
  private long betterSince;

  SeverityControl(HealthBoard board, Ticker ticker, long cooldownNanos, Change change) {
    this.board = board;
    this.ticker = ticker;
    this.cooldownNanos = cooldownNanos;
    this.change = change;
  }

  /** The declaration in force, or null when the rules are in control. */
  @Nullable Declaration declared() {
    return declared;
  }

  /** Puts a declaration in force (or clears it, with null); returns the one it replaces. */
  @Nullable Declaration declare(@Nullable Declaration declaration) {
    Declaration previous = declared;
    declared = declaration;
    return previous;
  }

  /**
   * Brings the severity in line with the declaration or the rules, changing it through
   * {@link Change} at most once.
   *
   * @param current the manager's severity now
   * @param trigger the board index of the component whose signal is being processed, or -1,
   *     so that the cause names it first
   */
  void settle(Severity current, int trigger) {
    Declaration declaration = declared;
    if (declaration != null) {
      coolingDown = false;
      if (declaration.severity() != current) {
        change.to(declaration.severity(),
            "declared by " + declaration.by() + ": " + declaration.reason());
      }
      return;
    }
    Severity indicated = board.indicated();
    int comparison = indicated.compareTo(current);
    if (comparison > 0) {
      coolingDown = false;
      change.to(indicated, board.explain(indicated, trigger));
    } else if (comparison == 0) {
      coolingDown = false;
    } else {
      long now = ticker.read();
      if (!coolingDown) {
        coolingDown = true;
        betterSince = now;
      }
      if (now - betterSince >= cooldownNanos) {
        Severity next = current.deescalated();
        change.to(next, "cooldown " + DurationFormat.format(cooldownNanos)
            + " of better signals elapsed; rules indicate " + indicated
            + (indicated == Severity.NORMAL ? "" : " (" + board.explain(indicated, trigger) + ")"));
        if (indicated.compareTo(next) < 0) {
          betterSince = now;
        } else {
          coolingDown = false;
        }
      }
    }
  }
}
