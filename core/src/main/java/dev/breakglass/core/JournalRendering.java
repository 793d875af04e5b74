package dev.breakglass.core;

import dev.breakglass.core.internal.PlainText;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Text and JSON rendering of journal snapshots. Stateless. */
final class JournalRendering {

  /**
   * Wall-clock times in the text timeline: UTC, always to the millisecond, so that every
   * timestamp has the same width ({@code Instant.toString()} drops a zero fraction).
   */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private JournalRendering() {}

  /**
   * Renders a snapshot as a timeline.
   *
   * @param entries the entries read against {@code recorded}
   * @param recorded the journal's recorded count the entries were read against
   * @param capacity the journal's capacity
   */
  static String text(List<JournalEntry> entries, long recorded, int capacity) {
    long evicted = Math.max(0L, recorded - capacity);
    long inFlight = recorded - evicted - entries.size();
    StringBuilder out = new StringBuilder(64 + entries.size() * 96);
    out.append("incident journal: ")
        .append(entries.size())
        .append(entries.size() == 1 ? " entry (" : " entries (")
        .append(evicted)
        .append(" evicted, ");
    if (inFlight > 0) {
      out.append(inFlight).append(" in flight, ");
    }
    out.append("capacity ").append(capacity).append(")\n");
    if (entries.isEmpty()) {
      return out.toString();
    }
    long origin = entries.get(0).nanoTime();
    for (JournalEntry entry : entries) {
      if (entry.nanoTime() - origin < 0) { // recorded after the fact (recordAt): earlier
        origin = entry.nanoTime();
      }
    }
    int n = entries.size();
    String[] offsets = new String[n];
    String[] sources = new String[n];
    String[] kinds = new String[n];
    int offsetWidth = 0;
    int sourceWidth = 0;
    int kindWidth = 0;
    for (int i = 0; i < n; i++) {
      JournalEntry entry = entries.get(i);
      offsets[i] = offset(entry.nanoTime() - origin);
      sources[i] = PlainText.escape(entry.source());
      kinds[i] = PlainText.escape(entry.kind());
      offsetWidth = Math.max(offsetWidth, offsets[i].length());
      sourceWidth = Math.max(sourceWidth, sources[i].length());
      kindWidth = Math.max(kindWidth, kinds[i].length());
    }
    for (int i = 0; i < n; i++) {
      JournalEntry entry = entries.get(i);
      out.append("  ");
      pad(out, offsets[i], offsetWidth, true);
      out.append("  ");
      TIME.formatTo(entry.time(), out);
      out.append("  ");
      pad(out, sources[i], sourceWidth, false);
      out.append("  ");
      if (entry.detail().isEmpty()) {
        out.append(kinds[i]);
      } else {
        pad(out, kinds[i], kindWidth, false);
        out.append("  ");
        PlainText.append(out, entry.detail());
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * Renders a snapshot as JSON.
   *
   * @param entries the entries read against {@code recorded}
   * @param recorded the journal's recorded count the entries were read against
   * @param capacity the journal's capacity
   */
  static String json(List<JournalEntry> entries, long recorded, int capacity) {
    StringBuilder out = new StringBuilder(64 + entries.size() * 160);
    out.append("{\"capacity\":")
        .append(capacity)
        .append(",\"recorded\":")
        .append(recorded)
        .append(",\"evicted\":")
        .append(Math.max(0L, recorded - capacity))
        .append(",\"entries\":[");
    for (int i = 0; i < entries.size(); i++) {
      JournalEntry entry = entries.get(i);
      out.append(i == 0 ? "\n" : ",\n");
      out.append("{\"sequence\":").append(entry.sequence());
      out.append(",\"nanoTime\":").append(entry.nanoTime());
      out.append(",\"time\":");
      quote(out, entry.time().toString());
      out.append(",\"source\":");
      quote(out, entry.source());
      out.append(",\"kind\":");
      quote(out, entry.kind());
      out.append(",\"detail\":");
      quote(out, entry.detail());
      out.append('}');
    }
    out.append(entries.isEmpty() ? "]}" : "\n]}");
    return out.toString();
  }

  /** Formats a non-negative or negative nanosecond offset as {@code +S.mmms}. */
  static String offset(long nanos) {
    long millis = Math.floorDiv(nanos, 1_000_000L);
    StringBuilder sb = new StringBuilder(12);
    sb.append(millis < 0 ? '-' : '+');
    long abs = Math.abs(millis);
    sb.append(abs / 1000).append('.');
    long fraction = abs % 1000;
    if (fraction < 100) {
      sb.append('0');
    }
    if (fraction < 10) {
      sb.append('0');
    }
    return sb.append(fraction).append('s').toString();
  }

  private static void pad(StringBuilder out, String value, int width, boolean right) {
    if (right) {
      out.append(" ".repeat(width - value.length())).append(value);
    } else {
      out.append(value).append(" ".repeat(width - value.length()));
    }
  }

  /**
   * Appends {@code value} as a JSON string literal (RFC 8259). Besides what JSON requires, it
   * escapes what {@link PlainText} escapes in text renderings (DEL, the C1 controls, U+2028 and
   * U+2029, the bidirectional formatting controls, lone surrogates), so the document is safe
   * to print and to embed in JavaScript as well as to parse.
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
