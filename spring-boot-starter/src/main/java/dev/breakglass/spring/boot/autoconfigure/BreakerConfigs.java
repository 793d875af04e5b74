package dev.breakglass.spring.boot.autoconfigure;

import dev.breakglass.circuitbreaker.CircuitBreakerConfig;
import dev.breakglass.core.Tier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves {@code breakglass.circuitbreaker.*}: each config and instance with the settings it
 * inherits (its {@code base-config} chain, then the {@code default} config), turned into a
 * {@link CircuitBreakerConfig}. Errors name the property path. Not thread-safe; used once, at
 * startup.
 */
final class BreakerConfigs {

  static final String DEFAULT = "default";
  private static final String PREFIX = "breakglass.circuitbreaker.";

  private final Map<String, BreakerProperties> configs;

  BreakerConfigs(BreakglassProperties.CircuitBreakers properties) {
    this.configs = properties.configs();
  }

  /** The config of breakers created without a config name: the {@code default} config. */
  CircuitBreakerConfig defaultConfig() {
    BreakerProperties own = configs.get(DEFAULT);
    return own == null ? CircuitBreakerConfig.ofDefaults()
        : build(PREFIX + "configs." + DEFAULT, resolve(PREFIX + "configs." + DEFAULT, own, true));
  }

  /** Every named config but {@code default}, resolved, in declaration order. */
  Map<String, CircuitBreakerConfig> namedConfigs() {
    Map<String, CircuitBreakerConfig> named = new LinkedHashMap<>();
    configs.forEach((name, own) -> {
      if (!name.equals(DEFAULT)) {
        String path = PREFIX + "configs." + name;
        named.put(name, build(path, resolve(path, own, false)));
      }
    });
    return named;
  }

  /** An instance's config. */
  CircuitBreakerConfig instanceConfig(String name, BreakerProperties own) {
    String path = PREFIX + "instances." + name;
    return build(path, resolve(path, own, false));
  }

  /** An instance's tier: its own, else its configs', else STANDARD. */
  Tier instanceTier(String name, BreakerProperties own) {
    Tier tier = resolve(PREFIX + "instances." + name, own, false).tier();
    return tier == null ? Tier.STANDARD : tier;
  }

  private BreakerProperties resolve(String path, BreakerProperties own, boolean isDefault) {
    BreakerProperties merged = own;
    List<String> chain = new ArrayList<>();
    String base = own.baseConfig();
    while (base != null) {
      if (chain.contains(base)) {
        chain.add(base);
        throw new IllegalArgumentException(path + ".base-config: the base configs form a cycle: "
            + String.join(" -> ", chain));
      }
      chain.add(base);
      BreakerProperties next = configs.get(base);
      if (next == null) {
        throw new IllegalArgumentException(path + ".base-config: no config named '" + base
            + "' under " + PREFIX + "configs; known: " + configs.keySet());
      }
      merged = merged.over(withoutBase(next));
      base = next.baseConfig();
    }
    BreakerProperties defaults = configs.get(DEFAULT);
    if (!isDefault && defaults != null && !chain.contains(DEFAULT)) {
      merged = merged.over(resolve(PREFIX + "configs." + DEFAULT, defaults, true));
    }
    return merged;
  }

  private static BreakerProperties withoutBase(BreakerProperties p) {
    return p.baseConfig() == null ? p : new BreakerProperties(null, p.tier(),
        p.slidingWindowType(), p.slidingWindowSize(), p.timeWindowBuckets(),
        p.consecutiveFailureThreshold(), p.failureRateThreshold(), p.slowCallRateThreshold(),
        p.slowCallDurationThreshold(), p.minimumNumberOfCalls(), p.waitDurationInOpenState(),
        p.permittedNumberOfCallsInHalfOpenState(), p.maxWaitDurationInHalfOpenState(),
        p.automaticTransitionFromOpenToHalfOpenEnabled(), p.writableStackTraceEnabled(),
        p.recordExceptions(), p.ignoreExceptions());
  }

  private static CircuitBreakerConfig build(String path, BreakerProperties merged) {
    try {
      return merged.toConfig();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }
}
