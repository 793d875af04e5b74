package dev.breakglass.fleet;

import dev.breakglass.core.Severity;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A severity declared for a whole fleet or one group of it, or the clearing of one: a row of
 * the fleet's declarations table. The newest declaration or clearing that addresses an
 * instance (made for the whole fleet, or for the instance's group) is the one in force there.
 * Immutable and thread-safe.
 *
 * @param id its number in the fleet's declarations, increasing in the order they were made
 * @param group the group it addresses, or null for the whole fleet
 * @param severity the declared severity, or null for a clearing
 * @param by who made it
 * @param reason why
 * @param at when it was made, by the database's clock
 */
public record FleetDeclaration(long id, @Nullable String group, @Nullable Severity severity,
    String by, String reason, Instant at) {

  /**
   * Validates the components.
   *
   * @param id its number
   * @param group the group it addresses, or null for the whole fleet
   * @param severity the declared severity, or null for a clearing
   * @param by who made it
   * @param reason why
   * @param at when it was made
   * @throws NullPointerException if {@code by}, {@code reason} or {@code at} is null
   */
  public FleetDeclaration {
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }

  /**
   * Tells whether this clears a declaration rather than declaring a severity.
   *
   * @return {@code true} for a clearing
   */
  public boolean isClearing() {
    return severity == null;
  }

  /**
   * Describes it for people and the journal (unescaped: the journal escapes when it renders),
   * for example {@code "MAJOR declared for the whole fleet by alice: INC-4711 (declaration #3)"}.
   *
   * @return the description
   */
  public String describe() {
    String scope = group == null ? "the whole fleet" : "group '" + group + "'";
    return (severity == null ? "declaration cleared for " + scope
        : severity + " declared for " + scope) + " by " + by + ": " + reason
        + " (declaration #" + id + ")";
  }
}
