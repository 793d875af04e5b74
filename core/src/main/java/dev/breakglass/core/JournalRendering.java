package dev.breakglass.core;

import java.time.temporal.ChronoUnit;
import java.util.List;

/** Text and JSON rendering of journal snapshots. Stateless. */
final class JournalRendering {

  private JournalRendering() {}

  static String text(List<JournalEntry> entries, long recorded, int capacity) {
    long evicted = Math.max(0L, recorded - capacity);
    StringBuilder out = new StringBuilder(64 + entries.size() * 96);
    out.append("incident journal: ")
        .append(entries.size())
        .append(entries.size() == 1 ? " entry (" : " entries (")
        .append(evicted)
        .append(" evicted, capacity ")
        .append(capacity)
        .append(")\n");
    if (entries.isEmpty()) {
      return out.toString();
    }
    long origin = entries.get(0).nanoTime();
    String[] offsets = new String[entries.size()];
    int offsetWidth = 0;
    int sourceWidth = 0;
    int kindWidth = 0;
    for (int i = 0; i < entries.size(); i++) {
      JournalEntry entry = entries.get(i);
      offsets[i] = offset(entry.nanoTime() - origin);
      offsetWidth = Math.max(offsetWidth, offsets[i].length());
      sourceWidth = Math.max(sourceWidth, entry.source().length());
      kindWidth = Math.max(kindWidth, entry.kind().length());
    }
    for (int i = 0; i < entries.size(); i++) {
      JournalEntry entry = entries.get(i);
      out.append("  ");
      pad(out, offsets[i], offsetWidth, true);
      out.append("  ").append(entry.time().truncatedTo(ChronoUnit.MILLIS)).append("  ");
      pad(out, entry.source(), sourceWidth, false);
      out.append("  ");
      if (entry.detail().isEmpty()) {
        out.append(entry.kind());
      } else {
        pad(out, entry.kind(), kindWidth, false);
        out.append("  ").append(entry.detail());
      }
      out.append('\n');
    }
    return out.toString();
  }

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

  /** Appends {@code value} as a JSON string literal (RFC 8259), escaping lone surrogates. */
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
          if (c < 0x20) {
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

  private static void unicodeEscape(StringBuilder out, char c) {
    String hex = Integer.toHexString(c);
    out.append("\\u");
    for (int pad = hex.length(); pad < 4; pad++) {
      out.append('0');
    }
    out.append(hex);
  }
}
