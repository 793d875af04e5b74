package dev.breakglass.benchmarks.fingerprint;

import dev.breakglass.fingerprint.Diff;
import dev.breakglass.fingerprint.Value;
import dev.breakglass.fingerprint.ValuePath;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fingerprinting side by side with raw {@link MessageDigest} SHA-256 in the same run: the
 * direct-call baselines ({@code raw*}) are the floor that the library's hashing cannot beat.
 * No competitor is measured: neither Resilience4j nor Failsafe fingerprints state.
 *
 * <ul>
 *   <li>{@code rawSha256_64MiB} vs {@code bytesLeaf_64MiB_wrapped} (no copy) and
 *       {@code bytesLeaf_64MiB_copied} (the defensive copy of {@code Value.ofBytes}):
 *       throughput for one large leaf; target: wrapped at least 90% of raw.
 *   <li>{@code rawSha256_64B}: one 64-byte message, the unit cost of a small hash.
 *   <li>{@code rawSha256_treeLeaves} vs {@code tree_fingerprint}: hashing the 100,000 leaf
 *       encodings alone, versus converting the whole configuration from Java maps into a
 *       fingerprinted value (leaf, entry and interior digests, sorting, allocation); target
 *       60 ms. {@code tree_decodeAndVerify} is the same tree rebuilt from its canonical bytes,
 *       what a snapshot store does on every read.
 *   <li>{@code tree_updateOneLeaf}: {@code Value.with} on one leaf; target 20 us.
 *   <li>{@code tree_diffOneLeaf}: {@code Diff.between} two trees that differ in one leaf;
 *       target 20 us.
 * </ul>
 *
 * <p>Tree shapes: {@code nested} is 1,000 components of 100 parameters each (strings, integers,
 * booleans, decimals), {@code flat} one map of 100,000 parameters.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar 'fingerprint.FingerprintBenchmark' -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx3g"})
public class FingerprintBenchmark {

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A 64 MiB blob of random bytes. */
  @State(Scope.Benchmark)
  public static class Blob {
    byte[] data;
    MessageDigest sha;

    @Setup
    public void setUp() {
      data = new byte[64 << 20];
      new Random(1).nextBytes(data);
      sha = sha256();
    }
  }

  /** One 64-byte message. */
  @State(Scope.Thread)
  public static class Message {
    final byte[] data = new byte[64];
    final MessageDigest sha = sha256();
  }

  /** A configuration of 100,000 leaves, and the same with one leaf changed. */
  @State(Scope.Benchmark)
  public static class Tree {
    @Param({"nested", "flat"})
    public String shape;

    Map<String, Object> config;
    byte[][] leafEncodings;
    byte[] encoding;
    MessageDigest sha;
    Value before;
    Value after;
    ValuePath leaf;
    Value[] replacements;
    int next;

    @Setup
    public void setUp() {
      Random random = new Random(7);
      config = new HashMap<>();
      leafEncodings = new byte[100_000][];
      int n = 0;
      if (shape.equals("nested")) {
        for (int c = 0; c < 1000; c++) {
          Map<String, Object> component = new HashMap<>();
          for (int p = 0; p < 100; p++) {
            Object parameter = parameter(random, p);
            component.put("parameter-" + p, parameter);
            leafEncodings[n++] = Value.from(parameter).encode();
          }
          config.put("component-" + c, component);
        }
        leaf = ValuePath.parse("component-517.parameter-42");
      } else {
        for (int p = 0; p < 100_000; p++) {
          Object parameter = parameter(random, p);
          config.put("parameter-" + p, parameter);
          leafEncodings[n++] = Value.from(parameter).encode();
        }
        leaf = ValuePath.parse("parameter-51742");
      }
      sha = sha256();
      before = Value.from(config);
      encoding = before.encode();
      after = before.with(leaf, "changed");
      replacements = new Value[] {Value.of(1), Value.of(2)};
    }

    private static Object parameter(Random random, int p) {
      return switch (p % 4) {
        case 0 -> "value-" + random.nextInt(1_000_000);
        case 1 -> (long) random.nextInt(100_000);
        case 2 -> random.nextBoolean();
        default -> random.nextInt(10_000) / 100.0;
      };
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public byte[] rawSha256_64MiB(Blob blob) {
    return blob.sha.digest(blob.data);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Object bytesLeaf_64MiB_wrapped(Blob blob) {
    return Value.wrapBytes(blob.data).fingerprint();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Object bytesLeaf_64MiB_copied(Blob blob) {
    return Value.ofBytes(blob.data).fingerprint();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public byte[] rawSha256_64B(Message message) {
    return message.sha.digest(message.data);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public int rawSha256_treeLeaves(Tree tree) {
    int x = 0;
    for (byte[] leafEncoding : tree.leafEncodings) {
      x += tree.sha.digest(leafEncoding)[0];
    }
    return x;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Value tree_fingerprint(Tree tree) {
    return Value.from(tree.config);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Value tree_decodeAndVerify(Tree tree) {
    return Value.decode(tree.encoding);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Value tree_updateOneLeaf(Tree tree) {
    return tree.before.with(tree.leaf, tree.replacements[tree.next++ & 1]);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Diff tree_diffOneLeaf(Tree tree) {
    return Diff.between(tree.before, tree.after);
  }
}
