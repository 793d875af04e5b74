package dev.breakglass.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  static ModuleDescriptor descriptor() throws IOException {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void module_exportsOnlyTheApiPackages() throws IOException {
    ModuleDescriptor module = descriptor();
    assertThat(module.name()).isEqualTo("dev.breakglass.core");
    assertThat(module.exports().stream().filter(e -> !e.isQualified()))
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("dev.breakglass.core", "dev.breakglass.core.incident");
  }

  @Test
  void module_exportsInternalOnlyToBreakglassModules() throws IOException {
    ModuleDescriptor module = descriptor();
    assertThat(module.exports().stream().filter(ModuleDescriptor.Exports::isQualified))
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactly("dev.breakglass.core.internal");
    assertThat(module.exports().stream()
            .filter(ModuleDescriptor.Exports::isQualified)
            .flatMap(e -> e.targets().stream()))
        .allMatch(target -> target.startsWith("dev.breakglass."));
  }

  @Test
  void module_requiresJavaBaseOnlyAtRunTime() throws IOException {
    ModuleDescriptor module = descriptor();
    assertThat(module.requires().stream()
            .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet()))
        .containsExactly("java.base");
  }
}
