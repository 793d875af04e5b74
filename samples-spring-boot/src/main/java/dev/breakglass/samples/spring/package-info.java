/**
 * A Spring Boot web application using breakglass through its starter: a REST controller
 * calling a flaky pricing service through a circuit breaker, components stopped in dependency
 * order, and the Actuator health and {@code breakglass} endpoint.
 */
@NullMarked
package dev.breakglass.samples.spring;

import org.jspecify.annotations.NullMarked;
