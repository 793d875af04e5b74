/**
 * The simulated service the {@link dev.breakglass.samples.EmergencyDrill} runs: a small shop
 * behind the JDK's built-in HTTP server, with a payment gateway, an inventory store,
 * recommendations and an analytics exporter whose latency and failures can be injected, and a
 * load generator sending real requests through the server.
 */
package dev.breakglass.samples.drill;
