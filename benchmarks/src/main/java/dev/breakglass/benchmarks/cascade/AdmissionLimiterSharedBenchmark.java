package dev.breakglass.benchmarks.cascade;

import org.openjdk.jmh.annotations.Threads;

/**
 * {@link AdmissionLimiterBenchmark} on two threads sharing each limiter.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'cascade.AdmissionLimiter(Shared)?Benchmark' -prof gc
 * </pre>
 */
@Threads(2)
public class AdmissionLimiterSharedBenchmark extends AdmissionLimiterBenchmark {}
