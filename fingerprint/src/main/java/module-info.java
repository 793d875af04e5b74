/**
 * breakglass fingerprint: Deterministic SHA-256 Merkle fingerprints of system state, diffs that name what changed, a crash-safe snapshot store, and rollback to the last known-stable state.
 */
module dev.breakglass.fingerprint {
  requires transitive dev.breakglass.core;
  requires static transitive org.jspecify;
  requires static com.google.errorprone.annotations; // @GuardedBy, for Error Prone
  requires org.slf4j;
  // flight-recorder events (rollback stages); jdk.jfr is in every JDK and JRE image, and a
  // jlink image gets it because of this line
  requires jdk.jfr;

  exports dev.breakglass.fingerprint;
}
