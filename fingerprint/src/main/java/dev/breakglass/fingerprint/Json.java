package dev.breakglass.fingerprint;

import java.math.BigInteger;
import dev.breakglass.core.internal.PlainText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * JSON reading and writing for {@link CanonicalJson} (RFC 8785 on top of RFC 8259 and the
 * I-JSON profile of RFC 7493), and JSON string quoting for paths and renderings.
 */
final class Json {

  private Json() {}

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * Appends {@code s} as a JSON string literal, escaped as RFC 8785 section 3.2.2.2 requires
   * (the ECMAScript JSON.stringify rules): quote and backslash escaped, \b \f \n \r \t for
   * those controls, other controls as lowercase \\u00xx, everything else literal. Stops with
   * an ellipsis once {@code out} exceeds {@code budget} (pass {@code Integer.MAX_VALUE} for
   * exact output).
   */
  static void quote(StringBuilder out, String s, int budget) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      if (out.length() > budget) {
        out.append("...");
        break;
      }
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * Appends {@code s} as a JSON string literal for people to read (renderings and messages):
   * quotes escaped, and every character that {@link PlainText#escape} escapes written as that
   * escape ({@code \\}, {@code \n}, {@code \}{@code u001b}, {@code \}{@code u2028}, ...), all
   * of which are JSON escapes too. So the literal is one line, safe on a terminal, and still
   * reads back as {@code s}. Cuts {@code s} short with an ellipsis once {@code out} exceeds
   * {@code budget}.
   */
  static void quoteForText(StringBuilder out, String s, int budget) {
    out.append('"');
    long room = (long) budget - out.length() + 1;
    String part = s;
    boolean cut = room < s.length();
    if (cut) {
      int n = (int) Math.max(0, room);
      if (n > 0 && Character.isHighSurrogate(s.charAt(n - 1))) {
        n--; // never split a surrogate pair
      }
      part = s.substring(0, n);
    }
    String escaped = PlainText.escape(part);
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c == '"') {
        out.append("\\\"");
      } else {
        out.append(c);
      }
    }
    if (cut) {
      out.append("...");
    }
    out.append('"');
  }

  // ---------------------------------------------------------------------------------- writer

  /** Writes a value as RFC 8785 canonical JSON, or fails naming the path. */
  static void write(StringBuilder out, Value value, List<Object> path) {
    switch (value.kind()) {
      case NULL -> out.append("null");
      case BOOLEAN -> out.append(value.asBoolean());
      case INTEGER -> {
        BigInteger integer = value.asBigInteger();
        if (!Decimals.isSafeJsonInteger(integer)) {
          throw unwritable(path, "integer " + integer + " is beyond +-2^53, which an I-JSON"
              + " number cannot hold exactly (RFC 8785 section 6 suggests a string)");
        }
        out.append(integer);
      }
      case DECIMAL -> {
        Scalars.DecimalValue decimal = (Scalars.DecimalValue) value;
        double d = Decimals.exactDouble(decimal);
        if (Double.isNaN(d)) {
          throw unwritable(path, "decimal " + decimal.canonical + " is not exactly"
              + " an IEEE 754 double, so an I-JSON number would change it");
        }
        Decimals.appendEcmascript(out, d);
      }
      case STRING -> quote(out, value.asString(), Integer.MAX_VALUE);
      case BYTES -> throw unwritable(path, "bytes have no JSON form; convert them to a string"
          + " (for example base64) before exporting");
      case LIST -> {
        out.append('[');
        List<Value> elements = value.asList();
        for (int i = 0; i < elements.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          path.add(i);
          write(out, elements.get(i), path);
          path.remove(path.size() - 1);
        }
        out.append(']');
      }
      case SET -> {
        // Elements in the order of their own canonical JSON text: deterministic, and readable.
        List<Value> elements = List.copyOf(value.asSet());
        String[] texts = new String[elements.size()];
        for (int i = 0; i < texts.length; i++) {
          StringBuilder element = new StringBuilder();
          path.add(elements.get(i).fingerprint());
          write(element, elements.get(i), path);
          path.remove(path.size() - 1);
          texts[i] = element.toString();
        }
        Arrays.sort(texts);
        out.append('[').append(String.join(",", texts)).append(']');
      }
      case MAP -> {
        // RFC 8785 sorts keys by UTF-16 code units: String.compareTo.
        List<Map.Entry<String, Value>> entries = new ArrayList<>(value.asMap().entrySet());
        entries.sort(Map.Entry.comparingByKey());
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Value> entry : entries) {
          String key = entry.getKey();
          if (!first) {
            out.append(',');
          }
          first = false;
          quote(out, key, Integer.MAX_VALUE);
          out.append(':');
          path.add(key);
          write(out, entry.getValue(), path);
          path.remove(path.size() - 1);
        }
        out.append('}');
      }
      default -> throw new AssertionError(value.kind());
    }
  }

  private static IllegalArgumentException unwritable(List<Object> path, String why) {
    return new IllegalArgumentException(ValuePath.of(path.toArray()).toText() + ": " + why);
  }

  // ---------------------------------------------------------------------------------- reader

  /** A strict RFC 8259 reader producing values, with the I-JSON restrictions of RFC 7493. */
  static final class Reader {
    private final String text;
    private int pos;
    private final Hasher hasher = new Hasher();

    Reader(String text, int pos) {
      this.text = text;
      this.pos = pos;
    }

    int position() {
      return pos;
    }

    Value readDocument() {
      skipWhitespace();
      Value value = readValue(0);
      skipWhitespace();
      if (pos < text.length()) {
        throw error("unexpected '" + text.charAt(pos) + "' after the JSON value");
      }
      return value;
    }

    private Value readValue(int depth) {
      if (pos >= text.length()) {
        throw error("unexpected end of input, expected a value");
      }
      char c = text.charAt(pos);
      return switch (c) {
        case '{' -> readObject(depth);
        case '[' -> readArray(depth);
        case '"' -> new Scalars.StringValue(readStringLiteral(), hasher);
        case 't' -> {
          literal("true");
          yield Scalars.TRUE;
        }
        case 'f' -> {
          literal("false");
          yield Scalars.FALSE;
        }
        case 'n' -> {
          literal("null");
          yield Scalars.NULL;
        }
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            yield readNumber();
          }
          throw error("unexpected '" + c + "', expected a value");
        }
      };
    }

    private Value readObject(int depth) {
      checkDepth(depth);
      int start = pos;
      pos++;
      List<MapEntry> entries = new ArrayList<>();
      skipWhitespace();
      if (peek() == '}') {
        pos++;
        return MapValue.of(new MapEntry[0], hasher);
      }
      while (true) {
        skipWhitespace();
        if (peek() != '"') {
          throw error("expected a string key");
        }
        String key = readStringLiteral();
        skipWhitespace();
        expect(':');
        skipWhitespace();
        Value value = readValue(depth + 1);
        entries.add(MapEntry.of(key, value, hasher));
        skipWhitespace();
        char c = peek();
        pos++;
        if (c == '}') {
          break;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or '}'");
        }
      }
      MapEntry[] sorted = entries.toArray(new MapEntry[0]);
      KeySort.sort(sorted);
      for (int i = 1; i < sorted.length; i++) {
        if (Arrays.equals(sorted[i - 1].keyUtf8, sorted[i].keyUtf8)) {
          int at = pos;
          pos = start;
          IllegalArgumentException e = error("duplicate key " + quoted(sorted[i].key)
              + " in the object (I-JSON, RFC 7493 section 2.3, forbids duplicates)");
          pos = at;
          throw e;
        }
      }
      return MapValue.of(sorted, hasher);
    }

    private Value readArray(int depth) {
      checkDepth(depth);
      pos++;
      List<Value> elements = new ArrayList<>();
      skipWhitespace();
      if (peek() == ']') {
        pos++;
        return ListValue.of(new Value[0], hasher);
      }
      while (true) {
        skipWhitespace();
        elements.add(readValue(depth + 1));
        skipWhitespace();
        char c = peek();
        pos++;
        if (c == ']') {
          break;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or ']'");
        }
      }
      return ListValue.of(elements.toArray(new Value[0]), hasher);
    }

    private void checkDepth(int depth) {
      if (depth >= Format.MAX_DEPTH) {
        throw error("nesting deeper than " + Format.MAX_DEPTH + " arrays and objects");
      }
    }

    private Value readNumber() {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      if (peek() == '0') {
        pos++;
      } else if (peek() >= '1' && peek() <= '9') {
        digits();
      } else {
        throw error("expected a digit");
      }
      if (peek() == '.') {
        pos++;
        if (!(peek() >= '0' && peek() <= '9')) {
          throw error("expected a digit after '.'");
        }
        digits();
      }
      if (peek() == 'e' || peek() == 'E') {
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
        if (!(peek() >= '0' && peek() <= '9')) {
          throw error("expected a digit in the exponent");
        }
        digits();
      }
      String number = text.substring(start, pos);
      double d = Double.parseDouble(number);
      if (!Double.isFinite(d)) {
        int at = pos;
        pos = start;
        IllegalArgumentException e = error("number " + number
            + " is beyond the range of an IEEE 754 double (I-JSON, RFC 7493 section 2.2)");
        pos = at;
        throw e;
      }
      return Decimals.fromJsonNumber(d, hasher);
    }

    private void digits() {
      while (peek() >= '0' && peek() <= '9') {
        pos++;
      }
    }

    /** Reads a string literal starting at the opening quote; rejects unpaired surrogates. */
    String readStringLiteral() {
      int start = pos;
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        if (pos >= text.length()) {
          pos = start;
          throw error("unterminated string");
        }
        char c = text.charAt(pos++);
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          if (pos >= text.length()) {
            throw error("unterminated escape");
          }
          char e = text.charAt(pos++);
          switch (e) {
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case '/' -> out.append('/');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> out.append(hex4());
            default -> {
              pos--;
              throw error("invalid escape '\\" + e + "'");
            }
          }
        } else if (c < 0x20) {
          pos--;
          throw error("unescaped control character U+" + String.format("%04X", (int) c)
              + " in a string");
        } else {
          out.append(c);
        }
      }
      String result = out.toString();
      String problem = JavaValues.checkUtf16(result);
      if (problem != null) {
        int at = pos;
        pos = start;
        IllegalArgumentException e = error("string " + problem
            + " (I-JSON, RFC 7493 section 2.1, requires valid Unicode)");
        pos = at;
        throw e;
      }
      return result;
    }

    private char hex4() {
      if (pos + 4 > text.length()) {
        throw error("truncated \\u escape");
      }
      int value = 0;
      for (int i = 0; i < 4; i++) {
        int digit = Fingerprint.hexDigit(text.charAt(pos + i));
        if (digit < 0) {
          pos += i;
          throw error("invalid hexadecimal digit in \\u escape");
        }
        value = value << 4 | digit;
      }
      pos += 4;
      return (char) value;
    }

    private void literal(String word) {
      if (!text.startsWith(word, pos)) {
        throw error("invalid literal, expected '" + word + "'");
      }
      pos += word.length();
    }

    private char peek() {
      return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) {
      if (peek() != c || pos >= text.length()) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private void skipWhitespace() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          break;
        }
        pos++;
      }
    }

    private IllegalArgumentException error(String why) {
      int line = 1;
      int column = 1;
      for (int i = 0; i < Math.min(pos, text.length()); i++) {
        if (text.charAt(i) == '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
      }
      return new IllegalArgumentException(
          "invalid JSON at line " + line + ", column " + column + ": " + why);
    }
  }

  /** A string quoted for a message: {@link #quoteForText}, cut short after about 200 chars. */
  static String quoted(String s) {
    StringBuilder out = new StringBuilder();
    quoteForText(out, s, 200);
    return out.toString();
  }
}
