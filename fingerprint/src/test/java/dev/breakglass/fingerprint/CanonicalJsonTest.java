package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * RFC 8785 (JSON Canonicalization Scheme). The examples are transcribed from the RFC text
 * (sections 3.2.2, 3.2.3 and 3.2.4) and from the test data published with its reference
 * implementations (cyberphone/json-canonicalization, testdata/input and testdata/output).
 */
class CanonicalJsonTest {

  @Test
  void canonicalize_rfc8785Section322_valuesAndEscaping() {
    String input = "{\n"
        + "  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
        + "              2e-3, 0.000000000000000000000000001],\n"
        + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
        + "  \"literals\": [null, true, false]\n"
        + "}";
    String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,"
        + "0.002,1e-27],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
    String canonical = CanonicalJson.canonicalize(input);
    assertThat(canonical).isEqualTo(expected);
    // section 3.2.4: the UTF-8 bytes of the result
    String hex = "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72"
        + " 75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a"
        + " 5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31"
        + " 65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37"
        + " 5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30"
        + " 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d";
    assertThat(HexFormat.of().formatHex(canonical.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(hex.replace(" ", ""));
  }

  @Test
  void canonicalize_rfc8785Section323_sortsByUtf16CodeUnits() {
    String input = "{\n"
        + "  \"\\u20ac\": \"Euro Sign\",\n"
        + "  \"\\r\": \"Carriage Return\",\n"
        + "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
        + "  \"1\": \"One\",\n"
        + "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
        + "  \"\\u0080\": \"Control\",\n"
        + "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
        + "}";
    String expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
        + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
        + "\"\uD83D\uDE00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With"
        + " Dagesh\"}";
    assertThat(CanonicalJson.canonicalize(input)).isEqualTo(expected);
  }

  @Test
  void canonicalize_referenceTestData() {
    assertThat(CanonicalJson.canonicalize(
        "[\n  56,\n  {\n    \"d\": true,\n    \"10\": null,\n    \"1\": [ ]\n  }\n]"))
        .isEqualTo("[56,{\"1\":[],\"10\":null,\"d\":true}]");
    assertThat(CanonicalJson.canonicalize("{\n  \"1\": {\"f\": {\"f\": \"hi\",\"F\": 5} ,\"\\n\":"
        + " 56.0},\n  \"10\": { },\n  \"\": \"empty\",\n  \"a\": { },\n  \"111\": [ { } ],\n"
        + "  \"A\": { }\n}"))
        .isEqualTo("{\"\":\"empty\",\"1\":{\"\\n\":56,\"f\":{\"F\":5,\"f\":\"hi\"}},\"10\":{},"
            + "\"111\":[{}],\"A\":{},\"a\":{}}");
    assertThat(CanonicalJson.canonicalize("{\n  \"Unnormalized Unicode\":\"\\u1e0d\\u0307\"\n}\n"))
        .isEqualTo("{\"Unnormalized Unicode\":\"\u1e0d\u0307\"}");
    assertThat(CanonicalJson.canonicalize("{\n  \"\\u20ac\": \"Euro Sign\",\n  \"1\": \"One\",\n"
        + "  \"\\u0080\": \"Control\\u007f\",\n  \"\\ud83d\\ude02\": \"Smiley\",\n"
        + "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\",\n"
        + "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
        + "  \"</script>\": \"Browser Challenge\"\n}\n"))
        .isEqualTo("{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u0080\":\"Control\u007f\","
            + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
            + "\"\uD83D\uDE02\":\"Smiley\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  @Test
  void parse_numbers_becomeIntegersWhenIntegralAndSafe() {
    // 9007199254740993 denotes the double 2^53 (round half to even), so it reads as 2^53
    Value value = CanonicalJson.parse("[1, 1.0, -0, 1e2, 9007199254740992, 9007199254740993,"
        + " 9007199254740994, 1e30, 0.5, 1E-7]");
    assertThat(value.asList()).containsExactly(Value.of(1), Value.of(1), Value.of(0),
        Value.of(100), Value.of(9007199254740992L), Value.of(9007199254740992L),
        Value.of(new BigDecimal("9007199254740994")), Value.of(new BigDecimal("1E30")),
        Value.of(0.5), Value.of(1e-7));
  }

  @Test
  void write_roundTripsJsonShapedValues() {
    Value value = Value.from(Map.of("a", List.of(1, "two", 0.5, true), "b", Map.of(),
        "n", Value.ofNull(), "big", 9007199254740992L, "neg", -0.25));
    String json = CanonicalJson.write(value);
    assertThat(json).isEqualTo("{\"a\":[1,\"two\",0.5,true],\"b\":{},\"big\":9007199254740992,"
        + "\"n\":null,\"neg\":-0.25}");
    assertThat(CanonicalJson.parse(json)).isEqualTo(value);
    assertThat(CanonicalJson.canonicalize(json)).isEqualTo(json);
  }

  @Test
  void write_setsBecomeSortedArrays() {
    Value value = Value.from(Map.of("flags", Set.of("b", "a", "c"), "ids", Set.of(10, 9)));
    assertThat(CanonicalJson.write(value)).isEqualTo("{\"flags\":[\"a\",\"b\",\"c\"],\"ids\":[10,9]}");
  }

  @Test
  void write_unrepresentableValues_nameTheirPath() {
    assertThatThrownBy(() -> CanonicalJson.write(Value.from(Map.of("blob", new byte[] {1}))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("blob: bytes have no JSON form");
    assertThatThrownBy(() -> CanonicalJson.write(Value.from(List.of(1, BigInteger.TWO.pow(60)))))
        .hasMessageStartingWith("[1]: integer 1152921504606846976 is beyond +-2^53");
    assertThatThrownBy(() -> CanonicalJson.write(Value.of(new BigDecimal("0.10000000000000000001"))))
        .hasMessageStartingWith("$: decimal 10000000000000000001E-20 is not exactly an IEEE 754"
            + " double");
    assertThatThrownBy(() -> CanonicalJson.write(Value.of(new BigDecimal("1E400"))))
        .hasMessageContaining("is not exactly an IEEE 754 double");
  }

  @Test
  void parse_invalidJson_givesLineColumnAndReason() {
    assertThatThrownBy(() -> CanonicalJson.parse("{\"a\": 1,\n \"a\": 2}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid JSON at line 1, column 1: duplicate key \"a\" in the object (I-JSON,"
            + " RFC 7493 section 2.3, forbids duplicates)");
    assertThatThrownBy(() -> CanonicalJson.parse("[1,]"))
        .hasMessage("invalid JSON at line 1, column 4: unexpected ']', expected a value");
    assertThatThrownBy(() -> CanonicalJson.parse("\"\\ud800\""))
        .hasMessageContaining("string has an unpaired high surrogate U+D800 at index 0");
    assertThatThrownBy(() -> CanonicalJson.parse("1e400"))
        .hasMessageContaining("number 1e400 is beyond the range of an IEEE 754 double");
    assertThatThrownBy(() -> CanonicalJson.parse("01")).hasMessageContaining("unexpected '1'");
    assertThatThrownBy(() -> CanonicalJson.parse("[1] x")).hasMessageContaining("after the JSON value");
    assertThatThrownBy(() -> CanonicalJson.parse("\"a\tb\"")).hasMessageContaining("unescaped control");
    assertThatThrownBy(() -> CanonicalJson.parse("[tru]")).hasMessageContaining("expected 'true'");
    assertThatThrownBy(() -> CanonicalJson.parse("\"\\x\"")).hasMessageContaining("invalid escape");
    assertThatThrownBy(() -> CanonicalJson.parse("\"\\u\u0660\u0660\u0664\u0661\""))
        .hasMessage("invalid JSON at line 1, column 4: invalid hexadecimal digit in \\u escape");
    assertThatThrownBy(() -> CanonicalJson.parse("\"\\u00\uFF14\uFF11\""))
        .hasMessageContaining("invalid hexadecimal digit in \\u escape");
    assertThatThrownBy(() -> CanonicalJson.parse("")).hasMessageContaining("unexpected end of input");
    assertThatThrownBy(() -> CanonicalJson.parse("[".repeat(257) + "]".repeat(257)))
        .hasMessageContaining("nesting deeper than 256 arrays and objects");
    assertThat(CanonicalJson.parse("[".repeat(256) + "]".repeat(256)).kind())
        .isEqualTo(Value.Kind.LIST);
  }
}
