package dev.breakglass.core.internal;

/**
 * JSON string literals for breakglass's JSON renderings (the journal's, the incident report's).
 * Stateless and thread-safe.
 */
public final class JsonText {

  private JsonText() {}

  /**
   * Appends {@code value} as a JSON string literal (RFC 8259). Besides what JSON requires, it
   * escapes what {@link PlainText} escapes in text renderings (DEL, the C1 controls, U+2028 and
   * U+2029, the bidirectional formatting controls, lone surrogates), so the document is safe
   * to print and to embed in JavaScript as well as to parse.
   *
   * @param out the builder to append to
   * @param value the string to quote
   */
  public static void quote(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || unsafeToPrint(c)) {
            unicodeEscape(out, c);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            out.append(c).append(value.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            unicodeEscape(out, c); // lone surrogate: keep the output valid UTF-8
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** DEL, C1, line and paragraph separators, bidirectional controls: as in PlainText. */
  private static boolean unsafeToPrint(char c) {
    return (c >= 0x7f && c <= 0x9f)
        || c == '\u2028' || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }

  private static void unicodeEscape(StringBuilder out, char c) {
    String hex = Integer.toHexString(c);
    out.append("\\u");
    for (int pad = hex.length(); pad < 4; pad++) {
      out.append('0');
    }
    out.append(hex);
  }
}
