package dev.breakglass.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The leases of one HALF_OPEN period's low-level trial permits: each permit
 * {@link CircuitBreaker#tryAcquirePermit()} hands out in the period holds one lease, and the
 * first report or release of the permit ends it, so a permit can decide the period at most
 * once.
 */
final class TrialLeases {

  /*
   * Design. A lease is a sequence number, unique within the period, held in a slot: slot
   * `seq & mask` of a table of `capacity` slots (the permitted number of trials rounded up to
   * a power of two), as `seq + 1` (0 is a free slot). claim() takes the next sequence number
   * with a getAndAdd and CASes its slot from free; a slot that is still held (a lease that
   * outlived `capacity` later claims) is skipped with the next number. end() CASes the slot
   * from the permit's lease back to free: exactly one of any number of racing reports of one
   * permit wins, and every other report (and every later one) finds the slot free or held by
   * another lease.
   *
   * A permit carries the low SEQ_BITS bits of its sequence number, enough to name its slot
   * (capacity <= 2^SEQ_BITS); a stale permit could be taken for a lease of the same slot
   * only after 2^SEQ_BITS claims in one period.
   *
   * The caller of claim() holds one of the period's trial permits (the period's permit count),
   * so at most `permitted <= capacity` leases are held at once and a free slot exists; two
   * passes over the table bound the search anyway, because the permit-less
   * releasePermission() can give back a permit that a lease holder still has.
   *
   * Slots live in chunks of up to CHUNK, created on first use, so a period that permits a
   * million trials but sees ten costs one small chunk. The table is created only when the
   * period hands out its first low-level permit; the wrapping methods need no lease.
   */

  /** The bits of a sequence number a permit carries. */
  static final int SEQ_BITS = 20;
  static final long SEQ_MASK = (1L << SEQ_BITS) - 1;
  /** What {@link #claim()} returns when every slot is held. */
  static final long NONE = -1L;

  private static final int CHUNK_BITS = 10;
  private static final int CHUNK = 1 << CHUNK_BITS;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(long[][].class);
  private static final VarHandle NEXT;

  static {
    try {
      NEXT = MethodHandles.lookup().findVarHandle(TrialLeases.class, "next", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int mask;
  private final int chunkSize;
  private final long[][] chunks;
  @SuppressWarnings("unused") // accessed through NEXT
  private long next;

  /**
   * Creates the leases of a period.
   *
   * @param permitted the period's number of trial calls, at most {@code 2^SEQ_BITS}
   */
  TrialLeases(int permitted) {
    int capacity = permitted <= 1 ? 1 : Integer.highestOneBit(permitted - 1) << 1;
    if (capacity > (1 << SEQ_BITS)) {
      throw new IllegalArgumentException("permitted must be at most 2^" + SEQ_BITS
          + ", was " + permitted);
    }
    this.mask = capacity - 1;
    this.chunkSize = Math.min(capacity, CHUNK);
    this.chunks = new long[capacity / chunkSize][];
  }

  /**
   * Takes a lease.
   *
   * @return its sequence number, or {@link #NONE} if every slot is held
   */
  long claim() {
    for (int attempts = 2 * (mask + 1); attempts > 0; attempts--) {
      long seq = (long) NEXT.getAndAdd(this, 1L);
      int slot = (int) seq & mask;
      if (SLOT.compareAndSet(chunk(slot), slot & (chunkSize - 1), 0L, seq + 1)) {
        return seq;
      }
    }
    return NONE;
  }

  /**
   * Ends the lease a permit names, if it is still held.
   *
   * @param seq the low {@link #SEQ_BITS} bits of the lease's sequence number
   * @return true if this call ended it; false if it had ended already (or never existed)
   */
  boolean end(long seq) {
    int slot = (int) seq & mask;
    long[] chunk = (long[]) CHUNKS.getAcquire(chunks, slot / chunkSize);
    if (chunk == null) {
      return false;
    }
    int index = slot & (chunkSize - 1);
    long held = (long) SLOT.getVolatile(chunk, index);
    while (held != 0L && ((held - 1) & SEQ_MASK) == seq) {
      long witness = (long) SLOT.compareAndExchange(chunk, index, held, 0L);
      if (witness == held) {
        return true;
      }
      held = witness;
    }
    return false;
  }

  /** The chunk holding a slot, created on first use. */
  private long[] chunk(int slot) {
    int i = slot / chunkSize;
    long[] chunk = (long[]) CHUNKS.getAcquire(chunks, i);
    if (chunk != null) {
      return chunk;
    }
    long[] created = new long[chunkSize];
    long[] witness = (long[]) CHUNKS.compareAndExchange(chunks, i, (long[]) null, created);
    return witness == null ? created : witness;
  }
}
