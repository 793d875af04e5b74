package dev.breakglass.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Starts the real application on a random port and drives it over HTTP only: an outage of the
 * pricing service opens the breaker, and the health and breakglass endpoints show it. (With no
 * cooldown, the severity returns to NORMAL as soon as a test resets the breaker.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "breakglass.cascade.cooldown=0s")
class SampleApplicationHttpTest {

  @LocalServerPort
  int port;

  @Autowired
  CircuitBreakerRegistry registry;

  Http http;

  @BeforeEach
  void setUp() {
    http = new Http(port);
    registry.find("pricing").orElseThrow().reset();
  }

  @AfterEach
  void tearDown() {
    http.delete("/downstream/outage");
    registry.find("pricing").orElseThrow().reset();
  }

  @Test
  void quotes_healthyPricing_answeredByPricingWithRecommendations() {
    HttpResponse<String> quote = http.get("/quotes/book-1");
    assertThat(quote.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<String>read(quote.body(), "$.source")).isEqualTo("pricing");
    assertThat(JsonPath.<Boolean>read(quote.body(), "$.recommendations")).isTrue();

    HttpResponse<String> health = http.get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<String>read(health.body(), "$.status")).isEqualTo("UP");
    assertThat(JsonPath.<String>read(health.body(), "$.components.circuitBreakers.status"))
        .isEqualTo("UP");
  }

  @Test
  void quotes_pricingOutage_breakerOpensHealthStaysUpAndEndpointShowsIt() {
    assertThat(http.post("/downstream/outage", "").statusCode()).isEqualTo(200);
    // minimum-number-of-calls=10 at failure-rate-threshold=50: ten failures open it
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> quote = http.get("/quotes/book-" + i);
      assertThat(quote.statusCode()).isEqualTo(200);
      assertThat(JsonPath.<String>read(quote.body(), "$.source")).isEqualTo("list-price");
    }
    HttpResponse<String> rejected = http.get("/quotes/book-11");
    assertThat(JsonPath.<String>read(rejected.body(), "$.source")).isEqualTo("list-price");
    // the pricing breaker (STANDARD tier) is DOWN: severity MINOR sheds recommendations
    assertThat(JsonPath.<Boolean>read(rejected.body(), "$.recommendations")).isFalse();

    HttpResponse<String> health = http.get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<String>read(health.body(), "$.status")).isEqualTo("UP");
    assertThat(JsonPath.<String>read(health.body(),
        "$.components.circuitBreakers.status")).isEqualTo("CIRCUIT_OPEN");
    assertThat(JsonPath.<String>read(health.body(),
        "$.components.circuitBreakers.details.pricing.state")).isEqualTo("OPEN");
    assertThat(JsonPath.<String>read(health.body(),
        "$.components.cascade.status")).isEqualTo("DEGRADED");

    HttpResponse<String> endpoint = http.get("/actuator/breakglass");
    assertThat(endpoint.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<List<String>>read(endpoint.body(),
        "$.breakers[?(@.name == 'pricing')].state")).containsExactly("OPEN");
    assertThat(JsonPath.<List<Integer>>read(endpoint.body(),
        "$.breakers[?(@.name == 'pricing')].notPermittedCalls")).containsExactly(1);
    assertThat(JsonPath.<String>read(endpoint.body(), "$.severity")).isEqualTo("MINOR");
    assertThat(JsonPath.<List<String>>read(endpoint.body(), "$.admittedTiers"))
        .containsExactly("CRITICAL", "ESSENTIAL", "STANDARD");
    assertThat(JsonPath.<List<String>>read(endpoint.body(),
        "$.journal[?(@.source == 'pricing')].detail"))
        .anySatisfy(detail -> assertThat(detail).contains("CLOSED -> OPEN"));
    assertThat(JsonPath.<List<String>>read(endpoint.body(),
        "$.journal[?(@.source == 'cascade')].detail"))
        .anySatisfy(detail -> assertThat(detail).contains("NORMAL -> MINOR"));

    // the breaker's transition and the severity change opened an incident
    assertThat(JsonPath.<String>read(endpoint.body(), "$.incident.status")).isEqualTo("OPEN");
    assertThat(JsonPath.<String>read(endpoint.body(), "$.incident.peakSeverity"))
        .isEqualTo("MINOR");
    assertThat(JsonPath.<List<String>>read(endpoint.body(), "$.incident.components"))
        .contains("pricing", "cascade");
    assertThat(JsonPath.<String>read(endpoint.body(), "$.incident.resolved")).isNull();

    HttpResponse<String> html = http.get("/actuator/breakglass/incident/html");
    assertThat(html.statusCode()).isEqualTo(200);
    assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/html"));
    assertThat(html.body()).startsWith("<!DOCTYPE html>").contains("pricing");
    HttpResponse<String> markdown = http.get("/actuator/breakglass/incident/md");
    assertThat(markdown.statusCode()).isEqualTo(200);
    assertThat(markdown.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/markdown"));
    assertThat(markdown.body()).contains("pricing");
    HttpResponse<String> json = http.get("/actuator/breakglass/incident/json");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<String>read(json.body(), "$.schema"))
        .isEqualTo("breakglass.incident/1");
    assertThat(http.get("/actuator/breakglass/incident/pdf").statusCode()).isEqualTo(400);
    assertThat(http.get("/actuator/breakglass/incidents/html").statusCode()).isEqualTo(404);

    // the meters, as Prometheus scrapes them
    HttpResponse<String> scrape = http.get("/actuator/prometheus");
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains(
        "breakglass_circuitbreaker_state{name=\"pricing\",state=\"open\"} 1.0",
        "breakglass_circuitbreaker_not_permitted_calls_total{kind=\"not_permitted\","
            + "name=\"pricing\"} 1.0",
        "breakglass_cascade_severity 1.0",
        "breakglass_cascade_tier_admitted{tier=\"enhanced\"} 0.0",
        "breakglass_incidents_open 1.0",
        "breakglass_limiter_inflight{name=\"quotes\"} 0.0");
    assertThat(scrape.body()).containsPattern(
        "breakglass_limiter_limit\\{name=\"quotes\"\\} [0-9.]+");

    HttpResponse<String> one = http.get("/actuator/breakglass/pricing");
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<String>read(one.body(), "$.state")).isEqualTo("OPEN");
    assertThat(http.get("/actuator/breakglass/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void endpoint_writesByDefault_areNotAllowed() {
    HttpResponse<String> declare = http.post("/actuator/breakglass",
        "{\"severity\":\"CRITICAL\",\"reason\":\"drill\"}");
    assertThat(declare.statusCode()).isBetween(400, 499);
    HttpResponse<String> force = http.post("/actuator/breakglass/pricing",
        "{\"state\":\"FORCED_OPEN\"}");
    assertThat(force.statusCode()).isBetween(400, 499);
    HttpResponse<String> endpoint = http.get("/actuator/breakglass");
    assertThat(JsonPath.<String>read(endpoint.body(), "$.severity")).isEqualTo("NORMAL");
    assertThat(JsonPath.<List<String>>read(endpoint.body(),
        "$.breakers[?(@.name == 'pricing')].state")).containsExactly("CLOSED");
  }
}
