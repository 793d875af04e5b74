package dev.breakglass.core;

/** The {@link System#nanoTime()} ticker. Stateless and thread-safe. */
enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }

  @Override
  public String toString() {
    return "Ticker.system()";
  }
}
