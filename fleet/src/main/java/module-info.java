/**
 * breakglass fleet: every instance of a service on one known-stable configuration, one declared
 * severity, one rollback order and one timeline, kept in PostgreSQL.
 */
@SuppressWarnings("requires-automatic") // the PostgreSQL driver is an automatic module
module dev.breakglass.fleet {
  requires transitive dev.breakglass.core;
  requires transitive dev.breakglass.fingerprint;
  requires transitive java.sql;
  requires org.postgresql.jdbc;
  requires org.slf4j;
  requires static transitive org.jspecify;
  requires static com.google.errorprone.annotations; // @GuardedBy, for Error Prone

  exports dev.breakglass.fleet;
}
