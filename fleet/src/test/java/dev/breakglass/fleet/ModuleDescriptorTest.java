package dev.breakglass.fleet;

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
  void module_exportsOnlyTheApiPackage() throws IOException {
    ModuleDescriptor module = descriptor();
    assertThat(module.name()).isEqualTo("dev.breakglass.fleet");
    assertThat(module.exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactly("dev.breakglass.fleet");
    assertThat(module.exports()).allMatch(e -> !e.isQualified());
  }

  @Test
  void module_dependsOnCoreFingerprintJdbcAndTheDriverOnly() throws IOException {
    assertThat(descriptor().requires().stream()
            .map(ModuleDescriptor.Requires::name)
            // annotations needed at compile time only (requires static)
            .filter(name -> !name.equals("java.base") && !name.equals("org.jspecify")
                && !name.equals("com.google.errorprone.annotations"))
            .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("dev.breakglass.core", "dev.breakglass.fingerprint",
            "java.sql", "org.postgresql.jdbc");
  }
}
