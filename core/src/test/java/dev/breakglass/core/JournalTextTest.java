package dev.breakglass.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What the text and JSON renderings make of hostile text, and how they print time. */
class JournalTextTest {

  private final ManualTicker ticker = new ManualTicker(1_000);
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-12-02T09:14:04Z"));
  private final InstantSource clock = now::get;

  private IncidentJournal journal(int capacity) {
    return IncidentJournal.builder().capacity(capacity).ticker(ticker).clock(clock).build();
  }

  @Test
  void toText_newlinesInSourceKindOrDetail_cannotForgeTimelineLines() {
    IncidentJournal journal = journal(10);
    journal.record("payments\n  +9.999s  2026-12-02T09:14:04.000Z  payments", "transition",
        "CLOSED -> OPEN\n  +0.001s  2026-12-02T09:14:04.001Z  payments  transition  OPEN -> CLOSED");
    journal.record("db", "step\r\n  +0.002s", "line one\u2028line two\u0085line three");

    String text = journal.toText();

    assertThat(text.split("\n", -1)).hasSize(4); // header, two entries, the final empty string
    assertThat(text).doesNotContain("\r", "\u2028", "\u0085");
    assertThat(text.lines().skip(1)).allMatch(line -> line.startsWith("  +0.000s  "));
    assertThat(text).contains(
        "  payments\\n  +9.999s  2026-12-02T09:14:04.000Z  payments  transition  ",
        "  CLOSED -> OPEN\\n  +0.001s  2026-12-02T09:14:04.001Z  payments  transition  "
            + "OPEN -> CLOSED\n",
        "  step\\r\\n  +0.002s  line one\\u2028line two\\u0085line three\n");
  }

  @Test
  void toText_terminalControlSequences_areEscaped() {
    IncidentJournal journal = journal(10);
    journal.record("\u001b]0;owned\u0007payments", "k\u009b2J",
        "\u001b[2J\u001b[31mred\u001b[0m \u202eevil\u202c back\\slash \ud800 lone");

    String text = journal.toText();

    assertThat(text.chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
    assertThat(text).doesNotContain("\u009b", "\u202e", "\u202c", "\ud800");
    assertThat(text).endsWith("  \\u001b]0;owned\\u0007payments  k\\u009b2J  "
        + "\\u001b[2J\\u001b[31mred\\u001b[0m \\u202eevil\\u202c back\\\\slash \\ud800 lone\n");
  }

  @Test
  void toText_escapedText_keepsColumnsAligned() {
    IncidentJournal journal = journal(10);
    journal.record("a\tb", "k\n", "one");
    journal.record("longer", "kind", "two");

    assertThat(journal.toText()).isEqualTo(
        "incident journal: 2 entries (0 evicted, capacity 10)\n"
            + "  +0.000s  2026-12-02T09:14:04.000Z  a\\tb    k\\n   one\n"
            + "  +0.000s  2026-12-02T09:14:04.000Z  longer  kind  two\n");
  }

  @Test
  void toText_wallClockOnWholeSecond_keepsMillisecondsAndWidth() {
    IncidentJournal journal = journal(10);
    journal.record("payments", "transition", "whole second");
    now.set(Instant.parse("2026-12-02T09:14:04.5Z"));
    journal.record("payments", "transition", "half a second");
    now.set(Instant.parse("2026-12-02T09:14:05.123456789Z"));
    journal.record("payments", "transition", "nanoseconds");
    now.set(Instant.parse("2026-12-02T09:15:00Z"));
    journal.record("payments", "transition", "whole minute");

    List<String> lines = journal.toText().lines().skip(1).toList();

    assertThat(lines).extracting(line -> line.substring(11, 35)).containsExactly(
        "2026-12-02T09:14:04.000Z",
        "2026-12-02T09:14:04.500Z",
        "2026-12-02T09:14:05.123Z",
        "2026-12-02T09:15:00.000Z");
    assertThat(lines).extracting(line -> line.indexOf("payments")).containsOnly(37);
  }

  @Test
  void toJson_hostileText_isValidJsonAndRoundTrips() {
    IncidentJournal journal = journal(10);
    String source = "pay\"ments\\\n  +0.001s forged";
    String kind = "k\u0000\u001f\u007f";
    String detail = "\u001b[2J\u009b31m \u2028\u2029 \u202e\u2066 \ud800 \udc00 \ud83d\ude00 \t\r\b\f"
        + "\"},{\"sequence\":99";
    journal.record(source, kind, detail);
    ticker.advance(Duration.ofMillis(5));
    journal.record("plain", "k", "");

    String json = journal.toJson();
    Map<String, Object> document = StrictJson.object(StrictJson.parse(json));

    assertThat(document).containsEntry("capacity", 10L).containsEntry("recorded", 2L)
        .containsEntry("evicted", 0L);
    List<Object> entries = StrictJson.array(document.get("entries"));
    assertThat(entries).hasSize(2);
    Map<String, Object> first = StrictJson.object(entries.get(0));
    assertThat(first).containsEntry("sequence", 0L).containsEntry("nanoTime", 1_000L)
        .containsEntry("time", "2026-12-02T09:14:04Z").containsEntry("source", source)
        .containsEntry("kind", kind).containsEntry("detail", detail);
    assertThat(StrictJson.object(entries.get(1))).containsEntry("nanoTime", 5_001_000L)
        .containsEntry("detail", "");
    // safe to print as well as to parse: nothing a terminal or a JavaScript eval acts on
    assertThat(json).doesNotContain("\u001b", "\u007f", "\u009b", "\u2028", "\u2029", "\u202e",
        "\u2066", "\ud800\u0020", "\udc00");
    assertThat(json).contains("\ud83d\ude00");
  }
}
