package dev.breakglass.testing;

import java.util.Random;

/**
 * A {@link Random} whose bits are choices of a {@link Source}: {@link Random}'s documented
 * algorithms build every value from {@link #next(int)}, so all of them are recorded and shrink
 * (all-zero bits give 0, false and 0.0). Not thread-safe; for the try that drew it.
 */
final class SourceRandom extends Random {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // never serialized: it lives for one try
  private final Source source;

  SourceRandom(Source source) {
    super(0L);
    this.source = source;
  }

  @Override
  protected int next(int bits) {
    return (int) source.choose((1L << bits) - 1, random -> random.nextLong() >>> (64 - bits));
  }

  /** Has no effect: the bits come from the source. */
  @Override
  public void setSeed(long seed) {
    // the source decides; Random's constructor calls this before the source is set
  }

  @Override
  public String toString() {
    return "Random drawing from " + source;
  }
}
