package dev.breakglass.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's code honest: every Java block in README.md announced by
 * {@code <!-- snippet: name -->} must be, line for line, the region of sample code between
 * {@code // [readme:name]} and {@code // [/readme:name]} (minus its common indentation). The
 * sample programs compile and run in this module's tests, so the README's snippets do too.
 */
class ReadmeSnippetsTest {

  private static final Path SOURCES = Path.of("src/main/java/dev/breakglass/samples");
  private static final Path README = Path.of("../README.md");
  private static final Pattern REGION = Pattern.compile(
      "// \\[readme:([\\w-]+)]\\n(.*?)\\n\\s*// \\[/readme:\\1]", Pattern.DOTALL);
  private static final Pattern BLOCK = Pattern.compile(
      "<!-- snippet: ([\\w-]+) -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL);

  static Map<String, String> regions() throws IOException {
    Map<String, String> regions = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        Matcher matcher = REGION.matcher(Files.readString(file));
        while (matcher.find()) {
          String previous = regions.put(matcher.group(1), dedent(matcher.group(2)));
          assertThat(previous).as("region %s defined twice", matcher.group(1)).isNull();
        }
      }
    }
    return regions;
  }

  static String dedent(String text) {
    List<String> lines = text.lines().toList();
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(line.isBlank() ? "" : line.substring(indent));
    }
    return String.join("\n", out);
  }

  @Test
  void readme_everySnippetBlock_isTheCompiledSampleRegion() throws IOException {
    Map<String, String> regions = regions();
    Matcher matcher = BLOCK.matcher(Files.readString(README));
    List<String> seen = new ArrayList<>();
    while (matcher.find()) {
      String name = matcher.group(1);
      seen.add(name);
      assertThat(regions).as("README snippet '%s' has a sample region", name).containsKey(name);
      assertThat(matcher.group(2))
          .as("README snippet '%s' must equal the sample code; expected:%n%s", name,
              regions.get(name))
          .isEqualTo(regions.get(name));
    }
    assertThat(seen).as("every sample region is quoted in the README")
        .containsExactlyInAnyOrderElementsOf(regions.keySet());
  }
}
