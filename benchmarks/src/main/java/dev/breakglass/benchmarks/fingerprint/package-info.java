/** Benchmarks of fingerprint: hashing throughput, tree fingerprints, updates and diffs. */
package dev.breakglass.benchmarks.fingerprint;
