/**
 * breakglass micrometer: {@link io.micrometer.core.instrument.binder.MeterBinder meter binders}
 * for circuit breakers, the cascade manager, admission limiters, deferrals, the incident journal
 * and incident trackers. The binders read what the library objects already keep (a breaker's
 * metrics snapshot, the manager's mode, a limiter's counters) when the registry is scraped, and
 * listen to events the objects already publish; see
 * docs/observability.md for every meter's name and tags.
 */
// micrometer-core is an automatic module (Automatic-Module-Name micrometer.core)
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.breakglass.micrometer {
  requires transitive dev.breakglass.core;
  requires transitive dev.breakglass.circuitbreaker;
  requires transitive dev.breakglass.cascade;
  requires transitive micrometer.core; // MeterBinder, Tag and MeterRegistry are in the API
  requires static transitive org.jspecify;

  exports dev.breakglass.micrometer;
}
