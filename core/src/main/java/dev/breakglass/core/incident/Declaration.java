package dev.breakglass.core.incident;

import java.time.Instant;
import java.util.Objects;

/**
 * An incident opened or closed by a person: who, why and when.
 *
 * @param by who opened or closed it
 * @param reason why
 * @param nanoTime the journal's ticker reading when it was declared
 * @param time the wall-clock time when it was declared
 */
public record Declaration(String by, String reason, long nanoTime, Instant time) {

  /**
   * Validates the components.
   *
   * @param by who opened or closed it
   * @param reason why
   * @param nanoTime the journal's ticker reading when it was declared
   * @param time the wall-clock time when it was declared
   * @throws NullPointerException if {@code by}, {@code reason} or {@code time} is null
   */
  public Declaration {
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(time, "time");
  }
}
