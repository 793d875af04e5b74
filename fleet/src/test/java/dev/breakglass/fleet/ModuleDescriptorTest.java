package dev.breakglass.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.testing.ModuleDescriptors;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  private final ModuleDescriptor module = ModuleDescriptors.compiled();

  @Test
  void module_exportsOnlyTheApiPackage() {
    assertThat(module.name()).isEqualTo("dev.breakglass.fleet");
    assertThat(ModuleDescriptors.exportedToAll(module)).containsExactly("dev.breakglass.fleet");
    assertThat(ModuleDescriptors.exportedToSome(module)).isEmpty();
  }

  @Test
  void module_dependsOnCoreFingerprintJdbcTheDriverAndSlf4jOnly() {
    assertThat(ModuleDescriptors.requiredBreakglassModules(module))
        .containsExactly("dev.breakglass.core", "dev.breakglass.fingerprint");
    assertThat(ModuleDescriptors.requiredAtRunTime(module))
        .containsExactly("dev.breakglass.core", "dev.breakglass.fingerprint", "java.base",
            "java.sql", "org.postgresql.jdbc", "org.slf4j");
  }
}
