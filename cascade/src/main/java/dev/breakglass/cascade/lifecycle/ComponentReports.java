package dev.breakglass.cascade.lifecycle;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The component reports of one run, as shutdown and recovery reports keep them: in plan order,
 * by name, and counted by outcome. Immutable and thread-safe.
 */
final class ComponentReports {

  private static final Outcome[] OUTCOMES = Outcome.values();

  final List<ComponentReport> list;
  private final Map<String, ComponentReport> byName;
  private final int[] counts = new int[OUTCOMES.length];

  ComponentReports(List<ComponentReport> components) {
    this.list = List.copyOf(components);
    this.byName = new HashMap<>(Math.max(16, list.size() * 4 / 3 + 1));
    for (ComponentReport component : list) {
      byName.put(component.name(), component);
      counts[component.outcome().ordinal()]++;
    }
  }

  /** The report of the named component; see {@code ShutdownReport.component(String)}. */
  ComponentReport get(String name) {
    Objects.requireNonNull(name, "name");
    ComponentReport report = byName.get(name);
    if (report == null) {
      throw new IllegalArgumentException("component '" + name + "' is not in this report");
    }
    return report;
  }

  /** How many components ended with {@code outcome}. */
  int count(Outcome outcome) {
    return counts[Objects.requireNonNull(outcome, "outcome").ordinal()];
  }
}
