package dev.breakglass.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.testing.ModuleDescriptors;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  private final ModuleDescriptor module = ModuleDescriptors.compiled();

  @Test
  void module_exportsOnlyTheApiPackages() {
    assertThat(module.name()).isEqualTo("dev.breakglass.core");
    assertThat(ModuleDescriptors.exportedToAll(module)).containsExactlyInAnyOrder("dev.breakglass.core",
        "dev.breakglass.core.incident");
  }

  @Test
  void module_exportsInternalOnlyToBreakglassModules() {
    assertThat(ModuleDescriptors.exportedToSome(module))
        .containsOnlyKeys("dev.breakglass.core.internal");
    assertThat(ModuleDescriptors.exportedToSome(module).get("dev.breakglass.core.internal"))
        .isNotEmpty()
        .allMatch(target -> target.startsWith("dev.breakglass."));
  }

  @Test
  void module_requiresJavaBaseOnlyAtRunTime() {
    assertThat(ModuleDescriptors.requiredAtRunTime(module)).containsExactly("java.base");
  }
}
