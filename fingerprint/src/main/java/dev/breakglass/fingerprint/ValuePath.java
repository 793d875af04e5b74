package dev.breakglass.fingerprint;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The address of a value inside another: map keys, list indexes and set elements from the root
 * down, for example {@code pools[2].timeout}.
 *
 * <p>The text form, which {@link #parse(String)} reads and {@link #toString()} writes:
 *
 * <ul>
 *   <li>a key that is an identifier ({@code [A-Za-z_][A-Za-z0-9_-]*}) is written as is, after a
 *       dot unless it comes first: {@code pools}, {@code .timeout};
 *   <li>any other key is written as a JSON string in brackets: {@code ["max.conns"]},
 *       {@code ["10"]}, {@code [""]};
 *   <li>a list index is written in brackets: {@code [2]};
 *   <li>a set element, which has no position, is written as its fingerprint in braces:
 *       {@code {3f1a...}} (64 hexadecimal digits);
 *   <li>the root, which has no segments, is written {@code $}; a leading {@code $} is also
 *       accepted before other segments, and the empty string means the root.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class ValuePath implements Comparable<ValuePath> {

  /*
   * Segments are String (map key), Integer (list index) or Fingerprint (set element), in an
   * array never modified after construction. Appending copies: paths are short.
   */

  private static final ValuePath ROOT = new ValuePath(new Object[0]);

  private final Object[] segments;

  private ValuePath(Object[] segments) {
    this.segments = segments;
  }

  /**
   * Returns the root path, which has no segments.
   *
   * @return the root path
   */
  public static ValuePath root() {
    return ROOT;
  }

  /**
   * Parses a path.
   *
   * @param text the text form, for example {@code "pools[2].timeout"} or {@code "$"}
   * @return the path
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if {@code text} is not a valid path; the message gives
   *     the position
   */
  public static ValuePath parse(String text) {
    Objects.requireNonNull(text, "text");
    return new Parser(text).parse();
  }

  static ValuePath of(Object[] segments) {
    return segments.length == 0 ? ROOT : new ValuePath(segments);
  }

  /**
   * Returns this path extended by a map key.
   *
   * @param key the key; it must be valid UTF-16 (no unpaired surrogate), as map keys are
   * @return the longer path
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if {@code key} contains an unpaired surrogate; the
   *     message gives its index
   */
  public ValuePath key(String key) {
    String problem = JavaValues.checkUtf16(Objects.requireNonNull(key, "key"));
    if (problem != null) {
      throw new IllegalArgumentException("key " + problem);
    }
    return append(key);
  }

  /**
   * Returns this path extended by a list index.
   *
   * @param index the index
   * @return the longer path
   * @throws IllegalArgumentException if {@code index} is negative
   */
  public ValuePath index(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
    return append(index);
  }

  /**
   * Returns this path extended by a set element, identified by its fingerprint.
   *
   * @param element the element's fingerprint
   * @return the longer path
   * @throws NullPointerException if {@code element} is null
   */
  public ValuePath element(Fingerprint element) {
    return append(Objects.requireNonNull(element, "element"));
  }

  private ValuePath append(Object segment) {
    Object[] longer = Arrays.copyOf(segments, segments.length + 1);
    longer[segments.length] = segment;
    return new ValuePath(longer);
  }

  /**
   * Returns the number of segments.
   *
   * @return 0 for the root
   */
  public int depth() {
    return segments.length;
  }

  /**
   * Tells whether this is the root path.
   *
   * @return {@code true} if the path has no segments
   */
  public boolean isRoot() {
    return segments.length == 0;
  }

  /**
   * Returns the path without its last segment.
   *
   * @return the parent path
   * @throws IllegalStateException if this is the root
   */
  public ValuePath parent() {
    if (segments.length == 0) {
      throw new IllegalStateException("the root path has no parent");
    }
    return of(Arrays.copyOf(segments, segments.length - 1));
  }

  /**
   * Tells whether this path equals {@code prefix} or lies below it.
   *
   * @param prefix the possible ancestor
   * @return {@code true} if the first segments of this path are those of {@code prefix}
   * @throws NullPointerException if {@code prefix} is null
   */
  public boolean startsWith(ValuePath prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.segments.length > segments.length) {
      return false;
    }
    for (int i = 0; i < prefix.segments.length; i++) {
      if (!segments[i].equals(prefix.segments[i])) {
        return false;
      }
    }
    return true;
  }

  /** The segment at {@code i}: a String key, an Integer index or a Fingerprint element. */
  Object segment(int i) {
    return segments[i];
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ValuePath that && Arrays.equals(segments, that.segments);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(segments);
  }

  /**
   * Orders paths segment by segment; a path sorts before the paths below it. Keys sort by code
   * point, indexes numerically, elements by fingerprint, and within one position keys sort
   * before indexes before elements.
   *
   * @param other the path to compare with
   * @return a negative number, zero or a positive number
   */
  @Override
  public int compareTo(ValuePath other) {
    int n = Math.min(segments.length, other.segments.length);
    for (int i = 0; i < n; i++) {
      int cmp = compareSegments(segments[i], other.segments[i]);
      if (cmp != 0) {
        return cmp;
      }
    }
    return Integer.compare(segments.length, other.segments.length);
  }

  private static int compareSegments(Object a, Object b) {
    int rank = Integer.compare(rank(a), rank(b));
    if (rank != 0) {
      return rank;
    }
    if (a instanceof String key) {
      return Keys.compare(key, (String) b);
    }
    if (a instanceof Integer index) {
      return Integer.compare(index, (Integer) b);
    }
    return ((Fingerprint) a).compareTo((Fingerprint) b);
  }

  private static int rank(Object segment) {
    return segment instanceof String ? 0 : segment instanceof Integer ? 1 : 2;
  }

  /**
   * Returns the text form, which {@link #parse(String)} reads back.
   *
   * @return for example {@code pools[2].timeout}, or {@code $} for the root
   */
  @Override
  public String toString() {
    if (segments.length == 0) {
      return "$";
    }
    StringBuilder out = new StringBuilder();
    for (Object segment : segments) {
      appendSegment(out, segment);
    }
    return out.toString();
  }

  /**
   * The text form for renderings and messages: {@link #toString()}, except that quoted keys also
   * escape what {@code PlainText.escape} escapes (line and paragraph separators, C1 and
   * bidirectional controls), as JSON escapes, so the text is one line and safe to print.
   * {@link #parse(String)} reads it back as well.
   */
  String toText() {
    if (segments.length == 0) {
      return "$";
    }
    StringBuilder out = new StringBuilder();
    for (Object segment : segments) {
      appendSegment(out, segment, true);
    }
    return out.toString();
  }

  static void appendSegment(StringBuilder out, Object segment) {
    appendSegment(out, segment, false);
  }

  static void appendSegment(StringBuilder out, Object segment, boolean forText) {
    if (segment instanceof String key) {
      if (isIdentifier(key)) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(key);
      } else {
        out.append('[');
        if (forText) {
          Json.quoteForText(out, key, Integer.MAX_VALUE);
        } else {
          Json.quote(out, key, Integer.MAX_VALUE);
        }
        out.append(']');
      }
    } else if (segment instanceof Integer index) {
      out.append('[').append(index).append(']');
    } else {
      out.append('{').append(((Fingerprint) segment).toHex()).append('}');
    }
  }

  static boolean isIdentifier(String key) {
    if (key.isEmpty() || !isIdentifierStart(key.charAt(0))) {
      return false;
    }
    for (int i = 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!isIdentifierStart(c) && !(c >= '0' && c <= '9') && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static final class Parser {
    private final String text;
    private int pos;
    private final java.util.List<Object> segments = new java.util.ArrayList<>();

    Parser(String text) {
      this.text = text;
    }

    ValuePath parse() {
      if (text.startsWith("$")) {
        pos = 1;
      }
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '.') {
          if (segments.isEmpty() && pos == 0) {
            throw error("a path cannot start with '.'");
          }
          pos++;
          segments.add(identifier());
        } else if (c == '[') {
          pos++;
          segments.add(bracket());
        } else if (c == '{') {
          pos++;
          segments.add(element());
        } else if (segments.isEmpty() && pos == 0) {
          segments.add(identifier());
        } else {
          throw error("expected '.', '[' or '{'");
        }
      }
      return of(segments.toArray());
    }

    private String identifier() {
      int start = pos;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '.' || c == '[' || c == '{') {
          break;
        }
        pos++;
      }
      String key = text.substring(start, pos);
      if (!isIdentifier(key)) {
        pos = start;
        throw error("expected a key matching [A-Za-z_][A-Za-z0-9_-]*; write other keys as"
            + " [\"...\"]");
      }
      return key;
    }

    private Object bracket() {
      if (pos < text.length() && text.charAt(pos) == '"') {
        Json.Reader reader = new Json.Reader(text, pos);
        String key;
        try {
          key = reader.readStringLiteral();
        } catch (IllegalArgumentException e) {
          throw error("invalid quoted key (" + e.getMessage() + ")");
        }
        pos = reader.position();
        expect(']');
        return key;
      }
      int start = pos;
      while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        pos++;
      }
      String digits = text.substring(start, pos);
      if (digits.isEmpty() || (digits.length() > 1 && digits.charAt(0) == '0')) {
        pos = start;
        throw error("expected a list index or a quoted key");
      }
      if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) {
        pos = start;
        throw error("list index " + digits + " is too large");
      }
      expect(']');
      return Integer.parseInt(digits);
    }

    private Fingerprint element() {
      int end = text.indexOf('}', pos);
      if (end < 0) {
        throw error("unclosed '{'");
      }
      String hex = text.substring(pos, end);
      if (hex.length() != 2 * Fingerprint.BYTES) {
        throw error("a set element is written as 64 hexadecimal digits");
      }
      Fingerprint fingerprint;
      try {
        fingerprint = Fingerprint.parse(hex);
      } catch (IllegalArgumentException e) {
        throw error("a set element is written as 64 hexadecimal digits");
      }
      pos = end + 1;
      return fingerprint;
    }

    private void expect(char c) {
      if (pos >= text.length() || text.charAt(pos) != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private IllegalArgumentException error(String why) {
      return new IllegalArgumentException(
          "invalid path '" + text + "' at index " + pos + ": " + why);
    }
  }
}
