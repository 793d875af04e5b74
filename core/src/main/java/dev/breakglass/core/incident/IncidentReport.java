package dev.breakglass.core.incident;

import java.util.Objects;

/**
 * The post-incident report of an {@link Incident}, in three renderings of one model:
 *
 * <ul>
 *   <li>{@link #markdown(Incident)}: a draft review under the headings of the SRE postmortem
 *       template (summary, impact, trigger, detection, resolution, root cause, timeline, lessons
 *       learned, action items), with everything the journal knows filled in and what only
 *       people know left as blanks marked {@code TO FILL IN};
 *   <li>{@link #json(Incident)}: the model as JSON, schema
 *       {@value #JSON_SCHEMA} (documented in {@code docs/incidents.md});
 *   <li>{@link #html(Incident)}: a self-contained HTML page (no scripts, no external fonts or
 *       styles) with an SVG timeline: a severity band on top, one swimlane per component with
 *       its health (a breaker's state) as coloured bands and its mitigations as intervals,
 *       milestone markers and a time axis in seconds from the start.
 * </ul>
 *
 * <p>Every rendering is deterministic: equal incidents give equal text. Names and details come
 * from user code and are escaped in each: they cannot add a line to the Markdown, break the
 * JSON or put markup into the HTML (newlines, control characters, ANSI escapes and lone
 * surrogates print as {@code \n}, {@code \}{@code uXXXX}; markup characters as entities or
 * Markdown escapes).
 *
 * <p>Stateless and thread-safe.
 */
public final class IncidentReport {

  /** The {@code schema} value of {@link #json(Incident)}'s documents. */
  public static final String JSON_SCHEMA = "breakglass.incident/1";

  private IncidentReport() {}

  /**
   * Renders the incident as a draft post-incident review in Markdown.
   *
   * @param incident the incident
   * @return the Markdown document, ending with a line break
   * @throws NullPointerException if {@code incident} is null
   */
  public static String markdown(Incident incident) {
    return new MarkdownReport(Objects.requireNonNull(incident, "incident")).render();
  }

  /**
   * Renders the incident as a JSON document of schema {@value #JSON_SCHEMA}.
   *
   * @param incident the incident
   * @return the JSON document
   * @throws NullPointerException if {@code incident} is null
   */
  public static String json(Incident incident) {
    return JsonReport.render(Objects.requireNonNull(incident, "incident"));
  }

  /**
   * Renders the incident as a self-contained HTML page with an SVG timeline. The SVG's
   * swimlanes are {@code <g class="lane" data-component="...">}, its milestone markers
   * {@code <g class="milestone" data-milestone="detected">} (one per milestone reached), so a
   * check can find them in the rendered page.
   *
   * @param incident the incident
   * @return the HTML document
   * @throws NullPointerException if {@code incident} is null
   */
  public static String html(Incident incident) {
    return new HtmlReport(Objects.requireNonNull(incident, "incident")).render();
  }

  /**
   * Renders a one-line summary for a console: number, status, peak severity, time to detect,
   * mitigate, recover and resolve.
   *
   * @param incident the incident
   * @return for example {@code "incident #1 RESOLVED: peak MAJOR; time to detect 0us, to
   *     mitigate 16ms, to recover 1.034s, to resolve 1.834s"}
   * @throws NullPointerException if {@code incident} is null
   */
  public static String summary(Incident incident) {
    return Texts.summaryLine(Objects.requireNonNull(incident, "incident"));
  }
}
