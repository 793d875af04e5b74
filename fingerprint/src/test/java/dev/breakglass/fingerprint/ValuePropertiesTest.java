package dev.breakglass.fingerprint;

import static dev.breakglass.testing.Property.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.testing.Gen;
import dev.breakglass.testing.Property;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The properties the fingerprint format promises, over random trees (drawn through a
 * {@code Random} from {@code Gen.randoms()}, so failures shrink and reproduce). Trees are small
 * (depth 3, a few children, now and then more than 32 to cross an interior-node boundary), so
 * each try costs well under a millisecond.
 */
class ValuePropertiesTest {

  /** A random tree, and the generator that made it, which the check may draw from again. */
  record Tree(RandomValues random, Object tree) {
    @Override
    public String toString() {
      return RandomValues.describe(tree);
    }
  }

  static Gen<Tree> trees(int depth) {
    return source -> {
      RandomValues random = new RandomValues(source.draw(Gen.randoms()));
      return new Tree(random, random.tree(depth));
    };
  }

  @Test
  void fingerprint_isDeterministic_andIgnoresMapAndSetOrder() {
    forAll(trees(3)).tries(1000).check(input -> {
      RandomValues random = input.random();
      Object tree = input.tree();
      Value value = Value.from(tree);
      assertThat(Value.from(tree)).isEqualTo(value);
      assertThat(Value.from(random.shuffled(tree)).fingerprint()).isEqualTo(value.fingerprint());
      assertThat(Value.decode(value.encode()).fingerprint()).isEqualTo(value.fingerprint());
    });
  }

  /** A list and a random permutation of it. */
  record Permutation(List<Integer> elements, List<Integer> permuted) {}

  @Test
  void fingerprint_dependsOnListOrder() {
    Gen<Permutation> permutations = source -> {
      List<Integer> elements = source.draw(Gen.ints(0, 5).list(2, 40));
      List<Integer> permuted = new ArrayList<>(elements);
      Collections.shuffle(permuted, source.draw(Gen.randoms()));
      return new Permutation(elements, permuted);
    };

    forAll(permutations).tries(1000).check(permutation -> {
      List<Integer> elements = permutation.elements();
      List<Integer> permuted = permutation.permuted();
      boolean sameOrder = permuted.equals(elements);
      assertThat(Value.from(permuted).equals(Value.from(elements))).isEqualTo(sameOrder);
    });
  }

  /** A number and a text, each turned into values of several kinds. */
  record NumberAndText(long number, String text) {}

  @Test
  void valuesOfDifferentKinds_neverShareAFingerprint() {
    Gen<NumberAndText> inputs = source ->
        new NumberAndText(source.draw(Gen.longs()), source.draw(Gen.strings(0, 255)));

    forAll(inputs).tries(1000).check(input -> {
      long number = input.number();
      String text = input.text();
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
    });
  }

  /** Two random trees; now and then the same tree twice. */
  record TreePair(Object a, Object b) {
    @Override
    public String toString() {
      return "TreePair[a=" + RandomValues.describe(a) + ", b=" + RandomValues.describe(b) + "]";
    }
  }

  @Test
  void distinctEncodings_haveDistinctFingerprints() {
    Gen<TreePair> pairs = source -> {
      RandomValues random = new RandomValues(source.draw(Gen.randoms()));
      Object a = random.tree(2);
      return new TreePair(a, random.random().nextInt(10) == 0 ? a : random.tree(2));
    };

    forAll(pairs).tries(1000).check(pair -> {
      Value a = Value.from(pair.a());
      Value b = Value.from(pair.b());
      assertThat(Arrays.equals(a.encode(), b.encode())).isEqualTo(a.equals(b));
    });
  }

  /** A random tree, the number of edits to make to it, and the generator to make them with. */
  record Edits(Tree a, int edits) {}

  @Test
  void diffAppliedToA_yieldsB() {
    Gen<Edits> inputs = source -> new Edits(source.draw(trees(3)), source.draw(Gen.ints(0, 6)));

    forAll(inputs).tries(1000).check(input -> {
      RandomValues random = input.a().random();
      Value a = Value.from(input.a().tree());
      Value b = random.random().nextInt(5) == 0 ? Value.from(random.tree(3))
          : random.mutate(a, input.edits());
      Property.note("b = " + b);
      Diff diff = Diff.between(a, b);
      assertThat(diff.applyTo(a)).isEqualTo(b);
      assertThat(diff.isEmpty()).isEqualTo(a.equals(b));
      for (Change change : diff.changes()) {
        assertThat(a.find(change.path()).orElse(null)).isEqualTo(change.before());
        assertThat(b.find(change.path()).orElse(null)).isEqualTo(change.after());
      }
    });
  }

  @Test
  void incrementalUpdate_equalsFullRecompute() {
    forAll(trees(3)).tries(1000).check(input -> {
      RandomValues random = input.random();
      Value value = Value.from(input.tree());
      List<ValuePath> paths = RandomValues.paths(value);
      ValuePath path = paths.get(random.random().nextInt(paths.size()));
      Object replacement = random.tree(1);
      Property.note("path " + path + ", replacement " + RandomValues.describe(replacement));
      Value updated;
      try {
        updated = value.with(path, replacement);
      } catch (IllegalArgumentException duplicateSetElement) {
        return; // the replacement is already an element of that set
      }
      // full recompute: decode re-hashes every node from the bytes up
      assertThat(Value.decode(updated.encode()).fingerprint()).isEqualTo(updated.fingerprint());
      boolean setElement =
          path.depth() > 0 && path.segment(path.depth() - 1) instanceof Fingerprint;
      assertThat(updated.find(setElement ? path.parent() : path)).isPresent();
      if (!setElement) {
        assertThat(updated.find(path)).contains(Value.from(replacement));
      }
    });
  }

  @Test
  void integerEncoding_matchesBigIntegerToByteArray() {
    forAll(Gen.bigIntegers(256)).tries(200).check(number -> {
      Value value = Value.of(number);
      byte[] encoding = value.encode();
      byte[] expected = number.toByteArray();
      assertThat(Arrays.copyOfRange(encoding, 5, encoding.length)).isEqualTo(expected);
      if (number.bitLength() < 64) {
        assertThat(Value.of(number.longValue())).isEqualTo(value);
      }
    });
  }
}
