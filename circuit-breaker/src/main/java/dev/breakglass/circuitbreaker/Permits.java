package dev.breakglass.circuitbreaker;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The permits of {@link CircuitBreaker#tryAcquirePermit()}, laid out in a {@code long}, and the
 * trial ids an outcome is recorded with. Stateless apart from the counter that tags breakers.
 */
final class Permits {

  /*
   * A permit, bit by bit (bit 63 is clear, so a permit is positive and never NO_PERMIT):
   *   62       PERMIT_TAG: a duration passed where a permit belongs fails loudly
   *   42..61   the issuing breaker's tag (breakers take consecutive tags, 20 bits: breakers
   *            created up to a million apart never share one), so that another breaker
   *            refuses it
   *   41       TRIAL: let through in HALF_OPEN, as a trial of that period
   *   20..40   trial permits: the low bits of the HALF_OPEN period's generation
   *   0..19    trial permits: the low bits of the permit's lease in that period (TrialLeases)
   * Every other permit is exactly the breaker's base permit (PERMIT_TAG | tag): CLOSED hands
   * it out without a write, and taking it back costs one comparison. CircuitBreaker's design
   * comment says what is checked on use, and why a base permit is not tracked one by one.
   *
   * A trial id says where a call was let through, for record(): NOT_A_TRIAL outside
   * HALF_OPEN, the generation of the HALF_OPEN period whose trial it is, UNKNOWN_TRIAL when
   * the call came through the permit-less API, ENDED_TRIAL for a trial of a period that has
   * ended.
   */

  /** The trial id of a call let through outside HALF_OPEN. */
  static final long NOT_A_TRIAL = 0L;
  /** The trial id of an outcome whose call's permit is not known (the permit-less API). */
  static final long UNKNOWN_TRIAL = -1L;
  /** The trial id of a trial permit whose HALF_OPEN period has ended: never counted. */
  static final long ENDED_TRIAL = Long.MAX_VALUE;

  private static final long PERMIT_TAG = 1L << 62;
  private static final int TAG_SHIFT = 42;
  private static final int TAG_BITS = 20;
  private static final long TRIAL = 1L << 41;
  private static final int GEN_SHIFT = TrialLeases.SEQ_BITS;
  private static final long GEN_MASK = (1L << (TAG_SHIFT - 1 - GEN_SHIFT)) - 1;
  /** Everything of a permit below the breaker's tag. */
  private static final long PAYLOAD = (1L << TAG_SHIFT) - 1;
  private static final AtomicInteger TAGS = new AtomicInteger();

  private Permits() {}

  /** The base permit of a new breaker: the permit tag and the breaker's own tag. */
  static long newBase() {
    long tag = TAGS.getAndIncrement() & ((1L << TAG_BITS) - 1);
    return PERMIT_TAG | tag << TAG_SHIFT;
  }

  /**
   * The permit of a trial call.
   *
   * @param base the breaker's base permit
   * @param generation the generation of the HALF_OPEN period that let the call through
   * @param lease the lease the call holds in that period ({@link TrialLeases#claim()})
   */
  static long trial(long base, long generation, long lease) {
    return base | TRIAL | (generation & GEN_MASK) << GEN_SHIFT | (lease & TrialLeases.SEQ_MASK);
  }

  /**
   * Takes a permit other than the base permit back for its one use: checks that the breaker
   * issued it and, for a trial permit of the current HALF_OPEN period, ends its lease.
   *
   * @param permit what the caller reports
   * @param base the breaker's base permit
   * @param current the breaker's current period
   * @param breakerName the breaker's name, for messages
   * @return the trial id to record with: the current period's generation for its trial,
   *     {@link #ENDED_TRIAL} for a trial of an ended period
   * @throws IllegalArgumentException if {@code permit} is not a permit
   * @throws IllegalStateException if another breaker issued it, or it is a trial permit of
   *     the current period that has been used already
   */
  static long use(long permit, long base, Period current, String breakerName) {
    if ((permit >>> 62) != 1L) {
      throw notAPermit(permit);
    }
    if ((permit & ~PAYLOAD) != base) {
      throw refused(breakerName, permit, "it was issued by another circuit breaker (a permit is"
          + " valid only for the breaker whose tryAcquirePermit() returned it)");
    }
    if ((permit & TRIAL) == 0L) {
      throw notAPermit(permit);
    }
    if (current.state != State.HALF_OPEN
        || (current.generation & GEN_MASK) != ((permit >>> GEN_SHIFT) & GEN_MASK)) {
      return ENDED_TRIAL; // a late outcome of an ended period: not counted, so not checked
    }
    if (!current.endLease(permit & TrialLeases.SEQ_MASK)) {
      throw refused(breakerName, permit, "it was already used (a permit takes exactly one"
          + " onSuccess, onError, onResult or releasePermit)");
    }
    return current.generation;
  }

  private static IllegalArgumentException notAPermit(long permit) {
    return new IllegalArgumentException(
        "permit must be a value returned by tryAcquirePermit(), was " + permit);
  }

  private static IllegalStateException refused(String breakerName, long permit, String why) {
    return new IllegalStateException(
        "circuit breaker '" + breakerName + "' refused permit " + permit + ": " + why);
  }
}
