package dev.breakglass.fingerprint;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One difference between two values: a path and what happened there. Immutable and
 * thread-safe.
 *
 * @param type whether the path was added, removed or changed
 * @param path where: a map key, list index or set element path from the root
 * @param before the value at {@code path} before; null exactly when {@code type} is
 *     {@link Type#ADDED}
 * @param after the value at {@code path} after; null exactly when {@code type} is
 *     {@link Type#REMOVED}
 */
public record Change(Type type, ValuePath path, @Nullable Value before, @Nullable Value after) {

  /** What happened at a path. */
  public enum Type {
    /** The path exists only in the newer value. */
    ADDED,
    /** The path exists only in the older value. */
    REMOVED,
    /**
     * The path exists in both with different values that are not two containers of the same
     * kind (those are descended into instead): a changed leaf, or a change of kind.
     */
    CHANGED
  }

  /**
   * Validates the components.
   *
   * @param type whether the path was added, removed or changed
   * @param path where
   * @param before the value before, null for an addition
   * @param after the value after, null for a removal
   * @throws NullPointerException if {@code type} or {@code path} is null, or a value that the
   *     type requires is null
   * @throws IllegalArgumentException if a value that the type forbids is present
   */
  public Change {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(path, "path");
    if (type != Type.ADDED) {
      Objects.requireNonNull(before,
          () -> type + " change at " + path.toText() + " needs a before value");
    } else if (before != null) {
      throw new IllegalArgumentException(
          "ADDED change at " + path.toText() + " has no before value");
    }
    if (type != Type.REMOVED) {
      Objects.requireNonNull(after,
          () -> type + " change at " + path.toText() + " needs an after value");
    } else if (after != null) {
      throw new IllegalArgumentException(
          "REMOVED change at " + path.toText() + " has no after value");
    }
  }

  /**
   * Renders the change on one line: {@code ~ path: before -> after}, {@code + path: after} or
   * {@code - path: before}, with long values abbreviated. Keys and strings are quoted and
   * escaped (line breaks, control and bidirectional characters), so that a hostile key or value
   * cannot forge a line or reach a terminal as an escape sequence.
   *
   * @return the one-line rendering
   */
  @Override
  public String toString() {
    return switch (type) {
      // the constructor has checked that the type's values are there
      case ADDED -> "+ " + path.toText() + ": " + JavaValues.abbreviate(Objects.requireNonNull(after));
      case REMOVED -> "- " + path.toText() + ": "
          + JavaValues.abbreviate(Objects.requireNonNull(before));
      case CHANGED -> "~ " + path.toText() + ": "
          + JavaValues.abbreviate(Objects.requireNonNull(before)) + " -> "
          + JavaValues.abbreviate(Objects.requireNonNull(after));
    };
  }
}
