package dev.breakglass.fleet;

import org.jspecify.annotations.Nullable;

/**
 * The payloads of the fleet's NOTIFY channel: {@code <kind>:<name>}, where the kind is
 * {@code store}, {@code declaration} or {@code order} and the name the store's or the fleet's.
 * Stateless.
 */
final class Notices {

  static final String STORE = "store";
  static final String DECLARATION = "declaration";
  static final String ORDER = "order";

  private Notices() {}

  static String store(String store) {
    return STORE + ":" + store;
  }

  static String declaration(String fleet) {
    return DECLARATION + ":" + fleet;
  }

  static String order(String fleet) {
    return ORDER + ":" + fleet;
  }

  /** The kind of a payload, or null if it is not one of the fleet's. */
  static @Nullable String kind(String payload) {
    int colon = payload.indexOf(':');
    return colon < 0 ? null : payload.substring(0, colon);
  }

  /** The name in a payload. */
  static String name(String payload) {
    return payload.substring(payload.indexOf(':') + 1);
  }
}
