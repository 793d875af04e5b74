package dev.breakglass.benchmarks.fingerprint;

import dev.breakglass.fingerprint.CanonicalJson;
import dev.breakglass.fingerprint.Value;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Doubles in the fingerprint module: {@code Value.of(double)} (the shortest decimal, its
 * canonical text and the leaf digest) and the RFC 8785 number output of
 * {@code CanonicalJson.write}, side by side in the same run with
 *
 * <ul>
 *   <li>{@code valueOfLong}: {@code Value.of(long)}, the same leaf work for an integer;
 *   <li>{@code doubleToString}: {@code Double.toString}, the JDK's own conversion (not usable
 *       for fingerprints: it differs between JDK 17 and 19+);
 *   <li>{@code legacyCanonicalText}: the conversion the module used before (a
 *       {@code Double.toString} fast path, else an exact BigDecimal search), text only, without
 *       the digest, so the difference to {@code valueOfDouble} understates the gain.
 * </ul>
 *
 * <p>Inputs: {@code short} doubles as configurations hold them ({@code 12.5}, {@code 0.25}: at
 * most 4 digits), {@code fullPrecision} ones from {@code Random.nextDouble()} scaled to various
 * magnitudes (16 to 17 digits), and {@code bitPatterns}, random finite bit patterns (any
 * exponent, subnormals included). Each operation converts the next of 1,024 prepared values.
 * Target: {@code valueOfDouble} at most 0.5 us.
 *
 * <p>{@code tree_integers} and {@code tree_quarterDoubles} fingerprint a flat configuration of
 * 100,000 leaves in which a quarter of the leaves are integers, or full-precision doubles.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar 'fingerprint.DoubleBenchmark' -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DoubleBenchmark {

  private static final int MASK = 1023;

  /** 1,024 doubles of one kind, with their values and 1,024 longs. */
  @State(Scope.Thread)
  public static class Inputs {
    @Param({"short", "fullPrecision", "bitPatterns"})
    public String kind;

    final double[] doubles = new double[MASK + 1];
    final long[] longs = new long[MASK + 1];
    final Value[] values = new Value[MASK + 1];
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      Random random = new Random(11);
      for (int i = 0; i <= MASK; i++) {
        doubles[i] = switch (kind) {
          case "short" -> random.nextInt(100_000) / (random.nextBoolean() ? 100.0 : 10_000.0);
          case "fullPrecision" -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
          default -> {
            double x;
            do {
              x = Double.longBitsToDouble(random.nextLong());
            } while (!Double.isFinite(x));
            yield x;
          }
        };
        longs[i] = random.nextLong();
        values[i] = Value.of(doubles[i]);
      }
    }

    int next() {
      return next++ & MASK;
    }
  }

  @Benchmark
  public Value valueOfDouble(Inputs in) {
    return Value.of(in.doubles[in.next()]);
  }

  @Benchmark
  public Value valueOfLong(Inputs in) {
    return Value.of(in.longs[in.next()]);
  }

  @Benchmark
  public String doubleToString(Inputs in) {
    return Double.toString(in.doubles[in.next()]);
  }

  @Benchmark
  public String legacyCanonicalText(Inputs in) {
    return LegacyDecimals.decimal(in.doubles[in.next()]).canonical();
  }

  @Benchmark
  public String canonicalJsonWrite(Inputs in) {
    return CanonicalJson.write(in.values[in.next()]);
  }

  @Benchmark
  public String legacyEcmascript(Inputs in) {
    return LegacyDecimals.ecmascript(in.doubles[in.next()]);
  }

  /** A flat configuration of 100,000 leaves; a quarter of them integers, or doubles. */
  @State(Scope.Benchmark)
  public static class Tree {
    Map<String, Object> integers;
    Map<String, Object> quarterDoubles;

    @Setup
    public void setUp() {
      Random random = new Random(7);
      integers = new HashMap<>();
      quarterDoubles = new HashMap<>();
      for (int p = 0; p < 100_000; p++) {
        Object common = switch (p % 4) {
          case 0 -> "value-" + random.nextInt(1_000_000);
          case 1 -> (long) random.nextInt(100_000);
          case 2 -> random.nextBoolean();
          default -> null;
        };
        String key = "parameter-" + p;
        integers.put(key, common != null ? common : random.nextLong());
        quarterDoubles.put(key, common != null ? common : random.nextDouble() * 1000);
      }
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Value tree_integers(Tree tree) {
    return Value.from(tree.integers);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Value tree_quarterDoubles(Tree tree) {
    return Value.from(tree.quarterDoubles);
  }
}
