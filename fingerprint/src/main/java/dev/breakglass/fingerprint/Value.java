package dev.breakglass.fingerprint;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A value in the canonical value model, together with its Merkle fingerprint: null, a boolean,
 * an integer of any size, a decimal, a string, bytes, a list, a map with string keys, or a set.
 *
 * <pre>{@code
 * Value config = Value.from(Map.of(
 *     "pools", List.of(Map.of("name", "db", "size", 20, "timeout", Duration.ofSeconds(30))),
 *     "flags", Set.of("new-checkout")));
 * Fingerprint fp = config.fingerprint();              // SHA-256 Merkle root
 * Value changed = config.with("pools[0].size", 40);   // re-hashes only the path to the root
 * Diff diff = Diff.between(config, changed);          // ~ pools[0].size: 20 -> 40
 * }</pre>
 *
 * <p><b>The model.</b> Every value has a {@link Kind}, and values of different kinds are never
 * equal: the string {@code "1"}, the integer {@code 1} and the decimal {@code 1.0} have three
 * different fingerprints. Integers compare by number ({@code 1}, {@code 1L} and
 * {@code BigInteger.ONE} are the same value); decimals compare by number as well
 * ({@code 1.5} and {@code 1.50} are the same value); maps and sets do not depend on insertion
 * order; lists do. The rules are written down in {@code docs/fingerprint-format.md}, precisely
 * enough to reproduce a fingerprint in another language.
 *
 * <p><b>Fingerprints.</b> A value computes its digest when it is created, bottom-up, so
 * building a value <em>is</em> fingerprinting it and {@link #fingerprint()} costs nothing.
 * Every leaf, list element and map entry has its own digest, which is what makes
 * {@link Diff#between(Value, Value)} skip identical subtrees and {@link #with(String, Object)}
 * re-hash only the path from the changed leaf to the root.
 *
 * <p><b>Converting Java objects.</b> {@link #from(Object)} converts maps, lists, sets, arrays,
 * records, {@link java.util.Properties}, numbers, strings and a few well-defined value types,
 * and reports anything else with the path where it was found, for example
 * {@code "config.pools[2].timeout: unsupported type java.lang.Thread"}.
 *
 * <p>Values are immutable and thread-safe. {@link #equals(Object)} compares fingerprints.
 */
public abstract sealed class Value permits Scalars.Leaf, Container {

  /*
   * Design: one sealed abstract class with package-private subclasses (the leaves in Scalars;
   * ListValue, MapValue and SetValue, which are Containers), so the hierarchy is closed and
   * the public surface is this class alone. Every instance computes its SHA-256 digest in its
   * constructor, bottom-up, from its children's digests (docs/fingerprint-format.md, section
   * 3), and keeps it in a final field: values are immutable, safely published, and
   * fingerprint() is free. Containers keep their children in a MerkleSeq (fixed-shape, fan-out
   * 32) so that with() path-copies and re-hashes O(depth x log32 n) nodes. One Hasher (a
   * MessageDigest and a scratch buffer) is shared by a whole conversion, decode or update;
   * never across threads.
   */

  /** The kinds of value. Each kind has its own type tag in the canonical encoding. */
  public enum Kind {
    /** The null value. */
    NULL,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** An integer of any size. */
    INTEGER,
    /** A finite decimal number of any precision. */
    DECIMAL,
    /** A string of Unicode scalar values, encoded as UTF-8. */
    STRING,
    /** A sequence of bytes. */
    BYTES,
    /** An ordered sequence of values. */
    LIST,
    /** String keys mapped to values; order does not matter. */
    MAP,
    /** Distinct values; order does not matter. */
    SET
  }

  /** This value's SHA-256 Merkle digest; never modified, never handed out. */
  final byte[] digest;

  Value(byte[] digest) {
    this.digest = digest;
  }

  // ------------------------------------------------------------------------------- factories

  /**
   * Returns the null value.
   *
   * @return the null value
   */
  public static Value ofNull() {
    return Scalars.NULL;
  }

  /**
   * Returns a boolean value.
   *
   * @param value the boolean
   * @return the value
   */
  public static Value of(boolean value) {
    return value ? Scalars.TRUE : Scalars.FALSE;
  }

  /**
   * Returns an integer value.
   *
   * @param value the integer
   * @return the value
   */
  public static Value of(long value) {
    return Scalars.IntegerValue.of(value, new Hasher());
  }

  /**
   * Returns an integer value.
   *
   * @param value the integer, of any size
   * @return the value
   * @throws NullPointerException if {@code value} is null
   */
  public static Value of(BigInteger value) {
    Objects.requireNonNull(value, "value");
    return Scalars.IntegerValue.of(value, new Hasher());
  }

  /**
   * Returns a decimal value. Trailing zeros do not matter: {@code 1.5} and {@code 1.50} are the
   * same value. A decimal is never equal to an integer, even when its value is integral.
   *
   * @param value the decimal
   * @return the value
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if the normalized exponent does not fit in 32 bits
   */
  public static Value of(BigDecimal value) {
    Objects.requireNonNull(value, "value");
    return Decimals.decimal(value, new Hasher());
  }

  /**
   * Returns the decimal value of a {@code double}: the shortest decimal that reads back as the
   * same {@code double} (so {@code 0.1} is the decimal 0.1, not its binary expansion), the
   * same on every Java version. Negative zero is the same value as zero.
   *
   * @param value a finite double
   * @return the decimal value
   * @throws IllegalArgumentException if {@code value} is NaN or infinite
   */
  public static Value of(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("a decimal must be finite, was " + value);
    }
    return Decimals.decimal(value, new Hasher());
  }

  /**
   * Returns a string value.
   *
   * @param value the string; it must be valid UTF-16 (no unpaired surrogate)
   * @return the value
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if {@code value} contains an unpaired surrogate; the
   *     message gives its index
   */
  public static Value of(String value) {
    Objects.requireNonNull(value, "value");
    String problem = JavaValues.checkUtf16(value);
    if (problem != null) {
      throw new IllegalArgumentException("string " + problem);
    }
    return new Scalars.StringValue(value, new Hasher());
  }

  /**
   * Returns a bytes value holding a copy of the array.
   *
   * @param bytes the bytes; copied
   * @return the value
   * @throws NullPointerException if {@code bytes} is null
   */
  public static Value ofBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return new Scalars.BytesValue(bytes.clone(), new Hasher());
  }

  /**
   * Returns a bytes value that uses the array without copying it: the fast path for large
   * blobs (a model file, a rules bundle) where a defensive copy would cost as much as
   * hashing. The caller hands the array over and must never modify it afterwards: a value whose
   * bytes change no longer matches its fingerprint (a {@link SnapshotStore} detects that when
   * it reads the snapshot back, but nothing else does).
   *
   * @param bytes the bytes; not copied, and never to be modified again
   * @return the value
   * @throws NullPointerException if {@code bytes} is null
   */
  public static Value wrapBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return new Scalars.BytesValue(bytes, new Hasher());
  }

  /**
   * Converts a Java object, deeply, into a value.
   *
   * <table>
   *   <caption>Conversions</caption>
   *   <tr><th>Java</th><th>value</th></tr>
   *   <tr><td>{@code null}</td><td>null</td></tr>
   *   <tr><td>{@code Boolean}</td><td>boolean</td></tr>
   *   <tr><td>{@code Byte}, {@code Short}, {@code Integer}, {@code Long},
   *       {@code BigInteger}</td><td>integer</td></tr>
   *   <tr><td>{@code Float}, {@code Double}</td><td>decimal: the shortest decimal that reads
   *       back as the same float or double; NaN and infinities are rejected</td></tr>
   *   <tr><td>{@code BigDecimal}</td><td>decimal</td></tr>
   *   <tr><td>{@code String}, {@code Character}</td><td>string</td></tr>
   *   <tr><td>an {@code enum} constant</td><td>string: its {@code name()}</td></tr>
   *   <tr><td>{@code UUID}, {@code URI}, {@code Duration}, {@code Period}, {@code Instant},
   *       {@code LocalDate}, {@code LocalTime}, {@code LocalDateTime},
   *       {@code OffsetDateTime}, {@code ZonedDateTime}</td><td>string: its
   *       {@code toString()}</td></tr>
   *   <tr><td>{@code byte[]}</td><td>bytes (copied)</td></tr>
   *   <tr><td>{@code List}, object and primitive arrays</td><td>list</td></tr>
   *   <tr><td>{@code Set}</td><td>set; two elements with the same canonical value are an
   *       error</td></tr>
   *   <tr><td>{@code Map} with {@code String} keys</td><td>map</td></tr>
   *   <tr><td>{@code Properties}</td><td>map of its string properties, defaults
   *       included</td></tr>
   *   <tr><td>a record</td><td>map from component names to values</td></tr>
   *   <tr><td>{@code Value}</td><td>itself</td></tr>
   * </table>
   *
   * <p>Anything else is an error, as is a cycle, a non-string map key, a string with an
   * unpaired surrogate, or nesting deeper than 256 containers. The message starts with the
   * path of the offending element: {@code "config.pools[2].timeout: unsupported type
   * java.lang.Thread"}. Records in a named module must be readable by this module (an exported
   * or opened package).
   *
   * @param javaValue the object to convert; may be null
   * @return the value
   * @throws IllegalArgumentException if some part cannot be converted; the message names the
   *     path
   */
  public static Value from(@Nullable Object javaValue) {
    return new JavaValues().convertRoot(javaValue);
  }

  /**
   * Decodes a value from its canonical encoding, as produced by {@link #encode()}. The input
   * must be canonical (sorted keys, minimal integers, normalized decimals, valid UTF-8, sorted
   * set elements, no trailing bytes), so that {@code decode(b).encode()} equals {@code b}.
   *
   * @param encoding the canonical encoding
   * @return the decoded value, with every digest recomputed
   * @throws NullPointerException if {@code encoding} is null
   * @throws IllegalArgumentException if the input is malformed or not canonical; the message
   *     gives the byte offset and the reason
   */
  public static Value decode(byte[] encoding) {
    Objects.requireNonNull(encoding, "encoding");
    return Codec.decode(encoding);
  }

  // ------------------------------------------------------------------------------ the basics

  /**
   * Returns what kind of value this is.
   *
   * @return the kind
   */
  public abstract Kind kind();

  /**
   * Returns this value's fingerprint: the root of its Merkle tree, computed when the value was
   * created.
   *
   * @return the SHA-256 fingerprint
   */
  public final Fingerprint fingerprint() {
    return Fingerprint.wrap(digest);
  }

  /**
   * Returns the canonical binary encoding: the form snapshot stores keep, and that
   * {@link #decode(byte[])} reads back.
   *
   * @return a new array holding the encoding
   * @throws IllegalArgumentException if the encoding would exceed 2 GiB
   */
  public final byte[] encode() {
    ByteSink sink = new ByteSink(256);
    encodeTo(sink);
    return sink.toArray();
  }

  /**
   * Converts this value back into plain Java objects: {@code null}, {@code Boolean},
   * {@code Long} (or {@code BigInteger} beyond the range of a long), {@code BigDecimal},
   * {@code String}, {@code byte[]}, {@code List}, {@code Map<String, Object>} and
   * {@code Set}, with maps and sets in canonical order. The collections are new and mutable.
   * {@code Value.from(v.toJava())} equals {@code v}.
   *
   * @return the Java form; null for the null value
   */
  public final @Nullable Object toJava() {
    return toJavaOrNull();
  }

  // ------------------------------------------------------------------------------- accessors

  /**
   * Tells whether this is the null value.
   *
   * @return {@code true} for the null value
   */
  public final boolean isNull() {
    return kind() == Kind.NULL;
  }

  /**
   * Returns the boolean.
   *
   * @return the boolean
   * @throws IllegalStateException if this is not a boolean
   */
  public boolean asBoolean() {
    return ((Scalars.BooleanValue) expect(Kind.BOOLEAN)).value;
  }

  /**
   * Returns the integer as a long.
   *
   * @return the integer
   * @throws IllegalStateException if this is not an integer
   * @throws ArithmeticException if the integer does not fit in a long
   */
  public long asLong() {
    Scalars.IntegerValue integer = (Scalars.IntegerValue) expect(Kind.INTEGER);
    if (integer.big != null) {
      throw new ArithmeticException("integer " + integer.big + " does not fit in a long");
    }
    return integer.small;
  }

  /**
   * Returns the integer.
   *
   * @return the integer
   * @throws IllegalStateException if this is not an integer
   */
  public BigInteger asBigInteger() {
    return ((Scalars.IntegerValue) expect(Kind.INTEGER)).bigInteger();
  }

  /**
   * Returns the decimal, normalized (no trailing zeros; zero has scale 0).
   *
   * @return the decimal
   * @throws IllegalStateException if this is not a decimal
   */
  public BigDecimal asDecimal() {
    return ((Scalars.DecimalValue) expect(Kind.DECIMAL)).value;
  }

  /**
   * Returns the string.
   *
   * @return the string
   * @throws IllegalStateException if this is not a string
   */
  public String asString() {
    return ((Scalars.StringValue) expect(Kind.STRING)).value;
  }

  /**
   * Returns a copy of the bytes.
   *
   * @return a new array with the bytes
   * @throws IllegalStateException if this is not a bytes value
   */
  public byte[] asBytes() {
    return ((Scalars.BytesValue) expect(Kind.BYTES)).value.clone();
  }

  /**
   * Returns the elements of a list.
   *
   * @return an unmodifiable view; {@code get(i)} costs O(log n)
   * @throws IllegalStateException if this is not a list
   */
  public List<Value> asList() {
    return ((ListValue) expect(Kind.LIST)).view();
  }

  /**
   * Returns the entries of a map, in canonical key order (by the keys' UTF-8 bytes).
   *
   * @return an unmodifiable view; {@code get(key)} is a binary search
   * @throws IllegalStateException if this is not a map
   */
  public Map<String, Value> asMap() {
    return ((MapValue) expect(Kind.MAP)).view();
  }

  /**
   * Returns the elements of a set, in canonical order (by their fingerprints).
   *
   * @return an unmodifiable view; {@code contains} is a binary search
   * @throws IllegalStateException if this is not a set
   */
  public Set<Value> asSet() {
    return ((SetValue) expect(Kind.SET)).view();
  }

  /**
   * Returns the number of children of a list, map or set.
   *
   * @return the number of elements or entries
   * @throws IllegalStateException if this is not a list, map or set
   */
  public int size() {
    throw new IllegalStateException("value is " + kindName() + ", which has no size");
  }

  // ----------------------------------------------------------------------------------- paths

  /**
   * Returns the value at a path, if there is one.
   *
   * @param path the path, for example {@code "pools[2].timeout"}
   * @return the value at the path, or empty if some segment does not exist
   * @throws NullPointerException if {@code path} is null
   * @throws IllegalArgumentException if {@code path} is not a valid path
   */
  public final Optional<Value> find(String path) {
    return find(ValuePath.parse(path));
  }

  /**
   * Returns the value at a path, if there is one.
   *
   * @param path the path
   * @return the value at the path, or empty if some segment does not exist
   * @throws NullPointerException if {@code path} is null
   */
  public final Optional<Value> find(ValuePath path) {
    Objects.requireNonNull(path, "path");
    Value current = this;
    for (int i = 0; i < path.depth(); i++) {
      current = current.child(path.segment(i));
      if (current == null) {
        return Optional.empty();
      }
    }
    return Optional.of(current);
  }

  /**
   * Returns the value at a path.
   *
   * @param path the path, for example {@code "pools[2].timeout"}
   * @return the value at the path
   * @throws NullPointerException if {@code path} is null
   * @throws IllegalArgumentException if {@code path} is not a valid path
   * @throws NoSuchElementException if there is no value at the path; the message names it
   */
  public final Value get(String path) {
    ValuePath parsed = ValuePath.parse(path);
    return find(parsed).orElseThrow(
        () -> new NoSuchElementException("no value at " + parsed.toText()));
  }

  /**
   * Returns a copy of this value with the value at {@code path} replaced, or, for a map key
   * that is absent, added. Only the nodes on the path are re-hashed (one hash per level for
   * small collections, a few more for collections of more than 32 children); every other
   * subtree is shared with this value. Adding a map key rebuilds that one map's interior
   * digests, but re-hashes none of its children.
   *
   * @param path the path, for example {@code "pools[2].timeout"}; the empty path or
   *     {@code "$"} replaces the whole value
   * @param replacement the new value, converted with {@link #from(Object)}
   * @return the updated value
   * @throws NullPointerException if {@code path} is null
   * @throws IllegalArgumentException if {@code path} is invalid, does not lead to an existing
   *     container, names a list index out of range, or {@code replacement} cannot be
   *     converted
   */
  public final Value with(String path, @Nullable Object replacement) {
    return with(ValuePath.parse(path), replacement);
  }

  /**
   * Returns a copy of this value with the value at {@code path} replaced or added; see
   * {@link #with(String, Object)}.
   *
   * @param path the path
   * @param replacement the new value, converted with {@link #from(Object)}
   * @return the updated value
   * @throws NullPointerException if {@code path} is null
   * @throws IllegalArgumentException if the path does not lead to an existing container, names
   *     a list index out of range, or {@code replacement} cannot be converted
   */
  public final Value with(ValuePath path, @Nullable Object replacement) {
    Objects.requireNonNull(path, "path");
    Value converted = replacement instanceof Value value ? value : from(replacement);
    if (path.depth() + converted.depth() > Format.MAX_DEPTH) {
      throw new IllegalArgumentException(path.toText() + ": values nest at most "
          + Format.MAX_DEPTH + " containers deep, this one "
          + (path.depth() + converted.depth()));
    }
    return Patch.single(path, converted).applyTo(this, new Hasher());
  }

  /**
   * Returns a copy of this value without the map entry, list element or set element at
   * {@code path}. Removing a list element moves the later ones down by one.
   *
   * @param path the path of the element to remove
   * @return the updated value
   * @throws NullPointerException if {@code path} is null
   * @throws IllegalArgumentException if {@code path} is invalid, is the root, or names nothing
   */
  public final Value without(String path) {
    return without(ValuePath.parse(path));
  }

  /**
   * Returns a copy of this value without the element at {@code path}; see
   * {@link #without(String)}.
   *
   * @param path the path of the element to remove
   * @return the updated value
   * @throws NullPointerException if {@code path} is null
   * @throws IllegalArgumentException if {@code path} is the root or names nothing
   */
  public final Value without(ValuePath path) {
    Objects.requireNonNull(path, "path");
    if (path.depth() == 0) {
      throw new IllegalArgumentException("cannot remove the root value");
    }
    return Patch.removal(path).applyTo(this, new Hasher());
  }

  // ------------------------------------------------------------------------- object methods

  /**
   * Compares fingerprints.
   *
   * @param other the object to compare with
   * @return {@code true} if {@code other} is a value with the same fingerprint
   */
  @Override
  public final boolean equals(Object other) {
    return other instanceof Value that && Arrays.equals(digest, that.digest);
  }

  @Override
  public final int hashCode() {
    return (digest[0] & 0xFF) << 24 | (digest[1] & 0xFF) << 16 | (digest[2] & 0xFF) << 8
        | (digest[3] & 0xFF);
  }

  /**
   * Renders the value for people, JSON-like: strings quoted, decimals with a decimal point,
   * bytes in base64, sets as {@code set[...]}. Long renderings are cut off after about 10,000
   * characters; use {@link CanonicalJson#write(Value)} for a complete, parseable form.
   *
   * @return a readable rendering
   */
  @Override
  public final String toString() {
    StringBuilder out = new StringBuilder();
    render(out, 10_000);
    return out.toString();
  }

  // ----------------------------------------------------------------------------- internals

  abstract int depth();

  abstract void encodeTo(ByteSink sink);

  abstract @Nullable Object toJavaOrNull();

  /** Appends a rendering; containers stop adding children once {@code out} exceeds budget. */
  abstract void render(StringBuilder out, int budget);

  /** The child at one path segment, or null. Leaves have no children. */
  @Nullable Value child(Object segment) {
    return null;
  }

  /** "a map", "an integer": for messages. */
  final String kindName() {
    return withArticle(kind());
  }

  static String withArticle(Kind kind) {
    String name = kind.name().toLowerCase(java.util.Locale.ROOT);
    return (kind == Kind.INTEGER ? "an " : "a ") + name;
  }

  private Value expect(Kind kind) {
    if (kind() != kind) {
      throw new IllegalStateException("value is " + kindName() + ", not " + withArticle(kind));
    }
    return this;
  }
}
