package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Health;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The final word of an {@link Engine} on one node: how it ended and what ran, before a
 * sequencer turns it into a {@link ComponentReport}.
 *
 * @param node the node's global index in the graph
 * @param ran whether any of the node's work began: a step was claimed, or it had no steps
 * @param start when its work began, from the start of the run; null if nothing ran
 * @param end when its work ended or was abandoned; null if nothing ran
 * @param steps the steps that ran
 * @param failure the first failure, or null
 * @param detail what the report says about it; empty when the outcome says it all
 * @param health the last health its check reported, or null
 */
record NodeResult(
    int node,
    Outcome outcome,
    boolean ran,
    @Nullable Duration start,
    @Nullable Duration end,
    List<StepReport> steps,
    @Nullable Throwable failure,
    String detail,
    @Nullable Health health) {

  /** A node that never ran, for {@code reason}. */
  static NodeResult skipped(int node, String reason) {
    return new NodeResult(node, Outcome.SKIPPED, false, null, null, List.of(), null, reason, null);
  }

  /** How long its work took, in nanoseconds; 0 if nothing ran. */
  long durationNanos() {
    Duration start = this.start;
    Duration end = this.end;
    return start == null || end == null ? 0L : end.minus(start).toNanos();
  }
}
