package dev.breakglass.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The properties the fingerprint format promises, over random trees (from a seed, so failures
 * shrink and reproduce). Trees are small (depth 3, a few children, now and then more than 32 to
 * cross an interior-node boundary), so each try costs well under a millisecond.
 */
class ValuePropertiesTest {

  @Property
  void fingerprint_isDeterministic_andIgnoresMapAndSetOrder(@ForAll long seed) {
    RandomValues random = new RandomValues(seed);
    Object tree = random.tree(3);
    Value value = Value.from(tree);
    assertThat(Value.from(tree)).isEqualTo(value);
    assertThat(Value.from(random.shuffled(tree)).fingerprint()).isEqualTo(value.fingerprint());
    assertThat(Value.decode(value.encode()).fingerprint()).isEqualTo(value.fingerprint());
  }

  @Property
  void fingerprint_dependsOnListOrder(
      @ForAll @Size(min = 2, max = 40) List<@IntRange(min = 0, max = 5) Integer> elements,
      @ForAll long seed) {
    List<Integer> permuted = new ArrayList<>(elements);
    Collections.shuffle(permuted, new java.util.Random(seed));
    boolean sameOrder = permuted.equals(elements);
    assertThat(Value.from(permuted).equals(Value.from(elements))).isEqualTo(sameOrder);
  }

  @Property
  void valuesOfDifferentKinds_neverShareAFingerprint(@ForAll long number, @ForAll String text) {
    String digits = Long.toString(number);
    List<Value> values = new ArrayList<>(List.of(
        Value.of(number),
        Value.of(new BigDecimal(number)),
        Value.of(digits),
        Value.ofBytes(digits.getBytes(StandardCharsets.UTF_8)),
        Value.from(List.of(number)),
        Value.from(java.util.Set.of(number)),
        Value.from(Map.of(digits, number))));
    if (JavaValues.checkUtf16(text) == null) {
      values.add(Value.of(text));
      values.add(Value.ofBytes(text.getBytes(StandardCharsets.UTF_8)));
      values.add(Value.from(List.of(text)));
    }
    for (int i = 0; i < values.size(); i++) {
      for (int j = i + 1; j < values.size(); j++) {
        if (values.get(i).kind() != values.get(j).kind()) {
          assertThat(values.get(i).fingerprint()).isNotEqualTo(values.get(j).fingerprint());
        }
      }
    }
  }

  @Property
  void distinctEncodings_haveDistinctFingerprints(@ForAll long seedA, @ForAll long seedB) {
    Value a = Value.from(new RandomValues(seedA).tree(2));
    Value b = Value.from(new RandomValues(seedB).tree(2));
    assertThat(Arrays.equals(a.encode(), b.encode())).isEqualTo(a.equals(b));
  }

  @Property
  void diffAppliedToA_yieldsB(@ForAll long seed, @ForAll @IntRange(min = 0, max = 6) int edits) {
    RandomValues random = new RandomValues(seed);
    Value a = Value.from(random.tree(3));
    Value b = random.random().nextInt(5) == 0 ? Value.from(random.tree(3)) : random.mutate(a, edits);
    Diff diff = Diff.between(a, b);
    assertThat(diff.applyTo(a)).isEqualTo(b);
    assertThat(diff.isEmpty()).isEqualTo(a.equals(b));
    for (Change change : diff.changes()) {
      assertThat(a.find(change.path()).orElse(null)).isEqualTo(change.before());
      assertThat(b.find(change.path()).orElse(null)).isEqualTo(change.after());
    }
  }

  @Property
  void incrementalUpdate_equalsFullRecompute(@ForAll long seed) {
    RandomValues random = new RandomValues(seed);
    Value value = Value.from(random.tree(3));
    List<ValuePath> paths = RandomValues.paths(value);
    ValuePath path = paths.get(random.random().nextInt(paths.size()));
    Object replacement = random.tree(1);
    Value updated;
    try {
      updated = value.with(path, replacement);
    } catch (IllegalArgumentException duplicateSetElement) {
      return; // the replacement is already an element of that set
    }
    // full recompute: decode re-hashes every node from the bytes up
    assertThat(Value.decode(updated.encode()).fingerprint()).isEqualTo(updated.fingerprint());
    assertThat(updated.find(path.depth() > 0 && path.segment(path.depth() - 1) instanceof Fingerprint
        ? path.parent() : path)).isPresent();
    if (!(path.depth() > 0 && path.segment(path.depth() - 1) instanceof Fingerprint)) {
      assertThat(updated.find(path)).contains(Value.from(replacement));
    }
  }

  @Property(tries = 200)
  void integerEncoding_matchesBigIntegerToByteArray(@ForAll BigInteger number) {
    Value value = Value.of(number);
    byte[] encoding = value.encode();
    byte[] expected = number.toByteArray();
    assertThat(Arrays.copyOfRange(encoding, 5, encoding.length)).isEqualTo(expected);
    if (number.bitLength() < 64) {
      assertThat(Value.of(number.longValue())).isEqualTo(value);
    }
  }
}
