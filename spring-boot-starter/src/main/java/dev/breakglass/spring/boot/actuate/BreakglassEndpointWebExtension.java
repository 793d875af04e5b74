package dev.breakglass.spring.boot.actuate;

import dev.breakglass.core.incident.Incident;
import dev.breakglass.core.incident.IncidentReport;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.MimeType;

/**
 * What the {@code breakglass} endpoint adds over HTTP only: the post-incident report of the
 * current or last incident, as a document of its own with its own content type. (Over JMX a
 * document has no content type, so the report is not offered there; the endpoint's JSON view
 * has the incident in brief.)
 *
 * <p>Thread-safe.
 */
@EndpointWebExtension(endpoint = BreakglassEndpoint.class)
public final class BreakglassEndpointWebExtension {

  private final BreakglassEndpoint endpoint;

  /**
   * Creates the extension.
   *
   * @param endpoint the endpoint it extends
   * @throws NullPointerException if {@code endpoint} is null
   */
  public BreakglassEndpointWebExtension(BreakglassEndpoint endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
  }

  /**
   * Returns the post-incident report of the current or last incident: {@code GET
   * /actuator/breakglass/incident/html} (a self-contained HTML page), {@code /md} (Markdown) or
   * {@code /json} (the {@value IncidentReport#JSON_SCHEMA} document).
   *
   * @param what {@code incident}
   * @param format {@code html}, {@code md} or {@code json}
   * @return the report, or HTTP 404 if {@code what} is not {@code incident} or there has been
   *     no incident (or incidents are not tracked)
   * @throws InvalidEndpointRequestException if {@code format} is none of those (HTTP 400)
   */
  @ReadOperation(produces = {"text/html", "text/markdown", "application/json"})
  public WebEndpointResponse<String> report(@Selector String what, @Selector String format) {
    if (!what.equals("incident")) {
      return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }
    Format rendering = Format.of(format);
    Optional<Incident> incident = endpoint.latestIncident();
    if (incident.isEmpty()) {
      return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }
    return new WebEndpointResponse<>(rendering.render.apply(incident.get()),
        WebEndpointResponse.STATUS_OK, rendering.type);
  }

  /** A report's format: its path segment, content type and renderer. */
  private enum Format {
    HTML("html", "text/html;charset=UTF-8", IncidentReport::html),
    MD("md", "text/markdown;charset=UTF-8", IncidentReport::markdown),
    JSON("json", "application/json", IncidentReport::json);

    final String segment;
    final MimeType type;
    final Function<Incident, String> render;

    Format(String segment, String type, Function<Incident, String> render) {
      this.segment = segment;
      this.type = MimeType.valueOf(type);
      this.render = render;
    }

    static Format of(String segment) {
      for (Format format : values()) {
        if (format.segment.equals(segment)) {
          return format;
        }
      }
      String message = "format must be one of html, md, json, was '" + segment + "'";
      throw new InvalidEndpointRequestException(message, message);
    }
  }
}
