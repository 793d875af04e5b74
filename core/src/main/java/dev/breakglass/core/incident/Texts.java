package dev.breakglass.core.incident;

import dev.breakglass.core.internal.DurationFormat;
import dev.breakglass.core.internal.PlainText;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/** Formatting and escaping shared by the renderings. Stateless. */
final class Texts {

  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Texts() {}

  static String time(Instant instant) {
    return TIME.format(instant);
  }

  static String duration(Optional<Duration> duration) {
    return duration.map(DurationFormat::format).orElse("n/a");
  }

  /** {@code +S.mmms} from the incident's start. */
  static String offset(long nanos) {
    long millis = Math.floorDiv(nanos, 1_000_000L);
    long abs = Math.abs(millis);
    return String.format(Locale.ROOT, "%s%d.%03ds", millis < 0 ? "-" : "+", abs / 1000,
        abs % 1000);
  }

  static String summaryLine(Incident incident) {
    return "incident #" + incident.number() + " " + incident.status() + ": peak "
        + incident.peakSeverity()
        + "; time to detect " + duration(incident.timeToDetect())
        + ", to mitigate " + duration(incident.timeToMitigate())
        + ", to recover " + duration(incident.timeToRecover())
        + ", to resolve " + duration(incident.timeToResolve());
  }

  /**
   * One line, no control characters, then Markdown's punctuation backslash-escaped and the
   * markup characters as entities.
   */
  static String markdown(String text) {
    String plain = PlainText.escape(text);
    StringBuilder out = new StringBuilder(plain.length() + 8);
    for (int i = 0; i < plain.length(); i++) {
      char c = plain.charAt(i);
      switch (c) {
        case '\\', '`', '*', '_', '[', ']', '#', '|', '!', '~', '{', '}' ->
            out.append('\\').append(c);
        case '<' -> out.append("&lt;"); // no raw markup, not even escaped
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** One line, no control characters, then HTML's special characters as entities. */
  static String html(String text) {
    String plain = PlainText.escape(text);
    StringBuilder out = new StringBuilder(plain.length() + 8);
    for (int i = 0; i < plain.length(); i++) {
      char c = plain.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
