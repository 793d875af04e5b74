package dev.breakglass.cascade.degradation;

import dev.breakglass.cascade.lifecycle.Component;
import dev.breakglass.cascade.lifecycle.DependencyGraph;
import dev.breakglass.core.ListenerErrorHandler;
import dev.breakglass.core.Tier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The components and features of a {@link CascadeManager}: by name, for lookups on the request
 * path; by tier, for delivering changes in tier order; and, for the components, what the
 * {@link HealthBoard} needs (names, tiers, blast radius).
 *
 * <p>Immutable once built, and thread-safe.
 */
final class Roster {

  /*
   * Design: components come first (the graph's, in graph order, then the others in
   * registration order), so a component's index on the health board is its place in that list
   * and, for a graph component, its place in DependencyGraph.components(). Features follow.
   * Lookups by name go through NameIndex, an immutable open-addressing table; members and tier
   * ordinals live in arrays parallel to its slots, so that isEnabled(name) is a probe and two
   * array reads. The blast radius of a graph component is read through the graph's public API
   * (transitiveDependentsOf, by name) once, here, and kept as sorted board indices.
   */

  /**
   * A component or feature as the builder collected it.
   *
   * @param graphIndex the component's place in its graph, or -1 outside the graph
   */
  record Registration(String name, Tier tier, boolean feature, int graphIndex) {

    /** How the registration reads in a "duplicate registration" message. */
    String kind() {
      return feature ? "a feature" : graphIndex >= 0 ? "a component of the graph" : "a component";
    }
  }

  /**
   * The components and features a builder registers, in registration order, checked for
   * duplicate names. Not thread-safe; owned by one builder.
   */
  static final class Registrations {
    private final LinkedHashMap<String, Registration> byName = new LinkedHashMap<>();

    /** Registers a component or feature outside the graph; the name is checked non-blank. */
    void add(String name, Tier tier, boolean feature) {
      Registration previous = byName.get(name);
      if (previous != null) {
        throw new IllegalArgumentException("duplicate registration: '" + name
            + "' is already registered as " + previous.kind() + " (" + previous.tier() + ")");
      }
      byName.put(name, new Registration(name, tier, feature, -1));
    }

    /**
     * The graph's components first, in graph order, then the registrations.
     *
     * @throws IllegalArgumentException if a registered name is also a component of the graph
     */
    List<Registration> withGraph(@Nullable DependencyGraph graph) {
      List<Registration> all = new ArrayList<>();
      if (graph != null) {
        List<Component> components = graph.components();
        for (int i = 0; i < components.size(); i++) {
          Component component = components.get(i);
          Registration clash = byName.get(component.name());
          if (clash != null) {
            throw new IllegalArgumentException("duplicate registration: '" + component.name()
                + "' is a component of the graph and is also registered as " + clash.kind());
          }
          all.add(new Registration(component.name(), component.tier(), false, i));
        }
      }
      all.addAll(byName.values());
      return all;
    }
  }

  private static final Tier[] TIERS = Tier.values();
  private static final int[] NONE = new int[0];

  private final NameIndex index;
  private final @Nullable Member[] bySlot;
  /** The tier ordinal of each member by slot of {@link #index}, for isEnabled. */
  private final int[] tierBySlot;
  private final Member[][] byTier;
  /** By tier: the names of its members, "a, b", for the journal's shed and restored entries. */
  private final String[] namesByTier;
  private final int memberCount;
  private final String[] componentNames;
  private final Tier[] componentTiers;
  private final int[][] blastRadius;

  /**
   * @param registrations the graph's components first, in graph order, then the others in
   *     registration order
   */
  Roster(CascadeManager manager, List<Registration> registrations,
      @Nullable DependencyGraph graph, ListenerErrorHandler errorHandler) {
    List<Registration> components = new ArrayList<>();
    List<Registration> features = new ArrayList<>();
    for (Registration registration : registrations) {
      (registration.feature() ? features : components).add(registration);
    }
    int n = components.size();
    this.componentNames = new String[n];
    this.componentTiers = new Tier[n];
    this.blastRadius = new int[n][];
    Map<String, Integer> boardIndex = new HashMap<>();
    for (int i = 0; i < n; i++) {
      componentNames[i] = components.get(i).name();
      componentTiers[i] = components.get(i).tier();
      boardIndex.put(componentNames[i], i);
    }
    for (int i = 0; i < n; i++) {
      blastRadius[i] = components.get(i).graphIndex() >= 0 && graph != null
          ? boardIndices(graph.transitiveDependentsOf(componentNames[i]), boardIndex)
          : NONE;
    }

    List<Member> all = new ArrayList<>(registrations.size());
    for (int i = 0; i < n; i++) {
      all.add(Member.create(manager, componentNames[i], componentTiers[i], i, errorHandler));
    }
    for (Registration feature : features) {
      all.add(Member.create(manager, feature.name(), feature.tier(), -1, errorHandler));
    }
    List<String> names = new ArrayList<>(all.size());
    for (Member member : all) {
      names.add(member.name());
    }
    this.index = new NameIndex(names);
    this.bySlot = new Member[index.capacity()];
    this.tierBySlot = new int[index.capacity()];
    for (Member member : all) {
      int slot = index.slotOf(member.name());
      bySlot[slot] = member;
      tierBySlot[slot] = member.tier().ordinal();
    }
    this.memberCount = all.size();
    this.byTier = new Member[TIERS.length][];
    this.namesByTier = new String[TIERS.length];
    for (Tier tier : TIERS) {
      List<Member> members = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      for (Member member : all) {
        if (member.tier() == tier) {
          members.add(member);
          text.append(text.length() == 0 ? "" : ", ").append(member.name());
        }
      }
      byTier[tier.ordinal()] = members.toArray(new Member[0]);
      namesByTier[tier.ordinal()] = text.toString();
    }
  }

  /** The board indices of the named components, sorted. */
  private static int[] boardIndices(Set<String> names, Map<String, Integer> boardIndex) {
    int[] indices = new int[names.size()];
    int i = 0;
    for (String name : names) {
      indices[i++] = Objects.requireNonNull(boardIndex.get(name), name);
    }
    Arrays.sort(indices);
    return indices;
  }

  /**
   * The keys of the name index by slot (do not modify), for
   * {@link NameIndex#slotOf(String[], String)}.
   */
  String[] slotKeys() {
    return index.keys();
  }

  /** The tier ordinal of each member by slot (do not modify). */
  int[] tierBySlot() {
    return tierBySlot;
  }

  int memberCount() {
    return memberCount;
  }

  int componentCount() {
    return componentNames.length;
  }

  /** The board's view: component names by board index (do not modify). */
  String[] componentNames() {
    return componentNames;
  }

  /** The board's view: component tiers by board index (do not modify). */
  Tier[] componentTiers() {
    return componentTiers;
  }

  /** The board's view: each component's transitive dependents, sorted board indices. */
  int[][] blastRadius() {
    return blastRadius;
  }

  /** The members of a tier, in registration order (do not modify). */
  Member[] ofTier(Tier tier) {
    return byTier[tier.ordinal()];
  }

  /** The names of a tier's members, "a, b"; empty if it has none. */
  String namesOf(Tier tier) {
    return namesByTier[tier.ordinal()];
  }

  /** The member of that name, a component or a feature. */
  Member member(String name) {
    Member member = lookup(name, "name");
    if (member == null) {
      throw unknown(name);
    }
    return member;
  }

  /** The component of that name; a feature's name is rejected, since features report no health. */
  Member component(String name) {
    Member member = lookup(name, "component");
    if (member == null) {
      throw new IllegalArgumentException("unknown component '" + name + "'");
    }
    if (!member.isComponent()) {
      throw new IllegalArgumentException("'" + name
          + "' is a feature, not a component: only components report health and have a blast"
          + " radius");
    }
    return member;
  }

  static IllegalArgumentException unknown(String name) {
    return new IllegalArgumentException("unknown feature or component '" + name + "'");
  }

  /** The member of that name, or null; {@code what} names a null argument. */
  private @Nullable Member lookup(String name, String what) {
    int slot = index.slotOf(Objects.requireNonNull(name, what));
    return slot < 0 ? null : bySlot[slot];
  }
}
