package dev.breakglass.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class IncidentJournalPropertiesTest {

  /** The journal behaves like "keep the last capacity items of a list". */
  @Property(tries = 500)
  void entries_equalTheLastCapacityRecords(
      @ForAll @IntRange(min = 1, max = 20) int capacity,
      @ForAll @Size(max = 60) List<@StringLength(max = 8) String> details) {
    IncidentJournal journal = IncidentJournal.builder().capacity(capacity).build();
    for (String detail : details) {
      journal.record("source", "kind", detail);
    }

    List<String> expected = details.subList(Math.max(0, details.size() - capacity), details.size());
    assertThat(journal.entries()).extracting(JournalEntry::detail).containsExactlyElementsOf(expected);
    assertThat(journal.recordedCount()).isEqualTo(details.size());
    assertThat(journal.evictedCount()).isEqualTo(Math.max(0, details.size() - capacity));
  }

  /** Every JSON rendering is well-formed whatever the text: a tiny structural check. */
  @Property(tries = 300)
  void toJson_anyText_balancedAndQuoted(@ForAll @StringLength(max = 30) String detail) {
    IncidentJournal journal = IncidentJournal.create(2);
    journal.record("s", "k", detail);
    String json = journal.toJson();
    int quotes = 0;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        quotes++;
      } else if (c < 0x20) {
        assertThat(c).as("raw control character outside escapes").isEqualTo('\n');
      }
    }
    assertThat(quotes % 2).isZero();
    assertThat(json).startsWith("{").endsWith("]}");
  }
}
