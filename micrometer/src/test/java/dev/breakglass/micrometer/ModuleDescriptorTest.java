package dev.breakglass.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.testing.ModuleDescriptors;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  @Test
  void module_exportsOnlyTheApiPackage() {
    ModuleDescriptor module = ModuleDescriptors.compiled();
    assertThat(module.name()).isEqualTo("dev.breakglass.micrometer");
    assertThat(ModuleDescriptors.exportedToAll(module))
        .containsExactly("dev.breakglass.micrometer");
    assertThat(ModuleDescriptors.exportedToSome(module)).isEmpty();
  }

  @Test
  void module_requiresTheModulesItBindsAndMicrometer() {
    ModuleDescriptor module = ModuleDescriptors.compiled();
    assertThat(ModuleDescriptors.requiredBreakglassModules(module)).containsExactlyInAnyOrder(
        "dev.breakglass.core", "dev.breakglass.circuitbreaker", "dev.breakglass.cascade");
    assertThat(ModuleDescriptors.requiredAtRunTime(module)).contains("micrometer.core");
  }
}
