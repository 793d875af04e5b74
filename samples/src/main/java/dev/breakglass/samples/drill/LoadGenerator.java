package dev.breakglass.samples.drill;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sends real HTTP requests to the shop from one thread, alternating checkouts and
 * recommendations, and counts the answers by kind in a {@link Traffic}.
 *
 * <p>Thread-safe: start once, stop from any thread.
 */
public final class LoadGenerator implements AutoCloseable {

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1) // plain keep-alive: no h2c upgrade attempt per request
      .connectTimeout(Duration.ofSeconds(2))
      .build();
  private final URI checkout;
  private final URI recommendations;
  private final Traffic traffic;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;

  /**
   * Creates a load generator for the shop at the given base address.
   *
   * @param base e.g. {@code http://127.0.0.1:8080}
   * @param traffic where answers are counted
   */
  public LoadGenerator(URI base, Traffic traffic) {
    this.checkout = base.resolve("/checkout");
    this.recommendations = base.resolve("/recommendations");
    this.traffic = traffic;
    this.thread = new Thread(this::loop, "load-generator");
    this.thread.setDaemon(true);
  }

  /** Starts sending requests. */
  public void start() {
    thread.start();
  }

  private void loop() {
    try {
      long n = 0;
      while (running) {
        boolean isCheckout = (n++ & 1) == 0;
        send(isCheckout);
      }
    } finally {
      stopped.countDown();
    }
  }

  private void send(boolean isCheckout) {
    HttpRequest request = HttpRequest.newBuilder(isCheckout ? checkout : recommendations)
        .timeout(Duration.ofSeconds(5))
        .GET()
        .build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      traffic.count(classify(isCheckout, response.statusCode()));
    } catch (IOException e) {
      if (running) {
        traffic.count(Traffic.Kind.ERROR);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static Traffic.Kind classify(boolean isCheckout, int status) {
    if (isCheckout) {
      return status == 200 ? Traffic.Kind.CHECKOUT_PAID
          : status == 202 ? Traffic.Kind.CHECKOUT_DEFERRED
          : Traffic.Kind.ERROR;
    }
    return status == 200 ? Traffic.Kind.RECOMMENDATIONS
        : status == 503 ? Traffic.Kind.RECOMMENDATIONS_DEGRADED
        : Traffic.Kind.ERROR;
  }

  /**
   * Stops sending and waits (up to 10 s) for the request in flight to finish. If interrupted
   * while waiting, it stops the sender thread at once and keeps the interrupt status set.
   */
  public void stop() {
    running = false;
    try {
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        thread.interrupt();
      }
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
