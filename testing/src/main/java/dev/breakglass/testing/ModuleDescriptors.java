package dev.breakglass.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a module's compiled descriptor and answers the questions every breakglass module asks
 * of its own in a test: which packages it exports to everyone, which only to named modules, and
 * which modules it requires. Tests run on the class path, so the descriptor is read from the
 * compiled {@code module-info.class}, not from a resolved layer.
 *
 * <pre>{@code
 * ModuleDescriptor module = ModuleDescriptors.compiled();
 * assertThat(module.name()).isEqualTo("dev.breakglass.cascade");
 * assertThat(ModuleDescriptors.exportedToAll(module))
 *     .containsExactly("dev.breakglass.cascade.degradation", "dev.breakglass.cascade.lifecycle");
 * assertThat(ModuleDescriptors.exportedToSome(module)).isEmpty();
 * assertThat(ModuleDescriptors.requiredBreakglassModules(module))
 *     .containsExactly("dev.breakglass.core");
 * }</pre>
 *
 * <p>The answers are sorted sets, so a test's expectation reads in one order whatever the
 * order of the {@code module-info.java} declarations. Stateless and thread-safe.
 */
public final class ModuleDescriptors {

  /** Where Maven puts a module's compiled descriptor, relative to the module's directory. */
  public static final Path COMPILED = Path.of("target", "classes", "module-info.class");

  private static final String BREAKGLASS = "dev.breakglass.";

  private ModuleDescriptors() {}

  /**
   * Reads the descriptor of the module under test: {@link #COMPILED}, relative to the working
   * directory, which Maven's test runner sets to the module's directory.
   *
   * @return the descriptor
   * @throws UncheckedIOException if the file cannot be read, e.g. the module has not been
   *     compiled
   */
  public static ModuleDescriptor compiled() {
    return read(COMPILED);
  }

  /**
   * Reads a compiled descriptor from a file.
   *
   * @param moduleInfoClass the path of a {@code module-info.class}
   * @return the descriptor
   * @throws UncheckedIOException if the file cannot be read
   */
  public static ModuleDescriptor read(Path moduleInfoClass) {
    try (InputStream in = Files.newInputStream(moduleInfoClass)) {
      return ModuleDescriptor.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + moduleInfoClass.toAbsolutePath(), e);
    }
  }

  /**
   * Returns the packages the module exports to every module.
   *
   * @param module the descriptor
   * @return the package names, sorted
   */
  public static Set<String> exportedToAll(ModuleDescriptor module) {
    Set<String> packages = new TreeSet<>();
    for (ModuleDescriptor.Exports export : module.exports()) {
      if (!export.isQualified()) {
        packages.add(export.source());
      }
    }
    return packages;
  }

  /**
   * Returns the packages the module exports to named modules only (qualified exports), each
   * with the modules it is exported to.
   *
   * @param module the descriptor
   * @return package name to target module names, both sorted
   */
  public static Map<String, Set<String>> exportedToSome(ModuleDescriptor module) {
    Map<String, Set<String>> packages = new TreeMap<>();
    for (ModuleDescriptor.Exports export : module.exports()) {
      if (export.isQualified()) {
        packages.put(export.source(), new TreeSet<>(export.targets()));
      }
    }
    return packages;
  }

  /**
   * Returns the breakglass modules ({@code dev.breakglass.*}) the module requires.
   *
   * @param module the descriptor
   * @return the module names, sorted
   */
  public static Set<String> requiredBreakglassModules(ModuleDescriptor module) {
    Set<String> modules = new TreeSet<>();
    for (ModuleDescriptor.Requires requires : module.requires()) {
      if (requires.name().startsWith(BREAKGLASS)) {
        modules.add(requires.name());
      }
    }
    return modules;
  }

  /**
   * Returns the modules the module requires at run time: every requirement that is not
   * {@code static} (compile time only), {@code java.base} included.
   *
   * @param module the descriptor
   * @return the module names, sorted
   */
  public static Set<String> requiredAtRunTime(ModuleDescriptor module) {
    Set<String> modules = new TreeSet<>();
    for (ModuleDescriptor.Requires requires : module.requires()) {
      if (!requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
        modules.add(requires.name());
      }
    }
    return modules;
  }
}
