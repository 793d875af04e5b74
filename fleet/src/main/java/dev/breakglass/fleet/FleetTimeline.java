package dev.breakglass.fleet;

import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.internal.PlainText;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One timeline for a whole fleet: the journal entries every instance shipped, and the fleet's
 * own declarations and rollback orders, merged by wall-clock time, each with the instance it
 * came from. It is the raw material of an incident report covering the fleet: a list of
 * journal entries with their instances, rendered here as text or JSON. Immutable and
 * thread-safe.
 *
 * <p>Instances' clocks are only as close as the hosts' clock synchronization keeps them (NTP:
 * typically milliseconds): entries of different instances less apart than that may appear in
 * either order. Entries of one instance keep their order.
 *
 * @param fleet the fleet's name
 * @param entries the entries, ordered by wall-clock time, then instance, then sequence
 */
public record FleetTimeline(String fleet, List<Entry> entries) {

  /**
   * One entry of the timeline. Immutable and thread-safe.
   *
   * <p>For an instance's entry, {@code entry} is the journal entry as the instance recorded it,
   * with its wall-clock time to the microsecond (what PostgreSQL keeps); its sequence and
   * nanoTime are the instance's own. For an entry of the fleet itself (a declaration, a
   * clearing, a rollback order) the source is {@code "fleet"}, the sequence is the row's number,
   * and nanoTime is the wall-clock time in nanoseconds since the epoch.
   *
   * @param instance the instance it came from, or null for the fleet's own declarations and
   *     rollback orders
   * @param entry the journal entry
   */
  public record Entry(@Nullable String instance, JournalEntry entry) {

    /**
     * Validates the components.
     *
     * @param instance the instance, or null for the fleet itself
     * @param entry the journal entry
     * @throws NullPointerException if {@code entry} is null
     */
    public Entry {
      Objects.requireNonNull(entry, "entry");
    }
  }

  /** The order of a timeline: by time, the fleet's own entries first, then by sequence. */
  static final Comparator<Entry> ORDER = Comparator
      .comparing((Entry e) -> e.entry().time())
      .thenComparing(e -> e.instance() == null ? "" : "\u0001" + e.instance())
      .thenComparingLong(e -> e.entry().sequence());

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final String FLEET_COLUMN = "(fleet)";

  /**
   * Validates and copies the components.
   *
   * @param fleet the fleet's name
   * @param entries the entries, in timeline order
   * @throws NullPointerException if a component or an element is null
   */
  public FleetTimeline {
    Objects.requireNonNull(fleet, "fleet");
    entries = List.copyOf(entries);
  }

  /**
   * Returns the instances that appear in the timeline.
   *
   * @return their ids, sorted
   */
  public Set<String> instances() {
    Set<String> ids = new TreeSet<>();
    for (Entry entry : entries) {
      if (entry.instance() != null) {
        ids.add(entry.instance());
      }
    }
    return ids;
  }

  /**
   * Renders the timeline for people: a header, then one line per entry with its offset from the
   * first entry (by wall-clock time, to the millisecond), its time (UTC, to the millisecond),
   * its instance ({@code (fleet)} for the fleet's own), source, kind and detail, in aligned
   * columns. Every name and detail is escaped as the incident journal escapes them (control,
   * line-breaking and bidirectional characters), so each entry is exactly one line.
   *
   * <pre>
   * fleet timeline 'shop': 3 entries from 2 instances
   *   +0.000s  2026-11-21T09:14:03.120Z  shop-1   cascade  severity  NORMAL -&gt; MAJOR: ...
   *   +0.310s  2026-11-21T09:14:03.430Z  (fleet)  fleet    declared  MAJOR declared for ...
   *   +0.318s  2026-11-21T09:14:03.438Z  shop-2   fleet    adopted   MAJOR declared for ...
   * </pre>
   *
   * @return the timeline, ending with a line break
   */
  public String toText() {
    StringBuilder out = new StringBuilder(64 + entries.size() * 120);
    int instances = instances().size();
    out.append("fleet timeline '").append(PlainText.escape(fleet)).append("': ")
        .append(entries.size()).append(entries.size() == 1 ? " entry" : " entries")
        .append(" from ").append(instances).append(instances == 1 ? " instance" : " instances")
        .append('\n');
    if (entries.isEmpty()) {
      return out.toString();
    }
    Instant origin = entries.get(0).entry().time();
    int n = entries.size();
    String[] offsets = new String[n];
    String[] names = new String[n];
    String[] sources = new String[n];
    String[] kinds = new String[n];
    int[] widths = new int[4];
    for (int i = 0; i < n; i++) {
      Entry entry = entries.get(i);
      offsets[i] = offset(Duration.between(origin, entry.entry().time()));
      names[i] = entry.instance() == null ? FLEET_COLUMN : PlainText.escape(entry.instance());
      sources[i] = PlainText.escape(entry.entry().source());
      kinds[i] = PlainText.escape(entry.entry().kind());
      widths[0] = Math.max(widths[0], offsets[i].length());
      widths[1] = Math.max(widths[1], names[i].length());
      widths[2] = Math.max(widths[2], sources[i].length());
      widths[3] = Math.max(widths[3], kinds[i].length());
    }
    for (int i = 0; i < n; i++) {
      JournalEntry entry = entries.get(i).entry();
      out.append("  ").append(" ".repeat(widths[0] - offsets[i].length())).append(offsets[i])
          .append("  ");
      TIME.formatTo(entry.time(), out);
      out.append("  ");
      pad(out, names[i], widths[1]);
      out.append("  ");
      pad(out, sources[i], widths[2]);
      out.append("  ");
      if (entry.detail().isEmpty()) {
        out.append(kinds[i]);
      } else {
        pad(out, kinds[i], widths[3]);
        out.append("  ");
        PlainText.append(out, entry.detail());
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * Renders the timeline as JSON: {@code {"fleet":..,"entries":[{"instance":..,"sequence":..,
   * "nanoTime":..,"time":..,"source":..,"kind":..,"detail":..},..]}}, {@code "instance"} being
   * null for the fleet's own entries and {@code "time"} ISO-8601 in UTC. Strings are escaped per
   * RFC 8259, and the characters the text form escapes are written as {@code \}{@code uXXXX}
   * too, so the document is safe to print.
   *
   * @return the JSON document
   */
  public String toJson() {
    StringBuilder out = new StringBuilder(32 + entries.size() * 160);
    out.append("{\"fleet\":");
    Json.quote(out, fleet);
    out.append(",\"entries\":[");
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      JournalEntry journal = entry.entry();
      out.append(i == 0 ? "\n" : ",\n").append("{\"instance\":");
      if (entry.instance() == null) {
        out.append("null");
      } else {
        Json.quote(out, entry.instance());
      }
      out.append(",\"sequence\":").append(journal.sequence())
          .append(",\"nanoTime\":").append(journal.nanoTime())
          .append(",\"time\":");
      Json.quote(out, journal.time().toString());
      out.append(",\"source\":");
      Json.quote(out, journal.source());
      out.append(",\"kind\":");
      Json.quote(out, journal.kind());
      out.append(",\"detail\":");
      Json.quote(out, journal.detail());
      out.append('}');
    }
    return out.append(entries.isEmpty() ? "]}" : "\n]}").toString();
  }

  @Override
  public String toString() {
    return toText();
  }

  private static String offset(Duration since) {
    long millis = since.toMillis();
    long abs = Math.abs(millis);
    return (millis < 0 ? "-" : "+") + abs / 1000 + "."
        + String.format(java.util.Locale.ROOT, "%03d", abs % 1000) + "s";
  }

  private static void pad(StringBuilder out, String value, int width) {
    out.append(value).append(" ".repeat(width - value.length()));
  }
}
