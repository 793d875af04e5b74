package dev.breakglass.core;

import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.testing.Gen;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentJournalPropertiesTest {

  record Records(int capacity, List<String> details) {}

  /** The journal behaves like "keep the last capacity items of a list". */
  @Test
  void entries_equalTheLastCapacityRecords() {
    Gen<Records> records = source -> new Records(
        source.draw(Gen.ints(1, 20)), source.draw(Gen.strings(0, 8).list(0, 60)));

    forAll(records).tries(500).check(input -> {
      int capacity = input.capacity();
      List<String> details = input.details();
      IncidentJournal journal = IncidentJournal.builder().capacity(capacity).build();
      for (String detail : details) {
        journal.record("source", "kind", detail);
      }

      List<String> expected =
          details.subList(Math.max(0, details.size() - capacity), details.size());
      assertThat(journal.entries()).extracting(JournalEntry::detail)
          .containsExactlyElementsOf(expected);
      assertThat(journal.recordedCount()).isEqualTo(details.size());
      assertThat(journal.evictedCount()).isEqualTo(Math.max(0, details.size() - capacity));
    });
  }

  /** Every JSON rendering is well-formed whatever the text: a tiny structural check. */
  @Test
  void toJson_anyText_balancedAndQuoted() {
    forAll(Gen.strings(0, 30)).tries(300).check(detail -> {
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
    });
  }
}
