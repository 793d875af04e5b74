package dev.breakglass.fingerprint;

import java.nio.charset.StandardCharsets;

/**
 * One entry of a map value: its key, the key's UTF-8 bytes (the sort key and hash input), its
 * value, and the entry digest {@code SHA-256(ENTRY || u32(len) || key || digest(value))}.
 * Immutable.
 */
final class MapEntry {

  final String key;
  final byte[] keyUtf8;
  final Value value;
  final byte[] digest;

  MapEntry(String key, byte[] keyUtf8, Value value, Hasher hasher) {
    this.key = key;
    this.keyUtf8 = keyUtf8;
    this.value = value;
    this.digest =
        hasher.start(Format.ENTRY).u32(keyUtf8.length).bytes(keyUtf8).bytes(value.digest).finish();
  }

  /**
   * An entry for a key that must be valid UTF-16: callers check it first to name the key in
   * their own terms, and this check keeps a lone surrogate, which {@code getBytes} would turn
   * into '?', from ever reaching the hash.
   *
   * @throws IllegalArgumentException if {@code key} has an unpaired surrogate
   */
  static MapEntry of(String key, Value value, Hasher hasher) {
    String problem = JavaValues.checkUtf16(key);
    if (problem != null) {
      throw new IllegalArgumentException("map key " + problem);
    }
    return new MapEntry(key, key.getBytes(StandardCharsets.UTF_8), value, hasher);
  }

  MapEntry withValue(Value newValue, Hasher hasher) {
    return new MapEntry(key, keyUtf8, newValue, hasher);
  }
}
