/**
 * JMH benchmarks of breakglass's hot paths, one sub-package per module, and the
 * {@link dev.breakglass.benchmarks.AllocationGate} that CI runs to keep hot paths
 * allocation-free.
 *
 * <p>Build and run everything with
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar -prof gc
 * </pre>
 */
package dev.breakglass.benchmarks;
