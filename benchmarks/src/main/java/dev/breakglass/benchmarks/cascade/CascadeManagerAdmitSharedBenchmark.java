package dev.breakglass.benchmarks.cascade;

import org.openjdk.jmh.annotations.Threads;

/**
 * {@link CascadeManagerAdmitBenchmark} on two threads sharing one manager: the reads must not
 * slow each other down (nothing is written on the read path, so no cache line bounces).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'cascade.CascadeManagerAdmitSharedBenchmark' -prof gc
 * </pre>
 */
@Threads(2)
public class CascadeManagerAdmitSharedBenchmark extends CascadeManagerAdmitBenchmark {}
