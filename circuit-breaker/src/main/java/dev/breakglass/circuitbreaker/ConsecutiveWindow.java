package dev.breakglass.circuitbreaker;

/**
 * Consecutive-failure mode: the length of the current run of failures.
 */
final class ConsecutiveWindow extends ConsecutiveFields {

  /*
   * Design. One padded counter. A failure increments it (getAndAdd); a success resets it,
   * but writes only if it is not already zero, so that threads that only succeed share the
   * line read-only and never contend. With several threads a success and a failure that
   * happen at the same instant may be ordered either way: "N failures with no success
   * recorded in between" holds in the order the counter saw them.
   */

  long q01, q02, q03, q04, q05, q06, q07, q08;

  private final int threshold;

  ConsecutiveWindow(int threshold) {
    this.threshold = threshold;
  }

  @Override
  boolean record(int outcome, long now) {
    if ((outcome & FAILURE) == 0) {
      if ((long) RUN.getOpaque(this) != 0L) {
        RUN.setRelease(this, 0L);
      }
      return false;
    }
    return (long) RUN.getAndAdd(this, 1L) + 1L >= threshold;
  }

  @Override
  Counts snapshot(long now, boolean judging) {
    long run = (long) RUN.getAcquire(this);
    return new Counts(run, run, 0L);
  }
}
