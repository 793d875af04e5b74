package dev.breakglass.core;

import dev.breakglass.core.internal.JsonText;
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
      if (entry.category() != EventCategory.INFO) {
        out.append(",\"category\":\"").append(entry.category().name()).append('"');
      }
      if (entry.severity() != null) {
        out.append(",\"severity\":\"").append(entry.severity().name()).append('"');
      }
      if (entry.tier() != null) {
        out.append(",\"tier\":\"").append(entry.tier().name()).append('"');
      }
      if (entry.health() != null) {
        out.append(",\"health\":\"").append(entry.health().name()).append('"');
      }
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

  static void quote(StringBuilder out, String value) {
    JsonText.quote(out, value);
  }
}
