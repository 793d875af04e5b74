package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ValueTest {

  enum Mode { FAST, SAFE }

  record Pool(String name, int size, Duration timeout) {}

  private record PrivatePool(String name) {}

  @Test
  void from_similarValuesOfDifferentKinds_haveDistinctFingerprints() {
    List<Value> values = List.of(Value.of(1), Value.of(BigDecimal.ONE), Value.of("1"),
        Value.ofBytes("1".getBytes()), Value.of(true), Value.ofNull(), Value.from(List.of(1)),
        Value.from(Set.of(1)), Value.from(Map.of("1", 1)), Value.from(List.of()),
        Value.from(Map.of()), Value.from(Set.of()), Value.of(""), Value.ofBytes(new byte[0]));
    assertThat(values.stream().map(Value::fingerprint).distinct()).hasSize(values.size());
  }

  @Test
  void from_integersOfEveryJavaType_areTheSameValue() {
    Value one = Value.of(1);
    assertThat(List.of(Value.from((byte) 1), Value.from((short) 1), Value.from(1),
        Value.from(1L), Value.from(BigInteger.ONE))).allMatch(one::equals);
    assertThat(Value.of(new BigInteger("123456789012345678901234567890")).asBigInteger())
        .isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(Value.of(Long.MIN_VALUE).asLong()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void of_decimal_ignoresTrailingZeros_butNeverEqualsAnInteger() {
    assertThat(Value.of(new BigDecimal("1.50"))).isEqualTo(Value.of(new BigDecimal("1.5")));
    assertThat(Value.of(new BigDecimal("100"))).isEqualTo(Value.of(new BigDecimal("1E+2")));
    assertThat(Value.of(new BigDecimal("1.0"))).isNotEqualTo(Value.of(1));
    assertThat(Value.of(new BigDecimal("0.000"))).isEqualTo(Value.of(BigDecimal.ZERO));
    assertThat(Value.of(new BigDecimal("1.50")).asDecimal()).isEqualTo(new BigDecimal("1.5"));
  }

  @Test
  void of_double_isTheShortestDecimal_andNegativeZeroIsZero() {
    assertThat(Value.of(0.1)).isEqualTo(Value.of(new BigDecimal("0.1")));
    assertThat(Value.of(-0.0)).isEqualTo(Value.of(0.0)).isEqualTo(Value.of(BigDecimal.ZERO));
    assertThat(Value.of(30.0)).isEqualTo(Value.of(new BigDecimal("30")));
    assertThat(Value.from(0.1f)).isEqualTo(Value.of(new BigDecimal("0.1")));
    assertThat(Value.from(1.0e-45f)).isEqualTo(Value.of(new BigDecimal("1E-45")));
  }

  @Test
  void of_nonFiniteDouble_isRejected() {
    assertThatThrownBy(() -> Value.of(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a decimal must be finite, was NaN");
    assertThatThrownBy(() -> Value.from(Map.of("ratio", Double.POSITIVE_INFINITY)))
        .hasMessage("ratio: a decimal must be finite, was Infinity");
    assertThatThrownBy(() -> Value.from(List.of(Float.NaN)))
        .hasMessage("[0]: a decimal must be finite, was NaN");
    assertThatThrownBy(() -> Value.from(new double[] {1, Double.NaN}))
        .hasMessage("[1]: a decimal must be finite, was NaN");
  }

  @Test
  void of_loneSurrogate_isRejectedWithItsIndex() {
    assertThatThrownBy(() -> Value.of("ab\uD800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("string has an unpaired high surrogate U+D800 at index 2");
    assertThatThrownBy(() -> Value.from(Map.of("k", "\uDC00x")))
        .hasMessage("k: string has an unpaired low surrogate U+DC00 at index 0");
    assertThatThrownBy(() -> Value.from(Map.of("\uDC00", 1)))
        .hasMessageContaining("map key has an unpaired low surrogate");
    assertThat(Value.of("\uD83D\uDE00").asString()).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void from_unsupportedType_namesThePath() {
    Map<String, Object> config = Map.of("config", Map.of("pools",
        List.of(Map.of(), Map.of(), Map.of("timeout", new Thread()))));
    assertThatThrownBy(() -> Value.from(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("config.pools[2].timeout: unsupported type java.lang.Thread");
    assertThatThrownBy(() -> Value.from(new Object()))
        .hasMessage("$: unsupported type java.lang.Object");
    assertThatThrownBy(() -> Value.from(Map.of("a b", List.of(new AtomicLong()))))
        .hasMessageStartingWith("[\"a b\"][0]: unsupported type java.util.concurrent.atomic.AtomicLong");
  }

  @Test
  void from_nonStringKey_namesTheKeyAndItsType() {
    assertThatThrownBy(() -> Value.from(Map.of("outer", Map.of(3, "x"))))
        .hasMessage("outer: map key '3' (java.lang.Integer) is not a String; map keys must be"
            + " strings");
  }

  @Test
  void from_unorderedCollection_isRejected() {
    Map<String, Integer> map = new HashMap<>(Map.of("a", 1));
    assertThatThrownBy(() -> Value.from(map.values()))
        .hasMessageContaining("neither a List nor a Set has no defined order");
    assertThatThrownBy(() -> Value.from(new ArrayDeque<>(List.of(1))))
        .hasMessageContaining("unsupported type java.util.ArrayDeque");
  }

  @Test
  void from_cycle_isReportedNotOverflowed() {
    List<Object> list = new ArrayList<>();
    Map<String, Object> map = new HashMap<>();
    map.put("self", list);
    list.add(map);
    assertThatThrownBy(() -> Value.from(map))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("self[0]: cycle: this java.util.HashMap contains itself");
  }

  @Test
  void from_sharedButAcyclicObjects_areFine() {
    List<Integer> shared = List.of(1, 2);
    Value value = Value.from(Map.of("a", shared, "b", shared));
    assertThat(value.get("a")).isEqualTo(value.get("b"));
  }

  @Test
  void from_tooDeep_isRejected() {
    Object nested = 1;
    for (int i = 0; i < 257; i++) {
      nested = List.of(nested);
    }
    Object tooDeep = nested;
    assertThatThrownBy(() -> Value.from(tooDeep))
        .hasMessageEndingWith(": nesting deeper than 256 containers");
    assertThatThrownBy(() -> Value.from(List.of(Value.from(((List<?>) tooDeep).get(0)))))
        .hasMessageEndingWith(": nesting deeper than 256 containers");
  }

  @Test
  void deepestValue_survivesEveryRecursiveWalk_onAHalfSizeStack() throws Exception {
    Object nested = Map.of("leaf", 1);
    for (int i = 0; i < 255; i++) {
      nested = i % 2 == 0 ? List.of(nested) : Map.of("k", nested);
    }
    Object deepest = nested;
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread thread = new Thread(null, () -> {
      try {
        Value deep = Value.from(deepest);
        assertThat(Value.decode(deep.encode())).isEqualTo(deep);
        assertThat(CanonicalJson.parse(CanonicalJson.write(deep))).isEqualTo(deep);
        assertThat(Value.from(deep.toJava())).isEqualTo(deep);
        assertThat(deep.toString()).isNotEmpty();
        Value other = CanonicalJson.parse(CanonicalJson.write(deep).replace("\"leaf\":1",
            "\"leaf\":2"));
        Diff diff = Diff.between(deep, other);
        assertThat(diff.changes()).hasSize(1);
        assertThat(diff.applyTo(deep)).isEqualTo(other);
        assertThat(deep.with(diff.changes().get(0).path(), 3).find(diff.changes().get(0).path()))
            .contains(Value.of(3));
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "deep", 512 * 1024);
    thread.start();
    thread.join();
    assertThat(failure.get()).isNull();
  }

  @Test
  void from_setWithCanonicalDuplicates_isRejected() {
    assertThatThrownBy(() -> Value.from(Map.of("ids", Set.of(1, 1L))))
        .hasMessage("ids: the set holds two elements with the same canonical value 1 (for"
            + " example 1 and 1L)");
  }

  @Test
  void from_recordsEnumsAndValueTypes_convert() {
    UUID id = UUID.fromString("3f1a9c0b-7e42-4d7e-9b1c-2a3b4c5d6e7f");
    Value value = Value.from(Map.of(
        "pool", new Pool("db", 20, Duration.ofSeconds(30)),
        "mode", Mode.SAFE,
        "id", id,
        "uri", URI.create("https://example.com/a"),
        "since", Instant.parse("2024-06-01T00:00:00Z"),
        "day", LocalDate.of(2024, 6, 1),
        "letter", 'x',
        "private", new PrivatePool("p")));
    assertThat(value.get("pool")).isEqualTo(
        Value.from(Map.of("name", "db", "size", 20, "timeout", "PT30S")));
    assertThat(value.get("mode").asString()).isEqualTo("SAFE");
    assertThat(value.get("id").asString()).isEqualTo(id.toString());
    assertThat(value.get("uri").asString()).isEqualTo("https://example.com/a");
    assertThat(value.get("since").asString()).isEqualTo("2024-06-01T00:00:00Z");
    assertThat(value.get("day").asString()).isEqualTo("2024-06-01");
    assertThat(value.get("letter").asString()).isEqualTo("x");
    assertThat(value.get("private.name").asString()).isEqualTo("p");
  }

  @Test
  void from_properties_includesDefaults() {
    Properties defaults = new Properties();
    defaults.setProperty("pool.size", "10");
    Properties properties = new Properties(defaults);
    properties.setProperty("timeout", "30s");
    assertThat(Value.from(properties))
        .isEqualTo(Value.from(Map.of("pool.size", "10", "timeout", "30s")));
    Properties odd = new Properties();
    odd.put("n", 1);
    assertThatThrownBy(() -> Value.from(odd)).hasMessage("$: Properties entry n=1 is not a pair"
        + " of strings");
  }

  @Test
  void from_arrays_becomeLists_andBytesStayBytes() {
    assertThat(Value.from(new int[] {1, 2})).isEqualTo(Value.from(List.of(1, 2)));
    assertThat(Value.from(new long[] {1})).isEqualTo(Value.from(List.of(1)));
    assertThat(Value.from(new short[] {1})).isEqualTo(Value.from(List.of(1)));
    assertThat(Value.from(new boolean[] {true})).isEqualTo(Value.from(List.of(true)));
    assertThat(Value.from(new double[] {0.5})).isEqualTo(Value.from(List.of(0.5)));
    assertThat(Value.from(new float[] {0.5f})).isEqualTo(Value.from(List.of(0.5)));
    assertThat(Value.from(new String[] {"a"})).isEqualTo(Value.from(List.of("a")));
    assertThat(Value.from(new byte[] {1, 2}).kind()).isEqualTo(Value.Kind.BYTES);
    assertThatThrownBy(() -> Value.from(new char[] {'a'})).hasMessageContaining("char[]");
  }

  @Test
  void from_mapOrder_doesNotMatter_butListOrderDoes() {
    Map<String, Integer> forward = new LinkedHashMap<>();
    forward.put("a", 1);
    forward.put("b", 2);
    Map<String, Integer> sorted = new TreeMap<>(java.util.Comparator.reverseOrder());
    sorted.putAll(forward);
    assertThat(Value.from(forward)).isEqualTo(Value.from(sorted));
    assertThat(Value.from(List.of(1, 2))).isNotEqualTo(Value.from(List.of(2, 1)));
  }

  @Test
  void ofBytes_copies_butWrapBytesDoesNot() {
    byte[] bytes = {1, 2, 3};
    Value copied = Value.ofBytes(bytes);
    Value wrapped = Value.wrapBytes(bytes);
    assertThat(copied).isEqualTo(wrapped);
    bytes[0] = 9;
    assertThat(copied.asBytes()).containsExactly(1, 2, 3);
    assertThat(wrapped.asBytes()).containsExactly(9, 2, 3);
    // the wrapped value no longer matches its fingerprint, which a full recompute shows
    assertThat(Value.decode(wrapped.encode())).isNotEqualTo(wrapped);
  }

  @Test
  void accessors_wrongKind_sayWhatItIs() {
    assertThatThrownBy(() -> Value.of("x").asLong())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("value is a string, not an integer");
    assertThatThrownBy(() -> Value.of(1).asMap()).hasMessage("value is an integer, not a map");
    assertThatThrownBy(() -> Value.of(1).size())
        .hasMessage("value is an integer, which has no size");
    assertThatThrownBy(() -> Value.of(BigInteger.TWO.pow(64)).asLong())
        .isInstanceOf(ArithmeticException.class)
        .hasMessage("integer 18446744073709551616 does not fit in a long");
  }

  @Test
  void views_areSortedAndSearchable() {
    Map<String, Object> source = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      source.put("k" + i, i);
    }
    Value value = Value.from(Map.of("m", source, "l", List.of(3, 1, 2), "s", Set.of("x", "y")));
    Map<String, Value> map = value.get("m").asMap();
    assertThat(map).hasSize(100).containsEntry("k42", Value.of(42)).doesNotContainKey("k100");
    assertThat(map.get("missing")).isNull();
    assertThat(new ArrayList<>(map.keySet())).isSorted();
    assertThat(value.get("l").asList()).containsExactly(Value.of(3), Value.of(1), Value.of(2));
    assertThatThrownBy(() -> value.get("l").asList().get(3))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("index 3 out of range for a list of 3 elements");
    assertThat(value.get("s").asSet()).contains(Value.of("x")).doesNotContain(Value.of("z"))
        .hasSize(2);
    assertThatThrownBy(() -> value.get("m").asMap().put("k", Value.of(1)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void mapKeys_sortByCodePoint_notByUtf16() {
    // U+FF61 sorts after U+E000..U+FFFF surrogates in UTF-16, before U+1F600 by code point
    Value value = Value.from(Map.of("\uff61", 1, "\uD83D\uDE00", 2, "a", 3));
    assertThat(value.asMap().keySet()).containsExactly("a", "\uff61", "\uD83D\uDE00");
  }

  @Test
  void toJava_roundTripsThroughFrom() {
    Value value = Value.from(new RandomValues(7).map(3));
    assertThat(Value.from(value.toJava())).isEqualTo(value);
    assertThat(Value.ofNull().toJava()).isNull();
    assertThat(Value.of(5).toJava()).isEqualTo(5L);
    assertThat(Value.of(BigInteger.TEN.pow(30)).toJava()).isEqualTo(BigInteger.TEN.pow(30));
  }

  @Test
  void find_andGet_followPaths() {
    Value value = Value.from(Map.of("pools", List.of(Map.of("size", 20)), "odd key", 1));
    assertThat(value.find("pools[0].size")).contains(Value.of(20));
    assertThat(value.find("pools[1].size")).isEmpty();
    assertThat(value.find("pools.size")).isEmpty();
    assertThat(value.find("[\"odd key\"]")).contains(Value.of(1));
    assertThat(value.find("$")).contains(value);
    assertThatThrownBy(() -> value.get("pools[0].timeout"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("no value at pools[0].timeout");
  }

  @Test
  void toString_rendersJsonLike_andIsBounded() {
    Value value = Value.from(Map.of("s", "a\"b", "d", new BigDecimal("30"), "n", 30,
        "b", new byte[] {1, 2}, "set", Set.of(1), "x", List.of()));
    assertThat(value.toString()).isEqualTo(
        "{\"b\": base64:AQI=, \"d\": 30.0, \"n\": 30, \"s\": \"a\\\"b\", \"set\": set[1], \"x\": []}");
    assertThat(Value.of(new BigDecimal("1E+30")).toString()).isEqualTo("1E30");
    Value big = Value.from(RandomValues.flatConfig(20_000));
    assertThat(big.toString().length()).isLessThan(10_200);
    assertThat(big.toString()).contains("more)");
  }

  @Test
  void equalsAndHashCode_followTheFingerprint() {
    Value a = Value.from(Map.of("a", List.of(1, 2)));
    Value b = Value.from(Map.of("a", List.of(1L, 2L)));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(a.fingerprint());
  }

  @Test
  void from_hundredThousandLeaves_keepsEveryEntry() {
    Value value = Value.from(RandomValues.flatConfig(100_000));
    assertThat(value.size()).isEqualTo(100_000);
    assertThat(value.get("param-99997")).isEqualTo(Value.of(99_997));
    assertThat(Value.decode(value.encode())).isEqualTo(value);
  }
}
