/**
 * breakglass cascade: The dependency graph, ordered shutdown in parallel waves under one deadline, staged health-gated recovery, and the graceful cascade manager that sheds work by tier as severity rises.
 */
module dev.breakglass.cascade {
  requires transitive dev.breakglass.core;
  requires static transitive org.jspecify; // transitive: @Nullable appears in the API
  requires org.slf4j;

  exports dev.breakglass.cascade;
}
