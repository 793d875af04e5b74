package dev.breakglass.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The guide's schema and grants are the ones the module runs. */
class FleetDocsTest {

  private static final Path GUIDE = Path.of("../docs/fleet.md");

  private final Fleet fleet = Fleet.builder(new TestDataSource("jdbc:postgresql://unused/x"),
      "docs").build();

  @Test
  void guide_showsTheSchemaTheModuleCreates() throws IOException {
    assertThat(Files.readString(GUIDE))
        .as("docs/fleet.md must quote Fleet.schemaSql() for the default names:%n%s",
            fleet.schemaSql())
        .contains("```sql\n" + fleet.schemaSql() + "```");
  }

  @Test
  void guide_showsTheGrantsTheModuleNeeds() throws IOException {
    assertThat(Files.readString(GUIDE))
        .as("docs/fleet.md must quote Fleet.grantSql(\"fleet_app\"):%n%s",
            fleet.grantSql("fleet_app"))
        .contains("```sql\n" + fleet.grantSql("fleet_app") + "```");
  }
}
