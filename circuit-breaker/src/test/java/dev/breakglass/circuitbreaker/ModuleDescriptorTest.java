package dev.breakglass.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.testing.ModuleDescriptors;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  private final ModuleDescriptor module = ModuleDescriptors.compiled();

  @Test
  void module_exportsOnlyTheApiPackage() {
    assertThat(module.name()).isEqualTo("dev.breakglass.circuitbreaker");
    assertThat(ModuleDescriptors.exportedToAll(module)).containsExactly("dev.breakglass.circuitbreaker");
    assertThat(ModuleDescriptors.exportedToSome(module)).isEmpty();
  }

  @Test
  void module_dependsOnCoreOnlyAmongBreakglassModules() {
    assertThat(ModuleDescriptors.requiredBreakglassModules(module))
        .containsExactly("dev.breakglass.core");
  }
}
