package dev.breakglass.circuitbreaker;

import dev.breakglass.circuitbreaker.CircuitBreaker.State;
import dev.breakglass.circuitbreaker.OutcomeWindow.Counts;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One period in one state: a breaker holds exactly one current period, and a transition
 * replaces it with a new one by compare-and-exchange, so each period (its window, its trial
 * permits, its deadline) belongs to exactly one transition. A period that lets a call through
 * is the call's {@link Admission}: its outcome is attributed to that period.
 */
final class Period implements Admission {

  /*
   * Design. Periods are immutable apart from their own counters: the HALF_OPEN permits, trial
   * outcomes and time of the last trial admission (CAS and getAndAdd on this period only),
   * the OPEN/HALF_OPEN flag `callersCheckDeadline` (whether callers must read the clock to
   * notice the deadline, or a timer will), the METRICS_ONLY edge flag for threshold events,
   * and two fields written by the breaker before it installs the period with its CAS (so that
   * everyone who reads the period from the breaker sees them): the generation, one more than
   * the period it replaced, so installed periods have distinct generations and a permit can
   * name the HALF_OPEN period that granted it; and the publication link `previous`, then read
   * and cleared only by the thread publishing the breaker's transitions (one at a time, see
   * SerialDelivery).
   *
   * Max wait in HALF_OPEN: a trial admission first raises `lastAdmission` to its clock
   * reading, then takes its permit (a volatile CAS). A reader that sees the permit taken
   * (volatile read) therefore also sees the time, so it can only judge the wait against a
   * time that is too late, never too early: hung trials are given up no sooner than the
   * max wait after the last admission.
   *
   * Low-level trial permits: a HALF_OPEN period creates its TrialLeases when it hands out its
   * first permit through tryAcquirePermit() (a CAS installs it; the loser uses the winner's),
   * and each such permit holds a lease until its first report or release (see TrialLeases).
   */

  private static final int TRIAL_BITS = 21;
  private static final long TRIAL_MASK = (1L << TRIAL_BITS) - 1;
  private static final VarHandle PERMITS;
  private static final VarHandle TRIALS;
  private static final VarHandle DEADLINE_ON_CALLS;
  private static final VarHandle EXCEEDED;
  private static final VarHandle LAST_ADMISSION;
  private static final VarHandle LEASES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PERMITS = lookup.findVarHandle(Period.class, "permits", int.class);
      TRIALS = lookup.findVarHandle(Period.class, "trials", long.class);
      DEADLINE_ON_CALLS = lookup.findVarHandle(Period.class, "callersCheckDeadline", boolean.class);
      EXCEEDED = lookup.findVarHandle(Period.class, "exceeded", boolean.class);
      LAST_ADMISSION = lookup.findVarHandle(Period.class, "lastAdmission", long.class);
      LEASES = lookup.findVarHandle(Period.class, "leases", TrialLeases.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final State state;
  /** CLOSED and METRICS_ONLY: where outcomes go. */
  final @Nullable OutcomeWindow window;
  /** OPEN: what the window held when the breaker opened. */
  final Counts tripCounts;
  /** OPEN and HALF_OPEN: how many times in a row the breaker has opened. */
  final int attempt;
  /** The ticker reading when the period began. */
  final long since;
  /** OPEN: the wait; HALF_OPEN: the maximum wait for outstanding trials, 0 for none. */
  final long waitNanos;
  /** HALF_OPEN: the number of trial calls. */
  final int permitted;
  final Reason reason;

  @SuppressWarnings("unused") // accessed through PERMITS
  private int permits;
  @SuppressWarnings("unused") // accessed through TRIALS
  private long trials;
  @SuppressWarnings("unused") // accessed through DEADLINE_ON_CALLS
  private boolean callersCheckDeadline;
  @SuppressWarnings("unused") // accessed through EXCEEDED
  private boolean exceeded;
  @SuppressWarnings("unused") // accessed through LAST_ADMISSION
  private long lastAdmission;
  @SuppressWarnings("unused") // accessed through LEASES
  private @Nullable TrialLeases leases;

  /** The period this one replaced, until the transition has been published. */
  @Nullable Period previous;
  /** One more than the period this one replaced; written before this one is installed. */
  long generation;

  private Period(State state, @Nullable OutcomeWindow window, Counts tripCounts, int attempt,
      long since, long waitNanos, int permitted, boolean callersCheckDeadline, Reason reason) {
    this.state = state;
    this.window = window;
    this.tripCounts = tripCounts;
    this.attempt = attempt;
    this.since = since;
    this.waitNanos = waitNanos;
    this.permitted = permitted;
    this.reason = reason;
    this.permits = permitted;
    this.callersCheckDeadline = callersCheckDeadline;
    this.lastAdmission = since;
  }

  static Period closed(OutcomeWindow window, Reason reason, long now) {
    return new Period(State.CLOSED, window, Counts.EMPTY, 0, now, 0, 0, true, reason);
  }

  static Period metricsOnly(OutcomeWindow window, Reason reason, long now) {
    return new Period(State.METRICS_ONLY, window, Counts.EMPTY, 0, now, 0, 0, true, reason);
  }

  static Period open(int attempt, long waitNanos, Counts counts, boolean callersCheckDeadline,
      Reason reason, long now) {
    return new Period(State.OPEN, null, counts, attempt, now, waitNanos, 0, callersCheckDeadline,
        reason);
  }

  static Period halfOpen(int attempt, int permitted, long maxWaitNanos,
      boolean callersCheckDeadline, Reason reason, long now) {
    return new Period(State.HALF_OPEN, null, Counts.EMPTY, attempt, now, maxWaitNanos,
        permitted, callersCheckDeadline, reason);
  }

  /** A DISABLED or FORCED_OPEN period: entered and left by manual transitions only. */
  static Period manual(State state, Reason reason, long now) {
    return new Period(state, null, Counts.EMPTY, 0, now, 0, 0, true, reason);
  }

  /**
   * Whether callers must read the clock to notice this period's deadline: no timer will end
   * it.
   */
  boolean callersCheckDeadline() {
    return (boolean) DEADLINE_ON_CALLS.getOpaque(this);
  }

  /** Makes callers notice this period's deadline: its timer could not be scheduled. */
  void letCallersCheckDeadline() {
    DEADLINE_ON_CALLS.setRelease(this, true);
  }

  /**
   * The trial id of a call this period let through (see {@link Permits}): its generation if
   * it is a HALF_OPEN period (the call is a trial of this period), {@link Permits#NOT_A_TRIAL}
   * otherwise.
   */
  long trialId() {
    return state == State.HALF_OPEN ? generation : Permits.NOT_A_TRIAL;
  }

  /**
   * Takes a HALF_OPEN trial permit if one is left, first noting {@code now} as the time of
   * the last admission (see the design notes).
   */
  boolean tryTakePermit(long now) {
    if ((int) PERMITS.getVolatile(this) > 0) {
      noteAdmission(now);
    }
    return tryTakePermit();
  }

  /** Raises the time of the last admission to {@code now} (never lowers it). */
  private void noteAdmission(long now) {
    long last = (long) LAST_ADMISSION.getOpaque(this);
    while (now - last > 0) {
      long witness = (long) LAST_ADMISSION.compareAndExchange(this, last, now);
      if (witness == last) {
        return;
      }
      last = witness;
    }
  }

  /**
   * The ticker reading of the last trial admission ({@link #since} before the first); read it
   * after {@link #outstandingTrials()} (see the design notes).
   */
  long lastAdmission() {
    return (long) LAST_ADMISSION.getAcquire(this);
  }

  /** Takes a HALF_OPEN trial permit if one is left. */
  boolean tryTakePermit() {
    int p = (int) PERMITS.getVolatile(this);
    while (p > 0) {
      int witness = (int) PERMITS.compareAndExchange(this, p, p - 1);
      if (witness == p) {
        return true;
      }
      p = witness;
    }
    return false;
  }

  /**
   * Takes a lease for a low-level trial permit this HALF_OPEN period has just let through.
   *
   * @return the lease's sequence number, or {@link TrialLeases#NONE} if every lease is held
   */
  long claimLease() {
    TrialLeases table = (TrialLeases) LEASES.getAcquire(this);
    if (table == null) {
      TrialLeases created = new TrialLeases(permitted);
      TrialLeases witness = (TrialLeases) LEASES.compareAndExchange(this, null, created);
      table = witness == null ? created : witness;
    }
    return table.claim();
  }

  /**
   * Ends the lease of a low-level trial permit of this period.
   *
   * @param seq the low bits of the lease's sequence number, as the permit carries them
   * @return true if this call ended it; false if it had ended already
   */
  boolean endLease(long seq) {
    TrialLeases table = (TrialLeases) LEASES.getAcquire(this);
    return table != null && table.end(seq);
  }

  /** Gives a permit back (never more than were permitted). */
  void releasePermit() {
    int p = (int) PERMITS.getVolatile(this);
    while (p < permitted) {
      int witness = (int) PERMITS.compareAndExchange(this, p, p + 1);
      if (witness == p) {
        return;
      }
      p = witness;
    }
  }

  /** How many trial calls were let through and have not reported an outcome. */
  long outstandingTrials() {
    long admitted = (long) permitted - (int) PERMITS.getVolatile(this);
    return Math.max(0L, admitted - trialCalls((long) TRIALS.getVolatile(this)));
  }

  /** Adds a trial outcome; returns the packed totals including it. */
  long addTrial(int outcome) {
    long delta = 1L
        | ((long) (outcome & OutcomeWindow.FAILURE) << TRIAL_BITS)
        | ((long) ((outcome & OutcomeWindow.SLOW) >>> 1) << (2 * TRIAL_BITS));
    return (long) TRIALS.getAndAdd(this, delta) + delta;
  }

  Counts trialCounts() {
    return unpack((long) TRIALS.getVolatile(this));
  }

  static long trialCalls(long packed) {
    return packed & TRIAL_MASK;
  }

  static Counts unpack(long packed) {
    return new Counts(packed & TRIAL_MASK, (packed >>> TRIAL_BITS) & TRIAL_MASK,
        (packed >>> (2 * TRIAL_BITS)) & TRIAL_MASK);
  }

  boolean isExceeded() {
    return (boolean) EXCEEDED.getOpaque(this);
  }

  /**
   * Records whether a METRICS_ONLY window is over a threshold; returns true only when it goes
   * from below to over (once per crossing, whichever thread sees it first).
   */
  boolean markExceeded(boolean value) {
    if ((boolean) EXCEEDED.getOpaque(this) == value) {
      return false;
    }
    return EXCEEDED.compareAndSet(this, !value, value) && value;
  }

  @Override
  public String toString() {
    return state + "[" + reason + "]";
  }
}
