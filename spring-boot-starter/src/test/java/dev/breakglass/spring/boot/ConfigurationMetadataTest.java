package dev.breakglass.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration metadata IDEs complete {@code breakglass.*} properties from. */
class ConfigurationMetadataTest {

  private static String metadata() throws IOException {
    try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the generated metadata").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void metadata_generated_describesEveryPropertyWithItsDefault() throws IOException {
    String json = metadata();
    List<Map<String, Object>> properties = JsonPath.read(json,
        "$.properties[?(@.name =~ /breakglass\\..*/)]");
    assertThat(properties).extracting(p -> p.get("name")).contains(
        "breakglass.circuitbreaker.configs", "breakglass.circuitbreaker.instances",
        "breakglass.cascade.components", "breakglass.cascade.features",
        "breakglass.cascade.admit-up-to", "breakglass.cascade.capacity-factor",
        "breakglass.cascade.cooldown", "breakglass.cascade.evaluation-enabled",
        "breakglass.cascade.evaluation-interval", "breakglass.journal.capacity",
        "breakglass.shutdown.enabled", "breakglass.shutdown.deadline",
        "breakglass.shutdown.component-timeout", "breakglass.shutdown.phase",
        "breakglass.health.open-breaker-down", "breakglass.health.down-at-severity",
        "breakglass.endpoint.journal-entries");
    assertThat(properties).allSatisfy(p -> assertThat((String) p.get("description"))
        .as("description of %s", p.get("name")).isNotBlank());
    assertThat(properties).filteredOn(p -> p.get("name").equals("breakglass.shutdown.deadline"))
        .singleElement().satisfies(p -> assertThat(p.get("defaultValue")).isEqualTo("25s"));
    assertThat(properties).filteredOn(p -> p.get("name").equals("breakglass.journal.capacity"))
        .singleElement().satisfies(p -> assertThat(p.get("defaultValue")).isEqualTo(1024));
    assertThat(properties)
        .filteredOn(p -> p.get("name").equals("breakglass.health.open-breaker-down"))
        .singleElement().satisfies(p -> assertThat(p.get("defaultValue")).isEqualTo(false));
  }
}
