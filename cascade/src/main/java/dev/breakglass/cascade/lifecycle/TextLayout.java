package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Tier;
import dev.breakglass.core.internal.DurationFormat;
import java.time.Duration;

/**
 * How the plans, reports and journal entries of a run lay out their text: columns padded to a
 * width, lines without trailing blanks, counted nouns, the tier column, offsets. Durations use
 * core's {@link DurationFormat}; user text is escaped by whoever renders it (see {@link Plan}
 * and {@link RunReport}). Stateless.
 */
final class TextLayout {

  private TextLayout() {}

  /** "1 component", "3 components". */
  static String plural(int count, String singular, String plural) {
    return count + " " + (count == 1 ? singular : plural);
  }

  /** "CRITICAL", or "CRITICAL (from STANDARD)" when the graph promoted the component. */
  static String tier(Tier declared, Tier effective) {
    return declared == effective ? effective.name() : effective.name() + " (from " + declared + ")";
  }

  /** "+1.250s": an offset from the start of a run, always in seconds, so offsets align. */
  static String offset(Duration offset) {
    long millis = Math.max(0L, DurationFormat.saturatedNanos(offset)) / 1_000_000L;
    StringBuilder out = new StringBuilder(12).append('+').append(millis / 1000).append('.');
    long fraction = millis % 1000;
    return out.append(fraction < 100 ? "0" : "").append(fraction < 10 ? "0" : "")
        .append(fraction).append('s').toString();
  }

  /** Appends {@code text}, then blanks up to {@code width}. */
  static void pad(StringBuilder out, String text, int width) {
    out.append(text);
    for (int i = text.length(); i < width; i++) {
      out.append(' ');
    }
  }

  /** Ends a line: drops the blanks padding left at its end and appends a line break. */
  static void endLine(StringBuilder out) {
    int end = out.length();
    while (end > 0 && out.charAt(end - 1) == ' ') {
      end--;
    }
    out.setLength(end);
    out.append('\n');
  }
}
