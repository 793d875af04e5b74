package dev.breakglass.fleet;

import dev.breakglass.fingerprint.Fingerprint;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An order to every instance of a fleet (or of one group) to roll back to a snapshot of the
 * fleet's store, through each instance's own rollback plan: made by
 * {@link Fleet#orderRollback}, followed with {@link Fleet#rollbackStatus}. Immutable and
 * thread-safe.
 *
 * @param id its number in the fleet's orders, increasing in the order they were made
 * @param group the group it addresses, or null for the whole fleet
 * @param target the fingerprint of the snapshot to roll back to
 * @param by who ordered it
 * @param reason why
 * @param orderedAt when, by the database's clock
 * @param expected the instances that are to carry it out: the members that had a rollback plan
 *     and a fresh heartbeat when it was made, sorted
 */
public record RollbackOrder(long id, @Nullable String group, Fingerprint target, String by,
    String reason, Instant orderedAt, List<String> expected) {

  /**
   * Validates and copies the components.
   *
   * @param id its number
   * @param group the group it addresses, or null
   * @param target the fingerprint to roll back to
   * @param by who ordered it
   * @param reason why
   * @param orderedAt when
   * @param expected the instances that are to carry it out
   * @throws NullPointerException if a component other than {@code group} is null
   */
  public RollbackOrder {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(orderedAt, "orderedAt");
    expected = List.copyOf(expected);
  }

  /**
   * Describes it for people and the journal (unescaped: the journal escapes when it renders).
   *
   * @return for example {@code "rollback order #2 by alice to sha256:4cf9d7acc252 for the whole
   *     fleet: INC-4711; 3 instances: shop-1, shop-2, shop-3"}
   */
  public String describe() {
    return "rollback order #" + id + " by " + by + " to " + target.toShortString() + " for "
        + (group == null ? "the whole fleet" : "group '" + group + "'") + ": " + reason + "; "
        + expected.size() + (expected.size() == 1 ? " instance" : " instances")
        + (expected.isEmpty() ? "" : ": " + String.join(", ", expected));
  }
}
