package dev.breakglass.samples.drill;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.breakglass.cascade.degradation.AdmissionLimiter;
import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Deferral;
import dev.breakglass.cascade.degradation.FixedLimit;
import dev.breakglass.cascade.degradation.Feature;
import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.cascade.lifecycle.ShutdownReport;
import dev.breakglass.cascade.lifecycle.ShutdownSequencer;
import dev.breakglass.circuitbreaker.CallNotPermittedException;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerConfig;
import dev.breakglass.core.EventCategory;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.Tier;
import dev.breakglass.fingerprint.Value;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A small shop, simulated in-process and served over real HTTP on 127.0.0.1.
 *
 * <pre>
 * http-front (CRITICAL) -&gt; checkout-handler (CRITICAL) -&gt; payment-client (CRITICAL)
 *                                                    -&gt; inventory-store (ESSENTIAL)
 *                                                    -&gt; analytics-exporter (ENHANCED)
 *                       -&gt; recommendations (STANDARD) -&gt; inventory-store
 * </pre>
 *
 * <p>Every payment goes through a circuit breaker whose fallback defers the charge; the
 * cascade manager watches the breaker and sheds recommendations and analytics when the
 * payment client is down; the work each checkout hands on (a STANDARD-tier update of the
 * customer's recommendation profile, an ENHANCED-tier analytics event) is deferred while its
 * tier is shed and replayed when it is restored, and what still waits at shutdown is replayed
 * by the front's drain step; the payment client's timeout comes from the configuration, which
 * the drill fingerprints, changes and rolls back; and the dependency graph drives the graceful
 * shutdown.
 *
 * <p>Thread-safe.
 */
public final class Shop implements AutoCloseable {

  /** Component names, as in the dependency graph, the manager and the journal. */
  public static final String FRONT = "http-front";
  /** The checkout handler. */
  public static final String CHECKOUT = "checkout-handler";
  /** The payment gateway client (and its breaker). */
  public static final String PAYMENT = "payment-client";
  /** The inventory store. */
  public static final String INVENTORY = "inventory-store";
  /** The recommendations service. */
  public static final String RECOMMENDATIONS = "recommendations";
  /** The analytics exporter. */
  public static final String ANALYTICS = "analytics-exporter";

  /** Requests the front door admits at once at full capacity (MAJOR holds it at 60 %: 6). */
  public static final int FRONT_DOOR_LIMIT = 10;

  /** The gateway's simulated latency. */
  static final long GATEWAY_LATENCY_MICROS = 2_000;

  private final IncidentJournal journal;
  private final PaymentGateway gateway;
  private final CircuitBreaker paymentBreaker;
  private final DependencyGraph graph;
  private final CascadeManager cascade;
  private final AdmissionLimiter frontDoor;
  private final Feature recommendations;
  private final Deferral deferral;
  private final ScheduledExecutorService replay;
  private final HttpServer server;
  private final ExecutorService serverThreads;
  private final ScheduledExecutorService evaluator;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong orders = new AtomicLong();
  private final AtomicLong analyticsBuffered = new AtomicLong();
  private final AtomicLong profileUpdates = new AtomicLong();
  private final AtomicLong inventoryReserved = new AtomicLong();
  private final AtomicLong fallbacksServed = new AtomicLong();
  private final AtomicBoolean fallbackServing = new AtomicBoolean();
  private final AtomicBoolean failureSignalled = new AtomicBoolean();
  private volatile boolean accepting = true;
  private volatile String release = "";

  private Shop(Settings settings, IncidentJournal journal, Value config) throws IOException {
    this.journal = journal;
    this.gateway = new PaymentGateway(GATEWAY_LATENCY_MICROS, 800);
    this.paymentBreaker = CircuitBreaker.builder(PAYMENT)
        .config(CircuitBreakerConfig.builder()
            .countWindow(20)
            .minimumNumberOfCalls(10)
            .failureRateThreshold(50)
            .waitDurationInOpenState(settings.openWait())
            .permittedNumberOfCallsInHalfOpenState(3)
            .build())
        .journal(journal)
        .build();
    // A failed payment is a failure signal; the fallback serving because the breaker is open is
    // a mitigation: journal the first of each, and what the fallback served when the breaker
    // closes again (the incident tracker ends the mitigation there).
    paymentBreaker.onStateTransition(transition -> {
      if (transition.to() == CircuitBreaker.State.CLOSED) {
        failureSignalled.set(false);
      }
      if (transition.to() == CircuitBreaker.State.CLOSED && fallbackServing.getAndSet(false)) {
        journal.record(EventCategory.RECOVERY, PAYMENT, "fallback", "served "
            + fallbacksServed.getAndSet(0) + " times; payments are charged at once again");
      }
    });
    this.graph = DependencyGraph.builder()
        .add(Component.builder(FRONT).tier(Tier.CRITICAL)
                .onStopIntake(() -> accepting = false)
                .onDrain(this::drainRequestsAndDeferredWork)
                .onRelease(this::stopServer)
                .build(),
            CHECKOUT, RECOMMENDATIONS)
        .add(Component.builder(CHECKOUT).tier(Tier.CRITICAL)
                .onDrain(this::awaitRequestsInFlight)
                .build(),
            PAYMENT, INVENTORY, ANALYTICS)
        .add(Component.builder(PAYMENT).tier(Tier.CRITICAL)
                .onRelease(() -> journal.record(PAYMENT, "closed",
                    gateway.charges() + " charges made; breaker " + paymentBreaker.state()))
                .build())
        .add(Component.builder(INVENTORY).tier(Tier.ESSENTIAL)
                .onFlush(() -> journal.record(INVENTORY, "flushed",
                    inventoryReserved.get() + " reservations written"))
                .onRelease(() -> journal.record(INVENTORY, "closed", "connection pool closed"))
                .build())
        .add(Component.builder(RECOMMENDATIONS).tier(Tier.STANDARD)
                .onRelease(() -> journal.record(RECOMMENDATIONS, "closed",
                    "model unloaded; " + profileUpdates.get() + " profile updates"))
                .build(),
            INVENTORY)
        .add(Component.builder(ANALYTICS).tier(Tier.ENHANCED)
                .onFlush(() -> journal.record(ANALYTICS, "flushed",
                    analyticsBuffered.getAndSet(0) + " events exported, "
                        + analyticsDeferred() + " deferred while shed"))
                .build())
        .build();
    this.cascade = CascadeManager.builder()
        .graph(graph)
        .cooldown(settings.cooldown())
        .journal(journal)
        .build();
    this.cascade.watch(paymentBreaker);
    // the front door enforces the manager's decision: shed tiers are refused, and the limit
    // follows the capacity factor (10 requests at once; 6 at MAJOR)
    this.frontDoor = AdmissionLimiter.builder(FRONT)
        .algorithm(() -> FixedLimit.of(FRONT_DOOR_LIMIT))
        .manager(cascade)
        .journal(journal)
        .build();
    this.recommendations = cascade.feature(RECOMMENDATIONS);
    // shed work waits in a queue per tier and is replayed, oldest first, when its tier is back
    this.replay = Executors.newSingleThreadScheduledExecutor(daemon("deferred-replay"));
    this.deferral = Deferral.builder(cascade, replay)
        .capacity(100_000)
        .replayRate(5_000)
        .replayInterval(Duration.ofMillis(50))
        .build();
    apply(config);

    // the JDK server writes headers and body separately; without TCP_NODELAY each response
    // waits for the client's delayed ACK (~40 ms). Read once, when the server classes load.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.serverThreads = Executors.newFixedThreadPool(4, daemon("shop-http"));
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    this.server.setExecutor(serverThreads);
    this.server.createContext("/checkout",
        exchange -> handle(exchange, Tier.CRITICAL, this::checkout));
    this.server.createContext("/recommendations",
        exchange -> handle(exchange, Tier.STANDARD, this::recommend));
    this.server.start();
    // the manager starts no thread of its own: cooldowns are evaluated on every report and by
    // this periodic call
    this.evaluator = Executors.newSingleThreadScheduledExecutor(daemon("severity-evaluator"));
    long every = settings.evaluateEvery().toNanos();
    this.evaluator.scheduleAtFixedRate(cascade::evaluate, every, every, TimeUnit.NANOSECONDS);
  }

  /**
   * Starts the shop with a configuration.
   *
   * @param settings the drill's timings
   * @param journal where everything notable is recorded
   * @param config the initial configuration
   * @return the running shop
   * @throws IOException if the HTTP server cannot start
   */
  public static Shop start(Settings settings, IncidentJournal journal, Value config)
      throws IOException {
    return new Shop(settings, journal, config);
  }

  /**
   * The shop's configuration before anything goes wrong.
   *
   * @return a nested map, as a service would load from its configuration source
   */
  public static Map<String, Object> initialConfiguration() {
    return Map.of(
        "release", "2026.11.3",
        "payment", Map.of(
            "endpoint", "https://payments.internal/v2/charges",
            "timeoutMillis", 800,
            "retries", 2),
        "inventory", Map.of("maxConnections", 16),
        "recommendations", Map.of("model", "collab-filter-v7", "maxItems", 4));
  }

  /**
   * Applies a configuration: the payment client's timeout and the release label.
   *
   * @param config the configuration to run with
   */
  public void apply(Value config) {
    gateway.timeoutMillis(config.get("payment.timeoutMillis").asLong());
    release = config.get("release").asString();
  }

  /**
   * Charges a test order straight through the gateway, bypassing the breaker: the rollback's
   * validation step.
   *
   * @throws TimeoutException if the payment client still times out
   */
  public void probePayment() throws TimeoutException {
    gateway.charge("probe-" + orders.incrementAndGet());
  }

  /**
   * Returns the base address of the HTTP front.
   *
   * @return {@code http://127.0.0.1:<port>}
   */
  public URI address() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  /**
   * Returns the payment client's circuit breaker.
   *
   * @return the breaker
   */
  public CircuitBreaker paymentBreaker() {
    return paymentBreaker;
  }

  /**
   * Returns the cascade manager.
   *
   * @return the manager
   */
  public CascadeManager cascade() {
    return cascade;
  }

  /**
   * Returns the deferral that holds the checkout's follow-up work while its tier is shed.
   *
   * @return the deferral
   */
  public Deferral deferral() {
    return deferral;
  }

  /**
   * Returns the front door's admission limiter.
   *
   * @return the limiter every request goes through
   */
  public AdmissionLimiter frontDoor() {
    return frontDoor;
  }

  /**
   * Returns the dependency graph.
   *
   * @return the graph
   */
  public DependencyGraph graph() {
    return graph;
  }

  /**
   * Returns the release label of the running configuration.
   *
   * @return the release
   */
  public String release() {
    return release;
  }

  /**
   * Stops the shop in dependency waves within a deadline.
   *
   * @param deadline the overall shutdown deadline
   * @return the shutdown report
   */
  public ShutdownReport shutdown(Duration deadline) {
    evaluator.shutdownNow();
    return ShutdownSequencer.builder(graph).deadline(deadline).journal(journal).build().shutdown();
  }

  @Override
  public void close() {
    evaluator.shutdownNow();
    replay.shutdownNow();
    server.stop(0);
    serverThreads.shutdownNow();
  }

  // ---- request handling ----

  /** One handler: answers a status and a body. */
  private interface Handler {
    Answer handle();
  }

  private record Answer(int status, String body) {}

  private void handle(HttpExchange exchange, Tier tier, Handler handler) throws IOException {
    inFlight.incrementAndGet();
    try (exchange) {
      Answer answer = accepting
          ? frontDoor.get(tier, handler::handle, refused -> new Answer(503,
              "degraded: " + refused.getMessage() + "; try again later\n"))
          : new Answer(503, "shutting down: not accepting new requests\n");
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(answer.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private Answer checkout() {
    String order = "order-" + orders.incrementAndGet();
    inventoryReserved.incrementAndGet();
    String receipt = paymentBreaker.call(() -> gateway.charge(order), this::deferred);
    // follow-up work: runs now if its tier is admitted, else waits and is replayed on recovery
    deferral.submit(Tier.STANDARD, profileUpdates::incrementAndGet);
    deferral.submit(Tier.ENHANCED, analyticsBuffered::incrementAndGet);
    return receipt.startsWith("deferred")
        ? new Answer(202, "order " + order + " accepted, payment " + receipt + "\n")
        : new Answer(200, "order " + order + " confirmed, " + receipt + "\n");
  }

  /** The breaker's fallback: accept the order and charge it later. */
  private String deferred(Throwable cause) {
    fallbacksServed.incrementAndGet();
    if (cause instanceof CallNotPermittedException) {
      if (fallbackServing.compareAndSet(false, true)) {
        journal.record(EventCategory.MITIGATION, PAYMENT, "fallback",
            "payments deferred while the breaker is open");
      }
    } else if (failureSignalled.compareAndSet(false, true)) {
      journal.record(EventCategory.SIGNAL, PAYMENT, "failed",
          "a payment failed and was deferred: " + cause);
    }
    return cause instanceof CallNotPermittedException
        ? "deferred (payment breaker open)"
        : "deferred (" + cause.getMessage() + ")";
  }

  private Answer recommend() {
    if (!recommendations.isEnabled()) {
      return new Answer(503, "degraded: recommendations are paused at severity "
          + cascade.severity() + "; try again later\n");
    }
    return new Answer(200, "recommended: espresso beans, grinder, descaler, milk jug\n");
  }

  private long analyticsDeferred() {
    return deferral.counts(Tier.ENHANCED).deferred();
  }

  private void drainRequestsAndDeferredWork() throws InterruptedException {
    awaitRequestsInFlight();
    deferral.drain(); // what still waits runs now, before the components it uses stop
  }

  private void awaitRequestsInFlight() throws InterruptedException {
    // requests in flight finish within milliseconds; the sequencer's budget bounds the wait
    while (inFlight.get() > 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      if (Thread.interrupted()) {
        throw new InterruptedException("abandoned while " + inFlight.get() + " requests in flight");
      }
    }
  }

  private void stopServer() {
    server.stop(0);
    serverThreads.shutdown();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
