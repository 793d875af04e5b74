package dev.breakglass.fingerprint;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Random Java object trees (maps, lists, sets and scalars) for property tests, from a seed or a
 * {@link Random}, so that a failure is reproducible; built on a {@code Random} from
 * {@code Gen.randoms()}, a failing tree also shrinks.
 */
final class RandomValues {

  private final Random random;

  RandomValues(long seed) {
    this(new Random(seed));
  }

  RandomValues(Random random) {
    this.random = random;
  }

  /** A tree as a failure report shows it: strings quoted, numbers with their type, bytes. */
  static String describe(Object tree) {
    if (tree instanceof Map<?, ?> map) {
      StringJoiner out = new StringJoiner(", ", "{", "}");
      map.forEach((k, v) -> out.add(describe(k) + "=" + describe(v)));
      return out.toString();
    }
    if (tree instanceof Collection<?> collection) {
      StringJoiner out = new StringJoiner(", ", tree instanceof Set ? "set[" : "[", "]");
      collection.forEach(element -> out.add(describe(element)));
      return out.toString();
    }
    if (tree instanceof byte[] bytes) {
      return "bytes" + Arrays.toString(bytes);
    }
    if (tree instanceof String text) {
      return '"' + text + '"';
    }
    if (tree instanceof Number number) {
      return number + "(" + number.getClass().getSimpleName() + ")";
    }
    return String.valueOf(tree);
  }

  Object tree(int depth) {
    int pick = random.nextInt(depth <= 0 ? 8 : 11);
    switch (pick) {
      case 8:
        return map(depth);
      case 9:
        return list(depth);
      case 10:
        return set(depth);
      default:
        return scalar();
    }
  }

  Object scalar() {
    switch (random.nextInt(12)) {
      case 0:
        return null;
      case 1:
        return random.nextBoolean();
      case 2:
        return random.nextInt(5) - 2;
      case 3:
        return random.nextLong();
      case 4:
        return new BigInteger(70 + random.nextInt(60), random).negate();
      case 5:
        return BigDecimal.valueOf(random.nextInt(2000) - 1000, random.nextInt(6) - 2);
      case 6:
        return random.nextInt(2) == 0 ? random.nextDouble() * 1e6 : (double) random.nextInt(10);
      case 7:
        return key();
      case 8:
        return String.valueOf(random.nextInt(5));
      case 9: {
        byte[] bytes = new byte[random.nextInt(6)];
        random.nextBytes(bytes);
        return bytes;
      }
      case 10:
        return "\u00e9\u20ac\uD83D\uDE00".substring(0, random.nextInt(3));
      default:
        return "";
    }
  }

  String key() {
    String[] keys = {"a", "b", "c", "timeout", "pools", "size", "x.y", "", "10", "\u00e9", "\uff61",
        "\uD83D\uDE00"};
    return random.nextInt(4) == 0 ? "k" + random.nextInt(100) : keys[random.nextInt(keys.length)];
  }

  Map<String, Object> map(int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    int size = size();
    for (int i = 0; i < size; i++) {
      map.put(key(), tree(depth - 1));
    }
    return map;
  }

  List<Object> list(int depth) {
    List<Object> list = new ArrayList<>();
    int size = size();
    for (int i = 0; i < size; i++) {
      list.add(tree(depth - 1));
    }
    return list;
  }

  Set<Object> set(int depth) {
    // distinct canonical values only: strings and longs with distinct text
    Set<Object> set = new LinkedHashSet<>();
    Set<String> seen = new HashSet<>();
    int size = size();
    for (int i = 0; i < size; i++) {
      Object element = random.nextBoolean() ? (Object) ("s" + random.nextInt(1000))
          : (Object) (long) random.nextInt(1000);
      if (seen.add(element.getClass() + ":" + element)) {
        set.add(element);
      }
    }
    return set;
  }

  private int size() {
    int roll = random.nextInt(20);
    if (roll == 0) {
      return 33 + random.nextInt(40); // exercise interior nodes now and then
    }
    return random.nextInt(6);
  }

  /** The same map with its entries inserted in a shuffled order (deeply). */
  Object shuffled(Object tree) {
    if (tree instanceof Map<?, ?> map) {
      List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
      java.util.Collections.shuffle(entries, random);
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : entries) {
        out.put(e.getKey(), shuffled(e.getValue()));
      }
      return out;
    }
    if (tree instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object element : list) {
        out.add(shuffled(element));
      }
      return out;
    }
    if (tree instanceof Set<?> set) {
      List<Object> elements = new ArrayList<>(set);
      java.util.Collections.shuffle(elements, random);
      return new LinkedHashSet<>(elements);
    }
    return tree;
  }

  /** Every path in a value, root included. */
  static List<ValuePath> paths(Value value) {
    List<ValuePath> out = new ArrayList<>();
    collect(value, ValuePath.root(), out);
    return out;
  }

  private static void collect(Value value, ValuePath path, List<ValuePath> out) {
    out.add(path);
    switch (value.kind()) {
      case LIST -> {
        for (int i = 0; i < value.size(); i++) {
          collect(value.asList().get(i), path.index(i), out);
        }
      }
      case MAP -> value.asMap().forEach((k, v) -> collect(v, path.key(k), out));
      case SET -> value.asSet().forEach(v -> collect(v, path.element(v.fingerprint()), out));
      default -> { }
    }
  }

  /** Applies a few random edits (replace, add, remove) to a value. */
  Value mutate(Value value, int edits) {
    Value current = value;
    for (int i = 0; i < edits; i++) {
      List<ValuePath> paths = paths(current);
      ValuePath path = paths.get(random.nextInt(paths.size()));
      Value target = current.find(path).orElseThrow();
      int action = random.nextInt(3);
      try {
        if (action == 0 || path.isRoot()) {
          current = current.with(path, tree(1));
        } else if (action == 1 && target.kind() == Value.Kind.MAP) {
          current = current.with(path.key(key()), tree(1));
        } else if (action == 1 && target.kind() == Value.Kind.LIST) {
          current = current.with(path.index(target.size()), tree(1));
        } else {
          current = current.without(path);
        }
      } catch (IllegalArgumentException duplicateSetElement) {
        // the edit would put one value twice into a set: skip it
      }
    }
    return current;
  }

  Random random() {
    return random;
  }

  static Map<String, Object> flatConfig(int leaves) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < leaves; i++) {
      map.put("param-" + i, i % 3 == 0 ? "value-" + i : i % 3 == 1 ? (Object) (long) i : i % 2 == 0);
    }
    return map;
  }
}
