package dev.breakglass.fingerprint;

import dev.breakglass.core.internal.PlainText;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Converts Java objects into values ({@link Value#from(Object)}). One instance per conversion;
 * not thread-safe.
 */
final class JavaValues {

  /*
   * Design: a recursive walk sharing one Hasher, so a whole tree costs one MessageDigest
   * lookup. Paths cost nothing on success: a failure is a Failure exception that each level
   * catches, prefixes with its own segment and rethrows, and only the top turns it into the
   * IllegalArgumentException the user sees. Containers on the current path sit in an identity
   * map, which detects cycles; the recursion depth is capped at Format.MAX_DEPTH, so hostile
   * or accidental nesting fails with a message rather than a StackOverflowError.
   */

  /** A conversion failure on its way up; carries the path suffix built so far. */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient List<String> reversedSegments = new ArrayList<>();

    Failure(String message) {
      super(message, null, false, false);
    }

    Failure at(String renderedSegment) {
      reversedSegments.add(renderedSegment);
      return this;
    }

    String path() {
      StringBuilder out = new StringBuilder();
      for (int i = reversedSegments.size() - 1; i >= 0; i--) {
        String segment = reversedSegments.get(i);
        if (out.length() == 0 && segment.startsWith(".")) {
          out.append(segment, 1, segment.length());
        } else {
          out.append(segment);
        }
      }
      return out.length() == 0 ? "$" : out.toString();
    }
  }

  private final Hasher hasher = new Hasher();
  private final IdentityHashMap<Object, Boolean> onPath = new IdentityHashMap<>();

  Value convertRoot(@Nullable Object object) {
    try {
      return convert(object, 0);
    } catch (Failure failure) {
      throw new IllegalArgumentException(failure.path() + ": " + failure.getMessage());
    }
  }

  private Value convert(@Nullable Object object, int depth) {
    if (object == null) {
      return Scalars.NULL;
    }
    if (object instanceof String string) {
      return string(string);
    }
    if (object instanceof Number number && (number instanceof Integer
        || number instanceof Long || number instanceof Short || number instanceof Byte)) {
      return Scalars.IntegerValue.of(number.longValue(), hasher);
    }
    if (object instanceof Boolean bool) {
      return bool ? Scalars.TRUE : Scalars.FALSE;
    }
    if (object instanceof Double d) {
      if (!Double.isFinite(d)) {
        throw new Failure("a decimal must be finite, was " + d);
      }
      return Decimals.decimal(d.doubleValue(), hasher);
    }
    if (object instanceof Value value) {
      if (depth + value.depth() > Format.MAX_DEPTH) {
        throw new Failure("nesting deeper than " + Format.MAX_DEPTH + " containers");
      }
      return value;
    }
    if (object instanceof Map<?, ?> || object instanceof Collection<?>
        || object instanceof Object[] || object instanceof Record) {
      if (depth >= Format.MAX_DEPTH) {
        throw new Failure("nesting deeper than " + Format.MAX_DEPTH + " containers");
      }
      if (onPath.put(object, Boolean.TRUE) != null) {
        throw new Failure("cycle: this " + object.getClass().getName()
            + " contains itself");
      }
      try {
        return container(object, depth);
      } finally {
        onPath.remove(object);
      }
    }
    return other(object, depth);
  }

  private Value container(Object object, int depth) {
    if (object instanceof Properties properties) {
      return properties(properties, depth);
    }
    if (object instanceof Map<?, ?> map) {
      return map(map, depth);
    }
    if (object instanceof List<?> list) {
      Value[] elements = new Value[list.size()];
      int i = 0;
      for (Object element : list) {
        if (i == elements.length) {
          throw new Failure("the list grew while it was being converted");
        }
        elements[i] = child(element, depth, i);
        i++;
      }
      if (i != elements.length) {
        throw new Failure("the list shrank while it was being converted");
      }
      return ListValue.of(elements, hasher);
    }
    if (object instanceof Set<?> set) {
      return set(set, depth);
    }
    if (object instanceof Collection<?> collection) {
      throw new Failure("unsupported type " + object.getClass().getName() + " (a "
          + (collection.isEmpty() ? "" : "non-empty ")
          + "Collection that is neither a List nor a Set has no defined order; copy it into"
          + " a List or a Set)");
    }
    if (object instanceof Object[] array) {
      Value[] elements = new Value[array.length];
      for (int i = 0; i < array.length; i++) {
        elements[i] = child(array[i], depth, i);
      }
      return ListValue.of(elements, hasher);
    }
    return record((Record) object, depth);
  }

  private Value child(@Nullable Object element, int depth, int index) {
    try {
      return convert(element, depth + 1);
    } catch (Failure failure) {
      throw failure.at("[" + index + "]");
    }
  }

  private Value child(@Nullable Object element, int depth, String key) {
    try {
      return convert(element, depth + 1);
    } catch (Failure failure) {
      throw failure.at(ValuePath.isIdentifier(key) ? "." + key : "[" + Json.quoted(key) + "]");
    }
  }

  private Value map(Map<?, ?> map, int depth) {
    MapEntry[] entries = new MapEntry[map.size()];
    int n = 0;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Object key = e.getKey();
      if (!(key instanceof String string)) {
        throw new Failure("map key " + (key == null ? "null" : "'" + PlainText.escape(
            String.valueOf(key)) + "' ("
            + key.getClass().getName() + ")") + " is not a String; map keys must be strings");
      }
      String problem = checkUtf16(string);
      if (problem != null) {
        throw new Failure("map key " + problem);
      }
      Value value = child(e.getValue(), depth, string);
      if (n == entries.length) {
        entries = Arrays.copyOf(entries, n * 2 + 1);
      }
      entries[n++] = MapEntry.of(string, value, hasher);
    }
    return sortedMap(n == entries.length ? entries : Arrays.copyOf(entries, n));
  }

  private Value properties(Properties properties, int depth) {
    for (Map.Entry<Object, Object> e : properties.entrySet()) {
      if (!(e.getKey() instanceof String) || !(e.getValue() instanceof String)) {
        throw new Failure("Properties entry " + PlainText.escape(String.valueOf(e.getKey()))
            + "=" + PlainText.escape(String.valueOf(e.getValue()))
            + " is not a pair of strings");
      }
    }
    Set<String> names = properties.stringPropertyNames();
    MapEntry[] entries = new MapEntry[names.size()];
    int n = 0;
    for (String name : names) {
      String problem = checkUtf16(name);
      if (problem != null) {
        throw new Failure("property name " + problem);
      }
      entries[n++] = MapEntry.of(name, child(properties.getProperty(name), depth, name), hasher);
    }
    return sortedMap(entries);
  }

  private Value record(Record record, int depth) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    MapEntry[] entries = new MapEntry[components.length];
    for (int i = 0; i < components.length; i++) {
      String name = components[i].getName();
      Object component = readComponent(record, components[i]);
      entries[i] = MapEntry.of(name, child(component, depth, name), hasher);
    }
    return sortedMap(entries);
  }

  private static @Nullable Object readComponent(Record record, RecordComponent component) {
    Method accessor = component.getAccessor();
    try {
      if (!accessor.canAccess(record) && !accessor.trySetAccessible()) {
        throw new Failure("cannot read component '" + component.getName() + "' of record "
            + record.getClass().getName() + ": its package is not open to module"
            + " dev.breakglass.fingerprint");
      }
      return accessor.invoke(record);
    } catch (IllegalAccessException e) {
      throw new Failure("cannot read component '" + component.getName() + "' of record "
          + record.getClass().getName() + ": " + e.getMessage());
    } catch (InvocationTargetException e) {
      throw new Failure("the accessor of component '" + component.getName() + "' of record "
          + record.getClass().getName() + " threw " + e.getCause());
    }
  }

  private Value sortedMap(MapEntry[] entries) {
    KeySort.sort(entries);
    for (int i = 1; i < entries.length; i++) {
      if (Arrays.equals(entries[i - 1].keyUtf8, entries[i].keyUtf8)) {
        throw new Failure("duplicate map key " + Json.quoted(entries[i].key));
      }
    }
    return MapValue.of(entries, hasher);
  }

  private Value set(Set<?> set, int depth) {
    Value[] elements = new Value[set.size()];
    int n = 0;
    for (Object element : set) {
      Value value;
      try {
        value = convert(element, depth + 1);
      } catch (Failure failure) {
        throw failure.at("{element " + n + " in iteration order}");
      }
      if (n == elements.length) {
        elements = Arrays.copyOf(elements, n * 2 + 1);
      }
      elements[n++] = value;
    }
    Value[] sorted = n == elements.length ? elements : Arrays.copyOf(elements, n);
    int duplicate = SetValue.sortByDigest(sorted);
    if (duplicate >= 0) {
      throw new Failure("the set holds two elements with the same canonical value "
          + abbreviate(sorted[duplicate]) + " (for example 1 and 1L)");
    }
    return SetValue.of(sorted, hasher);
  }

  private Value other(Object object, int depth) {
    if (object instanceof BigInteger integer) {
      return Scalars.IntegerValue.of(integer, hasher);
    }
    if (object instanceof BigDecimal decimal) {
      try {
        return Decimals.decimal(decimal, hasher);
      } catch (IllegalArgumentException e) {
        throw new Failure(String.valueOf(e.getMessage())); // Decimals always gives one
      }
    }
    if (object instanceof Float f) {
      if (!Float.isFinite(f)) {
        throw new Failure("a decimal must be finite, was " + f);
      }
      return Decimals.decimal(f.floatValue(), hasher);
    }
    if (object instanceof byte[] bytes) {
      return new Scalars.BytesValue(bytes.clone(), hasher);
    }
    if (object instanceof Character c) {
      if (Character.isSurrogate(c)) {
        throw new Failure("character U+" + String.format("%04X", (int) c)
            + " is an unpaired surrogate");
      }
      return new Scalars.StringValue(String.valueOf(c), hasher);
    }
    if (object instanceof Enum<?> constant) {
      return string(constant.name());
    }
    if (object instanceof UUID || object instanceof URI || object instanceof Duration
        || object instanceof Period || object instanceof Instant || object instanceof LocalDate
        || object instanceof LocalTime || object instanceof LocalDateTime
        || object instanceof OffsetDateTime || object instanceof ZonedDateTime) {
      return string(object.toString());
    }
    if (object.getClass().isArray()) {
      return primitiveArray(object, depth);
    }
    if (object instanceof Number) {
      throw new Failure("unsupported type " + object.getClass().getName()
          + " (convert it to a Long, BigInteger, Double or BigDecimal)");
    }
    throw new Failure("unsupported type " + object.getClass().getName());
  }

  private Value primitiveArray(Object array, int depth) {
    if (depth >= Format.MAX_DEPTH) {
      throw new Failure("nesting deeper than " + Format.MAX_DEPTH + " containers");
    }
    Value[] elements;
    if (array instanceof int[] ints) {
      elements = new Value[ints.length];
      for (int i = 0; i < ints.length; i++) {
        elements[i] = Scalars.IntegerValue.of(ints[i], hasher);
      }
    } else if (array instanceof long[] longs) {
      elements = new Value[longs.length];
      for (int i = 0; i < longs.length; i++) {
        elements[i] = Scalars.IntegerValue.of(longs[i], hasher);
      }
    } else if (array instanceof short[] shorts) {
      elements = new Value[shorts.length];
      for (int i = 0; i < shorts.length; i++) {
        elements[i] = Scalars.IntegerValue.of(shorts[i], hasher);
      }
    } else if (array instanceof boolean[] booleans) {
      elements = new Value[booleans.length];
      for (int i = 0; i < booleans.length; i++) {
        elements[i] = booleans[i] ? Scalars.TRUE : Scalars.FALSE;
      }
    } else if (array instanceof double[] doubles) {
      elements = new Value[doubles.length];
      for (int i = 0; i < doubles.length; i++) {
        if (!Double.isFinite(doubles[i])) {
          throw new Failure("a decimal must be finite, was " + doubles[i]).at("[" + i + "]");
        }
        elements[i] = Decimals.decimal(doubles[i], hasher);
      }
    } else if (array instanceof float[] floats) {
      elements = new Value[floats.length];
      for (int i = 0; i < floats.length; i++) {
        if (!Float.isFinite(floats[i])) {
          throw new Failure("a decimal must be finite, was " + floats[i]).at("[" + i + "]");
        }
        elements[i] = Decimals.decimal(floats[i], hasher);
      }
    } else {
      throw new Failure("unsupported type " + array.getClass().getTypeName()
          + " (a char[] is ambiguous: convert it to a String)");
    }
    return ListValue.of(elements, hasher);
  }

  private Value string(String string) {
    String problem = checkUtf16(string);
    if (problem != null) {
      throw new Failure("string " + problem);
    }
    return new Scalars.StringValue(string, hasher);
  }

  /** Returns null if {@code s} is valid UTF-16, else a description of the first problem. */
  static @Nullable String checkUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return "has an unpaired high surrogate U+" + String.format("%04X", (int) c)
            + " at index " + i;
      }
      if (Character.isLowSurrogate(c)) {
        return "has an unpaired low surrogate U+" + String.format("%04X", (int) c)
            + " at index " + i;
      }
    }
    return null;
  }

  static String abbreviate(Value value) {
    StringBuilder out = new StringBuilder();
    value.render(out, 60);
    String s = out.toString();
    if (s.length() <= 80) {
      return s;
    }
    int cut = Character.isHighSurrogate(s.charAt(76)) ? 76 : 77; // never split a pair
    return s.substring(0, cut) + "...";
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
