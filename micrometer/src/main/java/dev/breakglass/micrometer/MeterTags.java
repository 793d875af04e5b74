package dev.breakglass.micrometer;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Objects;

/** The tag rules every binder shares. Stateless. */
final class MeterTags {

  private MeterTags() {}

  /**
   * Returns the user's tags for every meter of a binder, refusing the keys the binder sets
   * itself.
   *
   * @param tags the user's tags
   * @param reserved the keys the binder's meters set
   * @return the tags
   * @throws NullPointerException if {@code tags} is null
   * @throws IllegalArgumentException if a tag has a reserved key
   */
  static Tags userTags(Iterable<Tag> tags, String... reserved) {
    Objects.requireNonNull(tags, "tags");
    for (Tag tag : tags) {
      String key = tag.getKey();
      for (String taken : reserved) {
        if (key.equals(taken)) {
          throw new IllegalArgumentException(
              "tag key '" + key + "' is set by the meters themselves; use another key");
        }
      }
    }
    return Tags.of(tags);
  }

  /** The lower-case tag value of a constant, as Resilience4j writes them: {@code half_open}. */
  static String value(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
