package dev.breakglass.core.internal;

/**
 * Makes text from user code safe to print in a line-oriented rendering (journal timelines, plan
 * and report texts, diffs). Stateless and thread-safe.
 *
 * <p>Names and details come from application code and, through exception messages, from
 * anywhere. Printed raw, a newline in a component name forges an extra, well-formed line of a
 * timeline, and an ANSI escape sequence reaches the terminal of whoever reads it. Every text
 * rendering in breakglass therefore passes user-supplied text through {@link #escape}:
 *
 * <ul>
 *   <li>{@code \} becomes {@code \\}, so an escape in the output is never ambiguous;
 *   <li>newline, carriage return and tab become {@code \n}, {@code \r} and {@code \t};
 *   <li>every other C0 control character, DEL, the C1 controls (U+0080 to U+009F), the line and
 *       paragraph separators (U+2028, U+2029), the bidirectional embedding, override and isolate
 *       controls (U+202A to U+202E, U+2066 to U+2069) and a lone surrogate become
 *       {@code \}{@code uXXXX} (so ESC is {@code \}{@code u001b});
 *   <li>everything else, including well-formed surrogate pairs, is kept as is.
 * </ul>
 *
 * <p>Text with nothing to escape is returned as the same instance, without copying.
 */
public final class PlainText {

  private PlainText() {}

  /**
   * Returns {@code text} with every character that could break a line-oriented rendering
   * escaped, as described in the class documentation.
   *
   * @param text the text to make printable
   * @return {@code text} itself when nothing needs escaping, otherwise an escaped copy
   */
  public static String escape(String text) {
    int first = firstUnsafe(text);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    out.append(text, 0, first);
    appendFrom(out, text, first);
    return out.toString();
  }

  /**
   * Appends {@code text} to {@code out}, escaped as by {@link #escape}.
   *
   * @param out the builder to append to
   * @param text the text to append
   * @return {@code out}
   */
  public static StringBuilder append(StringBuilder out, CharSequence text) {
    appendFrom(out, text, 0);
    return out;
  }

  /**
   * Returns whether {@link #escape} would change {@code text}.
   *
   * @param text the text to check
   * @return {@code true} if {@code text} holds a character that must be escaped
   */
  public static boolean needsEscaping(CharSequence text) {
    return firstUnsafe(text) >= 0;
  }

  private static int firstUnsafe(CharSequence text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c == '\\' || isControl(c)) {
        return i;
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < length
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
    }
    return -1;
  }

  private static void appendFrom(StringBuilder out, CharSequence text, int from) {
    int length = text.length();
    for (int i = from; i < length; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (isControl(c)) {
            unicodeEscape(out, c);
          } else if (Character.isHighSurrogate(c) && i + 1 < length
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            unicodeEscape(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
  }

  private static boolean isControl(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == '\u2028' || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }

  private static void unicodeEscape(StringBuilder out, char c) {
    out.append("\\u");
    String hex = Integer.toHexString(c);
    for (int pad = hex.length(); pad < 4; pad++) {
      out.append('0');
    }
    out.append(hex);
  }
}
