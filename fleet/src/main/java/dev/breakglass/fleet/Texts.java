package dev.breakglass.fleet;

import dev.breakglass.core.internal.PlainText;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Checks on the text the fleet stores, and its escaping for messages. Stateless. */
final class Texts {

  /** The longest name accepted (fleet, instance, group, store, who), in chars. */
  static final int MAX_NAME_LENGTH = 200;

  /** The longest reason accepted, in chars. */
  static final int MAX_REASON_LENGTH = 4096;

  private Texts() {}

  /**
   * Checks a name: not blank, at most {@value #MAX_NAME_LENGTH} chars, and storable in a
   * PostgreSQL {@code text} column exactly as given.
   */
  static String name(String value, String what) {
    return checked(value, what, MAX_NAME_LENGTH);
  }

  /** Checks a reason: as {@link #name}, up to {@value #MAX_REASON_LENGTH} chars. */
  static String reason(String value, String what) {
    return checked(value, what, MAX_REASON_LENGTH);
  }

  private static String checked(String value, String what, int maxLength) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank, was '"
          + PlainText.escape(value) + "'");
    }
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(what + " must be at most " + maxLength
          + " chars, was " + value.length());
    }
    String problem = unstorable(value);
    if (problem != null) {
      throw new IllegalArgumentException(what + " " + problem);
    }
    return value;
  }

  /**
   * Why PostgreSQL cannot store the text exactly as given, or null: its text type holds no
   * U+0000, and UTF-8 has no encoding for a lone surrogate.
   */
  static @Nullable String unstorable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) {
        return "must not contain U+0000, which PostgreSQL text cannot hold; found at index " + i;
      }
      if (Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "must be valid UTF-16: unpaired surrogate U+"
            + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i;
      }
    }
    return null;
  }

  /**
   * Makes journal text storable: U+0000 becomes U+2400 (SYMBOL FOR NULL) and a lone surrogate
   * U+FFFD, the only changes made to shipped text.
   */
  static String storable(String value) {
    if (unstorable(value) == null) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) {
        out.append('\u2400');
      } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        out.append(c).append(value.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Checks an identifier part (a schema name, a table prefix): storable, and short enough that
   * {@code value + longestSuffix} fits PostgreSQL's 63 bytes, which it would otherwise cut
   * silently.
   */
  static String identifier(String value, String what, int room) {
    Objects.requireNonNull(value, what);
    String problem = unstorable(value);
    if (problem != null) {
      throw new IllegalArgumentException(what + " " + problem);
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > room) {
      throw new IllegalArgumentException(what + " must be at most " + room
          + " bytes of UTF-8 (PostgreSQL identifiers hold 63), was " + bytes + ": '"
          + PlainText.escape(value) + "'");
    }
    return value;
  }

  /** Quotes an identifier for SQL: in double quotes, a double quote doubled. */
  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** Escapes user text for a message (control and bidirectional characters). */
  static String escape(String text) {
    return PlainText.escape(text);
  }
}
