package dev.breakglass.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every sample program (a class with a {@code main} method) has a run command in README.md:
 * the drill's {@code -Pdrill} command, the fleet drill's {@code -Pfleet-drill}, or
 * {@code -Psample -Dsample=Name}; and every such
 * command in the README names a sample program that exists.
 */
class ReadmeRunCommandsTest {

  private static final Path SOURCES = Path.of("src/main/java/dev/breakglass/samples");
  private static final Path README = Path.of("../README.md");
  private static final String DRILL = "mvn -B -q -Pdrill -pl samples -am package";
  private static final String FLEET_DRILL = "mvn -B -q -Pfleet-drill -pl samples -am package";
  private static final Pattern SAMPLE_COMMAND =
      Pattern.compile("mvn -B -q -Psample -Dsample=(\\w+) -pl samples -am package");

  static Set<String> programs() throws IOException {
    Set<String> programs = new TreeSet<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      files = walk.filter(f -> f.toString().endsWith(".java")).toList();
    }
    for (Path file : files) {
      // the drill's parts (package drill) are started by the drills, not by people
      if (file.getParent().equals(SOURCES)
          && Files.readString(file).contains("public static void main(String[] args)")) {
        programs.add(SOURCES.relativize(file).toString()
            .replace(".java", "").replace('/', '.'));
      }
    }
    return programs;
  }

  @Test
  void readme_everySampleProgram_hasARunCommand() throws IOException {
    String readme = Files.readString(README);
    Set<String> programs = programs();
    assertThat(programs).contains("EmergencyDrill", "BreakerWithFallback");

    for (String program : programs) {
      if (program.equals("EmergencyDrill")) {
        assertThat(readme).as("the drill's run command").contains(DRILL);
      } else if (program.equals("FleetDrill")) {
        assertThat(readme).as("the fleet drill's run command").contains(FLEET_DRILL);
      } else {
        assertThat(readme).as("a run command for %s", program)
            .contains("mvn -B -q -Psample -Dsample=" + program + " -pl samples -am package");
      }
    }
  }

  @Test
  void readme_everySampleCommand_namesAnExistingProgram() throws IOException {
    Set<String> programs = programs();
    Matcher matcher = SAMPLE_COMMAND.matcher(Files.readString(README));
    int commands = 0;
    while (matcher.find()) {
      assertThat(programs).as("README runs -Dsample=%s", matcher.group(1))
          .contains(matcher.group(1));
      commands++;
    }
    // the drill and the fleet drill have profiles of their own
    assertThat(commands).isEqualTo(programs.size() - 2);
  }
}
