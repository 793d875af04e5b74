package dev.breakglass.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.opentest4j.TestAbortedException;

/**
 * Runs one property: the tries, then on a failure the shrinker and the report. Not thread-safe;
 * one runner per {@link Property#check} call, on its thread.
 */
final class Runner<T> {

  /** The most characters of a value shown in a report. */
  static final int DISPLAY_LIMIT = 4_000;

  private static final ThreadLocal<@Nullable Context> CONTEXT = new ThreadLocal<>();

  private final Gen<T> gen;
  private final Property.Body<T> body;
  private final int tries;
  private final Settings settings;
  private final String name;

  Runner(Gen<T> gen, Property.Body<T> body, int defaultTries, Settings settings) {
    this.gen = gen;
    this.body = body;
    this.tries = settings.tries(defaultTries);
    this.settings = settings;
    this.name = callerName();
  }

  void run() {
    long runSeed = settings.seed != null ? settings.seed : ThreadLocalRandom.current().nextLong();
    Map<String, Map<String, Integer>> tally = new LinkedHashMap<>();
    int passed = 0;
    int discarded = 0;
    for (long attempt = 0; passed < tries; attempt++) {
      long seed = trySeed(runSeed, attempt);
      Trial trial = trial(Source.generating(seed), tally);
      switch (trial.kind) {
        case PASSED:
          passed++;
          break;
        case DISCARDED:
          discarded++;
          if (discarded > Math.max(1_000, 10L * tries)) {
            throw new AssertionError("Property " + name + ": " + discarded
                + " tries discarded against " + passed + " passed (run seed " + runSeed + "): "
                + "filters or assumptions reject nearly every value", trial.failure);
          }
          break;
        case GENERATOR_FAILED:
          throw new AssertionError("Property " + name + ": the generator threw on try "
              + (passed + discarded + 1) + " (seed " + seed + ")\nRe-run it: " + rerun(seed),
              trial.failure);
        default:
          throw failure(trial, seed, passed);
      }
    }
    StringBuilder summary = new StringBuilder("Property ").append(name).append(": ")
        .append(passed).append(" tries passed");
    if (discarded > 0) {
      summary.append(", ").append(discarded).append(" discarded");
    }
    summary.append(" (run seed ").append(runSeed).append(')');
    tally.forEach((label, counts) -> {
      int total = counts.values().stream().mapToInt(Integer::intValue).sum();
      summary.append("\n  ").append(printable(label)).append(':');
      counts.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
          .forEach(count -> summary.append(String.format("%n    %-12s %6d  %5.1f %%",
              printable(count.getKey()), count.getValue(), 100.0 * count.getValue() / total)));
    });
    System.out.println(summary);
  }

  /** The seed of try {@code attempt}: the run seed first, then a SplitMix64 sequence. */
  static long trySeed(long runSeed, long attempt) {
    if (attempt == 0) {
      return runSeed;
    }
    long z = runSeed + attempt * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Generates a value from {@code source} and checks it; collects statistics into tally. */
  Trial trial(Source source, @Nullable Map<String, Map<String, Integer>> tally) {
    Context context = new Context(tally);
    Context outer = CONTEXT.get();
    CONTEXT.set(context);
    try {
      T value;
      try {
        value = gen.next(source);
      } catch (Source.Rejected rejected) {
        return new Trial(Kind.DISCARDED, source.choices(), rejected, context.notes);
      } catch (OutOfMemoryError e) {
        throw e;
      } catch (Throwable e) {
        return new Trial(Kind.GENERATOR_FAILED, source.choices(), e, context.notes);
      }
      try {
        body.test(value);
        return new Trial(Kind.PASSED, source.choices(), null, context.notes);
      } catch (Source.Rejected | TestAbortedException discard) {
        return new Trial(Kind.DISCARDED, source.choices(), discard, context.notes);
      } catch (OutOfMemoryError e) {
        throw e;
      } catch (Throwable e) {
        return new Trial(Kind.FAILED, source.choices(), e, context.notes);
      }
    } finally {
      if (outer == null) {
        CONTEXT.remove();
      } else {
        CONTEXT.set(outer);
      }
    }
  }

  private PropertyFailedError failure(Trial original, long seed, int passed) {
    Shrinker<T> shrinker = new Shrinker<>(this, original, settings);
    Trial smallest = shrinker.shrink();
    Throwable cause = smallest.failure;
    StringBuilder message = new StringBuilder("Property ").append(name)
        .append(" failed after ").append(passed).append(" passing ")
        .append(passed == 1 ? "try" : "tries").append('.');
    message.append("\nSmallest failing value (").append(shrinker.steps())
        .append(" shrink steps in ").append(shrinker.attempts()).append(" replays");
    if (shrinker.stoppedAtLimit()) {
      message.append("; stopped at the limit of ").append(settings.shrinks).append(" replays or ")
          .append(settings.shrinkNanos / 1_000_000_000L).append(" s, so maybe not the smallest");
    }
    String smallestValue = display(smallest.choices);
    message.append("):\n  ").append(smallestValue);
    notes(message, smallest.notes);
    message.append("\nIt fails with: ")
        .append(printable(String.valueOf(cause), true).replace("\n", "\n  "));
    String originalValue = display(original.choices);
    if (smallest != original) {
      message.append("\nOriginal failing value (try seed ").append(seed).append("):\n  ")
          .append(originalValue);
      notes(message, original.notes);
    } else {
      message.append("\n(try seed ").append(seed).append(')');
    }
    message.append("\nRe-run it: ").append(rerun(seed));
    PropertyFailedError error = new PropertyFailedError(message.toString(), cause, name, seed,
        smallestValue, originalValue);
    if (original.failure != null && original.failure != cause) {
      error.addSuppressed(original.failure);
    }
    return error;
  }

  private static void notes(StringBuilder message, List<String> notes) {
    for (String note : notes) {
      message.append("\n  note: ").append(printable(note));
    }
  }

  /** The value generated from {@code choices}, as a report shows it (see {@link Display}). */
  String display(long[] choices) {
    try {
      return printable(Display.render(gen.next(Source.replaying(choices))));
    } catch (RuntimeException e) {
      return "(the generator threw when replayed: " + printable(e.toString()) + ")";
    }
  }

  private String rerun(long seed) {
    Path dir = Path.of("").toAbsolutePath();
    Path parent = dir.getParent();
    boolean module = Files.exists(dir.resolve("pom.xml")) && parent != null
        && Files.exists(parent.resolve("pom.xml"));
    return "mvn -B " + (module ? "-pl " + dir.getFileName() + " -am " : "") + "verify -Dtest='"
        + name + "' -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.javadoc.skip=true -D"
        + Settings.SEED + "=" + seed + "\n  (or run the test with the system property "
        + Settings.SEED + "=" + seed + ")";
  }

  /** {@code Class#method} of the test that called {@link Property#check}. */
  private static String callerName() {
    return StackWalker.getInstance().walk(frames -> frames
        .filter(frame -> !isHarness(frame.getClassName()))
        .findFirst()
        .map(frame -> {
          String type = frame.getClassName();
          String method = frame.getMethodName();
          if (method.startsWith("lambda$")) { // lambda$name$0
            int end = method.lastIndexOf('$');
            method = end > 7 ? method.substring(7, end) : method;
          }
          return type.substring(type.lastIndexOf('.') + 1) + "#" + method;
        })
        .orElse("(unknown)"));
  }

  private static boolean isHarness(String type) {
    for (Class<?> harness : new Class<?>[] {Property.class, Runner.class}) {
      if (type.equals(harness.getName()) || type.startsWith(harness.getName() + "$")) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code text} safe to print: control characters (C0, DEL and C1), lone surrogates and
   * bidirectional formatting characters escaped as {@code \}{@code uXXXX}, cut at {@link #DISPLAY_LIMIT}.
   */
  static String printable(String text) {
    return printable(text, false);
  }

  /** As {@link #printable(String)}, keeping line feeds if asked. */
  static String printable(String text, boolean keepLineFeeds) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), DISPLAY_LIMIT) + 16);
    for (int i = 0; i < text.length(); i++) {
      if (out.length() >= DISPLAY_LIMIT) {
        return out.append("... (").append(text.length() - i).append(" more characters)")
            .toString();
      }
      char c = text.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (pair) {
        out.append(c).append(text.charAt(++i));
      } else if (c == '\n' && keepLineFeeds) {
        out.append(c);
      } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c)
          || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  String name() {
    return name;
  }

  static void note(String note) {
    Context context = CONTEXT.get();
    if (context == null) {
      throw new IllegalStateException("Property.note() called outside a property's check");
    }
    context.notes.add(note);
  }

  static void collect(String label, String value) {
    Context context = CONTEXT.get();
    if (context == null) {
      throw new IllegalStateException("Statistics.collect() called outside a property's check");
    }
    if (context.tally != null) { // null while shrinking: only the tries count
      context.tally.computeIfAbsent(label, l -> new LinkedHashMap<>())
          .merge(value, 1, Integer::sum);
    }
  }

  /** What a running check reports into. */
  private static final class Context {
    final List<String> notes = new ArrayList<>();
    final @Nullable Map<String, Map<String, Integer>> tally;

    Context(@Nullable Map<String, Map<String, Integer>> tally) {
      this.tally = tally;
    }
  }

  /** How a try ended. */
  enum Kind { PASSED, FAILED, DISCARDED, GENERATOR_FAILED }

  /** One run of the generator and the check on one sequence of choices. */
  static final class Trial {
    final Kind kind;
    final long[] choices;
    final @Nullable Throwable failure;
    final List<String> notes;

    Trial(Kind kind, long[] choices, @Nullable Throwable failure, List<String> notes) {
      this.kind = kind;
      this.choices = choices;
      this.failure = failure;
      this.notes = notes;
    }
  }
}
