package dev.breakglass.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleDescriptorsTest {

  private static final ModuleDescriptor LIBRARY = ModuleDescriptor.newModule("dev.breakglass.x")
      .requires(Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE), "dev.breakglass.core")
      .requires(Set.of(ModuleDescriptor.Requires.Modifier.STATIC), "org.jspecify")
      .requires("java.logging")
      .exports("dev.breakglass.x.b")
      .exports("dev.breakglass.x.a")
      .exports(Set.of(), "dev.breakglass.x.internal",
          Set.of("dev.breakglass.z", "dev.breakglass.y"))
      .build();

  @Test
  void exportedToAll_mixedExports_listsTheUnqualifiedOnesSorted() {
    assertThat(ModuleDescriptors.exportedToAll(LIBRARY))
        .containsExactly("dev.breakglass.x.a", "dev.breakglass.x.b");
  }

  @Test
  void exportedToSome_qualifiedExport_listsItWithItsTargetsSorted() {
    Map<String, Set<String>> some = ModuleDescriptors.exportedToSome(LIBRARY);

    assertThat(some).containsOnlyKeys("dev.breakglass.x.internal");
    assertThat(some.get("dev.breakglass.x.internal"))
        .containsExactly("dev.breakglass.y", "dev.breakglass.z");
  }

  @Test
  void requiredBreakglassModules_listsOnlyBreakglassOnes() {
    assertThat(ModuleDescriptors.requiredBreakglassModules(LIBRARY))
        .containsExactly("dev.breakglass.core");
  }

  @Test
  void requiredAtRunTime_leavesOutStaticRequirements() {
    assertThat(ModuleDescriptors.requiredAtRunTime(LIBRARY))
        .containsExactly("dev.breakglass.core", "java.base", "java.logging");
  }

  @Test
  void read_aCompiledDescriptor_readsIt(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("module-info.class");
    try (var in = Object.class.getModule().getResourceAsStream("module-info.class")) {
      Files.copy(in, file);
    }

    ModuleDescriptor base = ModuleDescriptors.read(file);

    assertThat(base.name()).isEqualTo("java.base");
    assertThat(ModuleDescriptors.exportedToAll(base)).contains("java.lang", "java.util");
    assertThat(ModuleDescriptors.requiredAtRunTime(base)).isEmpty();
  }

  @Test
  void read_missingFile_throwsNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("module-info.class");

    assertThatThrownBy(() -> ModuleDescriptors.read(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot read " + missing.toAbsolutePath());
  }
}
