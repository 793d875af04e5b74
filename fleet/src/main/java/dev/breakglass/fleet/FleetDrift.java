package dev.breakglass.fleet;

import dev.breakglass.core.internal.PlainText;
import dev.breakglass.fingerprint.Fingerprint;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a fleet's instances stand against its last known-stable configuration: which run
 * something else, and which have gone quiet. Immutable and thread-safe.
 *
 * @param lastKnownStable the fingerprint of the fleet's rollback target, if any was marked
 * @param members the instances that are members (have not left), by id
 * @param divergent the members whose running fingerprint is not the last known-stable one,
 *     or unknown; empty when nothing was marked stable
 * @param stale the members whose heartbeat is older than the fleet's stale-after limit
 */
public record FleetDrift(Optional<Fingerprint> lastKnownStable, List<FleetMember> members,
    List<FleetMember> divergent, List<FleetMember> stale) {

  /**
   * Copies the lists.
   *
   * @param lastKnownStable the fleet's rollback target, if any
   * @param members the members
   * @param divergent the members not running the target
   * @param stale the members whose heartbeat is too old
   * @throws NullPointerException if a component or an element is null
   */
  public FleetDrift {
    Objects.requireNonNull(lastKnownStable, "lastKnownStable");
    members = List.copyOf(members);
    divergent = List.copyOf(divergent);
    stale = List.copyOf(stale);
  }

  /**
   * Tells whether every member runs the last known-stable configuration and none is stale.
   *
   * @return {@code true} if nothing drifted
   */
  public boolean isConverged() {
    return divergent.isEmpty() && stale.isEmpty();
  }

  /**
   * Renders the drift on a few lines, names escaped.
   *
   * @return for example {@code "2 of 3 members drifted from sha256:4cf9d7acc252\n  shop-2
   *     runs sha256:7d1d101dfe61\n  shop-3 is stale: last heartbeat 2026-..."}
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    int drifted = (int) members.stream()
        .filter(m -> divergent.contains(m) || stale.contains(m)).count();
    out.append(drifted).append(" of ").append(members.size()).append(" members drifted from ")
        .append(lastKnownStable.map(Fingerprint::toShortString)
            .orElse("(nothing marked known-stable)"))
        .append('\n');
    for (FleetMember member : divergent) {
      out.append("  ").append(PlainText.escape(member.instance())).append(" runs ")
          .append(member.running() == null ? "(unknown)" : member.running().toShortString())
          .append('\n');
    }
    for (FleetMember member : stale) {
      out.append("  ").append(PlainText.escape(member.instance()))
          .append(" is stale: last heartbeat ").append(member.heartbeatAt()).append('\n');
    }
    return out.toString();
  }
}
