package dev.breakglass.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Fails the build when a hot-path benchmark allocates.
 *
 * <p>Runs the benchmarks named in the given list files (one JMH include pattern per line,
 * {@code #} starts a comment) in a short run with the GC profiler, prints bytes allocated per
 * operation ({@code gc.alloc.rate.norm}) for each, and exits with status 1 if any exceeds the
 * limit (default 1 byte per operation, system property {@code gate.maxBytesPerOp}) or if a
 * pattern matches no benchmark. Allocation per operation is deterministic once the JIT has
 * compiled the code, unlike time on a shared 2-core machine, so it is what CI checks; time is
 * never asserted.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.breakglass.benchmarks.AllocationGate \
 *     benchmarks/alloc-gate/*.txt
 * </pre>
 */
public final class AllocationGate {

  private AllocationGate() {}

  /**
   * Runs the gate.
   *
   * @param args paths of include-list files
   * @throws IOException if a list file cannot be read
   * @throws RunnerException if JMH fails to run a benchmark
   */
  public static void main(String[] args) throws IOException, RunnerException {
    List<String> includes = new ArrayList<>();
    for (String file : args) {
      for (String line : Files.readAllLines(Path.of(file))) {
        String pattern = line.strip();
        if (!pattern.isEmpty() && !pattern.startsWith("#")) {
          includes.add(pattern);
        }
      }
    }
    if (includes.isEmpty()) {
      System.err.println("allocation gate: no benchmark patterns given");
      System.exit(2);
    }
    double limit = Double.parseDouble(System.getProperty("gate.maxBytesPerOp", "1.0"));
    ChainedOptionsBuilder options = new OptionsBuilder()
        .forks(1)
        .warmupIterations(Integer.getInteger("gate.warmupIterations", 3))
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(Integer.getInteger("gate.measurementIterations", 2))
        .measurementTime(TimeValue.seconds(1))
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true);
    includes.forEach(options::include);
    Collection<RunResult> results = new Runner(options.build()).run();

    List<String> failures = new ArrayList<>();
    System.out.println();
    System.out.println("allocation gate (limit " + limit + " B/op)");
    for (RunResult result : results) {
      String label = result.getParams().getBenchmark()
          + (result.getParams().getParamsKeys().isEmpty() ? "" : " " + paramsOf(result))
          + " threads=" + result.getParams().getThreads();
      Result<?> norm = result.getSecondaryResults().get("gc.alloc.rate.norm");
      if (norm == null) {
        failures.add(label + ": no gc.alloc.rate.norm reported");
        continue;
      }
      double bytes = norm.getScore();
      boolean ok = bytes <= limit;
      System.out.printf(Locale.ROOT, "  %-6s %10.3f B/op  %s%n", ok ? "ok" : "FAIL", bytes, label);
      if (!ok) {
        failures.add(String.format(Locale.ROOT, "%s allocates %.3f B/op", label, bytes));
      }
    }
    for (String include : includes) {
      Pattern pattern = Pattern.compile(include);
      boolean matched = results.stream()
          .anyMatch(r -> pattern.matcher(r.getParams().getBenchmark()).find());
      if (!matched) {
        failures.add("pattern '" + include + "' matched no benchmark");
      }
    }
    if (!failures.isEmpty()) {
      System.out.println("allocation gate FAILED:");
      failures.forEach(f -> System.out.println("  " + f));
      System.exit(1);
    }
    System.out.println("allocation gate passed: " + results.size() + " benchmarks");
  }

  private static String paramsOf(RunResult result) {
    StringBuilder sb = new StringBuilder();
    for (String key : result.getParams().getParamsKeys()) {
      sb.append(sb.length() == 0 ? "" : ",").append(key).append('=')
          .append(result.getParams().getParam(key));
    }
    return sb.toString();
  }
}
