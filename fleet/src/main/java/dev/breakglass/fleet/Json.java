package dev.breakglass.fleet;

/** JSON string literals, escaped as the incident journal's JSON escapes them. Stateless. */
final class Json {

  private Json() {}

  /**
   * Appends {@code value} as a JSON string (RFC 8259), writing also DEL, the C1 controls, the
   * line and paragraph separators, the bidirectional controls and lone surrogates as
   * {@code \}{@code uXXXX}, so the document is safe to print.
   */
  static void quote(StringBuilder out, String value) {
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
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
              || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
            escape(out, c);
          } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            out.append(c).append(value.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            escape(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void escape(StringBuilder out, char c) {
    out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
  }
}
