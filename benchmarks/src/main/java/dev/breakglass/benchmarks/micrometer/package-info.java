/** Benchmarks of the Micrometer binders' cost to the objects they bind. */
@NullMarked
package dev.breakglass.benchmarks.micrometer;

import org.jspecify.annotations.NullMarked;
