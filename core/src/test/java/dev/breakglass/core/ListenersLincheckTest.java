package dev.breakglass.core;

import dev.breakglass.testing.Linearizability;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link Listeners}' add, remove and publish against a sequential
 * specification of the documented contract: adding a registered listener does not register it
 * twice, remove unregisters it outright, and publish calls the registered listeners in
 * registration order.
 *
 * <p>Two listeners (ids 0 and 1); each appends its id to the event, a list, so publish returns
 * the ids of the listeners it called, in call order. Closing subscriptions is left to the
 * unit and concurrency tests: a test operation cannot hand a subscription from the add that
 * made it to a close on another thread atomically, and Lincheck rightly reports that gap (a
 * publish that sees the listener before the test has kept its subscription) as the test's own.
 */
@Param(name = "id", gen = IntGen.class, conf = "0:1")
public class ListenersLincheckTest {

  private final Listeners<List<Integer>> listeners = Listeners.create("lincheck");
  private final List<EventListener<List<Integer>>> instances =
      List.of(event -> event.add(0), event -> event.add(1));

  /** Creates the listeners of one scenario (Lincheck makes one instance per scenario). */
  public ListenersLincheckTest() {}

  /**
   * Adds listener {@code id}.
   *
   * @param id the listener
   */
  @Operation
  public void add(@Param(name = "id") int id) {
    listeners.add(instances.get(id));
  }

  /**
   * Removes listener {@code id} outright.
   *
   * @param id the listener
   * @return whether it was registered
   */
  @Operation
  public boolean remove(@Param(name = "id") int id) {
    return listeners.remove(instances.get(id));
  }

  /**
   * Publishes an event.
   *
   * @return the ids of the listeners called, in call order
   */
  @Operation
  public List<Integer> publish() {
    List<Integer> called = new ArrayList<>();
    listeners.publish(called);
    return called;
  }

  @Test
  void addRemovePublish_modelChecked_linearizable() {
    Linearizability.modelChecking(30, 500).sequentialSpecification(Spec.class)
        .check(getClass());
  }

  @Test
  void addRemovePublish_stressed_linearizable() {
    Linearizability.stress(30, 1_000).sequentialSpecification(Spec.class).check(getClass());
  }

  /** The sequential specification: the registered listeners in registration order. */
  public static final class Spec {
    private final List<Integer> order = new ArrayList<>();

    /** Creates the specification with nothing registered. */
    public Spec() {}

    /**
     * Adds a listener unless it is registered.
     *
     * @param id the listener
     */
    public void add(int id) {
      if (!order.contains(id)) {
        order.add(id);
      }
    }

    /**
     * Removes a listener.
     *
     * @param id the listener
     * @return whether it was registered
     */
    public boolean remove(int id) {
      return order.remove(Integer.valueOf(id));
    }

    /**
     * Publishes.
     *
     * @return the registered listeners in registration order
     */
    public List<Integer> publish() {
      return new ArrayList<>(order);
    }
  }
}
