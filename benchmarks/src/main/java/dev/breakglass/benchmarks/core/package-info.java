/** Benchmarks of core: listener publication and the incident journal. */
package dev.breakglass.benchmarks.core;
