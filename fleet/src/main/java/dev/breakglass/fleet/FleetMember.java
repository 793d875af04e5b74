package dev.breakglass.fleet;

import dev.breakglass.fingerprint.Fingerprint;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One instance of a fleet as the fleet's members table records it. Immutable and thread-safe.
 *
 * @param instance the instance's id, unique in its fleet
 * @param group its group, or null if it is in none
 * @param host the host it runs on
 * @param pid its process id there
 * @param startedAt when its process started
 * @param heartbeatAt its last heartbeat, by the database's clock
 * @param running the fingerprint of the state it last said it runs, or null if it did not say
 * @param rollsBack whether it carries out rollback orders (it has a rollback plan)
 * @param adoptedDeclaration the number of the last fleet declaration (or clearing) it applied
 *     to its cascade manager, if any
 * @param leftAt when it left the fleet by closing, or null while it is a member
 * @param stale whether its heartbeat is older than the fleet's {@link Fleet.Builder#staleAfter
 *     stale-after} limit (and it has not left): it may be gone, hung, or cut off
 */
public record FleetMember(String instance, @Nullable String group, String host, long pid,
    Instant startedAt, Instant heartbeatAt, @Nullable Fingerprint running, boolean rollsBack,
    OptionalLong adoptedDeclaration, @Nullable Instant leftAt, boolean stale) {

  /**
   * Validates the components.
   *
   * @param instance the instance's id
   * @param group its group, or null
   * @param host the host it runs on
   * @param pid its process id
   * @param startedAt when its process started
   * @param heartbeatAt its last heartbeat
   * @param running the fingerprint of the state it runs, or null
   * @param rollsBack whether it carries out rollback orders
   * @param adoptedDeclaration the last fleet declaration it applied, if any
   * @param leftAt when it left, or null
   * @param stale whether its heartbeat is too old
   * @throws NullPointerException if a component other than {@code group}, {@code running} and
   *     {@code leftAt} is null
   */
  public FleetMember {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(heartbeatAt, "heartbeatAt");
    Objects.requireNonNull(adoptedDeclaration, "adoptedDeclaration");
  }

  /**
   * Tells whether the instance is still a member: it has not left.
   *
   * @return {@code true} until it closes
   */
  public boolean isMember() {
    return leftAt == null;
  }
}
