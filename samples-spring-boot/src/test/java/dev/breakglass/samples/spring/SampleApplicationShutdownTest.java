package dev.breakglass.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.cascade.lifecycle.Outcome;
import dev.breakglass.cascade.lifecycle.ShutdownReport;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.spring.boot.autoconfigure.ShutdownLifecycle;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Closing the application stops the breakglass components in dependency order, inside
 * Spring's graceful shutdown.
 */
class SampleApplicationShutdownTest {

  @Test
  void close_runningApplication_stopsComponentsInDependencyOrder() {
    ConfigurableApplicationContext context =
        SpringApplication.run(SampleApplication.class, "--server.port=0");
    ShopResources resources = context.getBean(ShopResources.class);
    IncidentJournal journal = context.getBean(IncidentJournal.class);
    ShutdownLifecycle lifecycle = context.getBean(ShutdownLifecycle.class);
    assertThat(resources.closed()).isEmpty();
    // after the web server's graceful shutdown has drained the requests, before the web
    // server stops (phase DEFAULT_PHASE - 2048)
    assertThat(lifecycle.getPhase())
        .isLessThan(context.getBean(WebServerGracefulShutdownLifecycle.class).getPhase())
        .isGreaterThan(SmartLifecycle.DEFAULT_PHASE - 2048);

    context.close();

    List<String> closed = resources.closed();
    assertThat(closed).containsExactlyInAnyOrder(
        "orders-consumer", "quote-cache", "pricing-client", "orders-db");
    // a component closes only after everything that depends on it
    assertThat(closed.indexOf("orders-consumer")).isLessThan(closed.indexOf("orders-db"));
    assertThat(closed.indexOf("orders-consumer")).isLessThan(closed.indexOf("pricing-client"));
    assertThat(closed.indexOf("quote-cache")).isLessThan(closed.indexOf("pricing-client"));

    ShutdownReport report = lifecycle.lastReport();
    assertThat(report).isNotNull();
    assertThat(report.isClean()).isTrue();
    assertThat(report.count(Outcome.STOPPED)).isEqualTo(4);
    List<String> stoppedInJournal = journal.entries().stream()
        .filter(e -> e.kind().equals("stopped"))
        .map(JournalEntry::source)
        .toList();
    assertThat(stoppedInJournal).containsExactlyInAnyOrderElementsOf(closed);
    assertThat(stoppedInJournal.indexOf("orders-consumer"))
        .isLessThan(stoppedInJournal.indexOf("orders-db"));
  }
}
