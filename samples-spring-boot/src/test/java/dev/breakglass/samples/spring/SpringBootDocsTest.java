package dev.breakglass.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README runs this sample, and docs/spring-boot.md documents every starter property. */
class SpringBootDocsTest {

  @Test
  void readme_springSample_hasItsRunCommand() throws IOException {
    assertThat(Files.readString(Path.of("../README.md")))
        .contains("mvn -B -q -Pspring-sample -pl samples-spring-boot -am package");
  }

  @Test
  void guide_everyStarterProperty_isInThePropertiesTable() throws IOException {
    String metadata;
    try (InputStream in = SpringBootDocsTest.class.getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> names = JsonPath.read(metadata,
        "$.properties[?(@.name =~ /breakglass\\..*/)].name");
    assertThat(names).hasSizeGreaterThan(10);
    String guide = Files.readString(Path.of("../docs/spring-boot.md"));
    for (String name : names) {
      assertThat(guide).as("docs/spring-boot.md documents %s", name).contains("| `" + name);
    }
  }
}
