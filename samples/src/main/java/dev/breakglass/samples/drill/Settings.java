package dev.breakglass.samples.drill;

import java.time.Duration;

/**
 * The drill's timings. {@link #fast()} compresses the incident into a few seconds;
 * {@link #lasting(int)} stretches the same script over about the given number of seconds.
 *
 * @param phase how long the drill lets each phase of traffic run
 * @param openWait how long the payment breaker stays open before a trial
 * @param cooldown how long severity waits before each step down
 * @param evaluateEvery how often the cascade manager re-evaluates cooldowns
 * @param waitLimit how long the drill waits for an expected event before it fails
 */
public record Settings(
    Duration phase, Duration openWait, Duration cooldown, Duration evaluateEvery,
    Duration waitLimit) {

  /**
   * The compressed timings of the README's command: the whole drill takes a few seconds.
   *
   * @return the fast settings
   */
  public static Settings fast() {
    // the breaker's open wait outlasts the degraded phase and the rollback, so its half-open
    // trials meet the restored configuration
    return new Settings(Duration.ofMillis(400), Duration.ofMillis(1000), Duration.ofMillis(400),
        Duration.ofMillis(25), Duration.ofSeconds(15));
  }

  /**
   * Timings for a drill of about the given length.
   *
   * @param seconds the wanted length, in seconds; at least the fast drill's length
   * @return the stretched settings
   */
  public static Settings lasting(int seconds) {
    double scale = Math.max(1.0, seconds / 4.0);
    Settings fast = fast();
    return new Settings(scaled(fast.phase, scale), scaled(fast.openWait, scale),
        scaled(fast.cooldown, scale), fast.evaluateEvery,
        fast.waitLimit.plus(scaled(fast.cooldown, scale * 4)));
  }

  private static Duration scaled(Duration duration, double scale) {
    return Duration.ofNanos((long) (duration.toNanos() * scale));
  }
}
