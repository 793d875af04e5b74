/**
 * An application module that uses breakglass as a user would: it requires the library modules
 * and nothing else.
 */
module dev.breakglass.consumercheck {
  requires dev.breakglass.circuitbreaker;
  requires dev.breakglass.cascade;
  requires dev.breakglass.fingerprint;
}
