package dev.breakglass.spring.boot.actuate;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Declaration;
import dev.breakglass.cascade.degradation.Mode;
import dev.breakglass.circuitbreaker.CircuitBreaker;
import dev.breakglass.circuitbreaker.CircuitBreakerMetrics;
import dev.breakglass.circuitbreaker.CircuitBreakerRegistry;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Severity;
import dev.breakglass.core.incident.ComponentImpact;
import dev.breakglass.core.incident.Incident;
import dev.breakglass.core.incident.IncidentReport;
import dev.breakglass.core.incident.IncidentTracker;
import dev.breakglass.core.incident.Milestone;
import java.time.Duration;
import java.time.Instant;
import java.security.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code breakglass} Actuator endpoint ({@code /actuator/breakglass} over HTTP).
 *
 * <p><b>Reads</b> (allowed by default, once the endpoint is exposed with {@code
 * management.endpoints.web.exposure.include}): {@code GET /actuator/breakglass} answers the
 * breakers, the severity, the admitted tiers, the capacity factor, the declaration, the current
 * or last incident and the latest journal entries as JSON; {@code GET
 * /actuator/breakglass/{breaker}} one breaker. Over HTTP, {@link BreakglassEndpointWebExtension}
 * adds {@code GET /actuator/breakglass/incident/html} (or {@code /md}, {@code /json}): the
 * current or last incident's post-incident report ({@link IncidentReport}).
 *
 * <p><b>Writes</b> are off by default: the endpoint's default access is {@link
 * Access#READ_ONLY}. With {@code management.endpoint.breakglass.access=unrestricted} they go
 * through Actuator like any other write operation (and through Spring Security's rules for
 * the actuator paths, if the application has them): {@code POST /actuator/breakglass} with
 * {@code {"severity": "MAJOR", "reason": "..."}} declares a severity, {@code DELETE
 * /actuator/breakglass?reason=...} clears the declaration, {@code POST
 * /actuator/breakglass/{breaker}} with {@code {"state": "FORCED_OPEN"}} forces a breaker
 * ({@code FORCED_OPEN}, {@code OPEN}, {@code HALF_OPEN}, {@code CLOSED}, {@code DISABLED},
 * {@code METRICS_ONLY}, or {@code RESET}). The declaration is recorded as made by the
 * authenticated principal, or by the {@code by} parameter, or by {@code "actuator"}.
 *
 * <p>Thread-safe.
 */
@Endpoint(id = "breakglass", defaultAccess = Access.READ_ONLY)
public final class BreakglassEndpoint {

  private final CircuitBreakerRegistry registry;
  private final CascadeManager manager;
  private final IncidentJournal journal;
  private final @Nullable IncidentTracker incidents;
  private final int journalEntries;

  /**
   * Creates the endpoint.
   *
   * @param registry the breakers to show
   * @param manager the manager to show
   * @param journal the journal whose latest entries to show
   * @param incidents the tracker whose current or last incident to show, or null if incidents
   *     are not tracked
   * @param journalEntries how many of the latest entries to show, at least 0
   * @throws NullPointerException if {@code registry}, {@code manager} or {@code journal} is
   *     null
   * @throws IllegalArgumentException if {@code journalEntries} is negative
   */
  public BreakglassEndpoint(CircuitBreakerRegistry registry, CascadeManager manager,
      IncidentJournal journal, @Nullable IncidentTracker incidents, int journalEntries) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.manager = Objects.requireNonNull(manager, "manager");
    this.journal = Objects.requireNonNull(journal, "journal");
    this.incidents = incidents;
    if (journalEntries < 0) {
      throw new IllegalArgumentException(
          "breakglass.endpoint.journal-entries must be >= 0, was " + journalEntries);
    }
    this.journalEntries = journalEntries;
  }

  /**
   * Returns the breakers, the manager's state and the latest journal entries.
   *
   * @return the view, serialized as JSON
   */
  @ReadOperation
  public BreakglassView state() {
    Mode mode = manager.mode();
    List<BreakerView> breakers = registry.circuitBreakers().stream()
        .map(b -> BreakerView.of(b.name(), b.metrics()))
        .toList();
    List<JournalEntry> entries = journal.entries();
    List<EntryView> timeline = entries
        .subList(Math.max(0, entries.size() - journalEntries), entries.size())
        .stream().map(EntryView::of).toList();
    return new BreakglassView(breakers, mode.severity().name(),
        mode.admittedTiers().stream().map(Enum::name).toList(), mode.capacityFactor(),
        manager.declaration().map(DeclarationView::of).orElse(null),
        latestIncident().map(IncidentView::of).orElse(null), timeline);
  }

  /** The open incident, else the last one resolved, else empty. */
  Optional<Incident> latestIncident() {
    IncidentTracker tracker = incidents;
    return tracker == null ? Optional.empty() : tracker.last();
  }

  /**
   * Returns one breaker.
   *
   * @param name the breaker's name
   * @return the breaker, or null (HTTP 404) if the registry has none of that name
   */
  @ReadOperation
  public @Nullable BreakerView breaker(@Selector String name) {
    Optional<CircuitBreaker> breaker = registry.find(name);
    return breaker.map(b -> BreakerView.of(b.name(), b.metrics())).orElse(null);
  }

  /**
   * Declares a severity by hand (see {@link CascadeManager#declare}).
   *
   * @param security who calls (the authenticated principal, if any)
   * @param severity the severity to hold
   * @param reason why
   * @param by who declares it, when there is no authenticated principal
   * @return the state after the declaration
   * @throws InvalidEndpointRequestException if {@code reason} is blank (HTTP 400)
   */
  @WriteOperation
  public BreakglassView declare(SecurityContext security, Severity severity, String reason,
      @Nullable String by) {
    try {
      manager.declare(severity, who(security, by), reason);
    } catch (IllegalArgumentException e) {
      throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
    }
    return state();
  }

  /**
   * Clears the declared severity (see {@link CascadeManager#clearDeclaration}).
   *
   * @param security who calls (the authenticated principal, if any)
   * @param reason why
   * @param by who clears it, when there is no authenticated principal
   * @return the state after clearing
   * @throws InvalidEndpointRequestException if {@code reason} is blank (HTTP 400)
   */
  @DeleteOperation
  public BreakglassView clearDeclaration(SecurityContext security, String reason,
      @Nullable String by) {
    try {
      manager.clearDeclaration(who(security, by), reason);
    } catch (IllegalArgumentException e) {
      throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
    }
    return state();
  }

  /**
   * Forces a breaker into a state, or resets it.
   *
   * @param name the breaker's name
   * @param state {@code FORCED_OPEN}, {@code OPEN}, {@code HALF_OPEN}, {@code CLOSED}, {@code
   *     DISABLED}, {@code METRICS_ONLY} or {@code RESET}
   * @return the breaker after the transition, or null (HTTP 404) if there is no such breaker
   * @throws InvalidEndpointRequestException if {@code state} is none of those (HTTP 400)
   */
  @WriteOperation
  public @Nullable BreakerView force(@Selector String name, String state) {
    Optional<CircuitBreaker> found = registry.find(name);
    if (found.isEmpty()) {
      return null;
    }
    CircuitBreaker breaker = found.get();
    switch (state.trim().toUpperCase(Locale.ROOT)) {
      case "FORCED_OPEN" -> breaker.transitionToForcedOpen();
      case "OPEN" -> breaker.transitionToOpen();
      case "HALF_OPEN" -> breaker.transitionToHalfOpen();
      case "CLOSED" -> breaker.transitionToClosed();
      case "DISABLED" -> breaker.transitionToDisabled();
      case "METRICS_ONLY" -> breaker.transitionToMetricsOnly();
      case "RESET" -> breaker.reset();
      default -> {
        String message = "state must be one of FORCED_OPEN, OPEN, HALF_OPEN, CLOSED, DISABLED, "
            + "METRICS_ONLY, RESET, was '" + state + "'";
        throw new InvalidEndpointRequestException(message, message);
      }
    }
    return BreakerView.of(breaker.name(), breaker.metrics());
  }

  private static String who(SecurityContext security, @Nullable String by) {
    Principal principal = security.getPrincipal();
    if (principal != null) {
      return principal.getName();
    }
    return by == null || by.isBlank() ? "actuator" : by;
  }

  /**
   * The endpoint's answer.
   *
   * @param breakers every breaker of the registry
   * @param severity the current severity
   * @param admittedTiers the tiers admitted at that severity, most important first
   * @param capacityFactor the current capacity factor
   * @param declaration the declared severity, or null
   * @param incident the open incident, else the last one, or null if there has been none
   * @param journal the latest journal entries, oldest first
   */
  public record BreakglassView(List<BreakerView> breakers, String severity,
      List<String> admittedTiers, double capacityFactor, @Nullable DeclarationView declaration,
      @Nullable IncidentView incident, List<EntryView> journal) {}

  /**
   * An incident, in brief; {@code /actuator/breakglass/incident/html} has the whole report.
   * Durations are ISO-8601 ({@code PT2M30S}), null until the milestone is reached.
   *
   * @param number its number, from 1
   * @param status {@code OPEN} or {@code RESOLVED}
   * @param started when its first entry was journalled (ISO-8601)
   * @param resolved when it resolved (ISO-8601), or null while open
   * @param peakSeverity the worst severity during it
   * @param components the components involved, in order of appearance
   * @param timeToDetect from the start to the first detection
   * @param timeToMitigate from the start to the first mitigation
   * @param timeToRecover from the start to every component up again
   * @param timeToResolve from the start to the resolution
   * @param duration from the start to the resolution, or to the latest entry while open
   * @param summary one line: what, how bad, how long
   */
  public record IncidentView(int number, String status, @Nullable String started,
      @Nullable String resolved, String peakSeverity, List<String> components,
      @Nullable String timeToDetect, @Nullable String timeToMitigate,
      @Nullable String timeToRecover, @Nullable String timeToResolve, String duration,
      String summary) {

    static IncidentView of(Incident i) {
      return new IncidentView(i.number(), i.status().name(),
          i.time(Milestone.STARTED).map(Instant::toString).orElse(null),
          i.time(Milestone.RESOLVED).map(Instant::toString).orElse(null),
          i.peakSeverity().name(),
          i.components().stream().map(ComponentImpact::name).toList(),
          iso(i.timeToDetect()), iso(i.timeToMitigate()), iso(i.timeToRecover()),
          iso(i.timeToResolve()), i.duration().toString(), IncidentReport.summary(i));
    }

    private static @Nullable String iso(Optional<Duration> duration) {
      return duration.map(Duration::toString).orElse(null);
    }
  }

  /**
   * One breaker.
   *
   * @param name its name
   * @param state its state
   * @param failureRate the failure rate in percent, or -1 while too few calls are buffered
   * @param slowCallRate the slow-call rate in percent, or -1
   * @param bufferedCalls the outcomes in the window
   * @param failedCalls the failures among them
   * @param slowCalls the slow calls among them
   * @param notPermittedCalls the calls rejected since it was created or reset
   */
  public record BreakerView(String name, String state, double failureRate, double slowCallRate,
      long bufferedCalls, long failedCalls, long slowCalls, long notPermittedCalls) {

    static BreakerView of(String name, CircuitBreakerMetrics m) {
      return new BreakerView(name, m.state().name(), m.failureRate(), m.slowCallRate(),
          m.bufferedCalls(), m.failedCalls(), m.slowCalls(), m.notPermittedCalls());
    }
  }

  /**
   * A declared severity.
   *
   * @param severity the severity held
   * @param by who declared it
   * @param reason why
   */
  public record DeclarationView(String severity, String by, String reason) {

    static DeclarationView of(Declaration d) {
      return new DeclarationView(d.severity().name(), d.by(), d.reason());
    }
  }

  /**
   * One journal entry.
   *
   * @param sequence its position in the journal
   * @param time when it happened (ISO-8601)
   * @param source what it is about
   * @param kind what happened
   * @param detail a description
   */
  public record EntryView(long sequence, String time, String source, String kind,
      String detail) {

    static EntryView of(JournalEntry e) {
      return new EntryView(e.sequence(), e.time().toString(), e.source(), e.kind(), e.detail());
    }
  }
}
