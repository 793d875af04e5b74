package dev.breakglass.testing;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Renders a generated value for a failure report so that it reads unambiguously: strings and
 * characters quoted, and records, collections, maps and arrays taken apart so that the strings
 * inside them are quoted too ({@code [""]} is not {@code []}). A record or any other class
 * with its own {@code toString} is shown by it. Stateless.
 */
final class Display {

  private Display() {}

  static String render(@Nullable Object value) {
    StringBuilder out = new StringBuilder();
    render(out, value);
    return out.toString();
  }

  private static void render(StringBuilder out, @Nullable Object value) {
    if (out.length() > Runner.DISPLAY_LIMIT) {
      return; // the report cuts it here anyway
    }
    if (value == null) {
      out.append("null");
    } else if (value instanceof CharSequence text) {
      out.append('"');
      text.chars().forEach(c -> out.append(c == '"' || c == '\\' ? "\\" : "").append((char) c));
      out.append('"');
    } else if (value instanceof Character c) {
      out.append('\'').append(c == '\'' || c == '\\' ? "\\" : "").append(c).append('\'');
    } else if (value instanceof Record record && hasDefaultToString(record)) {
      out.append(record.getClass().getSimpleName()).append('[');
      RecordComponent[] components = record.getClass().getRecordComponents();
      for (int i = 0; i < components.length; i++) {
        out.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=');
        render(out, component(record, components[i]));
      }
      out.append(']');
    } else if (value instanceof Collection<?> collection) {
      out.append('[');
      boolean first = true;
      for (Object element : collection) {
        out.append(first ? "" : ", ");
        render(out, element);
        first = false;
      }
      out.append(']');
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.append(first ? "" : ", ");
        render(out, entry.getKey());
        out.append('=');
        render(out, entry.getValue());
        first = false;
      }
      out.append('}');
    } else if (value.getClass().isArray()) {
      out.append('[');
      for (int i = 0; i < Array.getLength(value); i++) {
        out.append(i == 0 ? "" : ", ");
        render(out, Array.get(value, i));
      }
      out.append(']');
    } else {
      out.append(value);
    }
  }

  /** Whether the record's toString is the generated one (its text is the plain rendering). */
  private static boolean hasDefaultToString(Record record) {
    StringBuilder plain = new StringBuilder(record.getClass().getSimpleName()).append('[');
    RecordComponent[] components = record.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      plain.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=')
          .append(component(record, components[i]));
    }
    return Objects.equals(record.toString(), plain.append(']').toString());
  }

  private static @Nullable Object component(Record record, RecordComponent component) {
    try {
      component.getAccessor().setAccessible(true);
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
