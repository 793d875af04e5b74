/**
 * breakglass cascade: The dependency graph, ordered shutdown in parallel waves under one deadline, staged health-gated recovery, and the graceful cascade manager that sheds work by tier as severity rises.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.breakglass.cascade;

import org.jspecify.annotations.NullMarked;
