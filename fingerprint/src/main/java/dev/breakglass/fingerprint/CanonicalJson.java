package dev.breakglass.fingerprint;

import java.util.ArrayList;
import java.util.Objects;

/**
 * Canonical JSON per RFC 8785, the JSON Canonicalization Scheme (JCS): object members sorted by
 * the UTF-16 code units of their names, no whitespace, strings escaped as ECMAScript's
 * {@code JSON.stringify} does, and numbers written as ECMAScript's
 * {@code Number.prototype.toString} writes the IEEE 754 double they denote. The output is the
 * same on every Java version.
 *
 * <pre>{@code
 * CanonicalJson.canonicalize("{\"b\": 1.50, \"a\": [true, 1E3]}")   // {"a":[true,1000],"b":1.5}
 * String json = CanonicalJson.write(config);                       // export a value
 * Value imported = CanonicalJson.parse(json);                      // and read it back
 * }</pre>
 *
 * <p><b>JSON and the value model.</b> JSON has one number type and no bytes or sets, so the
 * mapping is not one to one:
 *
 * <ul>
 *   <li>Reading: objects become maps, arrays lists, strings strings; a number becomes an
 *       integer when the double it denotes is integral and within +-2<sup>53</sup>, else the
 *       shortest decimal of that double. Input must be I-JSON (RFC 7493): duplicate member
 *       names, unpaired surrogates (escaped or not) and numbers beyond the range of a double
 *       are errors.
 *   <li>Writing: integers beyond +-2<sup>53</sup> and decimals that are not exactly a double
 *       cannot be written without changing them, and bytes have no JSON form: each is an error
 *       naming its path. Sets are written as arrays, their elements ordered by their own
 *       canonical JSON text, and read back as lists.
 * </ul>
 *
 * <p>So {@code parse(write(v))} equals {@code v} for values made of null, booleans, strings,
 * integers within +-2<sup>53</sup>, non-integral decimals that are doubles, lists and maps;
 * and {@code write(parse(json))} is {@code canonicalize(json)} for any I-JSON text.
 *
 * <p>Stateless and thread-safe.
 */
public final class CanonicalJson {

  private CanonicalJson() {}

  /**
   * Canonicalizes a JSON text (RFC 8785 section 3).
   *
   * @param json an I-JSON text
   * @return the canonical form
   * @throws NullPointerException if {@code json} is null
   * @throws IllegalArgumentException if {@code json} is not valid I-JSON; the message gives the
   *     line, column and reason
   */
  public static String canonicalize(String json) {
    return write(parse(json));
  }

  /**
   * Reads a JSON text into a value.
   *
   * @param json an I-JSON text
   * @return the value
   * @throws NullPointerException if {@code json} is null
   * @throws IllegalArgumentException if {@code json} is not valid I-JSON, or nests deeper than
   *     256 arrays and objects; the message gives the line, column and reason
   */
  public static Value parse(String json) {
    Objects.requireNonNull(json, "json");
    return new Json.Reader(json, 0).readDocument();
  }

  /**
   * Writes a value as canonical JSON.
   *
   * @param value the value
   * @return the canonical JSON text
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if the value holds bytes, an integer beyond
   *     +-2<sup>53</sup> or a decimal that is not exactly a double; the message names its path
   */
  public static String write(Value value) {
    Objects.requireNonNull(value, "value");
    StringBuilder out = new StringBuilder();
    Json.write(out, value, new ArrayList<>());
    return out.toString();
  }
}
