/**
 * Incidents derived from an {@link dev.breakglass.core.IncidentJournal}: an
 * {@link dev.breakglass.core.incident.IncidentTracker} correlates the journal's
 * {@link dev.breakglass.core.EventCategory typed entries} into
 * {@link dev.breakglass.core.incident.Incident incidents} with milestones, durations and
 * impact, live or after the fact, and {@link dev.breakglass.core.incident.IncidentReport}
 * renders one as a post-incident report in Markdown, JSON or self-contained HTML.
 */
@NullMarked
package dev.breakglass.core.incident;

import org.jspecify.annotations.NullMarked;
