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
    properties = {"management.endpoint.breakglass.access=unrestricted",
        "breakglass.cascade.cooldown=0s"})
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

  @Test
  void quotes_criticalDeclared_limiterRefusesThemWith503UntilCleared() {
    Http http = new Http(port);
    assertThat(http.post("/actuator/breakglass",
        "{\"severity\":\"CRITICAL\",\"reason\":\"data centre on fire\",\"by\":\"bob\"}")
        .statusCode()).isEqualTo(200);

    // quotes are ESSENTIAL; CRITICAL admits only CRITICAL work
    HttpResponse<String> refused = http.get("/quotes/book-1");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(http.get("/actuator/prometheus").body()).contains(
        "breakglass_limiter_rejections_total{name=\"quotes\",reason=\"not_admitted\","
            + "tier=\"essential\"} 1.0");

    assertThat(http.delete("/actuator/breakglass?reason=over&by=bob").statusCode())
        .isEqualTo(200);
    HttpResponse<String> served = http.get("/quotes/book-1");
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<String>read(served.body(), "$.sku")).isEqualTo("book-1");
  }
}
