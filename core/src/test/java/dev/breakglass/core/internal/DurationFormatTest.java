package dev.breakglass.core.internal;

import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.testing.Gen;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DurationFormatTest {

  private static final long US = 1_000L;
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;
  private static final long MIN = 60 * S;
  private static final long H = 60 * MIN;

  @Test
  void format_eachMagnitude_printsItsUnitAndPrecision() {
    assertThat(DurationFormat.format(0)).isEqualTo("0us");
    assertThat(DurationFormat.format(40 * US)).isEqualTo("40us");
    assertThat(DurationFormat.format(400 * US)).isEqualTo("400us");
    assertThat(DurationFormat.format(7 * MS)).isEqualTo("7.0ms");
    assertThat(DurationFormat.format(7 * MS + 500 * US)).isEqualTo("7.5ms");
    assertThat(DurationFormat.format(12 * MS)).isEqualTo("12ms");
    assertThat(DurationFormat.format(250 * MS)).isEqualTo("250ms");
    assertThat(DurationFormat.format(1250 * MS)).isEqualTo("1.250s");
    assertThat(DurationFormat.format(30 * S)).isEqualTo("30.000s");
    assertThat(DurationFormat.format(125 * S)).isEqualTo("2m05.000s");
    assertThat(DurationFormat.format(5 * MIN)).isEqualTo("5m00.000s");
    assertThat(DurationFormat.format(H + 5 * MIN)).isEqualTo("1h05m00.000s");
    assertThat(DurationFormat.format(26 * H + 3 * S + 7 * MS)).isEqualTo("26h00m03.007s");
  }

  @Test
  void format_justBelowABoundary_truncatesAndStaysInItsMagnitude() {
    assertThat(DurationFormat.format(999)).isEqualTo("0us");
    assertThat(DurationFormat.format(MS - 1)).isEqualTo("999us");
    assertThat(DurationFormat.format(MS)).isEqualTo("1.0ms");
    assertThat(DurationFormat.format(10 * MS - 1)).isEqualTo("9.9ms");
    assertThat(DurationFormat.format(10 * MS)).isEqualTo("10ms");
    assertThat(DurationFormat.format(S - 1)).isEqualTo("999ms");
    assertThat(DurationFormat.format(S)).isEqualTo("1.000s");
    assertThat(DurationFormat.format(MIN - 1)).isEqualTo("59.999s");
    assertThat(DurationFormat.format(MIN)).isEqualTo("1m00.000s");
    assertThat(DurationFormat.format(H - 1)).isEqualTo("59m59.999s");
    assertThat(DurationFormat.format(H)).isEqualTo("1h00m00.000s");
  }

  @Test
  void format_negativeOrHuge_printsZeroOrSaturates() {
    assertThat(DurationFormat.format(-5 * S)).isEqualTo("0us");
    assertThat(DurationFormat.format(Duration.ofSeconds(-1))).isEqualTo("0us");
    assertThat(DurationFormat.format(Long.MAX_VALUE)).isEqualTo("2562047h47m16.854s");
    assertThat(DurationFormat.format(Duration.ofDays(365L * 1000)))
        .isEqualTo("2562047h47m16.854s");
    assertThat(DurationFormat.format(Duration.ofMillis(1250))).isEqualTo("1.250s");
  }

  @Test
  void saturatedNanos_outOfRange_saturates() {
    assertThat(DurationFormat.saturatedNanos(Duration.ofSeconds(2))).isEqualTo(2 * S);
    assertThat(DurationFormat.saturatedNanos(Duration.ofDays(365L * 1000)))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(DurationFormat.saturatedNanos(Duration.ofDays(-365L * 1000)))
        .isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void append_appendsToWhatIsThere() {
    assertThat(DurationFormat.append(new StringBuilder("took "), 12 * MS)).hasToString("took 12ms");
  }

  private static final Pattern FORMAT = Pattern.compile(
      "(\\d+)us|(\\d)\\.(\\d)ms|(\\d+)ms|(?:(?:(\\d+)h)?(\\d+)m)?(\\d+)\\.(\\d{3})s");

  /** The value a formatted text stands for, in nanoseconds, and the resolution it has. */
  private static long[] parse(String text) {
    Matcher m = FORMAT.matcher(text);
    assertThat(m.matches()).as("'%s' has the format", text).isTrue();
    if (m.group(1) != null) {
      return new long[] {Long.parseLong(m.group(1)) * US, US};
    }
    if (m.group(2) != null) {
      return new long[] {Long.parseLong(m.group(2)) * MS + Long.parseLong(m.group(3)) * MS / 10,
          MS / 10};
    }
    if (m.group(4) != null) {
      return new long[] {Long.parseLong(m.group(4)) * MS, MS};
    }
    long hours = m.group(5) == null ? 0 : Long.parseLong(m.group(5));
    long minutes = m.group(6) == null ? 0 : Long.parseLong(m.group(6));
    if (m.group(5) != null || m.group(6) != null) {
      assertThat(m.group(7)).as("seconds after minutes have two digits").hasSize(2);
      assertThat(Long.parseLong(m.group(7))).isLessThan(60);
    }
    if (m.group(5) != null) {
      assertThat(m.group(6)).as("minutes after hours have two digits").hasSize(2);
      assertThat(minutes).isLessThan(60);
    }
    return new long[] {hours * H + minutes * MIN + Long.parseLong(m.group(7)) * S
        + Long.parseLong(m.group(8)) * MS, MS};
  }

  /** Parsed back, a text is the value truncated to the resolution of its magnitude. */
  @Test
  void format_anyDuration_parsesBackToTheValueTruncated() {
    // every magnitude equally often: up to 2^(bits + 1) - 1 nanoseconds, bits in [0, 62]
    Gen<Long> magnitudes =
        Gen.ints(0, 62).flatMap(bits -> Gen.longs(0, (1L << bits) - 1 + (1L << bits)));
    forAll(magnitudes).tries(2_000).check(nanos -> {
      long[] parsed = parse(DurationFormat.format(nanos));
      assertThat(parsed[0]).isLessThanOrEqualTo(nanos);
      assertThat(nanos - parsed[0]).isLessThan(parsed[1]);
    });
  }

  /** A longer duration never prints as a shorter one. */
  @Test
  void format_twoDurations_keepsTheirOrder() {
    Gen<long[]> pairs = source -> new long[] {
        source.draw(Gen.longs(0, 5 * H)), source.draw(Gen.longs(0, 5 * H))};
    forAll(pairs).tries(2_000).check(pair -> {
      long a = Math.min(pair[0], pair[1]);
      long b = Math.max(pair[0], pair[1]);
      assertThat(parse(DurationFormat.format(a))[0])
          .isLessThanOrEqualTo(parse(DurationFormat.format(b))[0]);
    });
  }
}
