package dev.breakglass.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 parser for tests: objects become {@link LinkedHashMap}s, arrays
 * {@link List}s, numbers {@link Long}s (the journal writes integers only), strings
 * {@link String}s. Anything that is not valid JSON (a raw control character in a string, an
 * unknown escape, trailing text); {@code true} and {@code false} become {@link Boolean}s,
 * {@code null} {@link #NULL} throws {@link IllegalArgumentException} with the position.
 */
public final class StrictJson {

  /** What a JSON {@code null} parses to. */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  private final String text;
  private int at;

  private StrictJson(String text) {
    this.text = text;
  }

  public static Object parse(String text) {
    StrictJson parser = new StrictJson(text);
    Object value = parser.value();
    parser.whitespace();
    if (parser.at != text.length()) {
      throw parser.error("trailing text");
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  public static List<Object> array(Object value) {
    return (List<Object>) value;
  }

  private Object value() {
    whitespace();
    if (at >= text.length()) {
      throw error("value expected");
    }
    char c = text.charAt(at);
    if (c == '{') {
      return objectValue();
    }
    if (c == '[') {
      return arrayValue();
    }
    if (c == '"') {
      return string();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number();
    }
    for (String literal : new String[] {"true", "false", "null"}) {
      if (text.startsWith(literal, at)) {
        at += literal.length();
        return literal.equals("null") ? NULL : Boolean.valueOf(literal);
      }
    }
    throw error("unexpected '" + c + "'");
  }

  private Map<String, Object> objectValue() {
    Map<String, Object> result = new LinkedHashMap<>();
    at++;
    whitespace();
    if (peek('}')) {
      at++;
      return result;
    }
    for (;;) {
      whitespace();
      String key = string();
      whitespace();
      expect(':');
      if (result.put(key, value()) != null) {
        throw error("duplicate key " + key);
      }
      whitespace();
      if (peek(',')) {
        at++;
      } else {
        expect('}');
        return result;
      }
    }
  }

  private List<Object> arrayValue() {
    List<Object> result = new ArrayList<>();
    at++;
    whitespace();
    if (peek(']')) {
      at++;
      return result;
    }
    for (;;) {
      result.add(value());
      whitespace();
      if (peek(',')) {
        at++;
      } else {
        expect(']');
        return result;
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    for (;;) {
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("raw control character U+" + Integer.toHexString(c) + " in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        throw error("unterminated escape");
      }
      char e = text.charAt(at++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (at + 4 > text.length()) {
            throw error("short \\u escape");
          }
          out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          at += 4;
        }
        default -> throw error("unknown escape \\" + e);
      }
    }
  }

  private Long number() {
    int start = at;
    if (peek('-')) {
      at++;
    }
    while (at < text.length() && Character.isDigit(text.charAt(at))) {
      at++;
    }
    if (at == start || (text.charAt(start) == '0' && at - start > 1)) {
      throw error("bad number");
    }
    return Long.parseLong(text.substring(start, at));
  }

  private void whitespace() {
    while (at < text.length() && " \t\n\r".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
  }

  private boolean peek(char c) {
    return at < text.length() && text.charAt(at) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("'" + c + "' expected");
    }
    at++;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at offset " + at);
  }
}
