package dev.breakglass.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With {@code management.endpoint.breakglass.access=unrestricted}, the endpoint's write
 * operations declare a severity and force a breaker over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "management.endpoint.breakglass.access=unrestricted")
class SampleApplicationWritesTest {

  @LocalServerPort
  int port;

  @Test
  void endpoint_writesAllowed_declareClearAndForceOverHttp() {
    Http http = new Http(port);
    HttpResponse<String> declared = http.post("/actuator/breakglass",
        "{\"severity\":\"MAJOR\",\"reason\":\"payments provider incident\",\"by\":\"alice\"}");
    assertThat(declared.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<String>read(declared.body(), "$.severity")).isEqualTo("MAJOR");
    assertThat(JsonPath.<String>read(declared.body(), "$.declaration.by")).isEqualTo("alice");
    assertThat(JsonPath.<Boolean>read(http.get("/quotes/book-1").body(), "$.recommendations"))
        .isFalse();

    HttpResponse<String> cleared = http.delete("/actuator/breakglass?reason=resolved&by=alice");
    assertThat(cleared.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<Object>read(cleared.body(), "$.declaration")).isNull();

    HttpResponse<String> forced = http.post("/actuator/breakglass/pricing",
        "{\"state\":\"FORCED_OPEN\"}");
    assertThat(forced.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<String>read(forced.body(), "$.state")).isEqualTo("FORCED_OPEN");
    assertThat(JsonPath.<String>read(http.get("/quotes/book-1").body(), "$.source"))
        .isEqualTo("list-price");
    assertThat(http.post("/actuator/breakglass/pricing", "{\"state\":\"SIDEWAYS\"}").statusCode())
        .isEqualTo(400);
    assertThat(JsonPath.<String>read(
        http.post("/actuator/breakglass/pricing", "{\"state\":\"RESET\"}").body(), "$.state"))
        .isEqualTo("CLOSED");
    assertThat(JsonPath.<List<String>>read(http.get("/actuator/breakglass").body(),
        "$.journal[?(@.source == 'cascade')].kind")).isNotEmpty();
  }
}
