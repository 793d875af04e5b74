package dev.breakglass.consumercheck;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application in {@code src/main/java}, a named module that requires the breakglass
 * modules, compiled and run the way a user's build would: with nothing on the module path but
 * the breakglass jars and what their poms declare (Maven's runtime dependencies of this module,
 * written to {@code target/module-path.txt} by the build). Maven compiles it with
 * {@code -Xlint:all -Werror}; these tests compile it again with the plain {@code javac} of the
 * JDK running the build, with the same flags, run it with that JDK's {@code java}, and check
 * where its listener failures are logged.
 */
class ConsumerModuleTest {

  private static final String MODULE = "dev.breakglass.consumercheck";
  private static final String MAIN = MODULE + "/dev.breakglass.consumercheck.Main";
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final Path JAVAC = Path.of(System.getProperty("java.home"), "bin", "javac");

  /** The breakglass jars (or class directories) and their declared runtime dependencies. */
  private static List<Path> modulePath;
  /** The application, compiled once by {@link #compile}. */
  private static Path classes;
  private static Run javac;

  @BeforeAll
  static void compileTheApplication(@TempDir Path directory) throws Exception {
    String text = Files.readString(Path.of("target/module-path.txt")).strip();
    modulePath = Stream.of(text.split(File.pathSeparator)).map(Path::of).toList();
    classes = directory;
    javac = compile(classes);
  }

  @Test
  void modulePath_holdsTheLibraryModulesAndTheirTwoDeclaredDependencies() {
    Set<String> names = ModuleFinder.of(modulePath.toArray(Path[]::new)).findAll().stream()
        .map(reference -> reference.descriptor().name()).collect(Collectors.toSet());

    assertThat(names).containsExactlyInAnyOrder("dev.breakglass.core",
        "dev.breakglass.circuitbreaker", "dev.breakglass.cascade", "dev.breakglass.fingerprint",
        "org.slf4j", "org.jspecify");
    assertThat(modulePath).hasSize(names.size());
  }

  @Test
  void libraryModules_requireJspecifyStaticallyAndTransitively() {
    ModuleFinder finder = ModuleFinder.of(modulePath.toArray(Path[]::new));
    int checked = 0;
    for (ModuleReference reference : finder.findAll()) {
      ModuleDescriptor module = reference.descriptor();
      if (!module.name().startsWith("dev.breakglass.")) {
        continue;
      }
      for (Requires requires : module.requires()) {
        if (requires.name().equals("org.jspecify")) {
          // static: never needed at run time; transitive: consumers compile against it
          assertThat(requires.modifiers()).as(module.name() + " requires org.jspecify")
              .containsExactlyInAnyOrder(Requires.Modifier.STATIC, Requires.Modifier.TRANSITIVE);
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(4);
  }

  @Test
  void compile_withPlainJavacAndOnlyBreakglassOnTheModulePath_printsNoWarning() {
    assertThat(javac.exitCode).as(javac.toString()).isZero();
    assertThat(javac.out + javac.err).as(javac.toString()).isEmpty();
    assertThat(classes.resolve("module-info.class")).exists();
    assertThat(classes.resolve("dev/breakglass/consumercheck/Main.class")).exists();
  }

  @Test
  void run_withoutJspecifyAndWithoutAnSlf4jBinding_usesEveryModule() throws Exception {
    assertThat(javac.exitCode).as(javac.toString()).isZero();
    List<Path> withoutJspecify = modulePath.stream()
        .filter(p -> !p.getFileName().toString().startsWith("jspecify")).toList();
    assertThat(withoutJspecify).hasSize(modulePath.size() - 1);

    Run run = run(prepend(classes, withoutJspecify));

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).contains(
        "circuit-breaker: payments OPEN",
        "cascade: MAJOR, STANDARD admitted false",
        "incidents: #1 OPEN at MAJOR",
        "fingerprint: ",
        "module dev.breakglass.consumercheck reads dev.breakglass.circuitbreaker;"
            + " org.jspecify present: false");
    // no binding: SLF4J says so once, on stderr, and logs nothing
    assertThat(run.err).contains("No SLF4J providers were found");
  }

  @Test
  void run_withLogbackOnTheModulePath_listenerFailuresAppearInLogbacksOutput()
      throws Exception {
    assertThat(javac.exitCode).as(javac.toString()).isZero();
    List<Path> withLogback = new ArrayList<>(prepend(classes, modulePath));
    withLogback.add(jarOf(LoggerContext.class));  // logback-classic
    withLogback.add(jarOf(Appender.class));        // logback-core

    Run run = run(withLogback, "-Dlogback.configurationFile="
        + Path.of("src/test/resources/logback-consumer.xml").toAbsolutePath());

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).contains(
        "LOGBACK WARN [dev.breakglass.circuitbreaker] Listener lambda in"
            + " dev.breakglass.consumercheck.Main implementing dev.breakglass.core.EventListener"
            + " of payments threw while handling",
        "java.lang.IllegalStateException: a listener that throws (on purpose)",
        "LOGBACK WARN [dev.breakglass.circuitbreaker] Listener pager of payments threw while"
            + " handling",
        "java.lang.IllegalStateException: a named listener that throws (on purpose)",
        "circuit-breaker: payments OPEN");
    assertThat(run.out).doesNotContain("$$Lambda");
    assertThat(run.err).doesNotContain("SLF4J");
  }

  @Test
  void run_withAFlightRecording_recordsTheLibraryModulesEvents(@TempDir Path directory)
      throws Exception {
    assertThat(javac.exitCode).as(javac.toString()).isZero();
    Path recording = directory.resolve("consumer.jfr");

    // the application module requires no jdk.jfr itself: the library modules bring it
    Run run = run(prepend(classes, modulePath),
        "-XX:StartFlightRecording=filename=" + recording);

    assertThat(run.exitCode).as(run.toString()).isZero();
    Set<String> names = RecordingFile.readAllEvents(recording).stream()
        .map(event -> event.getEventType().getName())
        .filter(name -> name.startsWith("dev.breakglass."))
        .collect(Collectors.toSet());
    assertThat(names).containsExactlyInAnyOrder("dev.breakglass.CircuitBreakerTransition",
        "dev.breakglass.SeverityChange", "dev.breakglass.TierShed",
        "dev.breakglass.Incident");
  }

  /** Compiles the application with the JDK's javac; returns what javac printed. */
  private static Run compile(Path into) throws Exception {
    List<String> command = new ArrayList<>(List.of(JAVAC.toString(), "--release", "17",
        "-Xlint:all", "-Werror", "--module-path", join(modulePath), "-d", into.toString()));
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).forEach(command::add);
    }
    return execute(command);
  }

  /** Runs the compiled application on the given module path in a new JVM. */
  private static Run run(List<Path> path, String... jvmOptions) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(JAVA.toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("--module-path", join(path), "--module", MAIN));
    return execute(command);
  }

  private static Run execute(List<String> command) throws Exception {
    Path out = Files.createTempFile("consumer-check", ".out");
    Path err = Files.createTempFile("consumer-check", ".err");
    try {
      Process process = new ProcessBuilder(command)
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("not finished within 120 s: " + command);
      }
      return new Run(command, process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static List<Path> prepend(Path first, List<Path> rest) {
    List<Path> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  private static String join(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  private static Path jarOf(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** A finished process: javac or the application. */
  private record Run(List<String> command, int exitCode, String out, String err) {
    @Override
    public String toString() {
      return String.join(" ", command) + "\nexit " + exitCode + "\nstdout:\n" + out
          + "\nstderr:\n" + err;
    }
  }
}
